"""How fast is `xltool validate`? Prints figures and ratios; targets are checked here, not in unit tests.

Targets (issue: validate):
  1. `xltool validate one.xlsx` as a whole process takes less time than `python -c "import pandas"`
     on the same machine, measured side by side in one run;
  2. in-process, validating a typical filled workbook costs no more than 3× the time python-calamine takes
     just to read its values.

Run: .venv/bin/python bench/validate_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import python_calamine
import yaml

from xltool import api
from xltool.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent


def median_seconds(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def read_all_values(path: Path) -> None:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    book.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "typical.xlsx"
        api.fill(yaml.safe_load((ROOT / "examples" / "beicheng.yaml").read_text(encoding="utf-8")), path)
        exe = [sys.executable, "-m", "xltool", "validate", str(path)]
        pandas = [sys.executable, "-c", "import pandas"]
        # as installed: bytecode cached (pip compiles at install; a workplace that sets PYTHONDONTWRITEBYTECODE
        # would otherwise make every run compile xltool's sources, which no user's installation does)
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(exe, capture_output=True, check=False, env=env)  # warm the file and bytecode caches
        subprocess.run(pandas, capture_output=True, check=False, env=env)
        process: list[float] = []
        baseline: list[float] = []
        for _ in range(args.runs):  # interleaved, so both see the same machine state
            process.append(median_seconds(lambda: subprocess.run(exe, capture_output=True, check=False, env=env), 1))
            baseline.append(
                median_seconds(lambda: subprocess.run(pandas, capture_output=True, check=False, env=env), 1)
            )
        proc, base = statistics.median(process), statistics.median(baseline)
        validate_file(path)  # warm caches (spec loading) as a long-running process would have them
        inproc = median_seconds(lambda: validate_file(path), args.runs * 4)
        calamine = median_seconds(lambda: read_all_values(path), args.runs * 4)
    print(f"xltool validate (whole process) : {proc * 1000:8.1f} ms")
    print(f"python -c 'import pandas'       : {base * 1000:8.1f} ms")
    print(f"ratio                           : {proc / base:8.2f}   (target < 1)")
    print(f"validate_file in process        : {inproc * 1000:8.2f} ms")
    print(f"calamine reading all values     : {calamine * 1000:8.2f} ms")
    print(f"ratio                           : {inproc / calamine:8.2f}   (target <= 3)")
    ok = proc < base and inproc <= 3 * calamine
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

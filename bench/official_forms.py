"""How well does xltool read official forms? Field-level precision and recall per layout family and format,
and how fast it reads them.

The corpus (bench/formgen.py): every layout family × every format, each form with its own perturbations —
rows and columns shifted, label variants (其中：本年财政拨款, 财政项目支出绩效自评表…), labels spaced out or split
over lines, vertical one-character-per-line labels, 一级/二级 merged down or written once, hidden placeholder
rows, numbers written as text (1,234.50 / 100.00%), 元 forms, two projects on one sheet, a two-row header.
.xlsx is written by openpyxl, .docx by python-docx; .xls and .ods are LibreOffice's conversions of the .xlsx,
and ``docx-lo`` is the .docx re-saved by LibreOffice Writer: the files real clients write.

Precision: of the compared fields the reader gave a value for, how many are right. Recall: of the fields the
form holds, how many were read right. Targets: 1.000 both, for every family and format.

Speed targets: reading an official form in process ≤ 3× python-calamine's plain read of the same file;
``xltool validate form.xls`` as a whole process below ``python -c "import pandas"``.

Run: .venv/bin/python bench/official_forms.py [--per-family N] [--keep DIR]
(needs LibreOffice's ``soffice`` for the .xls, .ods and docx-lo formats; without it they are skipped and
the output says so).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.formgen import FAMILIES, compared, expected, make, same, write_docx, write_xlsx  # noqa: E402
from xltool.io.form_reader import read_forms  # noqa: E402

FORMATS = ("xlsx", "xls", "ods", "docx", "docx-lo")


def convert(files: list[Path], target: str, outdir: Path) -> None:
    """LibreOffice converts ``files`` (one process for all) into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    filters = {"xls": "xls", "ods": "ods", "docx": "docx:MS Word 2007 XML"}
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                filters[target],
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=False,
            capture_output=True,
            timeout=1800,
        )


def build(folder: Path, per_family: int) -> dict[Path, tuple[str, int]]:
    """The corpus: path → (family, seed)."""
    corpus: dict[Path, tuple[str, int]] = {}
    xlsx, docx = folder / "xlsx", folder / "docx"
    xlsx.mkdir(parents=True, exist_ok=True)
    docx.mkdir(parents=True, exist_ok=True)
    for family in FAMILIES:
        for seed in range(per_family):
            canvas, _, _ = make(family, seed)
            name = f"{family}-{seed}"
            write_xlsx(canvas, xlsx / f"{name}.xlsx")
            write_docx(canvas, docx / f"{name}.docx")
            corpus[xlsx / f"{name}.xlsx"] = (family, seed)
            corpus[docx / f"{name}.docx"] = (family, seed)
    if shutil.which("soffice"):
        xlsx_files = sorted(xlsx.glob("*.xlsx"))
        convert(xlsx_files, "xls", folder / "xls")
        convert(xlsx_files, "ods", folder / "ods")
        # Writer writes the re-saved .docx beside under the same name: a folder of its own
        convert(sorted(docx.glob("*.docx")), "docx", folder / "docx-lo")
        for fmt in ("xls", "ods", "docx-lo"):
            suffix = "docx" if fmt == "docx-lo" else fmt
            for path in (folder / fmt).glob(f"*.{suffix}"):
                family, seed = path.stem.rsplit("-", 1)
                corpus[path] = (family, int(seed))
    return corpus


def fmt_of(path: Path) -> str:
    return path.parent.name


def measure(corpus: dict[Path, tuple[str, int]]) -> tuple[dict, list[str]]:
    tally: dict[tuple[str, str], list[int]] = defaultdict(
        lambda: [0, 0, 0, 0, 0]
    )  # forms, expected, read, right, docs-ok
    misses: list[str] = []
    for path, (family, seed) in sorted(corpus.items()):
        _, contents, variant = make(family, seed)
        key = (family, fmt_of(path))
        tally[key][0] += 1
        wants = [expected(family, content, variant) for content in contents]
        try:
            workbooks = read_forms(path)
        except Exception as exc:  # a form not read at all: every field missed
            tally[key][1] += sum(len(w) for w in wants)
            misses.append(
                f"{path.name} ({key[1]}): not read: {getattr(exc, 'key', type(exc).__name__)} {getattr(exc, 'params', '')}"
            )
            continue
        if len(workbooks) == len(wants):
            tally[key][4] += 1
        else:
            misses.append(f"{path.name} ({key[1]}): {len(workbooks)} documents, expected {len(wants)}")
        for i, want in enumerate(wants):
            got = compared(workbooks[i].document.to_dict(), want) if i < len(workbooks) else {}
            tally[key][1] += len(want)
            for field, value in want.items():
                found = got.get(field)
                if found is not None:
                    tally[key][2] += 1
                if same(found, value):
                    tally[key][3] += 1
                elif len(misses) < 40:
                    misses.append(f"{path.name} ({key[1]}) {field}: read {found!r}, form holds {value!r}")
    return tally, misses


def speed(corpus: dict[Path, tuple[str, int]], runs: int = 5) -> None:
    import python_calamine

    print("\nSpeed (in process, median of", runs, "runs per file; reading = recognising + extracting + normalising)")
    for fmt in ("xlsx", "xls", "ods"):
        files = [p for p in corpus if fmt_of(p) == fmt][:14]
        if not files:
            continue
        ratios, ours_all, plain_all = [], [], []
        for path in files:
            plain, ours = [], []
            for _ in range(runs):
                t = time.perf_counter()
                book = python_calamine.CalamineWorkbook.from_path(str(path))
                for name in book.sheet_names:
                    book.get_sheet_by_name(name).to_python()
                book.close()
                plain.append(time.perf_counter() - t)
                t = time.perf_counter()
                read_forms(path)
                ours.append(time.perf_counter() - t)
            ratios.append(statistics.median(ours) / statistics.median(plain))
            ours_all.append(statistics.median(ours))
            plain_all.append(statistics.median(plain))
        print(
            f"  {fmt:5} calamine plain read {statistics.median(plain_all) * 1000:6.2f} ms   xltool read {statistics.median(ours_all) * 1000:6.2f} ms"
            f"   ratio median {statistics.median(ratios):.2f}  max {max(ratios):.2f}   (target ≤ 3)"
        )
    xls = sorted(p for p in corpus if fmt_of(p) == "xls")
    if xls:
        exe = ROOT / ".venv" / "bin" / "xltool"
        python = sys.executable

        # as installed: bytecode cached (see bench/validate_speed.py)
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "xltool-bench-pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)

        def timed(cmd: list[str]) -> float:
            subprocess.run(cmd, capture_output=True, check=False, env=env)  # warm the bytecode cache
            values = []
            for _ in range(5):
                t = time.perf_counter()
                subprocess.run(cmd, capture_output=True, check=False, env=env)
                values.append(time.perf_counter() - t)
            return statistics.median(values)

        ours = timed([str(exe) if exe.exists() else "xltool", "validate", str(xls[0])])
        pandas = timed([python, "-c", "import pandas"])
        print(
            f"  whole process: xltool validate one .xls {ours * 1000:.0f} ms, python -c 'import pandas' {pandas * 1000:.0f} ms"
            f"   ratio {ours / pandas:.2f}   (target < 1)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--per-family", type=int, default=10, help="forms per family and format (default 10: 350 forms)"
    )
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="xltool-forms-"))
    try:
        t = time.perf_counter()
        corpus = build(folder, args.per_family)
        print(f"Corpus: {len(corpus)} forms in {folder} ({time.perf_counter() - t:.0f} s to write and convert)")
        if not shutil.which("soffice"):
            print("  soffice not found: .xls, .ods and docx-lo were not made (install LibreOffice to measure them)")
        tally, misses = measure(corpus)
        print(
            f"\n{'family':22} {'format':8} {'forms':>5} {'fields':>6} {'precision':>9} {'recall':>7} {'documents':>9}"
        )
        totals = [0, 0, 0, 0, 0]
        for family in FAMILIES:
            for fmt in FORMATS:
                row = tally.get((family, fmt))
                if not row:
                    continue
                forms, wanted, read, right, docs = row
                totals = [a + b for a, b in zip(totals, row, strict=True)]
                precision = right / read if read else 1.0
                print(
                    f"{family:22} {fmt:8} {forms:5} {wanted:6} {precision:9.3f} {right / wanted:7.3f} {docs:>4}/{forms:<4}"
                )
        forms, wanted, read, right, docs = totals
        print(f"{'all':22} {'':8} {forms:5} {wanted:6} {right / read:9.3f} {right / wanted:7.3f} {docs:>4}/{forms:<4}")
        if misses:
            print("\nMisses (first 40):")
            for line in misses[:40]:
                print("  " + line)
        speed(corpus)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

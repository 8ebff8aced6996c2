"""Real odd and broken files from public test suites of spreadsheet and document libraries (tests/data/realcorpus):
every command answers each with a defined exit code and, for an unusable file, one line a clerk can act on,
in the user's language; one bad file never stops a run over many; no input is changed."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "tests" / "data" / "realcorpus"
#: What must never reach a clerk: a traceback, the internal-error fallback, an untranslated exception.
UNFIT = re.compile(r"Traceback|内部错误|internal error|\b\w+Error\b|Cannot detect|KeyError|ValueError")


def _files() -> list[Path]:
    return sorted(p for p in FOLDER.iterdir() if p.is_file() and p.name != "README.md")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "xltool", *args], capture_output=True, text=True, timeout=120, check=False
    )


def _digests(files: list[Path]) -> dict[Path, str]:
    return {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def test_every_command_answers_every_real_file(tmp_path):
    files = _files()
    assert len(files) >= 50
    before = _digests(files)
    problems: list[str] = []

    def check(what: str, done: subprocess.CompletedProcess[str], one_line: bool = True) -> None:
        if done.returncode not in (0, 1, 2):
            problems.append(f"{what}: exit {done.returncode}")
        if UNFIT.search(done.stderr):
            problems.append(f"{what}: {done.stderr.strip()[:200]}")
        if one_line and done.returncode == 2 and len(done.stderr.strip().splitlines()) != 1:
            problems.append(f"{what}: exit 2 without one line on stderr: {done.stderr!r}")

    # all files at once: each gets its own line, none stops the others
    validated = _run("validate", *map(str, files), "--format", "json")
    check("validate", validated, one_line=False)
    lines = [json.loads(line) for line in validated.stdout.splitlines()]
    assert [Path(r["file"]).name for r in lines] == [f.name for f in files]
    for report in lines:
        for finding in report["findings"]:
            if UNFIT.search(finding["message"]):
                problems.append(f"validate {report['file']}: {finding['message']}")
    linted = _run("lint-report", *map(str, files), "--format", "json")
    check("lint-report", linted, one_line=False)
    results = [json.loads(line) for line in linted.stdout.splitlines()]
    assert [Path(r["file"]).name for r in results] == [f.name for f in files]  # one line each, none stops the run
    for result in results:
        for finding in result["findings"]:
            if UNFIT.search(finding["message"]):
                problems.append(f"lint-report {result['file']}: {finding['message']}")
    summary = tmp_path / "summary.xlsx"
    consolidated = _run("consolidate", str(FOLDER), "-o", str(summary), "--json", str(tmp_path / "s.json"))
    check("consolidate", consolidated)
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    listed = {Path(u["file"]).name for u in data["units"]} | {Path(u["file"]).name for u in data["unusable"]}
    every = {p.name for p in FOLDER.iterdir() if p.is_file()}
    assert listed == every  # every file read or listed with its reason (.et, .ods, .xlsb, the README too)
    for item in data["unusable"]:
        if UNFIT.search(item["message"]):
            problems.append(f"consolidate {item['file']}: {item['message']}")
    for f in files:
        check(f"export {f.name}", _run("export", str(f)))
        check(f"report {f.name}", _run("report", str(f), "-o", str(tmp_path / f"{f.stem}.docx")))
    assert _digests(files) == before
    assert not problems, "\n".join(problems)

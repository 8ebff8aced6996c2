"""Every command on any console encoding: a Chinese Windows console or a redirect there (GBK, GB18030), a
Western one (cp1252), UTF-8; stdout a pipe or a file. No crash, the same exit code, every finding written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENCODINGS = ("gbk", "gb18030", "cp1252", "utf-8")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A filled workbook with findings, its report, and a summary: what the commands are run on."""
    base = tmp_path_factory.mktemp("enc")
    wb = base / "beicheng.xlsx"
    _run(["fill", str(ROOT / "examples" / "beicheng.yaml"), "-o", str(wb)], "utf-8", base / "o.txt")
    return base, wb


def _run(args: list[str], encoding: str, out: Path | None) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    cmd = [sys.executable, "-m", "xltool", *args]
    if out is None:  # stdout a pipe
        done = subprocess.run(cmd, capture_output=True, env=env, check=False)
        return done.returncode, done.stdout.decode(encoding), done.stderr.decode(encoding)
    with out.open("wb") as handle:  # stdout a file, as `> out.txt` gives
        done = subprocess.run(cmd, stdout=handle, stderr=subprocess.PIPE, env=env, check=False)
    return done.returncode, out.read_bytes().decode(encoding), done.stderr.decode(encoding)


def _commands(base: Path, wb: Path, tag: str) -> list[tuple[list[str], int]]:
    return [
        (["template", "--form", "department", "-o", str(base / f"t-{tag}.xlsx")], 0),
        (["export", str(wb)], 0),
        (["validate", str(wb)], 1),
        (["validate", str(wb), "--format", "json"], 1),
        (["consolidate", str(wb), "-o", str(base / f"s-{tag}.xlsx")], 1),
        (["report", str(wb), "-o", str(base / f"r-{tag}.docx")], 1),
        (["lint-report", str(ROOT / "tests" / "data" / "reports" / "report-chongqing-bishan-2022.txt")], 1),
        (["profiles"], 0),
        (["validate", str(base / "missing.xlsx")], 2),
    ]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("to_file", [False, True], ids=["pipe", "file"])
def test_every_command_on_every_encoding(made, encoding, to_file):
    base, wb = made
    codes = {
        f["code"] for f in json.loads(_run(["validate", str(wb), "--format", "json"], "utf-8", None)[1])["findings"]
    }
    tag = f"{encoding}-{int(to_file)}"
    for args, expected in _commands(base, wb, tag):
        code, out, err = _run(args, encoding, base / f"out-{tag}.txt" if to_file else None)
        assert code == expected, (args, encoding, out, err)
        assert "Traceback" not in err and "UnicodeEncodeError" not in out + err, (args, err)
        assert "内部错误" not in err and "internal error" not in err.lower(), (args, err)
        if expected == 2:
            assert err.strip() and len(err.strip().splitlines()) == 1, (args, err)
        if args[0] == "validate" and expected == 1:
            assert all(f"[{c}]" in out or f'"{c}"' in out for c in codes), (encoding, out)

"""The command line: exit codes, one-line errors, never a traceback, inputs never modified."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xltool", *args], capture_output=True, text=True, cwd=cwd, check=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_template_fill_export(tmp_path):
    tpl = tmp_path / "t.xlsx"
    assert run("template", "--form", "department", "--year", "2023", "-o", str(tpl)).returncode == 0
    example = ROOT / "examples" / "donghu.yaml"
    before = digest(example)
    out = tmp_path / "f.xlsx"
    assert run("fill", str(example), "-o", str(out)).returncode == 0
    assert digest(example) == before
    filled = digest(out)
    result = run("export", str(out))
    assert result.returncode == 0
    assert (
        json.loads(result.stdout)["unit"]["name"] == yaml.safe_load(example.read_text(encoding="utf-8"))["unit"]["name"]
    )
    assert digest(out) == filled


def test_fill_into_given_template(tmp_path):
    tpl = tmp_path / "t.xlsx"
    run("template", "--form", "project", "-o", str(tpl))
    before = digest(tpl)
    result = run(
        "fill",
        str(ROOT / "examples" / "project-donghu-dengbao.yaml"),
        "--template",
        str(tpl),
        "-o",
        str(tmp_path / "f.xlsx"),
    )
    assert result.returncode == 0, result.stderr
    assert digest(tpl) == before


def test_template_of_another_form_is_refused(tmp_path):
    tpl = tmp_path / "t.xlsx"
    run("template", "--form", "project", "-o", str(tpl))
    result = run("fill", str(ROOT / "examples" / "donghu.yaml"), "--template", str(tpl), "-o", str(tmp_path / "f.xlsx"))
    assert result.returncode == 2 and "department/national" in result.stderr


def test_existing_output_needs_force(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"keep me")
    result = run("template", "--form", "project", "-o", str(out))
    assert result.returncode == 2 and "--force" in result.stderr
    assert out.read_bytes() == b"keep me"
    assert run("template", "--form", "project", "-o", str(out), "--force").returncode == 0
    assert out.read_bytes()[:2] == b"PK"
    assert not list(tmp_path.glob(".*tmp"))


@pytest.mark.parametrize(
    ("content", "needle_zh", "needle_en"),
    [
        (b"name,score\n1,2\n", "文本文件（如 CSV）", "text file (such as CSV)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "图片（PNG）", "picture (PNG)"),
        (bytes(range(256)) * 4, ".xlsx、.xlsm、.xls、.ods", ".xlsx, .xlsm, .xls, .ods"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls", ".xls"),
        (b"PK\x03\x04broken", "损坏", "damaged"),
    ],
)
def test_unusable_workbooks_get_one_clear_line(tmp_path, content, needle_zh, needle_en):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    for lang, needle in (("zh", needle_zh), ("en", needle_en)):
        result = run("export", str(path), "--lang", lang)
        assert result.returncode == 2
        assert needle in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_bad_documents(tmp_path):
    broken = tmp_path / "d.yaml"
    broken.write_text("form: department\nunit: [unclosed\n", encoding="utf-8")
    result = run("fill", str(broken), "-o", str(tmp_path / "o.xlsx"))
    assert result.returncode == 2 and "格式错误" in result.stderr and "Traceback" not in result.stderr
    listing = tmp_path / "l.json"
    listing.write_text("[1, 2]", encoding="utf-8")
    assert run("fill", str(listing), "-o", str(tmp_path / "o.xlsx")).returncode == 2
    missing = run("fill", str(tmp_path / "none.json"), "-o", str(tmp_path / "o.xlsx"))
    assert missing.returncode == 2 and "找不到文件" in missing.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_unknown_profile(tmp_path):
    result = run("template", "--form", "department", "--profile", "atlantis", "-o", str(tmp_path / "t.xlsx"))
    assert result.returncode == 2 and "atlantis" in result.stderr and "national" in result.stderr


def test_profiles_lists_every_profile():
    result = run("profiles", "--format", "json")
    assert result.returncode == 0
    assert "national" in [p["id"] for p in json.loads(result.stdout)]
    assert "全国通用" in run("profiles").stdout


def test_debug_shows_the_traceback(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"nope")
    assert "Traceback" in run("export", str(path), "--debug").stderr


def test_export_to_file(tmp_path):
    out = tmp_path / "f.xlsx"
    run("fill", str(ROOT / "examples" / "nanan.yaml"), "-o", str(out))
    target = tmp_path / "d.json"
    assert run("export", str(out), "-o", str(target)).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))["form"] == "department"


def test_every_command_is_documented_in_the_readme():
    from xltool.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert commands
    for name in commands:
        assert f"xltool {name}" in readme, name


def test_outputs_get_the_usual_permissions(tmp_path):
    import os
    import stat

    out = tmp_path / "t.xlsx"
    assert run("template", "--form", "project", "-o", str(out)).returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask

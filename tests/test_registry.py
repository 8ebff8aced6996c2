"""The finding registry: every code declared once, used by every command, documented from the declaration."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from xltool import api
from xltool.core.findings import Finding
from xltool.core.registry import RegistryError, build_registry, codes
from xltool.explain import markdown
from xltool.linting import lint_file
from xltool.validation import validate_path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xltool", *args], capture_output=True, text=True, check=False)


def test_docs_are_generated_from_the_registry():
    """docs/findings.md is what `xltool explain --all --format markdown` prints: edit the registry, regenerate."""
    assert (ROOT / "docs" / "findings.md").read_text(encoding="utf-8") == markdown() + "\n"


def test_every_code_is_declared_with_both_languages():
    declared = codes()
    assert len(declared) >= 50
    for code in declared.values():
        for words in (code.title, code.message, code.when, *code.variants.values()):
            assert words["zh"].strip() and words["en"].strip(), code.code


def test_a_broken_registry_reports_every_mistake_by_path():
    with pytest.raises(RegistryError) as info:
        build_registry(
            {
                "a.b": {"severity": "fatal", "commands": ["validate"], "title": {"zh": "x"}, "message": "m"},
                "c.d": {"severity": "error", "commands": ["nope"], "title": {"zh": "x", "en": "y"}, "colour": 1},
            }
        )
    problems = info.value.problems
    assert any(p.startswith("a.b.severity") for p in problems)
    assert any(p.startswith("a.b.title.en") for p in problems)
    assert any(p.startswith("a.b.message") for p in problems)
    assert any(p.startswith("c.d.commands") for p in problems)
    assert any("colour" in p for p in problems)
    assert any(p.startswith("c.d.when") for p in problems)


def test_a_finding_needs_a_declared_code_and_severity():
    Finding("sum.mismatch", "warning")
    with pytest.raises(ValueError, match="not declared"):
        Finding("sum.mismach", "error")
    with pytest.raises(ValueError, match="declared info"):
        Finding("form.hidden", "error")


def _messages(lang: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.suffix.lower() in (".xls", ".xlsx", ".docx", ".ods"):
            for report in validate_path(path):
                out += [(f.code, report.message(f, lang)) for f in report.findings]
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_message_of_the_examples_has_all_its_fields(tmp_path, lang):
    """A template field the emitter forgot prints as "?": none may."""
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        api.fill(yaml.safe_load(example.read_text(encoding="utf-8")), tmp_path / f"{example.stem}.xlsx")
    messages = _messages(lang)
    for report in (report for p in sorted(tmp_path.glob("*.xlsx")) for report in validate_path(p)):
        messages += [(f.code, report.message(f, lang)) for f in report.findings]
    for report in sorted((ROOT / "tests" / "data" / "reports").glob("*.txt")):
        messages += [(f["code"], f["message"]) for f in lint_file(report, lang=lang)["findings"]]
    assert len({code for code, _ in messages}) >= 15
    for code, message in messages:
        assert "?" not in message.replace("？", ""), (code, message)
        if lang == "en":  # the English template around the report's own (Chinese) words
            assert code not in ("sum.mismatch", "weight.sum") or len(re.findall(r"\b[a-z]{2,}\b", message)) >= 4, (
                message
            )


def test_lint_report_speaks_english_when_asked():
    report = ROOT / "tests" / "data" / "reports" / "report-chongqing-bishan-2022.txt"
    zh = lint_file(report)["findings"]
    en = lint_file(report, lang="en")["findings"]
    assert [f["code"] for f in zh] == [f["code"] for f in en]
    assert "权重合计" in next(f["message"] for f in zh if f["code"] == "weight.sum")
    assert next(f["message"] for f in en if f["code"] == "weight.sum").startswith("the table's weights add up to 110")
    result = run("lint-report", str(report), "--lang", "en")
    assert result.returncode == 1
    assert "repeats row 1" in result.stdout and "表中" not in result.stdout


def test_explain_prints_a_code_in_either_language():
    result = run("explain", "indicator.duplicate")
    assert result.returncode == 0
    assert "指标重复" in result.stdout and "何时报告" in result.stdout
    english = run("explain", "indicator.duplicate", "--lang", "en")
    assert "duplicated indicator" in english.stdout and "when:" in english.stdout


def test_explain_all_as_json_is_the_registry():
    result = run("explain", "--all", "--format", "json")
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert [item["code"] for item in payload] == list(codes())
    declared = yaml.safe_load((ROOT / "xltool" / "specs" / "findings.yaml").read_text(encoding="utf-8"))
    assert {item["code"] for item in payload} == set(declared)


def test_explain_an_unknown_code_names_the_closest():
    result = run("explain", "sum.mismach")
    assert result.returncode == 2
    assert "sum.mismatch" in result.stderr
    assert "Traceback" not in result.stderr

"""``xltool lint-report``: a report's figures checked against each other, and optionally against a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .core.figures import wan
from .core.findings import Finding
from .core.lint import lint_against, lint_text
from .core.spec import load_profile
from .errors import UnusableWorkbook, UsageError, XltoolError
from .io.report_text import read_report
from .messages import render_finding

SCHEMA = "xltool/report-lint@1"


#: the keys of a finding in the JSON shape, in order
KEYS = ("code", "severity", "paragraph", "sentence_number", "page", "sentence", "table", "row", "message", "expected",
        "found")  # fmt: skip


def _finding(f: Finding, lang: str) -> dict[str, Any]:
    return {key: render_finding(f, lang) if key == "message" else getattr(f, key) for key in KEYS}


def lint_file(path: Path, against: Path | None = None, lang: str = "zh", profile: str | None = None) -> dict[str, Any]:
    """The lint result of one report (CONTRACT §3 shape, with sentence and table row instead of a cell)."""
    text = read_report(Path(path))
    rules = load_profile(profile or "national")
    findings = lint_text(text, rules)
    if against is not None:
        from .validation import validate_path

        reports = validate_path(against, profile=profile)
        # a form holding several projects: the one the report names, else the first
        whole = "\n".join(text.paragraphs)
        named = [
            r
            for r in reports
            if r.workbook and r.workbook.document.project_name and r.workbook.document.project_name in whole
        ]
        report = (named or reports)[0]
        if report.unusable or report.scores is None or report.workbook is None:
            raise UnusableWorkbook(report.unusable or "file.unreadable", **report.findings[0].params)
        doc, scores = report.workbook.document, report.scores
        facts = {
            "total": scores.total,
            "grade": scores.grade,
            "adjusted": wan(doc.budget.adjusted, doc.money_unit),
            "executed": wan(doc.budget.executed, doc.money_unit),
        }
        findings += lint_against(text, facts)
    counts = {"error": sum(f.severity == "error" for f in findings), "warning": 0, "info": 0}
    return {
        "schema": SCHEMA,
        "file": str(path),
        "valid": counts["error"] == 0,
        "findings": [_finding(f, lang) for f in findings],
        "counts": counts,
    }


def unusable(path: Path, exc: XltoolError, lang: str) -> dict[str, Any]:
    """The lint result of a report that cannot be read: one ``file.*`` finding saying why and what to do."""
    return {
        "schema": SCHEMA,
        "file": str(path),
        "valid": False,
        "findings": [dict.fromkeys(KEYS) | {"code": exc.key, "severity": "error", "message": exc.render(lang)}],
        "counts": {"error": 1, "warning": 0, "info": 0},
    }


def _where(f: dict[str, Any], lang: str) -> str:
    """第 4 页 第 3 段第 2 句, 表1 第 4 行 (page 4 paragraph 3 sentence 2, table 1 row 4)."""
    parts = []
    if f.get("page"):
        parts.append(f"page {f['page']}" if lang == "en" else f"第 {f['page']} 页")
    if f["paragraph"] is not None:
        where = f"paragraph {f['paragraph'] + 1}" if lang == "en" else f"第 {f['paragraph'] + 1} 段"
        if f.get("sentence_number") is not None:
            n = f["sentence_number"] + 1
            where += f" sentence {n}" if lang == "en" else f"第 {n} 句"
        parts.append(where)
    if f["table"] is not None:
        table = f"table {f['table'] + 1}" if lang == "en" else f"表{f['table'] + 1}"
        if f["row"]:
            table += f" row {f['row']}" if lang == "en" else f" 第 {f['row']} 行"
        parts.append(table)
    return " ".join(parts)


def print_lint(result: dict[str, Any], lang: str = "zh") -> None:
    from rich.console import Console
    from rich.text import Text

    out = Console(highlight=False)
    out.print(Text(f"━━ {result['file']}", style="bold"), soft_wrap=True)
    for f in result["findings"]:
        where = _where(f, lang)
        line = Text("  ")
        line.append("错误" if lang == "zh" else "error", style="bold red")
        line.append(f"  {where.strip()}  {f['message']}  [{f['code']}]")
        out.print(line, soft_wrap=True)
        if f["sentence"]:
            out.print(Text(f"        “{f['sentence'][:120]}”", style="dim"), soft_wrap=True)
    n = result["counts"]["error"]
    verdict = (
        ("✓ 未发现自相矛盾的数字" if not n else f"✗ 发现 {n} 处数字不一致")
        if lang == "zh"
        else ("✓ no inconsistent figures" if not n else f"✗ {n} inconsistent figures")
    )
    out.print(Text("  " + verdict, style="bold green" if not n else "bold red"), soft_wrap=True)
    out.print()


__all__ = ["UsageError", "lint_file", "print_lint"]

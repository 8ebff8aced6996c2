"""Writing narrative reports: one unit's self-evaluation report, or the collecting office's summary report.

The unit report is built from the workbook as validated (so the figures are the recomputed ones and any open
problems are appended). The summary report is built from many workbooks, or read back from a summary workbook
written by ``xltool consolidate``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .core.narrative import Report, summary_report, to_markdown, unit_report
from .core.spec import load_profile
from .errors import UnusableWorkbook, UsageError
from .io.files import atomic_output
from .validation import validate_path

SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}
SUMMARY_SHEETS = ("汇总表", "问题清单", "不可用文件")


def unit_reports_for(path: Path) -> list[tuple[Report, int, str | None]]:
    """The report of every evaluation document in one file (an official form may hold several projects):
    the report, how many error findings that document still has, and its project name."""
    results = validate_path(path)
    out = []
    for result in results:
        report, errors = _unit_report(result)
        doc = result.workbook.document if result.workbook else None
        out.append((report, errors, doc.project_name if doc else None))
    return out


def unit_report_for(path: Path) -> tuple[Report, int]:
    """The report of a file's first (usually only) evaluation document, and how many error findings it has."""
    report, errors, _ = unit_reports_for(path)[0]
    return report, errors


def _unit_report(result: Any) -> tuple[Report, int]:
    if result.unusable or result.workbook is None:
        raise UnusableWorkbook(result.unusable or "file.unreadable", **result.findings[0].params)
    assert result.scores is not None
    open_findings = [
        (SEVERITY_WORDS[f.severity], f"{f.sheet}!{f.cell}" if f.sheet else (f.field or ""), result.message(f, "zh"))
        for f in result.findings
        if f.severity in ("error", "warning") and not f.explained
    ]
    report = unit_report(result.workbook.document, result.scores, result.workbook.layout.profile, open_findings)
    return report, result.counts["error"]


def is_summary_workbook(path: Path) -> bool:
    """A workbook written by ``xltool consolidate`` (its sheets, and no template identity)."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception:  # not a readable workbook: let the unit path report why
        return False
    try:
        names = book.sheet_names
        return all(s in names for s in SUMMARY_SHEETS) and "_xltool" not in names
    finally:
        book.close()


def _read_summary_workbook(path: Path) -> tuple[list[dict[str, Any]], list[tuple[str, str]], Counter[str]]:
    """Units, unusable files and problem counts from a summary workbook (amounts re-derived, never a cached
    formula result)."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    try:
        units = []
        for row in book.get_sheet_by_name("汇总表").to_python(skip_empty_area=False)[3:]:
            if len(row) < 14 or not isinstance(row[0], int | float) or isinstance(row[0], bool):
                continue
            adjusted = row[6] if isinstance(row[6], int | float) else None
            executed = row[7] if isinstance(row[7], int | float) else None
            units.append(
                {
                    "unit": str(row[1]),
                    "code": str(row[2]) or None,
                    "region": str(row[3]).split("/") if row[3] else [],
                    "year": int(row[4]) if isinstance(row[4], int | float) else None,
                    "budget_adjusted": adjusted,
                    "budget_executed": executed,
                    "execution_rate": executed / adjusted if adjusted and executed is not None else None,
                    "total_score": float(row[9]) if isinstance(row[9], int | float) else None,
                    "grade": str(row[10]),
                    "errors": int(row[11]) if isinstance(row[11], int | float) else 0,
                }
            )
        problems: dict[str, set[str]] = {}
        for row in book.get_sheet_by_name("问题清单").to_python(skip_empty_area=False)[3:]:
            if len(row) >= 5 and row[0] and row[0] != "（汇总）" and row[4] in ("错误", "警告"):
                problems.setdefault(str(row[3]), set()).add(str(row[0]))
        unusable = [
            (str(r[0]), str(r[2]))
            for r in book.get_sheet_by_name("不可用文件").to_python(skip_empty_area=False)[3:]
            if r and r[0]
        ]
    finally:
        book.close()
    return units, unusable, Counter({code: len(names) for code, names in problems.items()})


def summary_report_for(inputs: list[Path], *, include_errors: bool = False) -> tuple[Report, int, int]:
    """The office's summary report, the number of units with errors, and of unusable files. Units with errors
    are 待更正 and left out of grades, averages and extremes unless ``include_errors``."""
    if len(inputs) == 1 and inputs[0].is_file() and is_summary_workbook(inputs[0]):
        units, unusable, counts = _read_summary_workbook(inputs[0])
    else:
        from .consolidate import iter_inputs, summaries

        units, unusable, counts = [], [], Counter()
        paths = list(iter_inputs(inputs))
        if not paths:
            raise UsageError("cli.no-inputs")
        for item in summaries(paths, count=len(paths)):
            if item.get("unusable"):
                unusable.append((item["file"], item["message"]))
                continue
            units.append(item)
            for code in {
                f["code"] for f in item["findings"] if f["severity"] in ("error", "warning") and not f["explained"]
            }:
                counts[code] += 1
    profiles = Counter(u.get("profile", "national") for u in units)
    profile = load_profile(profiles.most_common(1)[0][0] if profiles else "national")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))  # ties in a fixed order
    report = summary_report(units, unusable, ranked, profile, include_errors=include_errors)
    return report, sum(1 for u in units if u.get("errors")), len(unusable)


def write_report(report: Report, output: Path, *, style_template: Path | None = None, force: bool = False) -> None:
    """Write ``report`` as .docx or .md, atomically."""
    suffix = output.suffix.lower()
    if suffix not in (".docx", ".md"):
        raise UsageError("report.format", path=str(output))
    if style_template is not None and not style_template.is_file():
        raise UsageError("file.not-found", path=str(style_template))
    with atomic_output(output, force=force) as tmp:
        if suffix == ".md":
            tmp.write_text(to_markdown(report), encoding="utf-8")
        else:
            from .io.docx_writer import write_docx

            write_docx(report, tmp, style_template)

"""Writing narrative reports: one unit's self-evaluation report, or the collecting office's summary report.

The unit report is built from the workbook as validated (so the figures are the recomputed ones and any open
problems are appended). The summary report is built from many workbooks, or read back from a summary workbook
written by ``xltool consolidate``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .core.findings import SEVERITY_WORDS
from .core.narrative import Report, to_markdown, unit_report
from .core.spec import load_profile
from .core.summary_narrative import summary_report
from .errors import UnusableWorkbook, UsageError
from .io.files import atomic_output
from .io.summary_columns import FINDINGS, FIRST, HEADER_ROW, UNITS, UNSCORED, UNUSABLE, Sheet
from .validation import validate_path

SUMMARY_SHEETS = (UNITS.name, FINDINGS.name, UNUSABLE.name)


def unit_reports_for(path: Path, profile: str | None = None) -> list[tuple[Report, int, str | None]]:
    """The report of every evaluation document in one file (an official form may hold several projects):
    the report, how many error findings that document still has, and its project name."""
    results = validate_path(path, profile=profile)
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
        (
            SEVERITY_WORDS["zh"][f.severity],
            f"{f.sheet}!{f.cell}" if f.sheet else (f.field or ""),
            result.message(f, "zh"),
        )
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

    def rows(sheet: Sheet) -> tuple[dict[str, int], list[list[Any]]]:
        cells = book.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        header = cells[HEADER_ROW] if len(cells) > HEADER_ROW else []
        return sheet.reader(list(header)), cells[FIRST:]

    def number(row: list[Any], col: int | None) -> float | None:
        value = row[col] if col is not None and col < len(row) else None
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    def text(row: list[Any], col: int | None) -> str:
        return str(row[col]) if col is not None and col < len(row) and row[col] is not None else ""

    try:
        units = []
        at, table = rows(UNITS)
        for row in table:
            if number(row, at.get("no")) is None:  # subtotal, total and note rows have no 序号
                continue
            adjusted, executed = number(row, at.get("adjusted")), number(row, at.get("executed"))
            year, errors = number(row, at.get("year")), number(row, at.get("errors"))
            units.append(
                {
                    "unit": text(row, at.get("unit")),
                    "code": text(row, at.get("code")) or None,
                    "region": text(row, at.get("region")).split("/") if text(row, at.get("region")) else [],
                    "year": int(year) if year is not None else None,
                    "budget_adjusted": adjusted,
                    "budget_executed": executed,
                    "execution_rate": executed / adjusted if adjusted and executed is not None else None,
                    "total_score": number(row, at.get("total")),
                    "grade": text(row, at.get("grade")),
                    "errors": int(errors or 0),
                    "scored": text(row, at.get("grade")) != UNSCORED,
                }
            )
        problems: dict[str, set[str]] = {}
        at, table = rows(FINDINGS)
        for row in table:
            unit, severity = text(row, at.get("unit")), text(row, at.get("severity"))
            if unit and unit != "（汇总）" and severity in ("错误", "警告"):
                problems.setdefault(text(row, at.get("rule")), set()).add(unit)
        at, table = rows(UNUSABLE)
        unusable = [(text(r, at.get("file")), text(r, at.get("message"))) for r in table if text(r, at.get("file"))]
    finally:
        book.close()
    return units, unusable, Counter({code: len(names) for code, names in problems.items()})


def summary_report_for(
    inputs: list[Path], *, include_errors: bool = False, profile: str | None = None
) -> tuple[Report, int, int]:
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
        for item in summaries(paths, count=len(paths), profile=profile):
            if item.get("unusable"):
                unusable.append((item["file"], item["message"]))
                continue
            units.append(item)
            for code in {
                f["code"] for f in item["findings"] if f["severity"] in ("error", "warning") and not f["explained"]
            }:
                counts[code] += 1
    profiles = Counter(u.get("profile", "national") for u in units)
    rules = load_profile(profile or (profiles.most_common(1)[0][0] if profiles else "national"))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))  # ties in a fixed order
    report = summary_report(units, unusable, ranked, rules, include_errors=include_errors)
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

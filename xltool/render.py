"""Human output of the command line: validation reports as readable tables, and the progress bar.

Colours only on a terminal (rich decides); progress goes to stderr so stdout stays clean for JSON.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from .core.findings import SEVERITY_WORDS, Finding
from .validation import Report

WORDS = {
    "zh": {
        **SEVERITY_WORDS["zh"],
        "level": "级别",
        "code": "代码",
        "where": "位置",
        "message": "说明",
        "rate": "执行率",
        "exec": "执行率得分",
        "ind": "指标得分",
        "total": "总分",
        "normalized": "换算得分",
        "grade": "等次",
        "unscored": "本表样没有分值和得分栏：只核对资金和指标，不计分、不定等次",
        "explained": "已说明",
        "progress": "校验",
    },
    "en": {
        **SEVERITY_WORDS["en"],
        "level": "level",
        "code": "code",
        "where": "where",
        "message": "message",
        "rate": "execution rate",
        "exec": "execution score",
        "ind": "indicators",
        "total": "total",
        "normalized": "normalized",
        "grade": "grade",
        "unscored": "this layout has no weight or score columns: money and indicators are checked, no score or grade",
        "explained": "explained",
        "progress": "validating",
    },
}
STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
FORMS = {
    "zh": {"department": "部门整体", "project": "项目支出"},
    "en": {"department": "department", "project": "project"},
}

_out = Console(highlight=False, soft_wrap=False)
_err = Console(stderr=True, highlight=False)


def _verdict(report: Report, lang: str) -> Text:
    c = report.counts
    if report.unusable:
        return Text("✗ " + report.unusable_message[lang], style="bold red")
    if lang == "en":
        text = f"{c['error']} errors, {c['warning']} warnings, {c['info']} notes"
        verdict = (
            "✓ valid — " + text if report.valid else "✗ not valid — " + text + ": fix the errors and validate again"
        )
    else:
        text = f"{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 条提示"
        verdict = "✓ 通过 —— " + text if report.valid else "✗ 未通过 —— " + text + "；请按提示逐条修改后重新校验"
    return Text(verdict, style="bold green" if report.valid else "bold red")


def _where(f: Finding) -> str:
    return f"{f.sheet}!{f.cell}" if f.sheet else (f.field or "")


def print_report(report: Report, lang: str = "zh") -> None:
    """One file's findings as a table, the recomputed score block and a one-line verdict."""
    w = WORDS[lang]
    doc = report.workbook.document if report.workbook else None
    head = f"━━ {report.file}"
    official = report.workbook.official if report.workbook else None
    if doc:
        named = [doc.unit.name or "", doc.project_name or ""] if official else [doc.unit.name or ""]
        head += f"  {' · '.join(n for n in named if n)} · {FORMS[lang].get(doc.form, doc.form)} · {doc.year or ''}"
        head += f" · {doc.profile}"
    _out.print(Text(head, style="bold"), soft_wrap=True)
    if official is not None:
        part = f"（{official.number}/{official.count}）" if official.count > 1 else ""
        if lang == "en":
            part = f" (document {official.number} of {official.count})" if official.count > 1 else ""
        label = "表样" if lang == "zh" else "layout"
        _out.print(Text(f"  {label}：{official.family.name}{part}", style="dim"), soft_wrap=True)
    if report.findings and not report.unusable:
        width = max(cell_len(_where(f)) for f in report.findings)
        for f in report.findings:
            level = w[f.severity] + (f"（{w['explained']}）" if f.explained else "")
            line = Text("  ")
            line.append(level, style="dim" if f.explained else STYLES[f.severity])
            where = _where(f)
            line.append(f"  {where}{' ' * (width - cell_len(where))}  ")
            line.append(report.message(f, lang))
            if f.explained and f.explanation:
                line.append(f" —— {f.explanation}", style="dim")
            line.append(f"  [{f.code}]", style="dim")
            _out.print(line, soft_wrap=True)
    s = report.scores
    if s is not None:

        def fmt(value: object, pct: bool = False) -> str:
            if value is None:
                return "—"
            return f"{float(value) * 100:.2f}%" if pct else f"{float(value):.2f}"  # type: ignore[arg-type]

        if report.scored:
            figures = (
                f"{w['rate']} {fmt(s.execution_rate, True)}   {w['exec']} {fmt(s.execution_score)}   "
                f"{w['ind']} {fmt(s.indicators)}   {w['total']} {fmt(s.total)}   "
                f"{w['normalized']} {fmt(s.normalized)}   {w['grade']} {s.grade}"
            )
        else:
            figures = f"{w['rate']} {fmt(s.execution_rate, True)}   {w['unscored']}"
        _out.print("  " + figures, soft_wrap=True)
    _out.print(Text("  ") + _verdict(report, lang), soft_wrap=True)
    _out.print()


@contextlib.contextmanager
def progress(total: int, lang: str = "zh") -> Iterator[Callable[[], None]]:
    """A progress bar on stderr for runs of several files on a terminal; a no-op otherwise."""
    if total < 3 or not _err.is_terminal:
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(WORDS[lang]["progress"]),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_err,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)
        yield lambda: bar.advance(task)


def annotate_reports(reports: list[Report], folder: Path, lang: str, force: bool) -> Path | None:
    """Write what ``--annotate`` gives for one file's reports: a marked copy of the user's own workbook (an
    xltool template or an official .xlsx form), or, for an .xls, .ods or .docx form (which xltool does not
    rewrite), a workbook listing every finding with the place it points at. Returns the path written."""
    first = reports[0]
    if first.workbook is None:
        return None
    source = Path(first.file)
    official = first.workbook.official
    if official is not None and official.format != "xlsx":
        from .io.annotate import write_findings_list

        target = folder / f"{source.name}.问题清单.xlsx"
        rows: list[tuple[str, str, str, str, str, str]] = []
        for report in reports:
            doc = report.workbook.document if report.workbook else None
            name = (doc.project_name or doc.unit.name or "") if doc else ""
            rows.extend(
                (name, f.sheet or "", f.cell or f.field or "", f.severity, f.code, report.message(f, lang))
                for f in report.findings
                if not f.explained
            )
        write_findings_list(target, source.name, rows, lang=lang, force=force)
        return target
    target = folder / source.name
    if official is not None:
        from .io.annotate import annotate

        notes = [
            (f.sheet, f.cell, f.severity, f.code, report.message(f, lang))
            for report in reports
            for f in report.findings
            if f.sheet and f.cell and not f.explained
        ]
        annotate(source, target, notes, lang=lang, force=force)
        return target
    annotate_report(first, target, lang, force)
    return target


def annotate_report(report: Report, target: Path, lang: str, force: bool) -> None:
    """Write the annotated copy of a validated workbook."""
    from .io.annotate import annotate

    notes = [
        (f.sheet, f.cell, f.severity, f.code, report.message(f, lang))
        for f in report.findings
        if f.sheet and f.cell and not f.explained
    ]
    layout = results = None
    if report.workbook is not None:
        from .core.results import formula_results

        layout = report.workbook.layout
        results = formula_results(report.workbook.document, layout, report.scores)
    annotate(Path(report.file), target, notes, lang=lang, force=force, layout=layout, results=results)

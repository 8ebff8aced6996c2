"""Annotated copies: every finding's cell highlighted, with a comment holding its message.

The copy is the user's own workbook with only those marks added: its package is edited, not re-saved, so
everything it had is kept (an x14 dropdown, a picture, a comment of its own), the formulas xltool's template
put there carry the engine's values as their cached results, and a VBA project is not carried over. It is
written into the folder the user names, atomically; the original is only read.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from ..core.findings import SEVERITY_WORDS
from .files import atomic_output

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
_RANK = {"error": 0, "warning": 1, "info": 2}


def annotate(
    source: Path,
    target: Path,
    notes: list[tuple[str, str, str, str, str]],
    *,
    lang: str = "zh",
    force: bool = False,
    layout: Any = None,
    results: dict[str, Any] | None = None,
) -> Path:
    """Copy ``source`` to ``target`` with ``notes`` = ``[(sheet, cell, severity, code, message)]`` marked; with
    ``layout`` and ``results``, the template's formulas get the engine's values as cached results."""
    from .package_edit import Annotator, WorkbookPackage, cache_results, drop_macros

    package = WorkbookPackage.open(source)
    parts = package.sheets
    by_cell: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for sheet, cell, severity, code, message in notes:
        if parts.get(sheet) in package.parts:
            by_cell[(sheet, cell)].append((severity, code, message))
    words = SEVERITY_WORDS.get(lang, SEVERITY_WORDS["zh"])
    marker = Annotator(package)
    comments: dict[str, dict[str, str]] = defaultdict(dict)
    for (sheet, ref), items in by_cell.items():
        worst = min(items, key=lambda item: _RANK[item[0]])[0]
        marker.fill(parts[sheet], ref, FILLS[worst])
        comments[parts[sheet]][ref] = "\n".join(f"【{words[sev]}】{message}（{code}）" for sev, code, message in items)
    for part, texts in comments.items():
        marker.comments(part, texts)
    if layout is not None and results:
        cache_results(package, layout, results)
    drop_macros(package)
    with atomic_output(target, force=force) as tmp:
        package.save(tmp)
    return target


LIST_HEADINGS = {
    "zh": ("项目或单位", "表/工作表", "单元格", "级别", "代码", "说明"),
    "en": ("project or unit", "sheet/table", "cell", "severity", "code", "message"),
}


def write_findings_list(
    target: Path, source: str, rows: list[tuple[str, str, str, str, str, str]], *, lang: str = "zh", force: bool = False
) -> Path:
    """The findings of a form xltool does not rewrite (.xls, .ods, .docx) as a workbook: one row each, with
    the sheet (or Word table) and cell (or row and column) of the user's own file it points at."""
    from xlsxwriter import Workbook

    from .xlsx_text import text_format, write_text

    words = SEVERITY_WORDS.get(lang, SEVERITY_WORDS["zh"])
    with atomic_output(target, force=force) as tmp:
        book = Workbook(str(tmp))
        sheet = book.add_worksheet("问题清单" if lang == "zh" else "findings")
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        wrap = text_format(book, {"text_wrap": True, "valign": "top"})
        title = f"{source} 的校验结果（位置指原文件中的表和单元格）" if lang == "zh" else f"findings in {source}"
        sheet.write_string(0, 0, title, bold)
        for col, heading in enumerate(LIST_HEADINGS.get(lang, LIST_HEADINGS["zh"])):
            sheet.write_string(1, col, heading, bold)
        for r, (name, where, cell, severity, code, message) in enumerate(rows, 2):
            values = (name, where, cell, words.get(severity, severity), code, message)
            for col, value in enumerate(values):
                write_text(sheet, r, col, value, wrap)
        for col, width in enumerate((24, 12, 12, 6, 22, 70)):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(2, 0)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # printed: every column on the page, as many pages down as needed
        sheet.repeat_rows(1)
        book.close()
    return target

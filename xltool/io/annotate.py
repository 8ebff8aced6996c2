"""Annotated copies: every finding's cell highlighted, with a comment holding its message.

The copy is written next to nothing the user owns: into the folder they name, atomically; the original
workbook is only read.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from .files import atomic_output
from .xlsx_text import formula_like

FILLS = {
    "error": PatternFill("solid", fgColor="FFC7CE"),
    "warning": PatternFill("solid", fgColor="FFEB9C"),
    "info": PatternFill("solid", fgColor="DDEBF7"),
}
_RANK = {"error": 0, "warning": 1, "info": 2}
SEVERITY_WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def annotate(
    source: Path, target: Path, notes: list[tuple[str, str, str, str, str]], *, lang: str = "zh", force: bool = False
) -> Path:
    """Copy ``source`` to ``target`` with ``notes`` = ``[(sheet, cell, severity, code, message)]`` marked."""
    book = openpyxl.load_workbook(source)
    by_cell: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for sheet, cell, severity, code, message in notes:
        if sheet in book.sheetnames:
            by_cell[(sheet, cell)].append((severity, code, message))
    words = SEVERITY_WORDS.get(lang, SEVERITY_WORDS["zh"])
    for (sheet, ref), items in by_cell.items():
        cell = book[sheet][ref]
        worst = min(items, key=lambda item: _RANK[item[0]])[0]
        cell.fill = FILLS[worst]
        text = "\n".join(f"【{words[sev]}】{message}（{code}）" for sev, code, message in items)
        comment = Comment(text, "xltool")
        comment.width, comment.height = 320, 40 + 18 * (len(text) // 22 + len(items))
        cell.comment = comment
    for ws in book.worksheets:  # text that looks like a formula stays text when someone edits the copy
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "s" and isinstance(cell.value, str) and formula_like(cell.value):
                    cell.quotePrefix = True
    with atomic_output(target, force=force) as tmp:
        book.save(tmp)
    return target

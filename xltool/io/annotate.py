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

from .files import atomic_output

FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
_RANK = {"error": 0, "warning": 1, "info": 2}
SEVERITY_WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


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

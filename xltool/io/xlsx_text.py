"""Text that stays text in every cell xltool writes, even after a person edits it.

A unit name such as ``=HYPERLINK(...)`` is written as a string, never a formula. Without more, pressing F2
and Enter on it in Excel or WPS turns it into a live formula; a cell whose format has ``quotePrefix`` keeps
it text (Excel shows the leading apostrophe in the formula bar). Every text starting with ``= + - @`` or a
tab or line break gets such a format, in templates, filled workbooks, summaries and annotated copies.
"""

from __future__ import annotations

import weakref
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")

_QUOTED: weakref.WeakKeyDictionary[Format, Format] = weakref.WeakKeyDictionary()


def formula_like(text: str) -> bool:
    """True for text a spreadsheet would take for a formula once it is edited."""
    return text.startswith(FORMULA_LEAD)


def csv_text(text: str) -> str:
    """A text for a CSV cell Excel or WPS opens: an apostrophe before one it would take for a formula."""
    return "'" + text if formula_like(text) else text


def text_format(book: Workbook, props: dict[str, Any]) -> Format:
    """A cell format with a quote-prefixed twin that :func:`write_text` uses for formula-like text."""
    fmt = book.add_format(props)
    _QUOTED[fmt] = book.add_format({**props, "quote_prefix": True})
    return fmt


def quoted(fmt: Format | None, text: str) -> Format | None:
    """``fmt``, or its quote-prefixed twin when ``text`` looks like a formula."""
    if fmt is not None and formula_like(text):
        return _QUOTED.get(fmt, fmt)
    return fmt


def write_text(ws: Worksheet, row: int, col: int, text: str, fmt: Format | None) -> None:
    """Write ``text`` as a string, quote-prefixed when it looks like a formula."""
    ws.write_string(row, col, text, quoted(fmt, text))

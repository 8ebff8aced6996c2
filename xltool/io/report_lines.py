"""One reading of a report's lines, whatever format carried them.

Word, WPS and LibreOffice save a table as text the same way: every cell a line led by a tab, a blank line after
each row. The same lines reach xltool as a .txt, as the paragraphs of a .docx or .doc saved from that text (a
``w:tab`` and an empty paragraph each), as a ``<pre>`` block or ``<p>`` elements of a web page, and as the lines of
a PDF (a cell line indented, a row ended by a gap). Every reader turns its format into the same stream of lines
(and the real tables it holds), and :func:`assemble` turns the stream into paragraphs and tables, so a report
gives the same findings in every format.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.lint import ReportText

Table = list[list[str]]

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_SENTENCE_END = "。！？!?"
_RULE = re.compile(r":?-{3,}:?")


@dataclass(frozen=True)
class Line:
    """A line of text: ``indented`` when it is led by a tab (or, on a PDF page, set in as far as one); ``page``
    when the source has pages."""

    text: str
    indented: bool = False
    page: int | None = None


def line(text: str, page: int | None = None) -> Line:
    """A line as a text format writes it: a leading tab marks a cell of a table saved as text."""
    return Line(text.strip(), text.startswith("\t") and bool(text.strip()), page)


def _narrative(text: str) -> bool:
    """A tab-indented paragraph of prose rather than a cell: a whole sentence of some length. Some people indent
    paragraphs with a tab; a table's first cell is a name, never such a sentence."""
    return len(text) >= 30 and text[-1] in _SENTENCE_END


def assemble(items: Iterable[Line | Table]) -> ReportText:
    """Paragraphs and tables from a stream of lines and real tables, in reading order.

    A run of indented lines is a table row, ended by a blank or plain line; rows follow each other until a plain
    line; ``| a | b |`` lines are Markdown rows (their ``---`` rule skipped). An indented line of prose that would
    open a row is a paragraph. A real table (a list of rows) stands as it is."""
    paragraphs: list[str] = []
    pages: list[int | None] = []
    tables: list[Table] = []
    table: Table = []
    row: list[str] = []

    def end_table() -> None:
        nonlocal table, row
        if row:
            table.append(row)
            row = []
        if table:
            tables.append(table)
            table = []

    for item in items:
        if isinstance(item, list):
            end_table()
            tables.append(item)
            continue
        text = item.text
        if item.indented and not (not row and _narrative(text)):
            row.append(text)
            continue
        if text.startswith("|") and text.endswith("|") and len(text) > 1:
            if row:
                table.append(row)
                row = []
            cells = [c.strip() for c in text.strip("|").split("|")]
            if not all(_RULE.fullmatch(c) for c in cells):
                table.append(cells)
            continue
        if row:
            table.append(row)
            row = []
        if not text:
            continue
        end_table()
        cleaned = _BOOKMARK.sub("", text).strip()
        if cleaned:
            paragraphs.append(cleaned)
            pages.append(item.page)
    end_table()
    has_pages = any(p is not None for p in pages)
    return ReportText(paragraphs, tables, [p or 0 for p in pages] if has_pages else None)


def plain_text(text: str) -> ReportText:
    """Text exported from Word (tables as runs of tab-led cell lines, rows split by blank lines) or Markdown
    (``| a | b |`` rows)."""
    return assemble(line(t) for t in text.splitlines())

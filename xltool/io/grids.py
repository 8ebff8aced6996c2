"""Grids (:class:`xltool.core.grid.Grid`) from every format an official form comes in.

- .xlsx / .xlsm: values from python-calamine (macros never run, formulas never evaluated: their cached
  results are read as the values the user saw), merged ranges and hidden rows/columns from the sheet XML,
  which is bounded before calamine sees it (docs/security.md).
- .xls: python-calamine reads the values and the merged ranges. It does not report hidden rows or
  columns, so an .xls is read as if none were hidden.
- .ods: python-calamine reads the values; merged ranges and hidden rows/columns come from ``content.xml``,
  streamed once with defusedxml, which also bounds the rectangle (repeated rows that hold a value count).
- .docx: every table of ``word/document.xml``, walked with real merges (``w:gridSpan``, ``w:vMerge``), and the
  paragraphs before each table as its context (title, year). Read with defusedxml.

Every format passes the checks of :mod:`xltool.io.safety` first (size, zip limits, entity declarations,
encryption).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

import python_calamine

from ..core.grid import Grid
from ..errors import UnusableWorkbook
from .safety import (
    OLE_SIGNATURE,
    ZIP_SIGNATURE,
    Limits,
    bounded_sheets,
    open_package,
    parse_xml,
    repair_backslashes,
    stream_xml,
)
from .xlsx_reader import merged_ranges, workbook_parts

_HIDDEN_ROW = re.compile(
    rb'<row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"'
)
_COL = re.compile(rb"<col\b[^>]*/>")
_ATTR = re.compile(rb'\b(min|max|hidden)="([^"]*)"')
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def kind_of(path: Path, data: bytes) -> str:
    """``template``, ``xlsx``, ``xls``, ``ods``, ``docx`` or ``other`` by what the bytes are, whatever the file is
    called. ``template``: an .xlsx made from xltool's template, whose workbook names the hidden ``_xltool`` sheet
    or still holds the template's defined names after that sheet was lost (then the template reader says what
    is wrong, rather than the form reader reading the template as if it were another layout)."""
    if data[:8] == OLE_SIGNATURE:
        directory = data[: 4 * 1024 * 1024]
        if "WordDocument".encode("utf-16-le") in directory or "EncryptedPackage".encode("utf-16-le") in directory:
            return "other"  # a .doc, or an encrypted package: the checks name it
        return "xls"
    if data[:4] != ZIP_SIGNATURE:
        return "other"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "xl/workbook.xml" in names:
                info = package.getinfo("xl/workbook.xml")
                workbook = package.read(info) if info.file_size <= 4 * 1024 * 1024 else b""
                return "template" if b'name="_xltool"' in workbook or b'name="tbl_indicators"' in workbook else "xlsx"
            if "word/document.xml" in names:
                return "docx"
            if "content.xml" in names and b"opendocument.spreadsheet" in package.read("mimetype")[:100]:
                return "ods"
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error, ValueError, NotImplementedError):
        return "other"
    return "other"


def _calamine(data: bytes, path: Path) -> Any:
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every malformed or protected file
        text = str(exc)
        if re.search(r"password|encrypt|protected", text, re.I):
            raise UnusableWorkbook("file.encrypted", path=str(path)) from None
        error = (text.splitlines() or [type(exc).__name__])[0][:160]
        raise UnusableWorkbook(
            "file.unreadable", path=str(path), detail_key="detail.damaged", part="—", error=error
        ) from None


def _values(book: Any, name: str, limits: Limits, path: Path) -> list[list[Any]]:
    sheet = book.get_sheet_by_name(name)
    if sheet.height > limits.max_rows or sheet.width > limits.max_columns:
        raise UnusableWorkbook("file.too-large", path=str(path), limit_key="detail.rows", count=limits.max_rows)
    rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
    return rows


def _visible(book: Any) -> list[str]:
    return [
        meta.name
        for meta in book.sheets_metadata
        if str(meta.visible).endswith("Visible") and str(meta.typ).endswith("WorkSheet")
    ]


def xlsx_grids(path: Path, data: bytes, limits: Limits) -> list[Grid]:
    data = repair_backslashes(data)
    with open_package(path, data, limits) as package:
        _, parts = workbook_parts(package, path)
        data, sheet_xml = bounded_sheets(package, data, [p for p in parts.values() if p], limits, path)
    book = _calamine(data, path)
    try:
        grids = []
        for name in _visible(book):
            xml = sheet_xml.get(parts.get(name, ""), b"")
            merged = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in merged_ranges(xml)]
            hidden_rows = {int(a or b) - 1 for a, b in _HIDDEN_ROW.findall(xml)}
            hidden_cols: set[int] = set()
            for col in _COL.findall(xml):
                attrs = dict(_ATTR.findall(col))
                if attrs.get(b"hidden") in (b"1", b"true") and attrs.get(b"min", b"").isdigit():
                    low, high = int(attrs[b"min"]), int(attrs.get(b"max", attrs[b"min"]))
                    hidden_cols.update(range(low - 1, min(high, limits.max_columns)))
            grids.append(Grid(name, _values(book, name, limits, path), merged, hidden_rows, hidden_cols))
        return grids
    finally:
        book.close()


#: BIFF records that place a cell (row and column are their first two 16-bit fields); MULRK/MULBLANK span columns.
_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x0201, 0x00D6}
_SPAN_RECORDS = {0x00BD, 0x00BE}
_FILEPASS = 0x002F


def check_xls(data: bytes, limits: Limits, path: Path) -> None:
    """Walk the BIFF records of an .xls's Workbook stream (olefile opens the container) before calamine sees
    it: calamine allocates the rectangle from A1 to the farthest cell (one value at IV65536 of a 6 KB file is
    1.6 GB), so a cell past ``max_rows`` × ``max_columns`` is ``file.too-large``; a FILEPASS record (a password
    to open) is ``file.encrypted``."""
    import struct

    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.old-xls")
            if ole.get_size(name) > limits.max_part_bytes:
                raise UnusableWorkbook(
                    "file.too-large", path=str(path), limit_key="detail.part", part=name, count=limits.max_part_bytes
                )
            stream = ole.openstream(name).read()
    except (OSError, ValueError, struct.error) as exc:  # olefile's errors for a damaged container
        raise UnusableWorkbook(
            "file.unreadable", path=str(path), detail_key="detail.bad-zip", error=str(exc)[:120]
        ) from None
    offset, size = 0, len(stream)
    while offset + 4 <= size:
        kind, length = struct.unpack_from("<HH", stream, offset)
        body = offset + 4
        if kind == _FILEPASS:
            raise UnusableWorkbook("file.encrypted", path=str(path))
        if (kind in _CELL_RECORDS or kind in _SPAN_RECORDS) and length >= 4 and body + 4 <= size:
            row, col = struct.unpack_from("<HH", stream, body)
            if kind in _SPAN_RECORDS and length >= 6 and body + length <= size:
                (col,) = struct.unpack_from("<H", stream, body + length - 2)  # the last column of the span
            if row >= limits.max_rows or col >= limits.max_columns:
                raise UnusableWorkbook("file.too-large", path=str(path), limit_key="detail.rows", count=limits.max_rows)
        offset = body + length


def xls_grids(path: Path, data: bytes, limits: Limits) -> list[Grid]:
    check_xls(data, limits, path)
    book = _calamine(data, path)
    try:
        grids = []
        for name in _visible(book):
            sheet = book.get_sheet_by_name(name)
            merged = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
            grids.append(Grid(name, _values(book, name, limits, path), merged))
        return grids
    finally:
        book.close()


_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0}"  # as expat names them (stream_xml)
_TABLE, _COLUMN, _ROW = f"{_T}table", f"{_T}table-column", f"{_T}table-row"
_CELLS = (f"{_T}table-cell", f"{_T}covered-table-cell")
_NAME, _VISIBILITY, _HIDDEN = f"{_T}name", f"{_T}visibility", ("collapse", "filter")
_COLS_REPEATED, _ROWS_REPEATED = f"{_T}number-columns-repeated", f"{_T}number-rows-repeated"
_ROWS_SPANNED, _COLS_SPANNED = f"{_T}number-rows-spanned", f"{_T}number-columns-spanned"
_VALUE_TYPE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"
_VALUE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}value"
_PARAGRAPH = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}p"


class _OdsShape:
    """Streams ``content.xml``: each table's merged ranges and hidden rows/columns, and the farthest row and
    column that hold a value (repeated rows and cells counted), so an oversized sheet is refused before
    calamine allocates it."""

    def __init__(self, limits: Limits, path: Path):
        self.limits, self.path = limits, path
        self.tables: dict[str, dict[str, Any]] = {}
        self.current: dict[str, Any] | None = None
        self.row = self.col = 0
        self.repeat_rows = 1

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        t = self.current
        if tag in _CELLS:
            if t is None:
                return
            count = int(attrs.get(_COLS_REPEATED, "1") or 1)
            rows = int(attrs.get(_ROWS_SPANNED, "1") or 1)
            cols = int(attrs.get(_COLS_SPANNED, "1") or 1)
            if rows > 1 or cols > 1:
                t["merged"].append((self.row, self.col, self.row + rows - 1, self.col + cols - 1))
            if attrs.get(_VALUE_TYPE) or attrs.get(_VALUE):
                self.mark(self.col + count - 1)
            self.col += count
        elif tag == _PARAGRAPH:
            if t is not None:
                self.mark(self.col - 1)
        elif tag == _ROW:
            if t is None:
                return
            self.repeat_rows = int(attrs.get(_ROWS_REPEATED, "1") or 1)
            if attrs.get(_VISIBILITY) in _HIDDEN and self.row < self.limits.max_rows:
                t["hidden_rows"].update(range(self.row, min(self.row + self.repeat_rows, self.limits.max_rows)))
            self.col = 0
        elif tag == _TABLE:
            self.current = {"merged": [], "hidden_rows": set(), "hidden_cols": set(), "col": 0}
            self.tables[attrs.get(_NAME, "")] = self.current
            self.row = 0
        elif tag == _COLUMN:
            if t is None:
                return
            count = int(attrs.get(_COLS_REPEATED, "1") or 1)
            if attrs.get(_VISIBILITY) in _HIDDEN:
                t["hidden_cols"].update(range(t["col"], min(t["col"] + count, self.limits.max_columns)))
            t["col"] += count

    def mark(self, col: int) -> None:
        last_row = self.row + (self.repeat_rows if self.repeat_rows > 1 else 1)
        if col >= self.limits.max_columns or last_row > self.limits.max_rows:
            raise UnusableWorkbook(
                "file.too-large", path=str(self.path), limit_key="detail.rows", count=self.limits.max_rows
            )

    def end(self, tag: str) -> None:
        if tag == _ROW:
            self.row += self.repeat_rows
        elif tag == _TABLE:
            self.current = None


def ods_grids(path: Path, data: bytes, limits: Limits) -> list[Grid]:
    with open_package(path, data, limits, main_part="content.xml", missing_key="detail.not-zip") as package:
        shape = _OdsShape(limits, path)
        stream_xml(package.read("content.xml"), shape.start, shape.end, path)
    book = _calamine(data, path)
    try:
        grids = []
        for name in _visible(book):
            info = shape.tables.get(name, {})
            grids.append(
                Grid(
                    name,
                    _values(book, name, limits, path),
                    info.get("merged", []),
                    info.get("hidden_rows", set()),
                    info.get("hidden_cols", set()),
                )
            )
        return grids
    finally:
        book.close()


def _text(element: Any) -> str:
    """A Word element's text, paragraphs on lines of their own (tabs and breaks as spaces)."""
    lines = []
    for para in element.iter(f"{_W}p"):
        parts = []
        for node in para.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W}tab", f"{_W}br"):
                parts.append(" ")
        lines.append("".join(parts))
    return "\n".join(line for line in lines if line.strip())


def _attr(element: Any, name: str) -> str | None:
    return element.get(f"{_W}{name}") if element is not None else None


def _table(element: Any, name: str, context: list[str], limits: Limits, path: Path) -> Grid:
    """One ``w:tbl`` as a grid: each ``w:tc`` placed by its grid column (``w:gridBefore``, ``w:gridSpan``),
    horizontal spans and vertical merges (``w:vMerge`` restart/continue) kept as merged ranges."""
    rows: list[list[Any]] = []
    merged: list[list[int]] = []
    open_merges: dict[int, list[int]] = {}  # grid column → the merge it continues
    for r, tr in enumerate(element.findall(f"{_W}tr")):
        if r >= limits.max_rows:
            raise UnusableWorkbook("file.too-large", path=str(path), limit_key="detail.rows", count=limits.max_rows)
        row: list[Any] = []
        trpr = tr.find(f"{_W}trPr")
        before = trpr.find(f"{_W}gridBefore") if trpr is not None else None
        col = int(_attr(before, "val") or 0) if before is not None else 0
        row.extend([None] * col)
        for tc in tr.findall(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span_el = tcpr.find(f"{_W}gridSpan") if tcpr is not None else None
            span = max(1, int(_attr(span_el, "val") or 1)) if span_el is not None else 1
            vmerge = tcpr.find(f"{_W}vMerge") if tcpr is not None else None
            if col + span > limits.max_columns:
                raise UnusableWorkbook(
                    "file.too-large", path=str(path), limit_key="detail.rows", count=limits.max_columns
                )
            continues = vmerge is not None and _attr(vmerge, "val") in (None, "continue")
            if continues and col in open_merges:
                open_merges[col][2] = r
                row.extend([None] * span)
            else:
                row.append(_text(tc) or None)
                row.extend([None] * (span - 1))
                entry = [r, col, r, col + span - 1]
                merged.append(entry)
                if vmerge is not None:
                    open_merges[col] = entry
                else:
                    open_merges.pop(col, None)
            col += span
        rows.append(row)
    ranges = [(a, b, c, d) for a, b, c, d in merged if (a, b) != (c, d)]
    return Grid(name, rows, ranges, context=context[-6:], table=True)


def docx_grids(path: Path, data: bytes, limits: Limits) -> list[Grid]:
    with open_package(path, data, limits, main_part="word/document.xml", missing_key="detail.not-zip") as package:
        root = parse_xml(package.read("word/document.xml"), None, path)
    body = root.find(f"{_W}body")
    grids: list[Grid] = []
    context: list[str] = []
    for child in list(body) if body is not None else []:
        if child.tag == f"{_W}p":
            text = _text(child).strip()
            if text:
                context.append(text)
        elif child.tag == f"{_W}tbl":
            grids.append(_table(child, f"表{len(grids) + 1}", context, limits, path))
            context = []
    return grids


READERS = {"xlsx": xlsx_grids, "xls": xls_grids, "ods": ods_grids, "docx": docx_grids}


def read_grids(path: Path, data: bytes, kind: str, limits: Limits) -> list[Grid]:
    """The grids of a form file of a known ``kind``; an unusable file raises :class:`UnusableWorkbook`."""
    return READERS[kind](Path(path), data, limits)

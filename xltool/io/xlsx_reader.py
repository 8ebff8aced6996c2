"""Reading a filled workbook back into an evaluation document.

Values come from python-calamine (fast, no formulas evaluated, nothing trusted from formula cells: only
input cells are read, and every computed figure is recomputed). Where each field stands comes from the
workbook's defined names, so rows a user inserted inside a table, or a re-save by WPS, LibreOffice or
openpyxl, do not throw the reader off; a name that is missing falls back to the template's layout.
The template's identity (form, profile, version) is read from its hidden ``_xltool`` sheet.

Size: slightly over 400 lines because it holds the one merge-range parser and the template's identity check
that the official-form reader shares.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from ..core.cells import from_cells
from ..core.document import Document, Note, normalize
from ..core.grid import MergeMap, place
from ..core.layout import META_SHEET, NOT_CONTENT, NOT_READ, TEMPLATE_ID, Layout, a1, cached_layout, parse_a1
from ..core.spec import SpecError, load_form, load_profile
from ..errors import UnusableWorkbook
from .safety import Limits, bounded_sheets, open_package, parse_xml, read_package, repair_backslashes

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})"')
_FORMULA_CELL = re.compile(rb' r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f[\s>/]')
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


@dataclass
class Official:
    """How a document was read from an official form (not xltool's template): its layout family, the file's
    format, the Word tables among its grids (placed as 第r行第c列), the cells of aggregate findings, and the
    reader's remarks on the form itself."""

    family: Any
    format: str
    tables: frozenset[str]
    anchors: dict[str, tuple[str, int, int]]
    remarks: list[Any]
    title: str | None = None
    number: int = 1  # the document's place among those of its file
    count: int = 1


@dataclass
class Workbook:
    """What was read: the document, notes on messy values, and where every field path stands."""

    path: Path
    document: Document
    notes: list[Note]
    cells: dict[str, tuple[str, int, int]]
    layout: Layout
    meta: dict[str, str]
    official: Official | None = None

    def place(self, where: tuple[str, int, int]) -> tuple[str, str]:
        sheet, row, col = where
        return sheet, place(row, col, self.official is not None and sheet in self.official.tables)

    def where(self, path: str) -> tuple[str, str] | None:
        """(sheet, A1 cell) of a field path as found in this workbook (rows a user inserted included); on an
        official form only where it was actually read."""
        if path in self.cells:
            return self.place(self.cells[path])
        if self.official is not None:
            row = re.match(r"^((?:indicators|tasks)\[\d+\])", path)
            for fallback in (f"{row[1]}.name", f"{row[1]}.target") if row else ():
                if fallback in self.cells:
                    return self.place(self.cells[fallback])
            return None
        return self.layout.location(path)

    def anchor(self, name: str) -> tuple[str, str] | None:
        """The cell of an aggregate finding on an official form (the total row, the indicator table)."""
        if self.official is None or name not in self.official.anchors:
            return None
        return self.place(self.official.anchors[name])


def _col_index(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col - 1


class _NameCollector:
    """A streaming parser target that keeps only ``<definedName>`` elements (no tree is built)."""

    def __init__(self) -> None:
        self.names: list[tuple[dict[str, str], str]] = []
        self.sheets: dict[str, str] = {}  # sheet name → relationship id
        self._attrs: dict[str, str] | None = None
        self._text: list[str] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_NS}sheet":
            self.sheets[attrs.get("name", "")] = attrs.get(f"{_REL_NS}id", "")
        if tag == f"{_NS}definedName":
            self._attrs, self._text = attrs, []

    def data(self, text: str) -> None:
        if self._attrs is not None:
            self._text.append(text)

    def end(self, tag: str) -> None:
        if self._attrs is not None and tag == f"{_NS}definedName":
            self.names.append((self._attrs, "".join(self._text)))
            self._attrs = None

    def close(self) -> list[tuple[dict[str, str], str]]:
        return self.names


class _RelCollector:
    """A streaming parser target for a relationships part: (Id, Target) pairs."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_PKG_REL}Relationship":
            self.pairs.append((attrs.get("Id", ""), attrs.get("Target", "")))

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> list[tuple[str, str]]:
        return self.pairs


def defined_names(package: zipfile.ZipFile, path: Path = Path("?")) -> dict[str, tuple[str, int, int, int, int]]:
    """Workbook-scope defined names that point at one sheet range: name → (sheet, r1, c1, r2, c2)."""
    return workbook_parts(package, path)[0]


def workbook_parts(
    package: zipfile.ZipFile, path: Path
) -> tuple[dict[str, tuple[str, int, int, int, int]], dict[str, str]]:
    """Defined names, and each sheet's part in the package (``xl/worksheets/sheet3.xml``)."""
    try:
        data = package.read("xl/workbook.xml")
    except KeyError:
        return {}, {}
    collector = _NameCollector()
    parse_xml(data, collector, path)
    out: dict[str, tuple[str, int, int, int, int]] = {}
    for attrs, text in collector.names:
        if attrs.get("localSheetId") is not None or not text:
            continue
        match = _REF.match(text.strip())
        if not match:
            continue
        sheet = (match[1] or "").replace("''", "'") or match[2]
        r1, c1 = int(match[4]) - 1, _col_index(match[3])
        r2 = int(match[6]) - 1 if match[6] else r1
        c2 = _col_index(match[5]) if match[5] else c1
        out[attrs.get("name", "")] = (sheet, r1, c1, r2, c2)
    targets: dict[str, str] = {}
    try:
        rels = package.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        rels = b""
    if rels:
        for rid, target in parse_xml(rels, _RelCollector(), path):
            targets[rid] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out, {name: targets.get(rid, "") for name, rid in collector.sheets.items()}


def _sheet_xml(data: bytes | None, merges: bool) -> tuple[set[str], list[tuple[tuple[int, int], tuple[int, int]]]]:
    """What xltool reads from a sheet's own XML, which it decompresses once: the A1 references of the cells
    that hold a formula (in OOXML ``<f>`` is a cell's first child; a row's ``r`` is a number and never matches)
    and the merged ranges (listed after the cells)."""
    if data is None:
        return set(), []
    formulas = {ref.decode() for ref in _FORMULA_CELL.findall(data)}
    return formulas, merged_ranges(data) if merges else []


def merged_ranges(xml: bytes) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """A sheet XML's merged ranges as ((r1, c1), (r2, c2)) (``<mergeCells>`` follows the cells)."""
    tail = xml.rfind(b"<mergeCells")
    if tail == -1:
        return []
    return [(parse_a1(first.decode()), parse_a1(last.decode())) for first, last in _MERGE.findall(xml, tail)]


class _Grid:
    """A sheet's values by (row, col), merged ranges filled from their top-left cell."""

    def __init__(self, sheet: Any, merged: list[tuple[tuple[int, int], tuple[int, int]]]):
        self.rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
        width = max((len(row) for row in self.rows), default=0)
        self.merges = MergeMap([(r1, c1, r2, c2) for (r1, c1), (r2, c2) in merged], len(self.rows), width)

    def get(self, row: int, col: int) -> Any:
        row, col = self.merges.origin(row, col)
        try:
            value = self.rows[row][col]
        except IndexError:
            return None
        return None if value == "" else value


def _read_meta(book: Any, path: Path) -> dict[str, str]:
    if META_SHEET not in book.sheet_names:
        raise UnusableWorkbook(
            "file.not-a-template",
            path=str(path),
            detail_key="detail.no-meta",
        )
    rows = book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
    meta = {}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            meta[row[0]] = str(int(row[1])) if isinstance(row[1], float) and row[1].is_integer() else str(row[1])
    if meta.get("template_id") != TEMPLATE_ID:
        raise UnusableWorkbook("file.not-a-template", path=str(path), detail_key="detail.bad-meta")
    return meta


def _layout_for(meta: dict[str, str], path: Path) -> Layout:
    try:
        profile = load_profile(meta.get("profile", ""))
        form = load_form(profile.form_spec_id(meta.get("form", "")))
    except SpecError:
        raise UnusableWorkbook(
            "file.not-a-template",
            path=str(path),
            detail_key="detail.unknown-spec",
            name=f"{meta.get('form')}/{meta.get('profile')}",
        ) from None
    version = meta.get("template_version", "")
    if not version.isdigit() or int(version) > form.template_version:
        raise UnusableWorkbook(
            "file.not-a-template",
            path=str(path),
            detail_key="detail.newer",
            version=version or "?",
            supported=form.template_version,
        )
    rows = meta.get("indicator_rows", "")
    return cached_layout(form.id, profile.id, indicators=int(rows) if rows.isdigit() else 0)


def _damaged_part(data: bytes, path: Path) -> str:
    """The package part that is not well-formed XML (for a message that names it), else the package itself."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in ("[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml"):
            if name not in package.namelist():
                return name
            try:
                parse_xml(package.read(name), _RelCollector(), path)
            except UnusableWorkbook:
                return name
    return "xl/"


#: What damaged content raises while it is read: the file is unreadable, whichever part was damaged.
DAMAGED = (python_calamine.CalamineError, zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError)


def read_workbook(path: Path, limits: Limits | None = None, data: bytes | None = None) -> Workbook:
    """Read a workbook made from an xltool template (``data``: its bytes, when already read). Raises
    :class:`UnusableWorkbook` (a ``file.*`` code) when it cannot be used; everything else becomes notes on the
    document."""
    try:
        return _read(Path(path), limits, data)
    except DAMAGED as exc:  # a part that is damaged deeper than the package checks can see
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.bad-zip", error=detail) from None


def _read(path: Path, limits: Limits | None, data: bytes | None = None) -> Workbook:
    path = Path(path)
    limits = limits or Limits.from_env()
    data = repair_backslashes(read_package(path, limits) if data is None else data)
    with open_package(path, data, limits) as package:
        names, parts = workbook_parts(package, path)
        # every sheet bounded before calamine reads it: memory follows the rectangle from A1 to the farthest cell
        data, sheet_xml = bounded_sheets(package, data, [p for p in parts.values() if p], limits, path)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every malformed part
        error = (str(exc).splitlines() or [type(exc).__name__])[0][:160]
        part = _damaged_part(data, path)
        raise UnusableWorkbook(
            "file.unreadable", path=str(path), detail_key="detail.damaged", part=part, error=error
        ) from None
    try:
        meta = _read_meta(book, path)
        layout = _layout_for(meta, path)
        grids: dict[str, _Grid] = {}

        formulas: dict[str, set[str]] = {}
        indicator_table = layout.tables.get("indicators")
        # real forms merge 一级/二级 cells down the indicator table; every other field is the top-left of its range
        merged_sheets = {names.get("tbl_indicators", (indicator_table.sheet,))[0]} if indicator_table else set()

        def grid(sheet: str) -> _Grid:
            if sheet not in grids:
                if sheet not in book.sheet_names:
                    raise UnusableWorkbook(
                        "file.not-a-template", path=str(path), detail_key="detail.missing-sheet", sheet=sheet
                    )
                formulas[sheet], merged = _sheet_xml(sheet_xml.get(parts.get(sheet, "")), merges=sheet in merged_sheets)
                grids[sheet] = _Grid(book.get_sheet_by_name(sheet), merged)
            return grids[sheet]

        flat: dict[str, Any] = {}
        cells: dict[str, tuple[str, int, int]] = {}
        for key, name, (sheet, row, col) in layout.scalar_fields:
            named = names.get(name)
            if named:
                sheet, row, col = named[0], named[1], named[2]
            flat[key] = grid(sheet).get(row, col)
            cells[key] = (sheet, row, col)
        tables: dict[str, list[dict[str, Any]]] = {}
        for key, table in layout.tables.items():
            sheet, first, last = table.sheet, table.first_row, table.last_row
            named = names.get(table.name)
            if named:
                sheet, first, last = named[0], named[1], named[3]
            tables[key] = _read_table(grid(sheet), key, table.columns, sheet, first, last, cells)
        typed_formulas = []
        for key, (sheet, row, col) in cells.items():
            if formulas[sheet] and a1(row, col) in formulas[sheet]:
                typed_formulas.append(key)
                if key in flat:
                    flat[key] = None
                else:
                    _clear(tables, key)
        raw = from_cells(flat, layout, tables)
        document, notes = normalize(raw, layout.profile)
        notes += [Note(key, "formula", None) for key in typed_formulas]
        return Workbook(path, document, notes, cells, layout, meta)
    finally:
        book.close()


def _read_table(
    g: _Grid,
    key: str,
    columns: dict[str, int],
    sheet: str,
    first: int,
    last: int,
    cells: dict[str, tuple[str, int, int]],
) -> list[dict[str, Any]]:
    """The rows of a table body that hold anything. 一级/二级 left blank carry down the label above them
    (merged cells hold their value only in the first row, and people leave repeats blank); a new 一级 ends
    the 二级 carried from the previous block."""
    wanted = [(fld, col) for fld, col in columns.items() if fld not in NOT_READ]
    content = [col for fld, col in wanted if fld not in NOT_CONTENT]
    has_levels = "level1" in columns
    out: list[dict[str, Any]] = []
    carried: dict[str, Any] = {}
    for row in range(first, last + 1):
        if not any(g.get(row, col) is not None for col in content):
            if has_levels:  # a label-only row still sets what the next rows carry
                _carry(carried, g.get(row, columns["level1"]), g.get(row, columns["level2"]))
            continue
        values = {fld: g.get(row, col) for fld, col in wanted}
        if has_levels:
            _carry(carried, values["level1"], values["level2"])
            for fld in ("level1", "level2"):
                if values[fld] is None:
                    values[fld] = carried.get(fld)
        index = len(out)
        for fld, col in wanted:
            cells[f"{key}[{index}].{fld}"] = (sheet, row, col)
        out.append(values)
    return out


def _clear(tables: dict[str, list[dict[str, Any]]], key: str) -> None:
    """Blank the value a table cell was read with (``indicators[3].actual``): a formula's cached result is not
    a value anyone typed."""
    match = re.fullmatch(r"(.+)\[(\d+)\]\.(\w+)", key)
    if match and match[1] in tables and int(match[2]) < len(tables[match[1]]):
        tables[match[1]][int(match[2])][match[3]] = None


def _carry(carried: dict[str, Any], level1: Any, level2: Any) -> None:
    if level1 is not None:
        if level1 != carried.get("level1"):
            carried.pop("level2", None)
        carried["level1"] = level1
    if level2 is not None:
        carried["level2"] = level2

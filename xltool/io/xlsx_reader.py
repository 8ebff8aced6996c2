"""Reading a filled workbook back into an evaluation document.

Values come from python-calamine (fast, no formulas evaluated, nothing trusted from formula cells: only
input cells are read, and every computed figure is recomputed). Where each field stands comes from the
workbook's defined names, so rows a user inserted inside a table, or a re-save by WPS, LibreOffice or
openpyxl, do not throw the reader off; a name that is missing falls back to the template's layout.
The template's identity (form, profile, version) is read from its hidden ``_xltool`` sheet.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine
from defusedxml import ElementTree

from ..core.cells import from_cells
from ..core.document import Document, Note, normalize
from ..core.layout import META_SHEET, TEMPLATE_ID, Layout, a1, build_layout, name_for
from ..core.spec import SpecError, load_form, load_profile
from ..errors import UnusableWorkbook
from .safety import Limits, check_package

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$")


@dataclass
class Workbook:
    """What was read: the document, notes on messy values, and where every field path stands."""

    path: Path
    document: Document
    notes: list[Note]
    locations: dict[str, tuple[str, str]]
    layout: Layout
    meta: dict[str, str]
    warnings: list[str] = field(default_factory=list)

    def where(self, path: str) -> tuple[str, str] | None:
        """(sheet, A1) of a field path, also for paths under a table row (``indicators[3]``)."""
        if path in self.locations:
            return self.locations[path]
        return self.layout.location(path)


def _col_index(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return col - 1


def defined_names(package: zipfile.ZipFile) -> dict[str, tuple[str, int, int, int, int]]:
    """Workbook-scope defined names that point at one sheet range: name → (sheet, r1, c1, r2, c2)."""
    try:
        root = ElementTree.fromstring(package.read("xl/workbook.xml"))
    except KeyError:
        return {}
    out: dict[str, tuple[str, int, int, int, int]] = {}
    for node in root.iter(f"{_NS}definedName"):
        if node.get("localSheetId") is not None or not node.text:
            continue
        match = _REF.match(node.text.strip())
        if not match:
            continue
        sheet = (match[1] or "").replace("''", "'") or match[2]
        r1, c1 = int(match[4]) - 1, _col_index(match[3])
        r2 = int(match[6]) - 1 if match[6] else r1
        c2 = _col_index(match[5]) if match[5] else c1
        out[node.get("name", "")] = (sheet, r1, c1, r2, c2)
    return out


class _Grid:
    """A sheet's values by (row, col), with merged ranges filled from their top-left cell."""

    def __init__(self, sheet: Any):
        self.rows: list[list[Any]] = sheet.to_python(skip_empty_area=False)
        merged = getattr(sheet, "merged_cell_ranges", None) or []
        self.merged_from: dict[tuple[int, int], tuple[int, int]] = {}
        for (r1, c1), (r2, c2) in merged:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.merged_from[(r, c)] = (r1, c1)

    def get(self, row: int, col: int) -> Any:
        row, col = self.merged_from.get((row, col), (row, col))
        if row < len(self.rows) and col < len(self.rows[row]):
            value = self.rows[row][col]
            return None if value == "" else value
        return None

    def is_merged_tail(self, row: int, col: int) -> bool:
        return (row, col) in self.merged_from


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
        form = load_form(meta.get("form", ""))
        profile = load_profile(meta.get("profile", ""))
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
    return build_layout(form, profile, indicators=int(rows) if rows.isdigit() else 0)


def read_workbook(path: Path, limits: Limits | None = None) -> Workbook:
    """Read a workbook made from an xltool template. Raises :class:`UnusableWorkbook` (a ``file.*`` code)
    when it cannot be used; everything else becomes notes on the document."""
    path = Path(path)
    limits = limits or Limits()
    with check_package(path, limits) as package:
        names = defined_names(package)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every malformed part
        raise UnusableWorkbook("file.unreadable", path=str(path), detail=str(exc).splitlines()[0][:200]) from None
    try:
        meta = _read_meta(book, path)
        layout = _layout_for(meta, path)
        grids: dict[str, _Grid] = {}

        def grid(sheet: str) -> _Grid | None:
            if sheet not in grids:
                if sheet not in book.sheet_names:
                    return None
                grids[sheet] = _Grid(book.get_sheet_by_name(sheet))
            return grids[sheet]

        flat: dict[str, Any] = {}
        locations: dict[str, tuple[str, str]] = {}
        warnings: list[str] = []
        table_paths = {key for key in layout.tables}
        for path_key, (sheet, row, col) in layout.fields.items():
            if path_key.split("[")[0] in table_paths:
                continue
            named = names.get(name_for(path_key))
            if named:
                sheet, row, col = named[0], named[1], named[2]
            g = grid(sheet)
            if g is None:
                raise UnusableWorkbook(
                    "file.not-a-template", path=str(path), detail_key="detail.missing-sheet", sheet=sheet
                )
            flat[path_key] = g.get(row, col)
            locations[path_key] = (sheet, a1(row, col))
        for key, table in layout.tables.items():
            sheet, first, last = table.sheet, table.first_row, table.last_row
            named = names.get(table.name)
            if named:
                sheet, first, last = named[0], named[1], named[3]
            g = grid(sheet)
            if g is None:
                raise UnusableWorkbook(
                    "file.not-a-template", path=str(path), detail_key="detail.missing-sheet", sheet=sheet
                )
            _read_table(g, key, table.columns, sheet, first, last, flat, locations)
        raw = from_cells(flat, layout)
        document, notes = normalize(raw, layout.profile)
        return Workbook(path, document, notes, locations, layout, meta, warnings)
    finally:
        book.close()


def _read_table(
    g: _Grid,
    key: str,
    columns: dict[str, int],
    sheet: str,
    first: int,
    last: int,
    flat: dict[str, Any],
    locations: dict[str, tuple[str, str]],
) -> None:
    """Read the rows of a table body that hold anything. 一级/二级 left blank carry down the label above
    them (merged cells hold their value only in the first row, and people leave repeats blank); a new 一级
    ends the 二级 carried from the previous block."""
    index = 0
    carried: dict[str, Any] = {}
    content = [c for c in columns if c not in ("no", "computed", "rate", "level1", "level2", "applicable")]
    for row in range(first, last + 1):
        values = {fld: g.get(row, col) for fld, col in columns.items() if fld not in ("no", "computed", "rate")}
        if "level1" in values:
            if values["level1"] is not None:
                if values["level1"] != carried.get("level1"):
                    carried.pop("level2", None)
                carried["level1"] = values["level1"]
            if values.get("level2") is not None:
                carried["level2"] = values["level2"]
        if not any(values.get(c) is not None for c in content):
            continue
        for fld in ("level1", "level2"):
            if fld in values and values[fld] is None:
                values[fld] = carried.get(fld)
        for fld, value in values.items():
            flat[f"{key}[{index}].{fld}"] = value
            locations[f"{key}[{index}].{fld}"] = (sheet, a1(row, columns[fld]))
        index += 1

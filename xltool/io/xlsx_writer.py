"""Templates and filled workbooks, written with xlsxwriter from a :class:`~xltool.core.layout.Layout`.

A blank template and a filled workbook are the same file but for the values in the input cells, so
``fill`` and ``template`` share this one writer. Text is always written as a string (never a formula or a
link), whatever it starts with.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .. import __version__
from ..core.layout import META_SHEET, Cell, Layout, SheetLayout, a1, quote_sheet
from .xlsx_text import text_format, write_text

FONT = "宋体"
TITLE_FONT = "黑体"
GB2312_CHARSET = 134

#: ``typed`` (年度指标值, 实际完成值) is Text: what a person types stays as typed (``92.1%`` is not turned into
#: 0.921, ``=0`` into a formula, ``1-2`` into a date), and the sheet's formulas read it as validate does.
_NUM_FORMATS = {
    "money": "#,##0.00",
    "rate": "0.00%",
    "score": "0.00",
    "count": "0",
    "year": "0",
    "weight": "General",
    "typed": "@",
}
_FILLS = {
    "input": "#FFF2CC",
    "formula": "#EDF3FA",
    "na": "#D9D9D9",
    "header": "#DDEBF7",
    "section": "#BDD7EE",
    "label": "#F2F2F2",
    "rowno": "#F2F2F2",
}


class _Styles:
    """Formats created once per (kind, value type) and reused."""

    def __init__(self, book: xlsxwriter.Workbook):
        self.book = book
        self.cache: dict[tuple[str, str], Format] = {}
        self.bad = book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "font_name": FONT})
        self.warn = book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700", "font_name": FONT})

    def get(self, kind: str, vtype: str) -> Format:
        key = (kind, vtype)
        if key not in self.cache:
            self.cache[key] = text_format(self.book, self._props(kind, vtype))
        return self.cache[key]

    @staticmethod
    def _props(kind: str, vtype: str) -> dict[str, Any]:
        props: dict[str, Any] = {
            "font_name": FONT,
            "font_size": 11,
            "font_charset": GB2312_CHARSET,
            "valign": "vcenter",
            "text_wrap": True,
        }
        if kind == "title":
            return {**props, "font_name": TITLE_FONT, "font_size": 16, "bold": True, "align": "center"}
        if kind == "subtitle":
            return {**props, "font_size": 11, "align": "center"}
        if kind == "note":
            return {**props, "font_size": 10.5, "align": "left", "valign": "top"}
        props["border"] = 1
        props["border_color"] = "#7F7F7F"
        if kind in _FILLS:
            props["bg_color"] = _FILLS[kind]
        if kind in ("header", "section"):
            props.update(bold=True, align="center" if kind == "header" else "left")
        elif kind == "label" or kind == "rowno":
            props["align"] = "center"
        elif kind == "input":
            props["locked"] = False
            props["align"] = {
                "longtext": "left",
                "text": "left",
                "short": "center",
                "typed": "center",
                "year": "center",
                "count": "center",
            }.get(vtype, "right")
            if vtype == "longtext":
                props["valign"] = "top"
        elif kind == "formula":
            props["font_color"] = "#1F4E79"
            props["align"] = "center" if vtype in ("text", "check") else "right"
        if vtype in _NUM_FORMATS and kind in ("input", "formula"):
            props["num_format"] = _NUM_FORMATS[vtype]
        return props


def _write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Format) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    else:
        write_text(ws, row, col, str(value), fmt)


def _write_cell(
    ws: Worksheet, cell: Cell, styles: _Styles, values: dict[str, Any] | None, results: dict[str, Any]
) -> None:
    fmt = styles.get(cell.kind, cell.vtype)
    if cell.kind == "input":
        value = cell.value if values is None else values.get(cell.path or "")
    elif cell.kind == "formula":
        value = None
    else:
        value = cell.value
    last_row = cell.last_row if cell.last_row is not None else cell.row
    last_col = cell.last_col if cell.last_col is not None else cell.col
    if cell.merged:
        ws.merge_range(cell.row, cell.col, last_row, last_col, "", fmt)
    if cell.kind == "formula" or (isinstance(value, str) and value.startswith("=") and cell.kind != "input"):
        formula = str(cell.value if cell.kind == "formula" else value)
        ws.write_formula(cell.row, cell.col, formula, fmt, results.get(cell.result or "", ""))
    else:
        _write_value(ws, cell.row, cell.col, value, fmt)
    if cell.validation:
        ws.data_validation(cell.row, cell.col, last_row, last_col, dict(cell.validation))


def _setup_sheet(ws: Worksheet, sheet: SheetLayout, styles: _Styles, password: str | None) -> None:
    for col, width in sheet.widths.items():
        ws.set_column(col, col, width)
    for col in sorted(sheet.hidden_cols):  # helper cells: what was typed, read as numbers
        ws.set_column(col, col, 10, None, {"hidden": True})
    for row, height in sheet.heights.items():
        ws.set_row(row, height)
    ws.set_paper(9)  # A4
    if sheet.landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.3})
    ws.print_area(0, 0, sheet.rows - 1, sheet.width - 1)
    if sheet.repeat_rows:
        ws.repeat_rows(*sheet.repeat_rows)
    if sheet.freeze:
        ws.freeze_panes(*sheet.freeze)
    ws.hide_gridlines(2)
    for target, options in sheet.conditional:
        opts = dict(options)
        opts["format"] = styles.bad if opts.get("format") == "bad" else styles.warn
        ws.conditional_format(target, opts)
    for cell in sheet.cells:
        if cell.vtype == "check":
            ref = a1(cell.row, cell.col)
            ws.conditional_format(
                ref, {"type": "formula", "criteria": f'=AND({ref}<>"",{ref}<>"一致")', "format": styles.bad}
            )
    ws.protect(
        password or "",
        {"format_columns": True, "format_rows": True, "select_locked_cells": True, "select_unlocked_cells": True},
    )


def _write_meta(book: xlsxwriter.Workbook, layout: Layout, password: str | None) -> None:
    ws = book.add_worksheet(META_SHEET)
    meta = {**layout.meta(), "generator": f"xltool {__version__}"}
    for row, (key, value) in enumerate(meta.items()):
        write_text(ws, row, 0, key, None)
        write_text(ws, row, 1, value, None)
    col = 3
    fmt = text_format(book, {})
    for name, items in layout.lists.items():
        ws.write_string(0, col, name)
        width = max((len(item) if isinstance(item, list) else 1 for item in items), default=1)
        for row, item in enumerate(items, start=1):
            for offset, value in enumerate(item if isinstance(item, list) else [item]):
                _write_value(ws, row, col + offset, value, fmt)
        last_row = max(len(items), 1)
        book.define_name(name, f"={quote_sheet(META_SHEET)}!{a1(1, col, True)}:{a1(last_row, col + width - 1, True)}")
        col += width + 1
    ws.protect(password or "")
    ws.very_hidden()


def write_workbook(
    layout: Layout,
    path: Path,
    values: dict[str, Any] | None = None,
    *,
    results: dict[str, Any] | None = None,
    password: str | None = None,
    year: int | None = None,
) -> None:
    """Write the template (``values`` None) or a filled workbook to ``path``.

    ``results`` are the formula cells' values (see :func:`xltool.core.results.formula_results`), stored as
    their cached results; ``year`` pre-fills the 年度 cell of a blank template.
    """
    results = results or {}
    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    book.formats[0].set_font_name(FONT)
    book.formats[0].set_font_charset(GB2312_CHARSET)
    styles = _Styles(book)
    defaults = dict(values) if values is not None else None
    if defaults is None and year is not None:
        defaults = {c.path: c.value for s in layout.sheets for c in s.cells if c.kind == "input" and c.path}
        defaults["year"] = year
    for sheet in layout.sheets:
        ws = book.add_worksheet(sheet.name)
        for cell in sheet.cells:
            _write_cell(ws, cell, styles, defaults, results)
        _setup_sheet(ws, sheet, styles, password)
    _write_meta(book, layout, password)
    for name, ref in layout.names.items():
        book.define_name(name, ref)
    book.set_properties(
        {
            "title": layout.form.title,
            "subject": f"{layout.profile.name}口径",
            "author": "xltool",
            "keywords": "预算绩效自评",
            "comments": f"xltool template {layout.form.id}/{layout.profile.id} v{layout.form.template_version}",
        }
    )
    for key, value in layout.meta().items():
        book.set_custom_property(f"xltool.{key}", value)
    book.close()

"""Filling a blank template someone already has (``xltool fill --template T.xlsx``), with openpyxl.

Everything of the template is kept (styles, validations, protection, names); only input cells change.
Text is stored as text even when it starts with ``=``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from ..core.layout import META_SHEET, TEMPLATE_ID, Layout, name_for
from ..errors import UnusableWorkbook
from .xlsx_text import formula_like


def template_meta(path: Path) -> dict[str, str]:
    """The identity a template records in its hidden ``_xltool`` sheet."""
    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many types for malformed packages
        raise UnusableWorkbook("file.unreadable", path=str(path), detail=str(exc)[:200]) from None
    try:
        if META_SHEET not in book.sheetnames:
            raise UnusableWorkbook("file.not-a-template", path=str(path), detail_key="detail.no-meta")
        meta = {str(r[0]): str(r[1]) for r in book[META_SHEET].iter_rows(max_col=2, values_only=True) if r[0]}
    finally:
        book.close()
    if meta.get("template_id") != TEMPLATE_ID:
        raise UnusableWorkbook("file.not-a-template", path=str(path), detail_key="detail.bad-meta")
    return meta


def fill_template(template: Path, layout: Layout, values: dict[str, Any], out: Path) -> None:
    """Write ``values`` (``{field path: value}``) into the input cells of ``template``, saved as ``out``."""
    book = openpyxl.load_workbook(template)
    names = book.defined_names
    positions: dict[str, tuple[str, str]] = {}
    for key, (sheet, row, col) in layout.fields.items():
        from ..core.layout import a1

        positions[key] = (sheet, a1(row, col))
    for key, value in values.items():
        sheet, ref = positions[key]
        defined = names.get(name_for(key)) if "[" not in key else None
        if defined is not None:
            for title, coord in defined.destinations:
                sheet, ref = title, coord.replace("$", "")
        cell = book[sheet][ref]
        if isinstance(value, bool):
            value = "是" if value else "否"
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
            cell.quotePrefix = formula_like(value)
    book.calculation.fullCalcOnLoad = True
    book.save(out)

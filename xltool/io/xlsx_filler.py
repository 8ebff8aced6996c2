"""Filling a blank template someone already has (``xltool fill --template T.xlsx``), with openpyxl.

Everything of the template is kept (styles, validations, protection, names); only input cells change.
Text is stored as text even when it starts with ``=``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from ..core.layout import META_SHEET, TEMPLATE_ID, Layout, a1, name_for
from ..errors import UnusableWorkbook


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


def fill_template(
    template: Path, layout: Layout, values: dict[str, Any], out: Path, results: dict[str, Any] | None = None
) -> None:
    """Write ``values`` (``{field path: value}``) into the input cells of ``template``, saved as ``out``.

    The template is edited, not re-saved: every part and every byte it had is kept (a dropdown Excel stored as
    an x14 extension, a comment, a picture), only the input cells change, and each formula the layout put there
    gets its result (``results``, from :func:`xltool.core.results.formula_results`) as its cached value, so a
    previewer that does not recalculate shows the right figures."""
    from .package_edit import WorkbookPackage, cache_results

    package = WorkbookPackage.open(template)
    names, parts = package.names, package.sheets
    scalar = {key: name for key, name, _ in layout.scalar_fields}
    for key, value in values.items():
        sheet, row, col = layout.fields[key]
        named = names.get(scalar.get(key, name_for(key))) if "[" not in key else None
        if named is not None:
            sheet, row, col = named[0], named[1], named[2]
        if sheet not in parts:
            raise UnusableWorkbook(
                "file.not-a-template", path=str(template), detail_key="detail.missing-sheet", sheet=sheet
            )
        package.set_value(parts[sheet], a1(row, col), value)
    cache_results(package, layout, results or {})
    package.full_calc_on_load()
    package.save(out)

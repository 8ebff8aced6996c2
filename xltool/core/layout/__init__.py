"""Where everything stands in a workbook, computed from a form spec and a profile.

The layout is the single source for the template writer (which cells are labels, inputs, formulas; their
validations and styles) and for the reader (which cell holds which field path). It is pure data: no
spreadsheet library is involved, so it can be tested and reasoned about on its own.

- :mod:`.model`: cells, tables, sheets, the layout, A1 references;
- :mod:`.builder`: the primitives blocks write with, and :func:`build_layout`;
- :mod:`.blocks`: one module per form block (its cells, its sheet width, its 填表说明 lines).
"""

from __future__ import annotations

from .builder import Builder, build_layout, cached_layout
from .model import (
    CATEGORY_COLUMNS,
    DEDUCTION_COLUMNS,
    EXPLANATION_COLUMNS,
    INDICATOR_COLUMNS,
    INDICATOR_HELPERS,
    META_SHEET,
    NOT_CONTENT,
    NOT_READ,
    TASK_COLUMNS,
    TEMPLATE_ID,
    Cell,
    Layout,
    SheetLayout,
    Table,
    a1,
    col_letter,
    name_for,
    number_name,
    parse_a1,
    quote_sheet,
)

__all__ = [
    "CATEGORY_COLUMNS",
    "DEDUCTION_COLUMNS",
    "EXPLANATION_COLUMNS",
    "INDICATOR_COLUMNS",
    "INDICATOR_HELPERS",
    "META_SHEET",
    "NOT_CONTENT",
    "NOT_READ",
    "TASK_COLUMNS",
    "TEMPLATE_ID",
    "Builder",
    "Cell",
    "Layout",
    "SheetLayout",
    "Table",
    "a1",
    "build_layout",
    "cached_layout",
    "col_letter",
    "name_for",
    "number_name",
    "parse_a1",
    "quote_sheet",
]

"""审核说明: the unit's explanations of warnings (code, cell or field, reason)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...spec import BlockSpec
from ..model import (
    EXPLANATION_COLUMNS,
    Cell,
    Table,
)
from .common import HelpContext

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return len(EXPLANATION_COLUMNS)


def help(h: HelpContext) -> list[tuple[str, str]]:
    sheet = next((s.name for s in h.form.sheets if h.block in s.blocks), "审核说明")
    return [
        (
            "校验",
            f"填好后运行 xltool validate 检查，按提示逐条修改；确属实际情况的警告可在“{sheet}”表中说明"
            "（规则代码 + 单元格 + 理由），说明后不再计数；错误不能以说明代替修改",
        )
    ]


def place(b: Builder, block: BlockSpec) -> None:
    b.sheet_heading(block.title or "审核说明")
    b.span(
        "note",
        "校验提示的警告如确属实际情况，可在此逐条说明：填写规则代码（如 unit.suspect）和单元格"
        "（如 自评表!C12）或字段（如 indicators[3].actual）及理由；说明后该警告不再计数。错误不能以说明代替修改。",
        0,
        b.sheet.width - 1,
    )
    b.sheet.heights[b.row] = 36
    b.row += 1
    cols = b.header_row(EXPLANATION_COLUMNS)
    first, count = b.row, b.rows["explanations"]
    for i in range(count):
        r = first + i
        b.put(Cell(r, 0, "rowno", i + 1))
        for key in ("code", "location", "reason"):
            b.put(
                Cell(
                    r,
                    cols[key],
                    "input",
                    None,
                    path=f"explanations[{i}].{key}",
                    vtype="longtext" if key == "reason" else "text",
                    name="",
                )
            )
    b.row = first + count
    table = Table("explanations", b.sheet.name, first, count, cols, "tbl_explanations")
    b.define(table.name, first, 0, table.last_row, len(EXPLANATION_COLUMNS) - 1)
    b.tables["explanations"] = table
    b.sheet.repeat_rows = (0, first - 1)
    b.sheet.freeze = (first, 0)

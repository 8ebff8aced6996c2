"""扣分事项: each deduction with its reason and points."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...spec import BlockSpec
from ..model import (
    CATEGORY_COLUMNS,
    DEDUCTION_COLUMNS,
    Cell,
    Table,
    a1,
)
from .common import HelpContext

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return None


def help(h: HelpContext) -> list[tuple[str, str]]:
    return [("扣分事项", "每一项扣分都须写明扣分事项，扣分从考核总分中扣除")]


def place(b: Builder, block: BlockSpec) -> None:
    b.section(block.title or "存在问题（扣分）")
    last = len(CATEGORY_COLUMNS) - 1
    b.put(Cell(b.row, 0, "header", DEDUCTION_COLUMNS[0][1]))
    b.span("header", DEDUCTION_COLUMNS[1][1], 1, 3)
    b.span("header", DEDUCTION_COLUMNS[2][1], 4, last)
    b.row += 1
    first, count = b.row, b.profile.deduction_rows
    columns = {"no": 0, "reason": 1, "points": 4}
    for i in range(count):
        r = first + i
        b.put(Cell(r, 0, "rowno", i + 1))
        b.put(
            Cell(
                r,
                1,
                "input",
                None,
                path=f"deductions[{i}].reason",
                vtype="longtext",
                name="",
                last_row=r,
                last_col=3,
            )
        )
        b.put(
            Cell(
                r,
                4,
                "input",
                None,
                path=f"deductions[{i}].points",
                vtype="score",
                name="",
                last_row=r,
                last_col=last,
                validation={
                    "validate": "decimal",
                    "criteria": ">=",
                    "value": 0,
                    "input_title": "扣分",
                    "input_message": "填写扣分（正数）。",
                },
            )
        )
        points = b.number_formula(a1(r, 4), "weight")
        b.helper(r, b.sheet.width + 1, points, f"num:deductions[{i}].points")
    b.row = first + count
    hidden = {"points_num": b.sheet.width + 1}
    table = Table("deductions", b.sheet.name, first, count, columns, "tbl_deductions", hidden)
    b.define(table.name, first, 0, table.last_row, len(CATEGORY_COLUMNS) - 1)
    b.tables["deductions"] = table

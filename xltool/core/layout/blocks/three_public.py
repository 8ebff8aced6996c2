"""「三公」经费: budget, actual and last year's actual."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...spec import BlockSpec
from ..model import (
    Cell,
)
from .common import HelpContext

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return None


def help(h: HelpContext) -> list[tuple[str, str]]:
    """What the 填表说明 sheet says of this block: (topic, text) pairs in the form's own words."""
    return []


def place(b: Builder, block: BlockSpec) -> None:
    b.section(block.title, f'="{block.title}（金额单位："&in_money_unit&"）"')
    headers = ("项　目", "预算数", "实际支出数", "上年实际支出数", "控制率", "变动率")
    for col, label in enumerate(headers):
        b.put(Cell(b.row, col, "header", label))
    b.put(Cell(b.row, 6, "header", ""))
    b.row += 1
    b.put(Cell(b.row, 0, "label", "「三公」经费合计"))
    for col, key in ((1, "budget"), (2, "actual"), (3, "last_year")):
        b.input(f"budget.three_public.{key}", col, "money")
    bud, a, last = (b.numbers[f"budget.three_public.{key}"] for key in ("budget", "actual", "last_year"))
    b.put(
        Cell(
            b.row,
            4,
            "formula",
            f'=IF(AND(ISNUMBER({a}),N({bud})>0),{a}/{bud},"")',
            vtype="rate",
            result="three_public.control",
        )
    )
    b.put(
        Cell(
            b.row,
            5,
            "formula",
            f'=IF(AND(ISNUMBER({a}),N({last})>0),({a}-{last})/{last},"")',
            vtype="rate",
            result="three_public.change",
        )
    )
    b.put(Cell(b.row, 6, "na"))
    b.sheet.heights[b.row] = 20
    b.row += 1

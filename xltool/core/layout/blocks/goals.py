"""年度总体目标: planned and achieved, one box each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...spec import BlockSpec
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
    b.section(block.title)
    b.span("header", "预期目标", 0, 2)
    b.span("header", "实际完成情况", 3, 6)
    b.row += 1
    b.input("goals.planned", 0, "longtext", 2)
    b.input("goals.achieved", 3, "longtext", 6)
    b.sheet.heights[b.row] = 120
    b.row += 1

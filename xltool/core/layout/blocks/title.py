"""The form's title and its year line, repeated on every printed page."""

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
    b.span("title", b.form.title, 0, b.sheet.width - 1)
    b.sheet.heights[b.row] = 34
    b.row += 1
    b.span(
        "subtitle",
        '=IF(in_year="","（　　　　年度）","（"&in_year&"年度）")',
        0,
        b.sheet.width - 1,
        result="title.year",
    )
    b.sheet.heights[b.row] = 20
    b.row += 1
    b.sheet.repeat_rows = (0, 1)

"""文字说明: one large box per narrative field."""

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
    return 2


def help(h: HelpContext) -> list[tuple[str, str]]:
    """Word limits the profile sets on narrative boxes."""
    limits = h.profile.narrative_limits
    if not limits:
        return []
    named = {f.path: f.label for f in h.block.fields}
    parts = [f"{named.get('narrative.' + key, h.name('narrative.' + key))}不超过 {n} 字" for key, n in limits.items()]
    return [("字数限制", "；".join(parts))]


def place(b: Builder, block: BlockSpec) -> None:
    b.sheet.widths.update({0: 20, 1: 90})
    b.sheet_heading(block.title or "文字说明")
    for fld in block.fields:
        b.put(Cell(b.row, 0, "label", fld.label))
        b.input(fld.path, 1, "longtext")
        b.sheet.heights[b.row] = 150
        b.row += 1
    b.sheet.repeat_rows = (0, 1)

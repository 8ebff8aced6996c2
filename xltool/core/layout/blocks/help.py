"""填表说明: the help sheet, assembled from what the form's own blocks say of themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...narrative import chinese_number
from ...spec import BlockSpec, FormSpec, Profile
from ..model import (
    Cell,
)
from .common import HelpContext

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return 1


def help(h: HelpContext) -> list[tuple[str, str]]:
    """The opening line: which form, which profile, how the sheet is coloured and protected."""
    return [
        (
            "本表",
            f"《{h.form.title}》（{h.profile.name}口径）。黄色单元格为填写区，灰色单元格为自动计算或无需填写；"
            "表格已保护（无密码），可在“审阅—撤消工作表保护”后调整格式",
        )
    ]


def help_lines(form: FormSpec, profile: Profile) -> list[str]:
    """The 填表说明 text: what each block on this form says of itself, numbered, written from the profile's own
    numbers and the form's own labels so it never disagrees with the sheet or the checks."""
    from . import BLOCKS

    blocks = [block for sheet in form.sheets for block in sheet.blocks]
    pairs: list[tuple[str, str]] = []
    ordered = [b for b in blocks if b.type == "help"] + [b for b in blocks if b.type != "help"]
    for context in HelpContext.each(form, profile, ordered):
        pairs += BLOCKS[context.block.type].help(context)
    return [f"{chinese_number(i)}、{topic}：{text}。" for i, (topic, text) in enumerate(pairs, start=1)]


def place(b: Builder, block: BlockSpec) -> None:
    b.sheet.widths[0] = 80  # fits portrait A4 at 100% in every client (no reliance on fit-to-page)
    b.span("title", block.title or "填表说明", 0, 0)
    b.sheet.heights[b.row] = 30
    b.row += 1
    for line in help_lines(b.form, b.profile):
        b.put(Cell(b.row, 0, "note", line))
        b.sheet.heights[b.row] = 17 * max(1, -(-len(line) // 38)) + 4  # ~38 CJK characters a line
        b.row += 1

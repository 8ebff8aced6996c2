"""Label/value rows of the unit's identity (单位名称, 年度, 金额单位, 所属地区…), two to a row where they fit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...spec import BlockSpec, FieldSpec
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
    """Which identity fields are required, how 所属地区 is written, the money unit."""
    fields = h.block.fields
    out = []
    required = [f.label for f in fields if f.required]
    text = f"{'、'.join(required)}必填" if required else ""
    region = next((f for f in fields if f.type == "region"), None)
    if region is not None:
        text += f"{'；' if text else ''}{region.label}由大到小用“/”分隔（如：江临市/东湖区），用于汇总分组"
    if text:
        out.append(("基本信息", text))
    unit = next((f for f in fields if f.type == "money_unit"), None)
    if unit is not None:
        out.append(
            (
                unit.label,
                f"默认{h.profile.money_unit}，可在“{unit.label}”下拉选择“万元”或“元”，全表金额须使用同一单位，只填数字",
            )
        )
    return out


def place(b: Builder, block: BlockSpec) -> None:
    b.section(block.title)
    pending: list[FieldSpec] = []

    def flush() -> None:
        for i, fld in enumerate(pending):
            col = i * 3
            b.put(Cell(b.row, col, "label", fld.label))
            _field_input(b, fld, col + 1, col + (2 if i == 0 else 3))
        b.sheet.heights[b.row] = 21
        b.row += 1
        pending.clear()

    for fld in block.fields:
        if fld.wide:
            if pending:
                flush()
            b.put(Cell(b.row, 0, "label", fld.label))
            _field_input(b, fld, 1, b.sheet.width - 1)
            b.sheet.heights[b.row] = 21
            b.row += 1
            continue
        pending.append(fld)
        if len(pending) == 2:
            flush()
    if pending:
        flush()


def _field_input(b: Builder, fld: FieldSpec, col: int, last_col: int) -> None:
    validation: dict[str, Any] | None = None
    default: Any = None
    vtype = {"year": "year", "count": "count", "money_unit": "choice"}.get(fld.type, "text")
    if fld.type == "money_unit":
        validation = b.choice("lst_money_units", "金额单位", "选择本表金额单位：万元 或 元。")
        default = b.profile.money_unit
    elif fld.type == "region":
        validation = {
            "validate": "any",
            "input_title": "所属地区",
            "input_message": "由大到小，用“/”分隔，如：江临市/东湖区",
        }
    elif fld.type == "year":
        validation = b.validation_for("year")
    elif fld.type == "count":
        validation = b.validation_for("count")
    elif fld.required:
        validation = {"validate": "any", "input_title": fld.label, "input_message": "必填。"}
    b.input(fld.path, col, vtype, last_col, default=default, validation=validation)

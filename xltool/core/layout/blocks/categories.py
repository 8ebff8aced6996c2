"""考核评分 (a category sheet): one table per category, items with 满分, 是否适用, 得分, 得分说明."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import sheet_formulas as sf
from ...narrative import chinese_number
from ...spec import BlockSpec
from ..model import (
    CATEGORY_COLUMNS,
    Cell,
    Table,
    a1,
)
from .common import HelpContext

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return len(CATEGORY_COLUMNS)


def help(h: HelpContext) -> list[tuple[str, str]]:
    """How a category sheet's items are filled."""
    return [
        (
            "考核评分",
            "逐项填写满分和得分，得分不超过满分；不适用的项目在“是否适用”选“否”，不计入适用满分；"
            "扣分或未得满分的项目在“得分说明”中写明原因",
        )
    ]


def place(b: Builder, block: BlockSpec) -> None:
    """Each 考核类别: a heading, item rows (the unit enters each item's maximum, 是否适用 and its points)
    and a subtotal of the applicable maxima and points (an item's points count up to its maximum)."""
    prof = b.profile
    b.sheet_heading(block.title or "考核评分")
    cols = b.header_row(CATEGORY_COLUMNS)
    v = {
        "max": b.validation_for("weight"),
        "score": b.validation_for("score"),
        "applicable": b.choice("lst_yesno", "是否适用", "不适用的子项选“否”，不计入适用满分。"),
    }
    for c, cat in enumerate(prof.categories):
        label = f"{chinese_number(c + 1)}、{cat.name}" + ("（加分项）" if cat.bonus else "")
        b.span("section", label, 0, len(CATEGORY_COLUMNS) - 1)
        b.row += 1
        first, count = b.row, prof.category_rows
        key = f"categories[{c}].items"
        for i in range(count):
            r = first + i
            b.put(Cell(r, 0, "rowno", i + 1))
            for fld in ("name", "max", "applicable", "score", "note"):
                vtype = {"max": "weight", "score": "score", "note": "longtext", "name": "text"}.get(fld, "short")
                b.put(
                    Cell(
                        r,
                        cols[fld],
                        "input",
                        None,
                        path=f"{key}[{i}].{fld}",
                        vtype=vtype,
                        name="",
                        validation=v.get(fld),
                    )
                )
            _category_helpers(b, r, cols, f"{key}[{i}]")
        b.row = first + count
        hidden = {h: b.sheet.width + 1 + k for k, h in enumerate(("max_num", "score_num", "max_used", "points"))}
        table = Table(key, b.sheet.name, first, count, cols, f"tbl_category_{c + 1}", hidden)
        b.define(table.name, first, 0, table.last_row, len(CATEGORY_COLUMNS) - 1)
        b.tables[key] = table
        b.span("label", "小　计", 0, cols["name"])
        b.put(
            Cell(
                b.row,
                cols["max"],
                "formula",
                f"=SUM({table.ref('max_used', False)})",
                vtype="weight",
                name=f"category_{c + 1}_max",
                result=f"categories[{c}].max",
            )
        )
        b.put(Cell(b.row, cols["applicable"], "na"))
        capped = f"SUM({table.ref('points', False)})"
        b.put(
            Cell(
                b.row,
                cols["score"],
                "formula",
                f"={capped}",
                vtype="score",
                name=f"category_{c + 1}_score",
                result=f"categories[{c}].score",
            )
        )
        b.put(Cell(b.row, cols["note"], "na"))
        b.row += 1
    b.sheet.repeat_rows = (0, 2)
    b.sheet.freeze = (3, 0)


def _category_helpers(b: Builder, r: int, cols: dict[str, int], path: str) -> None:
    """Hidden cells of one 考核 item row: 满分 and 得分 read as numbers, the 满分 that counts (applicable,
    readable) and the points that count (within 0 and that 满分), as ``scoring.score_categories`` does."""
    c = {key: a1(r, col) for key, col in cols.items()}
    base = b.sheet.width + 1
    mx = b.helper(r, base, b.number_formula(c["max"], "weight"), f"{path}.max_num")
    sc = b.helper(r, base + 1, b.number_formula(c["score"], "weight"), f"{path}.score_num")
    empty = "AND(" + ",".join(f'{c[k]}=""' for k in ("name", "max", "score", "note")) + ")"
    used = f'IF(AND(NOT({empty}),{sf.yes_no(c["applicable"])}=1,ISNUMBER({mx})),{mx},"")'
    top = b.helper(r, base + 2, used, f"{path}.max_used")
    b.helper(r, base + 3, f'IF(ISNUMBER({top}),MIN(MAX(N({sc}),0),{top}),"")', f"{path}.points")

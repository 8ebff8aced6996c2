"""年度主要任务: name, content, budget and executed per task, with the task's execution rate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...spec import BlockSpec
from ..model import (
    TASK_COLUMNS,
    Cell,
    Table,
    a1,
)
from .common import HelpContext

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return len(TASK_COLUMNS)


def help(h: HelpContext) -> list[tuple[str, str]]:
    """What the 填表说明 sheet says of this block: (topic, text) pairs in the form's own words."""
    return []


def place(b: Builder, block: BlockSpec) -> None:
    b.sheet_heading(block.title or "年度主要任务")
    cols = b.header_row(TASK_COLUMNS)
    first, count = b.row, b.rows["tasks"]
    table = Table("tasks", b.sheet.name, first, count, cols, "tbl_tasks")
    for i in range(count):
        r = first + i
        b.put(Cell(r, 0, "rowno", i + 1))
        b.put(Cell(r, 1, "input", None, path=f"tasks[{i}].name", vtype="text", name=""))
        b.put(Cell(r, 2, "input", None, path=f"tasks[{i}].content", vtype="text", name=""))
        for col, key in ((3, "budget"), (4, "executed")):
            b.put(
                Cell(
                    r,
                    col,
                    "input",
                    None,
                    path=f"tasks[{i}].{key}",
                    vtype="money",
                    name="",
                    validation=b.validation_for("money"),
                )
            )
        bud, e = (
            b.read_as_number(r, col, 2 * k, "money", f"tasks[{i}].{key}")
            for k, (col, key) in enumerate(((3, "budget"), (4, "executed")))
        )
        b.put(
            Cell(
                r,
                5,
                "formula",
                f'=IF(AND(ISNUMBER({e}),N({bud})>0),{e}/{bud},"")',
                vtype="rate",
                result=f"tasks[{i}].rate",
            )
        )
    table.helpers = {"budget_num": b.sheet.width + 2, "executed_num": b.sheet.width + 4}
    b.row = first + count
    b.define(table.name, first, 0, table.last_row, len(TASK_COLUMNS) - 1)
    b.tables["tasks"] = table
    b.span("label", "合　计", 0, 2)
    for col, key in ((3, "budget"), (4, "executed")):
        b.put(
            Cell(
                b.row,
                col,
                "formula",
                f"=SUM({table.ref(key + '_num', False)})",
                vtype="money",
                result=f"tasks.total.{key}",
            )
        )
    bud, e = a1(b.row, 3), a1(b.row, 4)
    b.put(Cell(b.row, 5, "formula", f'=IF(N({bud})>0,{e}/{bud},"")', vtype="rate", result="tasks.total.rate"))
    b.row += 1
    b.sheet.repeat_rows = (0, first - 1)
    b.sheet.freeze = (first, 0)

"""预算执行情况: 年初预算数, 全年预算数, 全年执行数 by source and nature, 分值, 执行率 and its score."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...spec import BlockSpec
from ...values import to_plain
from ..model import (
    Cell,
    a1,
)
from .common import HelpContext, fmt_num

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return None


def help(h: HelpContext) -> list[tuple[str, str]]:
    """How the execution rate and its score are computed, and when a low rate needs its reason."""
    p = h.profile
    adjusted, executed = h.name("budget.adjusted"), h.name("budget.executed")
    text = f"预算执行率 = {executed} ÷ {adjusted}；得分 = 执行率（超过 100% 按 100%）× 分值（{fmt_num(p.execution_weight)} 分）"
    if p.execution_reason_below is not None:
        text += f"；执行率低于 {fmt_num(p.execution_reason_below * 100)}% 时须填写{h.name('budget.reason')}"
    return [("预算执行率", text)]


def place(b: Builder, block: BlockSpec) -> None:
    b.section(block.title, f'="{block.title}（金额单位："&in_money_unit&"）"')
    for col, label in enumerate(("项　目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
        b.put(Cell(b.row, col, "header", label))
    b.sheet.heights[b.row] = 22
    b.row += 1
    for key, label in block.rows:
        if key == "sources":
            for k, name in enumerate(b.profile.fund_sources):
                prefix = label if k == 0 else "　" * len(label)
                _budget_row(
                    b,
                    f"{prefix}{name}",
                    {
                        "initial": f"budget.sources[{k}].initial",
                        "adjusted": f"budget.sources[{k}].adjusted",
                        "executed": f"budget.sources[{k}].executed",
                    },
                )
            continue
        if key == "total":
            _budget_row(
                b,
                label,
                {"initial": "budget.initial", "adjusted": "budget.adjusted", "executed": "budget.executed"},
                scored=True,
            )
            continue
        paths = {
            "basic": {"adjusted": "budget.basic.adjusted", "executed": "budget.basic.executed"},
            "personnel": {"executed": "budget.basic.personnel"},
            "public": {"executed": "budget.basic.public"},
            "project": {"adjusted": "budget.project.adjusted", "executed": "budget.project.executed"},
        }[key]
        _budget_row(b, label, paths)
    b.put(Cell(b.row, 0, "label", "执行偏差原因"))
    reason = b.profile.execution_reason_below
    message = (
        f"预算执行率低于 {fmt_num(reason * 100)}% 时必须填写原因。"
        if reason is not None
        else "预算执行率偏低或超支时，说明原因及改进措施。"
    )
    b.input(
        "budget.reason",
        1,
        "longtext",
        b.sheet.width - 1,
        validation={"validate": "any", "input_title": "执行偏差原因", "input_message": message},
    )
    b.sheet.heights[b.row] = 36
    b.row += 1


def _budget_row(b: Builder, label: str, paths: dict[str, str], scored: bool = False) -> None:
    b.put(Cell(b.row, 0, "label", label))
    for col, key in ((1, "initial"), (2, "adjusted"), (3, "executed")):
        if key in paths:
            b.input(paths[key], col, "money")
        else:
            b.put(Cell(b.row, col, "na"))
    if scored:
        b.input("budget.weight", 4, "weight", default=to_plain(b.profile.execution_weight))
        w = b.numbers["budget.weight"]
        adj, exe = b.numbers["budget.adjusted"], b.numbers["budget.executed"]
        b.put(
            Cell(
                b.row,
                5,
                "formula",
                f'=IF(AND(ISNUMBER({adj}),ISNUMBER({exe})),IF({adj}>0,{exe}/{adj},""),"")',
                vtype="rate",
                name="execution_rate",
                result="execution_rate",
            )
        )
        rate = a1(b.row, 5)
        b.put(
            Cell(
                b.row,
                6,
                "formula",
                f"=IF(ISNUMBER({rate}),MAX(0,MIN({rate},1)),0)*{w}",
                vtype="score",
                name="execution_score",
                result="execution_score",
            )
        )
    else:
        for col in (4, 5, 6):
            b.put(Cell(b.row, col, "na"))
    b.sheet.heights[b.row] = 20
    b.row += 1

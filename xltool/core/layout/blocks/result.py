"""自评结果: the computed scores beside the unit's stated ones, with a live 一致/不一致 check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...spec import BlockSpec, Profile
from ..model import (
    Cell,
    a1,
)
from .common import HelpContext, fmt_num
from .indicators import indicator_fields as _indicator_fields

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return None


def help(h: HelpContext) -> list[tuple[str, str]]:
    """The grades, the precision, and that stated figures are checked."""
    return [
        grade_help(h.profile),
        ("核对", f"得分与比率保留 {h.profile.score_decimals} 位小数；“单位填报”栏的数字将与系统计算结果核对"),
    ]


def grade_help(p: Profile) -> tuple[str, str]:
    """The 等次 line: each grade's lower bound, the last one the rest."""
    grades = sorted(p.grades, key=lambda g: g.min, reverse=True)
    text = "，".join(f"{g.label}（{fmt_num(g.min)} 分及以上）" for g in grades[:-1])
    return ("等次", f"{text}，其余为{grades[-1].label}")


def place(b: Builder, block: BlockSpec) -> None:
    """The computed scores (named cells), the unit's own stated figures beside them, and a live check.

    The indicator table stands on a later sheet: ``{indicators.field}`` placeholders are resolved to its
    ranges once every sheet is laid out.
    """
    b.section(block.title)
    for first, last, label in ((0, 0, "项　目"), (1, 2, "系统计算（自动）"), (3, 4, "单位填报"), (5, 6, "核对")):
        b.span("header", label, first, last)
    b.row += 1
    total = fmt_num(b.profile.total_weight)
    tolerance = fmt_num(b.profile.score_tolerance)
    fields = _indicator_fields(b)
    weight_total = (
        '=num_budget_weight+SUMIFS({indicators.weight_num},{indicators.applicable_num},1,{indicators.weight_num},">=0")'
    )
    if "applicable" in fields:
        normalized = (
            '=IF(COUNTIF({indicators.applicable_num},0)>0,IF(weight_total>0,total_score/weight_total*100,""),"")'
        )
    else:  # every indicator counts: no 换算得分
        normalized = '=""'
    places = b.profile.score_decimals
    rows: list[tuple[str, str, str, str, str | None, str, str]] = [
        (
            "预算执行率",
            "=execution_rate",
            "rate",
            "",
            "stated.execution_rate",
            "rate",
            '=IF(OR({s}="",{c}=""),"",IF(ABS({s}-{c})>0.00005,"不一致","一致"))',
        ),
        ("预算执行率得分", "=execution_score", "score", "", None, "", ""),
        ("绩效指标得分", "=SUM({indicators.computed})", "score", "indicator_score", None, "", ""),
        (
            "分值合计",
            weight_total,
            "weight",
            "weight_total",
            None,
            "",
            f'=IF({{c}}={total},"","应为{total}")',
        ),
        (
            "自评总分",
            "=execution_score+indicator_score",
            "score",
            "total_score",
            "stated.total_score",
            "score",
            f'=IF({{s}}="","",IF(ABS({{s}}-{{c}})>{tolerance},"不一致","一致"))',
        ),
        (
            "换算得分（剔除不适用指标）",
            normalized,
            "score",
            "normalized_score",
            None,
            "",
            "",
        ),
        (
            "自评等次",
            f"=LOOKUP(ROUND(IF(ISNUMBER(normalized_score),normalized_score,total_score),{places}),"
            "lst_grade_mins,lst_grade_labels)",
            "text",
            "grade",
            "stated.grade",
            "grade",
            '=IF({s}="","",IF({s}={c},"一致","不一致"))',
        ),
    ]
    for label, formula, vtype, name, stated, stated_type, check in rows:
        b.put(Cell(b.row, 0, "label", label))
        key = name or formula.lstrip("=")
        computed = b.span("formula", formula, 1, 2, vtype=vtype, name=name, result=key)
        c_ref = a1(computed.row, 1)
        if stated:
            if stated_type == "grade":
                b.input(
                    stated,
                    3,
                    "text",
                    4,
                    validation=b.choice("lst_grades", "单位自评等次", "选择单位自评的等次。"),
                )
            else:
                b.input(stated, 3, stated_type, 4)
            s_ref = b.numbers.get(stated, f"TRIM({a1(b.row, 3)})")
            b.span("formula", check.format(s=s_ref, c=c_ref), 5, 6, vtype="check", result=f"check.{key}")
        else:
            b.span("na", None, 3, 4)
            if check:
                b.span("formula", check.format(c=c_ref), 5, 6, vtype="check", result=f"check.{key}")
            else:
                b.span("na", None, 5, 6)
        b.sheet.heights[b.row] = 20
        b.row += 1

"""考核结果 of a category sheet: 适用满分, 得分, 换算得分, 加分, 扣分, 总分 and 等次."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...spec import BlockSpec
from ..model import (
    Cell,
    a1,
)
from .common import HelpContext, fmt_num
from .result import grade_help

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return None


def help(h: HelpContext) -> list[tuple[str, str]]:
    """How the total of a category sheet is made, and the grades."""
    p = h.profile
    bonus = [c.name for c in p.categories if c.bonus]
    text = "考核总分 = 换算得分（各项得分之和 ÷ 适用满分之和 × 100）"
    if bonus:
        cap = f"（合计不超过 {fmt_num(p.bonus_max)} 分）" if p.bonus_max is not None else ""
        text += f" + {'、'.join(bonus)}得分{cap}"
    text += " − 扣分"
    return [("考核总分", text), grade_help(p), ("核对", "“单位填报”栏的总分、等次将与系统计算结果核对")]


def place(b: Builder, block: BlockSpec) -> None:
    prof = b.profile
    b.section(block.title or "考核结果")
    for first, last, label in ((0, 0, "项　目"), (1, 2, "系统计算（自动）"), (3, 4, "单位填报"), (5, 6, "核对")):
        b.span("header", label, first, last)
    b.row += 1
    regular = [c for c, cat in enumerate(prof.categories) if not cat.bonus]
    bonus = [c for c, cat in enumerate(prof.categories) if cat.bonus]
    base_max = "+".join(f"category_{c + 1}_max" for c in regular) or "0"
    base_score = "+".join(f"category_{c + 1}_score" for c in regular) or "0"
    bonus_sum = "+".join(f"category_{c + 1}_score" for c in bonus) or "0"
    bonus_formula = f"MIN({bonus_sum},{fmt_num(prof.bonus_max)})" if prof.bonus_max is not None else bonus_sum
    places = prof.score_decimals
    tolerance = fmt_num(prof.score_tolerance)
    rows = [
        ("适用满分合计", f"={base_max}", "weight", "category_max", None, "", ""),
        ("得分合计", f"={base_score}", "score", "category_score", None, "", ""),
        (
            "换算得分（得分÷适用满分×100）",
            '=IF(category_max>0,category_score/category_max*100,"")',
            "score",
            "normalized_score",
            None,
            "",
            "",
        ),
        ("加分", f"={bonus_formula}", "score", "bonus_score", None, "", ""),
        ("扣分", '=SUMIF({deductions.points_num},">0")', "score", "deduction_total", None, "", ""),
        (
            "考核总分",
            "=MAX(0,N(normalized_score)+bonus_score-deduction_total)",
            "score",
            "total_score",
            "stated.total_score",
            "score",
            f'=IF({{s}}="","",IF(ABS({{s}}-{{c}})>{tolerance},"不一致","一致"))',
        ),
        (
            "等次",
            f"=LOOKUP(ROUND(total_score,{places}),lst_grade_mins,lst_grade_labels)",
            "text",
            "grade",
            "stated.grade",
            "grade",
            '=IF({s}="","",IF({s}={c},"一致","不一致"))',
        ),
    ]
    for label, formula, vtype, name, stated, stated_type, check in rows:
        b.put(Cell(b.row, 0, "label", label))
        computed = b.span("formula", formula, 1, 2, vtype=vtype, name=name, result=name)
        if stated:
            validation = (
                b.choice("lst_grades", "单位自评等次", "选择单位自评的等次。") if stated_type == "grade" else None
            )
            b.input(stated, 3, "text" if stated_type == "grade" else stated_type, 4, validation=validation)
            b.span(
                "formula",
                check.format(s=b.numbers.get(stated, f"TRIM({a1(b.row, 3)})"), c=a1(computed.row, 1)),
                5,
                6,
                vtype="check",
                result=f"check.{name}",
            )
        else:
            b.span("na", None, 3, 4)
            b.span("na", None, 5, 6)
        b.sheet.heights[b.row] = 20
        b.row += 1

"""The account of a year's money: what was carried in, plus what came in, less what went out, is what is carried
out — “1.2019年结余结转29.32万元。2.收入:594.95万元。3.支出:596.25万元。4.年终结转结余28.02万元。” — and the two
grand totals of a 收入支出决算总表, 收入总计 and 支出总计, are the same money.

Only figures named as the whole of their side are taken (本年收入合计, 收入:, 支出总计), never a part of one (财政拨款
收入, 基本支出), and only all four of an account within one section, each the first of its kind there: where a
report gives the account of one fund beside another, the first of each is the unit's.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from ..values import shortest
from .base import Lint, sum_slack
from .quantities import Figure

CODES = ("sum.mismatch",)

_PART_WORDS = r"拨款|其他|事业|经营|附属|上级|补助|基本|项目|人员|公用|政府性|专户|国有|一般公共|调剂|债务|三公"
_ROLES = {
    "in": re.compile(r"(?:上年|年初|上年度)(?:结转|结余)|(?P<year>20\d\d)年度?(?:结余结转|结转结余|结转和结余)"),
    "income": re.compile(r"(?:本年度?|全年|年度)?收入(?:合计|总额)?(?:为|是|共)?$"),
    "spending": re.compile(r"(?:本年度?|全年|年度)?支出(?:合计|总额)?(?:为|是|共)?$"),
    "out": re.compile(r"(?:年末|年终|期末)(?:结转|结余)"),
}
_GRAND = {
    "income": re.compile(r"收入总计(?:为|是)?$"),
    "spending": re.compile(r"支出总计(?:为|是)?$"),
}
_PART = re.compile(_PART_WORDS)
_YEAR = re.compile(r"(20\d\d)\s*年")


def _label(text: str, f: Figure) -> str:
    """The words naming a figure: back to the clause mark before it (a colon belongs to the name: 收入:594.95万元),
    without the list number in front (1.2019年结余结转 → 2019年结余结转)."""
    before = text[: f.start]
    cut = max(before.rfind(ch) for ch in ",;。!?()")
    label = before[cut + 1 :].strip(" :")
    return re.sub(r"^(?:\d{1,2}[.、]|\(\d{1,2}\))\s*", "", label)


def _role(text: str, f: Figure, pattern: re.Pattern[str]) -> bool:
    """The figure names its side of the account as a whole (not a part of it, not a budget for it: 年初预算支出
    is what was planned, not what was spent)."""
    label = _label(text, f)
    planned = f.facets().get("stage") == "预算"
    return bool(pattern.search(label)) and not _PART.search(label) and not f.is_change and not planned


def run(lint: Lint) -> None:
    by_section: dict[int, dict[str, tuple[Figure, int, str]]] = {}
    grand: dict[int, dict[str, tuple[Figure, int, str]]] = {}
    years = Counter(y for s in lint.sentences for y in _YEAR.findall(s.text))
    year = years.most_common(1)[0][0] if years else None  # the report's year: the one it names most
    for s, figures in zip(lint.sentences, lint.figures, strict=True):
        roles = by_section.setdefault(s.section, {})
        totals = grand.setdefault(s.section, {})
        for f in figures:
            if f.kind != "money" or lint.aside(s, f.start):
                continue
            for role, pattern in _ROLES.items():
                if role not in roles and _role(s.text, f, pattern):
                    roles[role] = (f, s.index, _label(s.text, f))
            for role, pattern in _GRAND.items():
                if role not in totals and _role(s.text, f, pattern):
                    totals[role] = (f, s.index, _label(s.text, f))
    for roles in by_section.values():
        _account(lint, roles, year)
    for totals in grand.values():
        _grand_totals(lint, totals)


def _account(lint: Lint, roles: dict[str, tuple[Figure, int, str]], year: str | None) -> None:
    if set(roles) != set(_ROLES):
        return
    (carried, _, label), (income, _, _), (spending, _, _), (out, at, _) = (
        roles[r] for r in ("in", "income", "spending", "out")
    )
    named = _ROLES["in"].search(label)
    if named and named["year"] and year and int(named["year"]) >= int(year):
        return  # the balance carried out of this year, not into it
    figures = [carried, income, spending, out]
    if len({f.unit for f in figures}) > 1:
        return
    computed = carried.value + income.value - spending.value
    if abs(computed - out.value) <= sum_slack(figures):
        return
    s = lint.sentences[at]
    lint.add(
        "sum.mismatch",
        "balance",
        at=s,
        expected=shortest(computed),
        found=out.text,
        carried=f"{carried.text}{carried.unit}",
        income=f"{income.text}{income.unit}",
        spending=f"{spending.text}{spending.unit}",
        out=f"{out.text}{out.unit}",
        computed=f"{shortest(computed)}{out.unit}",
    )


def _grand_totals(lint: Lint, totals: dict[str, tuple[Figure, int, str]]) -> None:
    if set(totals) != set(_GRAND):
        return
    (income, _, _), (spending, at, _) = totals["income"], totals["spending"]
    if income.wan == spending.wan or abs(income.wan - spending.wan) <= sum_slack([income, spending]) * (
        income.wan / income.value if income.value else Decimal(1)
    ):
        return
    lint.add(
        "sum.mismatch",
        "grand-totals",
        at=lint.sentences[at],
        expected=f"{spending.text}{spending.unit}",
        found=f"{income.text}{income.unit}",
    )

"""Figures a reviewer questions: staff above the authorized number, 「三公」经费 above budget."""

from __future__ import annotations

from decimal import Decimal

from ..scores import number
from .base import SUSPECT_RATIO, Context, pct, plain

CODES = ("staff.over", "budget.three-public-over")


def check(ctx: Context) -> None:
    doc = ctx.doc
    staff = doc.staff
    posts = staff.authorized if staff else None
    people = staff.actual if staff else None
    if isinstance(posts, int) and isinstance(people, int) and 0 < posts < people:
        rate = Decimal(people) / Decimal(posts)
        ctx.add("staff.over", "warning", "staff.actual", posts, people, rate=pct(rate))
    three = doc.budget.three_public
    if three:
        budget, actual = number(three.budget), number(three.actual)
        if budget is not None and actual is not None and actual > budget + ctx.tol and actual < budget * SUSPECT_RATIO:
            ctx.add("budget.three-public-over", "warning", "budget.three_public.actual", plain(budget), plain(actual))

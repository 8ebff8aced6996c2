"""The stated 总分 and 等次 against the recomputed ones."""

from __future__ import annotations

from decimal import Decimal

from ..scores import number, round_half_up
from ..values import decimals_of
from .base import Context, num, plain, same_grade

CODES = ("score.total-mismatch", "grade.mismatch")


def check(ctx: Context) -> None:
    stated = ctx.doc.stated
    if stated is None or not ctx.scored:
        return
    graded = ctx.scores.graded_total
    stated_total = number(stated.total_score)
    own = _own_sum(ctx)
    if stated_total is not None:
        places = decimals_of(stated.total_score)
        measure = own[0] if own is not None else graded
        if round_half_up(measure, places) != stated_total and abs(measure - stated_total) > ctx.profile.score_tolerance:
            extra = {"execution": num(own[1]), "indicators": num(own[2]), "variant": "own"} if own else {}
            ctx.add(
                "score.total-mismatch",
                "error",
                "stated.total_score",
                plain(round_half_up(measure, 2)),
                plain(stated_total),
                anchor_name="total_score",
                **extra,
            )
    if stated.grade and not same_grade(stated.grade, ctx.scores.grade):
        ctx.add("grade.mismatch", "error", "stated.grade", ctx.scores.grade, stated.grade, total=num(graded))


def _own_sum(ctx: Context) -> tuple[Decimal, Decimal, Decimal] | None:
    """On an official form whose every indicator states its 得分: the sum of the form's own figures (its stated
    执行率得分, else the computed one, plus the stated scores), and its two parts. A stated 总分 is checked against
    that; a row score the rules disagree with is reported on its row, not again in the total."""
    doc = ctx.doc
    rows = doc.indicators
    if not ctx.official or not rows or not all(ind.applicable for ind in rows):
        return None
    scores = [number(ind.score) for ind in rows]
    if any(score is None for score in scores):
        return None
    stated_exec = number(doc.stated.execution_score) if doc.stated else None
    execution = stated_exec if stated_exec is not None else ctx.scores.execution_score
    indicators = sum((s for s in scores if s is not None), Decimal(0))
    return execution + indicators, execution, indicators

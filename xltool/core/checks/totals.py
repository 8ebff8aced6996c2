"""The stated 总分 and 等次 against the recomputed ones."""

from __future__ import annotations

from ..scores import number, round_half_up
from ..values import decimals_of
from .base import Context, num, plain, same_grade

CODES = ("score.total-mismatch", "grade.mismatch")


def check(ctx: Context) -> None:
    stated = ctx.doc.stated
    if stated is None:
        return
    graded = ctx.scores.graded_total
    stated_total = number(stated.total_score)
    if stated_total is not None:
        places = decimals_of(stated.total_score)
        if round_half_up(graded, places) != stated_total and abs(graded - stated_total) > ctx.profile.score_tolerance:
            ctx.add(
                "score.total-mismatch",
                "error",
                "stated.total_score",
                plain(round_half_up(graded, 2)),
                plain(stated_total),
                anchor_name="total_score",
            )
    if stated.grade and not same_grade(stated.grade, ctx.scores.grade):
        ctx.add("grade.mismatch", "error", "stated.grade", ctx.scores.grade, stated.grade, total=num(graded))

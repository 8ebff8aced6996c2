"""Each indicator row: duplicates, a score above its weight, the zero target, the entered score against the scheme's, the qualitative band, a missing deviation reason, over-achievement."""

from __future__ import annotations

from decimal import Decimal

from ..scores import number, round_half_up
from ..values import decimals_of
from .base import Context, key_of, num, pct, plain

CODES = (
    "indicator.duplicate",
    "score.exceeds-weight",
    "indicator.zero-target",
    "indicator.coefficient-high",
    "score.mismatch",
    "score.out-of-band",
    "indicator.reason-missing",
    "indicator.over-achieved",
)


def check(ctx: Context) -> None:
    prof, doc = ctx.profile, ctx.doc
    seen: dict[tuple[str, str, str], int] = {}
    tol = prof.score_tolerance
    for i, (ind, item) in enumerate(zip(doc.indicators, ctx.scores.items, strict=True)):
        if ind.name:
            key = (key_of(ind.level1), key_of(ind.level2), key_of(ind.name))
            if key in seen:
                ctx.add(
                    "indicator.duplicate",
                    "error",
                    f"indicators[{i}].name",
                    None,
                    ind.name,
                    first=seen[key] + 1,
                    **ctx.row(i),
                )
            else:
                seen[key] = i
        entered = number(ind.score)
        weight = number(ind.weight)
        exceeded = entered is not None and weight is not None and entered > weight + tol
        if exceeded:
            ctx.add(
                "score.exceeds-weight",
                "error",
                f"indicators[{i}].score",
                plain(weight or Decimal(0)),
                plain(entered or Decimal(0)),
                **ctx.row(i),
            )
        if not ind.applicable:
            continue
        if item.problem == "zero-target":
            ctx.add(
                "indicator.zero-target",
                "warning",
                f"indicators[{i}].target",
                None,
                ind.target,
                score=num(item.score),
                **ctx.row(i),
            )
        by_coefficient = prof.indicator_scoring == "coefficient"
        if by_coefficient and item.rule is not None and item.problem is None and item.score > item.rule + tol:
            ctx.add(
                "indicator.coefficient-high",
                "warning",
                f"indicators[{i}].coefficient",
                pct(item.rule / item.weight) if item.weight else None,
                pct(number(ind.coefficient) or Decimal(0)),
                **ctx.row(i),
            )
        banded = entered if entered is not None else (item.score if by_coefficient and item.problem is None else None)
        comparable = (
            entered is not None
            and not exceeded
            and item.problem is None
            and (by_coefficient or (item.band is None and ind.kind in ("positive", "negative", "equal", "deadline")))
        )
        if comparable and entered is not None:
            places = decimals_of(ind.score)
            if round_half_up(item.score, places) != entered and abs(item.score - entered) > tol:
                ctx.add(
                    "score.mismatch",
                    "error",
                    f"indicators[{i}].score",
                    plain(round_half_up(item.score, 2)),
                    plain(entered),
                    rule_key=ctx.scheme.rule_key(ind),
                    **ctx.row(i),
                )
        if banded is not None and not exceeded and weight is not None and item.band is not None:
            low, high = item.band
            top = high >= weight
            if banded < low - tol or banded > high + tol or (not top and banded >= high):
                ctx.add(
                    "score.out-of-band",
                    "error",
                    f"indicators[{i}].score",
                    f"{num(low)}–{num(high)}",
                    plain(banded),
                    tier=ind.actual,
                    low=num(low),
                    high=num(high),
                    bound_key="bound.closed" if top else "bound.open",
                    **ctx.row(i),
                )
        # on an official form the unit's own score says whether it fell short (a full score the rules disagree
        # with is the score's finding, above); in the template, the live sheet's score does
        short = entered if ctx.official and entered is not None else item.score
        if item.weight > 0 and short < item.weight - tol and not ind.reason and item.problem is None:
            lacking = "reason" in ctx.absent  # the form has no reason column: nothing to fill in on it
            ctx.add(
                "indicator.reason-missing",
                "info" if lacking else "error",
                f"indicators[{i}].reason" if not lacking else f"indicators[{i}].score",
                None,
                None,
                score=num(short),
                weight=num(item.weight),
                variant="no-column" if lacking else None,
                **ctx.row(i),
            )
        threshold = prof.over_achievement
        target, actual = number(ind.target), number(ind.actual)
        if (
            threshold is not None
            and ind.kind == "positive"
            and target
            and target > 0
            and actual is not None
            and actual >= target * (1 + threshold)
            and not ind.reason
        ):
            ctx.add(
                "indicator.over-achieved",
                "warning",
                f"indicators[{i}].actual",
                plain(target),
                ind.actual,
                threshold=pct(threshold, 0),
                **ctx.row(i),
            )

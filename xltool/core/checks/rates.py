"""The execution rate: above 100 % (capped), a stated rate or 执行率得分 against the amounts at its stated precision."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from ..scores import number, round_half_up
from ..values import decimals_of
from .base import Context, pct, plain

CODES = ("rate.over", "rate.mismatch", "score.execution-mismatch")


def check(ctx: Context) -> None:
    rate = ctx.scores.execution_rate
    stated = ctx.doc.stated.execution_rate if ctx.doc.stated else None
    stated_n = number(stated)
    if rate is not None and rate > 1:
        ctx.add("rate.over", "info", "budget.executed", None, pct(rate), rate=pct(rate))
    _execution_score(ctx)
    if rate is None or stated_n is None:
        return
    places = _places(ctx, stated)
    expected = round_half_up(rate, places)
    truncated = rate.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
    if expected != stated_n and (abs(rate - stated_n) > Decimal("0.00005") or truncated == stated_n):
        ctx.add(
            "rate.mismatch",
            "error",
            "stated.execution_rate",
            pct(expected, max(places - 2, 0)),
            pct(stated_n, max(places - 2, 0)),
            hint_key="hint.truncated" if truncated == stated_n else "hint.none",
        )


def _execution_score(ctx: Context) -> None:
    """A stated 预算执行率得分 (official forms print one) against rate × weight, at its stated precision."""
    raw = ctx.doc.stated.execution_score if ctx.doc.stated else None
    stated = number(raw)
    if stated is None or ctx.scores.execution_rate is None:
        return
    computed = ctx.scores.execution_score
    places = decimals_of(raw)
    if round_half_up(computed, places) != stated and abs(computed - stated) > ctx.profile.score_tolerance:
        ctx.add(
            "score.execution-mismatch",
            "error",
            "stated.execution_score",
            plain(round_half_up(computed, 2)),
            plain(stated),
        )


def _places(ctx: Context, stated: object) -> int:
    """The decimals of the fraction a stated rate is compared at. Written as a percentage (``97.8%``, ``90%``), the
    percentage's own decimals (two more for the fraction, so ``90%`` is whole per cent). Written as a plain fraction
    with its decimals (``0.1`` shown for 14.46 % by a cell format, ``0.8946``), its own: the unit's figure is right
    at the precision it is written with."""
    raw = next((n.raw for n in ctx.notes if n.path == "stated.execution_rate" and n.code == "normalized"), stated)
    places = decimals_of(stated)
    percent = isinstance(raw, str) and ("%" in raw or "％" in raw)
    return max(places, 2) if percent or places < 1 else places

"""Rules some profiles add: a reason for low execution, word limits on narrative boxes."""

from __future__ import annotations

from .base import Context, pct

CODES = ("budget.reason-missing", "narrative.too-long")


def check(ctx: Context) -> None:
    """Rules some profiles add: a reason for low execution, word limits on narrative boxes."""
    prof, doc = ctx.profile, ctx.doc
    rate = ctx.scores.execution_rate
    threshold = prof.execution_reason_below
    if threshold is not None and rate is not None and rate < threshold and not doc.budget.reason:
        lacking = "budget.reason" in ctx.absent  # the form has no reason cell in its money block
        ctx.add(
            "budget.reason-missing",
            "info" if lacking else "error",
            "budget.executed" if lacking else "budget.reason",
            None,
            pct(rate),
            threshold=pct(threshold, 0),
            rate=pct(rate),
            variant="no-column" if lacking else None,
        )
    for key, limit in prof.narrative_limits.items():
        text = getattr(doc.narrative, key, None) if doc.narrative else None
        length = len("".join((text or "").split()))
        if length > limit:
            ctx.add("narrative.too-long", "error", f"narrative.{key}", limit, length)

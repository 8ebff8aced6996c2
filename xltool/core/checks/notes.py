"""Findings from reading the values: text where a number belongs, messy values understood, empty ones inferred, formulas in input cells, 指标性质 contradicted by the target."""

from __future__ import annotations

from ..scores import number
from .base import Context, raw

CODES = (
    "field.type",
    "indicator.tier",
    "field.normalized",
    "field.inferred",
    "field.formula",
    "indicator.kind-conflict",
    "indicator.deadline",
)


def check(ctx: Context) -> None:
    tiers = "、".join(t.label for t in ctx.profile.tiers)
    for note in ctx.notes:
        if note.code == "type":
            if note.expect == "tier":
                if ctx.official and _scored_row(ctx, note.path):
                    # an official form's 定性 actual is the unit's own words (受众欢迎显著): the unit's score stands
                    ctx.add("indicator.tier", "info", note.path, tiers, note.raw, tiers=tiers, variant="scored")
                else:
                    ctx.add("indicator.tier", "error", note.path, tiers, note.raw, tiers=tiers)
            else:
                ctx.add(
                    "field.type",
                    "error",
                    note.path,
                    note.expect,
                    raw(note.raw),
                    expect_key=f"expect.{note.expect}",
                )
        elif note.code == "normalized":
            converted = note.expect == "money" and isinstance(note.raw, str) and "元" in note.raw
            ctx.add("field.normalized", "warning" if converted else "info", note.path, note.value, raw(note.raw))
        elif note.code == "inferred":
            value = ctx.profile.kinds.get(str(note.value), note.value)
            variant = note.expect if note.expect in ("supervisor", "score") else None  # the form's own figures
            ctx.add("field.inferred", "info", note.path, value, raw(note.raw), variant=variant)
        elif note.code == "deadline":
            done = note.value
            variant = "met" if done else ("not-met" if done is False else None)
            ctx.add("indicator.deadline", "info", note.path, None, raw(note.raw), variant=variant)
        elif note.code == "formula":
            ctx.add("field.formula", "error", note.path)
        elif note.code == "conflict":
            ctx.add(
                "indicator.kind-conflict",
                "warning",
                note.path,
                ctx.profile.kinds.get(str(note.expect)),
                raw(note.raw),
                kind=ctx.profile.kinds.get(str(note.value)),
            )


def _scored_row(ctx: Context, path: str) -> bool:
    """Whether the indicator row of ``path`` (``indicators[3].actual``) carries a score the unit entered."""
    if not path.startswith("indicators["):
        return False
    i = int(path[len("indicators[") : path.index("]")])
    rows = ctx.doc.indicators
    return i < len(rows) and number(rows[i].score) is not None

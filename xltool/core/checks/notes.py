"""Findings from reading the values: text where a number belongs, messy values understood, empty ones inferred, formulas in input cells, 指标性质 contradicted by the target."""

from __future__ import annotations

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
            ctx.add("field.inferred", "info", note.path, value, raw(note.raw))
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

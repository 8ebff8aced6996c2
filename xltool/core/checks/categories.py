"""A category sheet (the ``categories`` scheme): identity, every applicable item scored within its 满分, deductions with their reasons, the bonus within its cap."""

from __future__ import annotations

from decimal import Decimal

from ..scores import number
from .base import Context, plain

CODES = ("field.required", "score.exceeds-weight", "score.bonus-capped")


def applies(ctx: Context) -> bool:
    return ctx.scheme.categories


def check(ctx: Context) -> None:
    """A category-scored sheet: identity, every applicable item scored within its maximum, deductions
    with their reasons, the bonus within its cap."""
    doc, tol = ctx.doc, ctx.profile.score_tolerance
    for path, value in (("unit.name", doc.unit.name), ("year", doc.year)):
        if value is None and path not in ctx.typed:
            ctx.add("field.required", "error", path)
    if not any(cat.items for cat in doc.categories):
        ctx.add("field.required", "error", "categories", anchor_name="tbl_category_1")
    for c, cat in enumerate(doc.categories):
        for i, item in enumerate(cat.items):
            path = f"categories[{c}].items[{i}]"
            top, got = number(item.max), number(item.score)
            if top is None and f"{path}.max" not in ctx.typed and (got is not None or item.applicable):
                ctx.add("field.required", "error", f"{path}.max", category=cat.name)
            if item.applicable and got is None and top is not None and f"{path}.score" not in ctx.typed:
                ctx.add("field.required", "error", f"{path}.score", category=cat.name)
            if top is not None and got is not None and got > top + tol:
                ctx.add(
                    "score.exceeds-weight",
                    "error",
                    f"{path}.score",
                    plain(top),
                    plain(got),
                    row_field=path,
                    name=item.name,
                )
    for i, deduction in enumerate(doc.deductions):
        if deduction.points is not None and not deduction.reason:
            ctx.add("field.required", "error", f"deductions[{i}].reason")
    cats, bonus_max = ctx.scores.categories, ctx.profile.bonus_max
    if cats is not None and bonus_max is not None:
        raw_bonus = sum(
            (score for (_, score), cat in zip(cats.per_category, doc.categories, strict=True) if cat.bonus),
            Decimal(0),
        )
        if raw_bonus > bonus_max:
            ctx.add(
                "score.bonus-capped",
                "info",
                "categories",
                plain(bonus_max),
                plain(raw_bonus),
                anchor_name="bonus_score",
            )

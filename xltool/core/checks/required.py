"""Required inputs: the unit, the year, the money, and what each applicable indicator row needs under the profile's scheme."""

from __future__ import annotations

from decimal import Decimal

from ..scores import number
from ..values import shortest
from .base import Context

CODES = ("field.required", "field.type", "indicator.values-missing")


def applies(ctx: Context) -> bool:
    return not ctx.scheme.categories


def check(ctx: Context) -> None:
    doc = ctx.doc
    wanted = [
        ("unit.name", doc.unit.name),
        ("year", doc.year),
        ("budget.adjusted", doc.budget.adjusted),
        ("budget.executed", doc.budget.executed),
    ]
    if doc.form == "project":
        wanted.append(("project_name", doc.project_name))
    for path, value in wanted:
        if value is None and path not in ctx.typed:
            if path == "year" and ctx.official:
                # an official form has no year cell: the year stands in its title line, which this one lacks
                ctx.add("field.required", "warning", path, variant="no-year")
            else:
                ctx.add("field.required", "error", path)
    if isinstance(doc.year, int) and not 2000 <= doc.year <= 2100:
        ctx.add("field.type", "error", "year", "2000–2100", doc.year, expect_key="expect.year")
    if not doc.indicators:
        ctx.add("field.required", "error", "indicators", anchor_name="tbl_indicators")
    quantity = {n.path for n in ctx.notes if n.code == "quantity"}
    for i, ind in enumerate(doc.indicators):
        if not ind.applicable:
            continue
        needed = ["name"] if ctx.no_weights else ["name", "weight"]
        if ind.kind != "qualitative":
            needed += ["target", "actual"]
        else:
            needed.append("actual")
        if ind.kind is None and ind.target is None and f"indicators[{i}].kind" not in quantity:
            needed.append("kind")  # a row that says 定量 has its kind: what it lacks is the target
        needed += ctx.scheme.needs
        empty = [
            key
            for key in needed
            if key not in ctx.absent  # a column the form lacks is asked of nobody
            and getattr(ind, key) is None
            and f"indicators[{i}].{key}" not in ctx.typed
        ]
        if "actual" in empty and number(ind.score) is not None:
            # the unit scored the row without its figures: one finding for the empty cells, the score kept
            values = [key for key in ("target", "actual") if key in empty]
            ctx.add(
                "indicator.values-missing",
                "warning",
                f"indicators[{i}].{values[0]}",
                None,
                None,
                score=shortest(number(ind.score) or Decimal(0)),
                variant=None if len(values) == 2 else "actual",
                **ctx.row(i),
            )
            empty = [key for key in empty if key not in ("target", "actual", "kind")]
        for key in empty:
            ctx.add("field.required", "error", f"indicators[{i}].{key}", name=ind.name)

"""Required inputs: the unit, the year, the money, and what each applicable indicator row needs under the profile's scheme."""

from __future__ import annotations

from .base import Context

CODES = ("field.required", "field.type")


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
        for key in needed:
            path = f"indicators[{i}].{key}"
            if getattr(ind, key) is None and path not in ctx.typed:
                ctx.add("field.required", "error", path, name=ind.name)

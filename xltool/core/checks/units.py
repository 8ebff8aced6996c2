"""Money in the wrong unit: amounts out of scale with each other or with the form's 元/万元."""

from __future__ import annotations

from decimal import Decimal
from statistics import median

from ..scores import number
from .base import SUSPECT_RATIO, Context, plain

CODES = ("unit.suspect",)


def check(ctx: Context) -> None:
    doc, b = ctx.doc, ctx.doc.budget
    unit = doc.money_unit
    other = "元" if unit == "万元" else "万元"
    amounts: list[tuple[str, Decimal]] = []
    for path, value in [
        ("budget.initial", b.initial),
        ("budget.adjusted", b.adjusted),
        ("budget.executed", b.executed),
    ]:
        if (n := number(value)) is not None and n > 0:
            amounts.append((path, n))
    for part, keys in ((b.basic, ("adjusted", "executed")), (b.project, ("adjusted", "executed"))):
        if part is not None:
            prefix = "budget.basic" if part is b.basic else "budget.project"
            amounts += [(f"{prefix}.{k}", n) for k in keys if (n := number(getattr(part, k))) is not None and n > 0]
    for i, src in enumerate(b.sources):
        amounts += [
            (ctx.source_path(i, k), n)
            for k in ("initial", "adjusted", "executed")
            if (n := number(getattr(src, k))) is not None and n > 0
        ]
    flagged: set[str] = set()
    if len(amounts) >= 3:
        mid = Decimal(str(median(float(n) for _, n in amounts)))
        for path, n in amounts:
            if n / mid >= SUSPECT_RATIO or mid / n >= SUSPECT_RATIO:
                flagged.add(path)
                ctx.add("unit.suspect", "warning", path, None, plain(n), unit=unit, other=other if n > mid else unit)
    adjusted = number(b.adjusted)
    if adjusted and "budget.adjusted" not in flagged:
        if unit == "万元" and adjusted >= Decimal(1_000_000):
            ctx.add("unit.suspect", "warning", "budget.adjusted", None, plain(adjusted), unit=unit, other="元")
        elif unit == "元" and adjusted < Decimal(1000):
            ctx.add("unit.suspect", "warning", "budget.adjusted", None, plain(adjusted), unit=unit, other="万元")
    reference = number(b.executed) or adjusted
    if b.three_public and reference:
        for key in ("budget", "actual", "last_year"):
            n = number(getattr(b.three_public, key))
            if n is not None and n > reference:
                ctx.add("unit.suspect", "warning", f"budget.three_public.{key}", None, plain(n), unit=unit, other="元")
    for i, task in enumerate(doc.tasks):
        for key in ("budget", "executed"):
            n = number(getattr(task, key))
            if n is not None and reference and n > reference * 10:
                ctx.add("unit.suspect", "warning", f"tasks[{i}].{key}", None, plain(n), unit=unit, other="元")

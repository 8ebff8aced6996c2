"""分值: the 执行率 weight, the grand total, each 一级 block against the profile, names outside the vocabulary."""

from __future__ import annotations

from decimal import Decimal

from ..scores import number
from .base import Context, num, plain

CODES = ("weight.execution", "weight.sum", "indicator.level", "weight.level1")


def check(ctx: Context) -> None:
    prof, doc = ctx.profile, ctx.doc
    if ctx.no_weights:
        return
    exec_weight = number(doc.budget.weight)
    if exec_weight is not None and exec_weight != prof.execution_weight:
        ctx.add("weight.execution", "warning", "budget.weight", plain(prof.execution_weight), plain(exec_weight))
    weights = [number(ind.weight) or Decimal(0) for ind in doc.indicators]
    total = (exec_weight if exec_weight is not None else prof.execution_weight) + sum(weights, Decimal(0))
    if doc.indicators and total != prof.total_weight:
        ctx.add(
            "weight.sum",
            "error",
            "indicators",
            plain(prof.total_weight),
            plain(total),
            execution=num(exec_weight),
            indicators=num(total - (exec_weight or 0)),
            anchor_name="weight_total",
        )
    by_block: dict[str, Decimal] = {b.name: Decimal(0) for b in prof.level1}
    rows: dict[str, int] = dict.fromkeys(by_block, 0)
    for i, ind in enumerate(doc.indicators):
        if ind.level1 in by_block:
            by_block[ind.level1] += weights[i]
            rows[ind.level1] += 1
        elif ind.level1 is not None:
            ctx.add(
                "indicator.level",
                "warning",
                f"indicators[{i}].level1",
                "、".join(by_block),
                ind.level1,
                what_key="what.level1",
                **ctx.row(i),
            )
        if (
            ind.level1 in by_block
            and ind.level2 is not None
            and ind.level1
            and prof.level1_of(ind.level2) != ind.level1
        ):
            allowed = next(b.level2 for b in prof.level1 if b.name == ind.level1)
            ctx.add(
                "indicator.level",
                "warning",
                f"indicators[{i}].level2",
                "、".join(allowed),
                ind.level2,
                what_key="what.level2",
                **ctx.row(i),
            )
    if not doc.indicators or not prof.level1_prescribed:
        return
    empty = [b for b in prof.level1 if rows[b.name] == 0]
    used = [b for b in prof.level1 if rows[b.name] > 0]
    if empty:  # an unused block's weight may move to the others: compare them together
        if total != prof.total_weight:
            return  # a wrong grand total says it already; which block took what cannot be told
        found = sum((by_block[b.name] for b in used), Decimal(0))
        expected = sum((b.weight for b in prof.level1), Decimal(0))
        if found != expected:
            ctx.add(
                "weight.level1",
                "warning",
                "indicators",
                plain(expected),
                plain(found),
                level1="、".join(b.name for b in used),
                anchor_name="weight_total",
            )
        return
    for block in prof.level1:
        if by_block[block.name] != block.weight:
            first = next(i for i, ind in enumerate(doc.indicators) if ind.level1 == block.name)
            ctx.add(
                "weight.level1",
                "warning",
                f"indicators[{first}].level1",
                plain(block.weight),
                plain(by_block[block.name]),
                level1=block.name,
            )

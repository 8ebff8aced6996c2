"""Totals against their parts: 执行数 = 基本 + 项目, 基本 = 人员 + 公用, fund sources, the annual tasks."""

from __future__ import annotations

from decimal import Decimal

from ..scores import number
from .base import Context, num, plain

CODES = ("sum.mismatch",)


def _sum_check(
    ctx: Context,
    total_path: str,
    total: object,
    parts: list[tuple[str, object]],
    severity: str = "error",
    only_if_over: bool = False,
) -> None:
    whole = number(total)
    values = [number(v) for _, v in parts]
    if whole is None or any(v is None for v in values):
        return
    expected = sum((v for v in values if v is not None), Decimal(0))
    diff = whole - expected
    if abs(diff) > ctx.tol and not (only_if_over and diff >= 0):
        ctx.add(
            "sum.mismatch",
            severity,
            total_path,
            plain(expected),
            plain(whole),
            parts_fields=[p for p, _ in parts],
            diff=num(abs(diff), 4),
        )


def check(ctx: Context) -> None:
    b = ctx.doc.budget
    if b.basic and b.project:
        _sum_check(
            ctx,
            "budget.executed",
            b.executed,
            [("budget.basic.executed", b.basic.executed), ("budget.project.executed", b.project.executed)],
        )
        _sum_check(
            ctx,
            "budget.adjusted",
            b.adjusted,
            [("budget.basic.adjusted", b.basic.adjusted), ("budget.project.adjusted", b.project.adjusted)],
        )
    if b.basic and b.basic.personnel is not None and b.basic.public is not None:
        _sum_check(
            ctx,
            "budget.basic.executed",
            b.basic.executed,
            [("budget.basic.personnel", b.basic.personnel), ("budget.basic.public", b.basic.public)],
        )
    for key in ("initial", "adjusted", "executed"):
        present = [
            (ctx.source_path(i, key), getattr(s, key)) for i, s in enumerate(b.sources) if getattr(s, key) is not None
        ]
        if present:
            _sum_check(ctx, f"budget.{key}", getattr(b, key), present)
    tasks = ctx.doc.tasks
    if tasks:
        outer = b.project if b.project else b
        prefix = "budget.project" if b.project else "budget"
        for key, task_key in (("adjusted", "budget"), ("executed", "executed")):
            task_values = [
                (f"tasks[{i}].{task_key}", getattr(t, task_key))
                for i, t in enumerate(tasks)
                if getattr(t, task_key) is not None
            ]
            if task_values:
                whole = getattr(outer, key)
                total = sum((number(v) or Decimal(0) for _, v in task_values), Decimal(0))
                if number(whole) is not None and total - (number(whole) or 0) > ctx.tol:
                    ctx.add(
                        "sum.mismatch",
                        "warning",
                        f"{prefix}.{key}",
                        plain(total),
                        whole,
                        parts_fields=["tasks"],
                        diff=num(total - (number(whole) or 0), 4),
                        over=True,
                    )

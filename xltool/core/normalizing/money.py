"""The unit and the money: 单位 with its region path, the budget with its weight, fund sources in the profile's
order, 基本支出 / 项目支出 and 三公经费."""

from __future__ import annotations

import re
from typing import Any

from ..document import Basic, Budget, FundRow, ProjectSpend, ThreePublic, Unit
from ..values import clean_text
from .reader import Reader, none_if_empty, plain


def unit(r: Reader, raw: dict[str, Any] | None) -> Unit:
    raw = raw or {}
    region_raw = raw.get("region")
    if isinstance(region_raw, list):
        region = [t for t in (clean_text(part) for part in region_raw) if t]
    else:
        text = clean_text(region_raw) or ""
        region = [part.strip() for part in re.split(r"[/／>＞]", text) if part.strip()]
    return Unit(
        name=r.text(raw, "name", "unit"),
        code=r.text(raw, "code", "unit"),
        region=region,
        contact=r.text(raw, "contact", "unit"),
        phone=r.text(raw, "phone", "unit"),
        supervisor=r.text(raw, "supervisor", "unit"),
    )


def budget(r: Reader, raw: dict[str, Any] | None) -> Budget:
    raw = raw or {}
    weight = r.number(raw, "weight", "budget", unit_words=("分",))
    if weight is None:
        weight = plain(r.profile.execution_weight)
    rows = sources(r, raw)
    basic_raw, project_raw = r.mapping(raw, "basic"), r.mapping(raw, "project")
    three_raw = r.mapping(raw, "three_public")
    basic = project = three = None
    if basic_raw is not None:
        basic = Basic(*(r.money(basic_raw, k, "budget.basic") for k in ("adjusted", "executed", "personnel", "public")))
    if project_raw is not None:
        project = ProjectSpend(*(r.money(project_raw, k, "budget.project") for k in ("adjusted", "executed")))
    if three_raw is not None:
        three = ThreePublic(*(r.money(three_raw, k, "budget.three_public") for k in ("budget", "actual", "last_year")))
    return Budget(
        reason=r.text(raw, "reason", "budget"),
        initial=r.money(raw, "initial", "budget"),
        adjusted=r.money(raw, "adjusted", "budget"),
        executed=r.money(raw, "executed", "budget"),
        weight=weight,
        sources=rows,
        basic=none_if_empty(basic),
        project=none_if_empty(project),
        three_public=none_if_empty(three),
    )


def sources(r: Reader, raw: dict[str, Any]) -> list[FundRow]:
    """Fund-source rows with anything in them, in the profile's order when every name is one of its sources."""
    out = []
    for i, src in enumerate(r.items(raw, "sources", "budget")):
        path = f"budget.sources[{i}]"
        row = FundRow(
            r.text(src, "name", path),
            r.money(src, "initial", path),
            r.money(src, "adjusted", path),
            r.money(src, "executed", path),
        )
        if any(v is not None for v in (row.initial, row.adjusted, row.executed)) or row.name:
            out.append(row)
    order = {name: i for i, name in enumerate(r.profile.fund_sources)}
    if all(s.name in order for s in out):
        out.sort(key=lambda s: order[s.name or ""])
    return out

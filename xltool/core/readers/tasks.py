"""The 年度主要任务 table of a department form: one task a row under its header band."""

from __future__ import annotations

from typing import Any

from ..families import Family
from ..grid import is_text, squeeze
from .section import DOTS, Section, filled


def applies(family: Family) -> bool:
    return family.tasks is not None


def read(s: Section) -> None:
    table = s.family.tasks
    assert table is not None
    band = s.header_band(table, "name")
    if band is None:
        return
    _, last, columns = band
    tasks: list[dict[str, Any]] = []
    for r in range(last + 1, s.rows.stop):
        if s.stops(r, min(columns.values())) or s.header(s.family.indicators.columns, r).get("name") is not None:
            break
        picked = {fld: s.pick(r, col) for fld, col in columns.items()}
        values = {fld: value for fld, (value, _) in picked.items()}
        if not any(filled(v) for v in values.values()):
            continue
        if is_text(values.get("name")) and DOTS.match(squeeze(values["name"])):
            continue
        i = len(tasks)
        tasks.append({k: v for k, v in values.items() if v is not None})
        for fld, (value, col) in picked.items():
            if value is not None:
                s.cells[f"tasks[{i}].{fld}"] = s.place(r, col)
    if tasks:
        s.raw["tasks"] = tasks

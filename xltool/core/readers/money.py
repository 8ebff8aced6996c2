"""The money block: its header band (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分), the unit from its
labels, the 年度资金总额 row and its 其中 rows by their labels, each value with its cell."""

from __future__ import annotations

import re
from typing import Any

from ..families import Family, Table
from ..grid import is_text, label_key
from .section import Remark, Section, instruction, number

_MONEY_FIELDS = ("initial", "adjusted", "executed")


#: Where a money figure goes, by the column (or pair label) it stands under and the row it stands in.
_TOTAL_TARGETS = {
    "initial": "budget.initial",
    "adjusted": "budget.adjusted",
    "executed": "budget.executed",
    "weight": "budget.weight",
    "rate": "stated.execution_rate",
    "score": "stated.execution_score",
    "reason": "budget.reason",
}


def applies(family: Family) -> bool:
    return bool(family.money.columns.get("executed") or family.money.pairs.get("executed"))


def read(s: Section) -> None:
    spec = s.family.money
    if spec.pairs:
        read_pairs(s)
        return
    hit = s.find(spec.columns["executed"])
    if hit is None:
        return
    first, last, columns = s.band_at(Table(spec.columns), hit[1])
    if "executed" not in columns:
        return
    s.found.update(f"money.{fld}" for fld in columns)
    s.anchors["money"] = s.place(hit[1], hit[2])
    money_unit(s, first, last, columns["executed"])
    left = min(columns.values())
    rows_read = 0
    for r in range(last + 1, min(last + 16, s.rows.stop)):
        if r != last + 1 and s.stops(r, left):
            break
        if s.header(s.family.indicators.columns, r).get("name") is not None:
            break
        labels = [label_key(s.grid.value(r, c)).key for c in range(left) if is_text(s.grid.value(r, c))]
        if spec.single_row and rows_read == 0 and any(number(s.grid.own(r, c)) is not None for c in columns.values()):
            money_row(s, r, "total", None, columns)
            rows_read += 1
            continue
        for key, synonyms in spec.rows.items():
            if any(lab in synonyms for lab in labels):
                money_row(s, r, key, None, columns)
                rows_read += 1
                break
        else:
            for name, synonyms in spec.sources.items():
                if any(lab in synonyms for lab in labels):
                    money_row(s, r, "source", name, columns)
                    rows_read += 1
                    break


def money_row(s: Section, row: int, key: str, source: str | None, columns: dict[str, int]) -> None:
    s.used_rows.add(row)
    values = {fld: s.pick(row, col) for fld, col in columns.items()}
    if key == "source":
        sources = s.raw.setdefault("budget", {}).setdefault("sources", [])
        entry: dict[str, Any] = {"name": source}
        k = s.profile.fund_sources.index(source) if source in s.profile.fund_sources else len(sources)
        for fld in _MONEY_FIELDS:
            if fld in values:
                entry[fld] = values[fld][0]
                s.cells[f"budget.sources[{k}].{fld}"] = s.place(row, values[fld][1])
        sources.append(entry)
        return
    if key == "total":
        targets = _TOTAL_TARGETS
    elif key in ("basic", "project"):
        targets = {"adjusted": f"budget.{key}.adjusted", "executed": f"budget.{key}.executed"}
    else:  # 人员经费, 公用经费: what was spent on them
        targets = {"executed": f"budget.basic.{key}"}
    for fld, path in targets.items():
        if fld in values:
            value, col = values[fld]
            if path.startswith("budget.basic.") and value is None:
                continue
            if fld == "reason" and (not is_text(value) or instruction(value)):
                s.cells[path] = s.place(row, col)  # the printed note is no reason; a finding points here
                continue
            s.put(path, value, row, col)


def read_pairs(s: Section) -> None:
    """Amounts written as label | value (年度金额：| 208万元 … 资金使用情况 合计：| 109.8万元), looked for from the
    first of their labels down to the block that follows."""
    spec = s.family.money
    hits = [hit for synonyms in spec.pairs.values() if (hit := s.find(synonyms)) is not None]
    if not hits:
        return
    first = min(hit[1] for hit in hits)
    stop = next((r for r in range(first + 1, s.rows.stop) if s.stops(r, 0)), s.rows.stop)
    block = range(first, stop)
    last = first
    for fld, synonyms in spec.pairs.items():
        hit = s.find(synonyms, block)
        if hit is None:
            continue
        s.found.add(f"money.{fld}")
        s.anchors.setdefault("money", s.place(hit[1], hit[2]))
        found = s.value_near(hit[1], hit[2], hit[0])
        if found is not None:
            s.put(_TOTAL_TARGETS[fld], found[0], found[1], found[2])
            s.used_rows.add(found[1])
            last = max(last, found[1])
    anchor = s.anchors.get("money")
    money_unit(s, first, last, anchor[2] if anchor else 0)


def money_unit(s: Section, first: int, last: int, executed: int) -> None:
    """The money unit from the block's labels (项目资金（万元）, 年度预算数（万元）, 金额单位：元), else
    the profile's, with a remark at the 执行数 column (``executed``) of the block's first row that it was not stated."""
    units = []
    rows = range(max(s.rows.start, first - 3), min(last + 8, s.rows.stop))
    for r, c, text in s.index.texts:
        if r not in rows or ("元" not in text):
            continue
        hint = label_key(s.grid.own(r, c)).unit
        if hint is None and (m := re.search(r"(?:单位|金额单位)[:：]?(万元|元)", text)):
            hint = m[1]
        if hint:
            units.append((hint, r, c))
    if units:
        unit, r, c = units[0]
        s.raw["money_unit"] = "元" if unit == "元" else "万元"
        s.cells["money_unit"] = s.place(r, c)
        return
    s.remarks.append(
        Remark(
            "form.money-unit",
            "warning",
            s.place(first, executed),
            "money_unit",
            {"unit": s.profile.money_unit},
        )
    )

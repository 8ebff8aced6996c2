"""Remarks on the reading itself, made once every block is read: amounts whose size contradicts their unit,
hidden rows or columns that held content, a form that prints no weights."""

from __future__ import annotations

from decimal import Decimal

from ..families import Family
from ..layout import col_letter
from .section import Remark, Section, number, plain

_MONEY_FIELDS = ("initial", "adjusted", "executed")
#: Amounts that suggest a different unit than declared: over 100 亿 in 万元, under 1,000 in 元.
_WAN_TOO_LARGE = Decimal(1_000_000)
_YUAN_TOO_SMALL = Decimal(1000)


def applies(family: Family) -> bool:
    return True


def read(s: Section) -> None:
    magnitudes(s)
    hidden(s)
    if s.family.weights_absent and s.raw.get("indicators"):
        s.remarks.append(Remark("form.no-weights", "warning", s.anchors.get("tbl_indicators"), None, {}))


def magnitudes(s: Section) -> None:
    """A 万元 label over amounts of hundreds of millions of 万元, or a 元 label over a few hundred 元: the
    unit in the label is probably wrong (FJ prints 元 values under （万元））. Said, never converted."""
    budget = s.raw.get("budget") or {}
    amounts = [(budget.get(k), f"budget.{k}") for k in _MONEY_FIELDS]
    amounts = [(number(v), p) for v, p in amounts if number(v) is not None]
    if not amounts:
        return
    largest, path = max(amounts, key=lambda item: item[0] or 0)
    unit = s.raw.get("money_unit", s.profile.money_unit)
    if largest is None or largest <= 0:
        return
    suspicious = largest >= _WAN_TOO_LARGE if unit == "万元" else largest < _YUAN_TOO_SMALL
    if suspicious:
        s.remarks.append(
            Remark(
                "form.unit-magnitude",
                "warning",
                s.cells.get(path),
                path,
                {"unit": unit, "amount": plain(largest)},
            )
        )


def hidden(s: Section) -> None:
    rows = sorted(r for r in s.used_rows if r in s.grid.hidden_rows)
    cols = sorted({place[2] for place in s.cells.values() if place[2] in s.grid.hidden_cols})
    if rows or cols:
        where = [str(r + 1) for r in rows]
        s.remarks.append(
            Remark(
                "form.hidden",
                "info",
                s.place(rows[0] if rows else s.rows.start, cols[0] if cols else 0),
                None,
                {"rows": "、".join(where) or "—", "columns": "、".join(col_letter(c) for c in cols) or "—"},
            )
        )

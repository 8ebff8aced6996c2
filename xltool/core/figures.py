"""How figures are written in a Chinese self-evaluation report, in one place so text and tables agree.

Money is always shown in 万元 with 2 decimals (an 元 form is converted), percentages with 2 decimals, scores in
分 without trailing zeros (``96分``, ``8.75分``), all rounded half-up.
"""

from __future__ import annotations

from decimal import Decimal

from .scoring import number, round_half_up
from .values import shortest

WAN = Decimal(10000)


def wan(value: object, money_unit: str = "万元") -> Decimal | None:
    """An amount in 万元 (None when it is not a number)."""
    amount = number(value)
    if amount is None:
        return None
    return amount / WAN if money_unit == "元" else amount


def money(value: object, money_unit: str = "万元", *, suffix: bool = True) -> str:
    """``806.77万元``; thousands separated from 10,000 万元 up."""
    amount = wan(value, money_unit)
    if amount is None:
        return ""
    rounded = round_half_up(amount, 2)
    text = f"{rounded:,.2f}" if abs(rounded) >= 10000 else f"{rounded:.2f}"
    return text + ("万元" if suffix else "")


def pct(rate: Decimal | float | None, places: int = 2) -> str:
    """``0.984824`` → ``98.48%``."""
    if rate is None:
        return ""
    value = rate if isinstance(rate, Decimal) else Decimal(repr(rate))
    return f"{round_half_up(value * 100, places)}%"


def points(value: object, places: int = 2) -> str:
    """A score without trailing zeros: ``96``, ``99.85``, ``8.5`` (add 分 in the sentence)."""
    amount = number(value)
    if amount is None:
        return ""
    return shortest(round_half_up(amount, places))


def plain(value: object) -> str:
    """A target or actual as typed: numbers without trailing zeros, text as it is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return points(value, 4)
    return "" if value is None else str(value)

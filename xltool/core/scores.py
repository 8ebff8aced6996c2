"""What scores are made of (DOMAIN.md §2): the score records, the 执行率 rule every scheme shares, and rounding.

Arithmetic is done in :class:`~decimal.Decimal` at full precision; rounding happens only where a figure is
shown or compared (:func:`round_half_up`). A grade is taken from the total rounded to the profile's score
precision, so a total shown as 90.00 is never graded 良.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .values import to_decimal

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Half-up rounding to ``places`` decimals (what people and Excel's ROUND do with positive figures).

    Total for any input: places are capped at 12, and a value too large for the context to hold at that many
    decimals is returned as it is (rounding could not change it anyway)."""
    try:
        return value.quantize(Decimal(1).scaleb(-max(0, min(places, 12))), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return value


def number(value: object) -> Decimal | None:
    """A document value as a Decimal, or None when it is not a number (text that was not understood)."""
    return None if isinstance(value, str) else to_decimal(value)


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator's computed score.

    ``problem`` says why a rule could not be applied as written: ``no-weight``, ``no-target``, ``no-actual``,
    ``zero-target`` (a 正向 target of 0, or a 反向 target of 0 under the linear method), ``unknown-tier``
    (a 定性 actual that names no tier), ``no-kind``, ``no-values`` (no 实际完成值 but an entered 得分, which is
    kept). The score is then still defined (usually 0).
    """

    index: int
    weight: Decimal
    score: Decimal
    applicable: bool
    band: tuple[Decimal, Decimal] | None = None
    problem: str | None = None
    rule: Decimal | None = None  # under coefficient scoring: what the 指标性质 rule gives, for comparison

    @property
    def full(self) -> bool:
        return self.score >= self.weight


@dataclass(frozen=True)
class CategoryScores:
    """A category-scored sheet: applicable maxima and points (each item counted up to its maximum) of the
    regular categories, 换算得分, the bonus (capped) and the deductions."""

    per_category: tuple[tuple[Decimal, Decimal], ...]
    base_max: Decimal
    base_score: Decimal
    converted: Decimal | None
    bonus: Decimal
    deductions: Decimal


@dataclass(frozen=True)
class Scores:
    execution_rate: Decimal | None
    execution_score: Decimal
    execution_weight: Decimal
    indicators: Decimal
    total: Decimal
    applicable_weight: Decimal
    normalized: Decimal | None
    grade: str
    items: tuple[IndicatorScore, ...]
    categories: CategoryScores | None = None

    @property
    def graded_total(self) -> Decimal:
        """The figure the grade is taken from: 换算得分 when items were excluded, else the total."""
        return self.normalized if self.normalized is not None else self.total


def execution(adjusted: object, executed: object, weight: Decimal) -> tuple[Decimal | None, Decimal]:
    """预算执行率 and its score: ``min(rate, 1) × 分值``. No budget gives no rate and a score of 0."""
    budget, spent = number(adjusted), number(executed)
    if budget is None or spent is None or budget <= 0:
        return None, ZERO
    rate = spent / budget
    return rate, max(ZERO, min(rate, ONE)) * weight

"""Scores by the profile's rules (DOMAIN.md §2): pure functions over a :class:`Document`.

Arithmetic is done in :class:`~decimal.Decimal` at full precision; rounding happens only where a figure is
shown or compared (:func:`round_half_up`). A grade is taken from the total rounded to the profile's score
precision, so a total shown as 90.00 is never graded 良.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .document import Document, Indicator
from .spec import Profile
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
    (a 定性 actual that names no tier), ``no-kind``. The score is then still defined (usually 0).
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


def _numeric_score(
    kind: str, target: Decimal, actual: Decimal, weight: Decimal, method: str
) -> tuple[Decimal, str | None]:
    if kind == "equal" and target == 0:
        return (weight if actual <= 0 else ZERO), None
    if kind in ("positive", "equal"):
        if actual >= target:
            return weight, ("zero-target" if target == 0 else None)
        if target <= 0:
            return ZERO, "zero-target"
        return max(ZERO, actual / target) * weight, None
    # negative
    if actual <= target:
        return weight, None
    if method == "linear":
        if target <= 0:
            return ZERO, "zero-target"
        if actual >= 2 * target:
            return ZERO, None
        return (ONE - (actual - target) / target) * weight, None
    if target < 0:
        return ZERO, "zero-target"
    return target / actual * weight, None


def score_indicator(ind: Indicator, index: int, profile: Profile) -> IndicatorScore:
    """The score of one indicator, capped at its 分值 and never below 0: by 指标性质 (``rule``), or as
    指标权重 × 得分系数 (``coefficient``), where ``rule`` keeps what the 指标性质 rule would give."""
    weight = number(ind.weight)
    if weight is None or weight < 0:
        return IndicatorScore(index, ZERO, ZERO, ind.applicable, problem="no-weight")
    if profile.indicator_scoring == "coefficient":
        by_rule = _by_rule(ind, index, weight, profile)
        coefficient = number(ind.coefficient)
        if coefficient is None:
            return IndicatorScore(
                index, weight, ZERO, ind.applicable, band=by_rule.band, problem="no-coefficient", rule=by_rule.score
            )
        score = max(ZERO, min(coefficient, ONE)) * weight
        return IndicatorScore(index, weight, score, ind.applicable, band=by_rule.band, rule=by_rule.score)
    return _by_rule(ind, index, weight, profile)


def _by_rule(ind: Indicator, index: int, weight: Decimal, profile: Profile) -> IndicatorScore:
    if ind.kind == "qualitative":
        tier = profile.tier(ind.actual) if isinstance(ind.actual, str) else None
        entered = number(ind.score)
        if tier is None:
            fallback = min(max(entered, ZERO), weight) if entered is not None else ZERO
            return IndicatorScore(index, weight, fallback, ind.applicable, problem="unknown-tier")
        low, high = tier.min * weight, tier.max * weight
        if entered is None:
            score = low if profile.missing_qualitative_score == "min" else high
        else:
            score = min(max(entered, low), high)
        return IndicatorScore(index, weight, score, ind.applicable, band=(low, high))
    if ind.kind not in ("positive", "negative", "equal"):
        return IndicatorScore(index, weight, ZERO, ind.applicable, problem="no-kind")
    target, actual = number(ind.target), number(ind.actual)
    if target is None:
        return IndicatorScore(index, weight, ZERO, ind.applicable, problem="no-target")
    if actual is None:
        return IndicatorScore(index, weight, ZERO, ind.applicable, problem="no-actual")
    score, problem = _numeric_score(ind.kind, target, actual, weight, profile.negative_method)
    return IndicatorScore(index, weight, min(max(score, ZERO), weight), ind.applicable, problem=problem)


def _given(item: IndicatorScore, ind: Indicator) -> IndicatorScore:
    entered = number(ind.score)
    if item.problem != "no-weight" or entered is None:
        return item
    return IndicatorScore(item.index, ZERO, max(entered, ZERO), item.applicable, problem="no-weight")


def score_categories(doc: Document, profile: Profile) -> Scores:
    """A category-scored sheet: 换算得分 = Σ得分 ÷ Σ适用满分 × 100, then + bonus (capped) − deductions."""
    per_category: list[tuple[Decimal, Decimal]] = []
    base_max = base_score = bonus = ZERO
    for category in doc.categories:
        maximum = score = ZERO
        for item in category.items:
            top, got = number(item.max), number(item.score)
            if not item.applicable or top is None:
                continue
            maximum += top
            score += min(max(got or ZERO, ZERO), top)
        per_category.append((maximum, score))
        if category.bonus:
            bonus += score
        else:
            base_max += maximum
            base_score += score
    if profile.bonus_max is not None:
        bonus = min(bonus, profile.bonus_max)
    deductions = sum((max(number(d.points) or ZERO, ZERO) for d in doc.deductions), ZERO)
    converted = base_score / base_max * HUNDRED if base_max > 0 else None
    total = max(ZERO, (converted or ZERO) + bonus - deductions)
    grade = profile.grade_for(round_half_up(total, profile.score_decimals))
    cats = CategoryScores(tuple(per_category), base_max, base_score, converted, bonus, deductions)
    return Scores(None, ZERO, ZERO, base_score, total, base_max, None, grade, (), cats)


def score_document(doc: Document, profile: Profile, *, given_scores: bool = False) -> Scores:
    """Every score of a document: 执行率得分, each indicator, 总分, 换算得分, 等次.

    ``given_scores``: the form has no 分值 column (Hubei's official form), so an indicator without a weight
    counts with the score written beside it, which no rule can recompute."""
    if profile.indicator_scoring == "categories":
        return score_categories(doc, profile)
    exec_weight = number(doc.budget.weight)
    if exec_weight is None:
        exec_weight = profile.execution_weight
    rate, exec_score = execution(doc.budget.adjusted, doc.budget.executed, exec_weight)
    items = tuple(score_indicator(ind, i, profile) for i, ind in enumerate(doc.indicators))
    if given_scores:
        items = tuple(_given(item, ind) for item, ind in zip(items, doc.indicators, strict=True))
    used = [item for item in items if item.applicable]
    indicator_total = sum((item.score for item in used), ZERO)
    total = exec_score + indicator_total
    applicable_weight = exec_weight + sum((item.weight for item in used), ZERO)
    normalized = None
    if len(used) < len(items) and applicable_weight > 0:
        normalized = total / applicable_weight * HUNDRED
    graded = normalized if normalized is not None else total
    grade = profile.grade_for(round_half_up(graded, profile.score_decimals))
    return Scores(rate, exec_score, exec_weight, indicator_total, total, applicable_weight, normalized, grade, items)

"""A category sheet (河北 部门绩效管理考核): items with a 满分 and the points given, 换算得分 = Σ得分 ÷ Σ适用满分 × 100,
then + bonus (capped by the profile) − deductions."""

from __future__ import annotations

from ..document import Document
from ..scores import HUNDRED, ZERO, CategoryScores, Scores, number, round_half_up
from ..spec import Profile
from .base import Scheme


def score_categories(doc: Document, profile: Profile) -> Scores:
    """A category-scored sheet's scores."""
    per_category = []
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


class CategoryScheme(Scheme):
    name = "categories"
    description = "按考核类别计分：换算得分 = 各项得分之和 ÷ 适用满分之和 × 100，另计加分、扣分"
    categories = True

    def score(self, doc: Document, profile: Profile, *, given_scores: bool = False) -> Scores:
        return score_categories(doc, profile)

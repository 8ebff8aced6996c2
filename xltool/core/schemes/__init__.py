"""Scoring schemes, one module each, chosen by the profile's ``indicator_scoring``.

A scheme knows how a document's indicators are scored (in Python and as the live sheet's formula, side by side
so they cannot drift), which inputs each indicator row then needs, and how a profile using it is described.
Adding a scheme is one module here and its name in :data:`SCHEMES`; nothing else tests the name.

- ``rule`` (:mod:`.rule`): by 指标性质 (正向/反向/等于/定性), the national rule.
- ``coefficient`` (:mod:`.coefficient`): 指标权重 × 得分系数 (重庆), the rule kept for comparison.
- ``categories`` (:mod:`.categories`): a category sheet (河北 考核表): 换算得分 + 加分 − 扣分.
"""

from __future__ import annotations

from typing import Any

from .base import Scheme
from .categories import CategoryScheme
from .coefficient import CoefficientScheme
from .rule import RuleScheme

SCHEMES: dict[str, Scheme] = {s.name: s for s in (RuleScheme(), CoefficientScheme(), CategoryScheme())}


def scheme_for(profile: Any) -> Scheme:
    """The scheme a profile scores by (its ``indicator_scoring``)."""
    return SCHEMES[profile.indicator_scoring]


__all__ = ["SCHEMES", "Scheme", "scheme_for"]

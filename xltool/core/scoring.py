"""Scores by the profile's rules (DOMAIN.md §2): pure functions over a :class:`Document`.

The scheme the profile names (:mod:`xltool.core.schemes`) does the scoring; the records and the arithmetic
they share are in :mod:`xltool.core.scores`. Arithmetic is done in :class:`~decimal.Decimal` at full precision;
rounding happens only where a figure is shown or compared (:func:`round_half_up`). A grade is taken from the
total rounded to the profile's score precision, so a total shown as 90.00 is never graded 良.
"""

from __future__ import annotations

from .document import Document, Indicator
from .schemes import scheme_for
from .scores import (
    HUNDRED,
    ONE,
    ZERO,
    CategoryScores,
    IndicatorScore,
    Scores,
    execution,
    number,
    round_half_up,
)
from .spec import Profile


def score_indicator(ind: Indicator, index: int, profile: Profile) -> IndicatorScore:
    """The score of one indicator under the profile's scheme, capped at its 分值 and never below 0."""
    return scheme_for(profile).scored(ind, index, profile)


def score_document(doc: Document, profile: Profile, *, given_scores: bool = False) -> Scores:
    """Every score of a document: 执行率得分, each indicator, 总分, 换算得分, 等次 (see
    :meth:`xltool.core.schemes.base.Scheme.score`)."""
    return scheme_for(profile).score(doc, profile, given_scores=given_scores)


__all__ = [
    "HUNDRED",
    "ONE",
    "ZERO",
    "CategoryScores",
    "IndicatorScore",
    "Scores",
    "execution",
    "number",
    "round_half_up",
    "score_document",
    "score_indicator",
]

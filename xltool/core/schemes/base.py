"""What every scoring scheme provides, and the scoring of a document with indicators that all schemes over
indicator rows share (执行率 + Σ指标得分, 换算得分 when rows are not applicable)."""

from __future__ import annotations

from ..document import Document, Indicator
from ..scores import HUNDRED, ZERO, IndicatorScore, Scores, execution, number, round_half_up
from ..spec import Profile


class Scheme:
    """One way of scoring a document. Subclasses set :attr:`name` and override what differs."""

    #: the profile's ``indicator_scoring`` value that chooses this scheme
    name = ""
    #: what ``xltool profiles`` says of a profile scoring this way (None: nothing to say, the national rule)
    description: str | None = None
    #: inputs every applicable indicator row needs besides its name, weight, target and actual
    needs: tuple[str, ...] = ()
    #: the document is a category sheet, not a list of indicators
    categories = False
    #: a row's score comes from what the unit states (a coefficient); the 指标性质 rule's score is kept beside it
    #: (``IndicatorScore.rule``) to question a statement the completion does not support
    compares_rule = False

    def indicator(self, ind: Indicator, index: int, profile: Profile) -> IndicatorScore:
        """One indicator's score, capped at its 分值 and never below 0."""
        raise NotImplementedError

    def rule_key(self, ind: Indicator) -> str:
        """The catalogue key naming the rule a score was computed by (for messages)."""
        return f"rule.{ind.kind}"

    def sheet_formula(self, c: dict[str, str], profile: Profile, head: str, needs: str) -> str:
        """The live sheet's formula for one indicator row: ``c`` maps column and helper keys to A1 refs, ``head``
        opens the formula (not applicable → "", no readable weight → 0 or ``needs``), the scheme closes it."""
        raise NotImplementedError

    def score(self, doc: Document, profile: Profile, *, given_scores: bool = False) -> Scores:
        """Every score of a document: 执行率得分, each indicator, 总分, 换算得分, 等次.

        ``given_scores``: the form has no 分值 column (Hubei's official form), so an indicator without a weight
        counts with the score written beside it, which no rule can recompute."""
        exec_weight = number(doc.budget.weight)
        if exec_weight is None:
            exec_weight = profile.execution_weight
        rate, exec_score = execution(doc.budget.adjusted, doc.budget.executed, exec_weight)
        items = tuple(self.scored(ind, i, profile) for i, ind in enumerate(doc.indicators))
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
        return Scores(
            rate, exec_score, exec_weight, indicator_total, total, applicable_weight, normalized, grade, items
        )

    def scored(self, ind: Indicator, index: int, profile: Profile) -> IndicatorScore:
        """:meth:`indicator`, after the check every scheme shares: a row without a usable 分值 scores 0."""
        weight = number(ind.weight)
        if weight is None or weight < 0:
            return IndicatorScore(index, ZERO, ZERO, ind.applicable, problem="no-weight")
        return self.indicator(ind, index, profile)


def _given(item: IndicatorScore, ind: Indicator) -> IndicatorScore:
    entered = number(ind.score)
    if item.problem != "no-weight" or entered is None:
        return item
    return IndicatorScore(item.index, ZERO, max(entered, ZERO), item.applicable, problem="no-weight")

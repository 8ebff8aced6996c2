"""指标权重 × 得分系数 (重庆): the unit states a coefficient per indicator; the 指标性质 rule's score is kept beside
it, so a coefficient above what the completion supports can be questioned (``indicator.coefficient-high``)."""

from __future__ import annotations

from ..document import Indicator
from ..scores import ONE, ZERO, IndicatorScore, number
from ..spec import Profile
from .base import Scheme
from .rule import by_rule


class CoefficientScheme(Scheme):
    name = "coefficient"
    description = "指标得分 = 指标权重 × 得分系数"
    needs = ("coefficient",)
    compares_rule = True

    def indicator(self, ind: Indicator, index: int, profile: Profile) -> IndicatorScore:
        weight = number(ind.weight) or ZERO
        rule = by_rule(ind, index, weight, profile)
        coefficient = number(ind.coefficient)
        if coefficient is None:
            return IndicatorScore(
                index, weight, ZERO, ind.applicable, band=rule.band, problem="no-coefficient", rule=rule.score
            )
        score = max(ZERO, min(coefficient, ONE)) * weight
        return IndicatorScore(index, weight, score, ind.applicable, band=rule.band, rule=rule.score)

    def rule_key(self, ind: Indicator) -> str:
        return "rule.coefficient"

    def sheet_formula(self, c: dict[str, str], profile: Profile, head: str, needs: str) -> str:
        coef, w = c["coefficient_num"], c["weight_num"]
        return head + f'IF(ISNUMBER({coef}),MAX(0,MIN({coef},1))*{w},IF({c["coefficient"]}="",0,{needs})))))'

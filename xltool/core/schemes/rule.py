"""Scoring by 指标性质 (DOMAIN.md §2), the national rule: 正向 actual ÷ target × 分值, full at the target; 反向 full
up to the target, then target ÷ actual (or the linear method); 等于 full when met; 定性 within its tier's band."""

from __future__ import annotations

from decimal import Decimal

from .. import deadlines
from ..document import Indicator
from ..scores import ONE, ZERO, IndicatorScore, number
from ..spec import Profile
from .base import Scheme


def numeric_score(
    kind: str, target: Decimal, actual: Decimal, weight: Decimal, method: str
) -> tuple[Decimal, str | None]:
    """A quantitative indicator's score (uncapped) and the problem that made the rule fall back, if any."""
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


def by_rule(ind: Indicator, index: int, weight: Decimal, profile: Profile) -> IndicatorScore:
    """The score the 指标性质 rule gives one indicator of weight ``weight``. A row whose 实际完成值 is empty but
    whose 得分 is entered keeps the unit's score (within 0…分值): the empty cells are what is wrong with it."""
    entered = number(ind.score)
    if ind.actual is None and entered is not None:
        return IndicatorScore(index, weight, min(max(entered, ZERO), weight), ind.applicable, problem="no-values")
    if ind.kind == "deadline":
        done = deadlines.met(ind.target, ind.actual)
        if done:
            return IndicatorScore(index, weight, weight, ind.applicable)
        given = min(max(entered, ZERO), weight) if entered is not None else ZERO
        return IndicatorScore(index, weight, given, ind.applicable, problem=None if done is False else "no-deadline")
    if ind.kind == "qualitative":
        tier = profile.tier(ind.actual) if isinstance(ind.actual, str) else None
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
    score, problem = numeric_score(ind.kind, target, actual, weight, profile.negative_method)
    return IndicatorScore(index, weight, min(max(score, ZERO), weight), ind.applicable, problem=problem)


def rule_formula(c: dict[str, str], profile: Profile, needs: str) -> str:
    """:func:`by_rule` as a sheet formula over one row's helper cells (closing what the scheme's head opened)."""
    w, sc = c["weight_num"], c["score_num"]
    kind, tgt, act = c["kind_used"], c["target_num"], c["actual_num"]
    reached = f"ISNUMBER(MATCH({c['actual_text']},lst_achieved,0))"  # values.ACHIEVED_WORDS
    top = profile.top_tier.label.replace('"', '""')
    # the target repeated word for word, or 完成/达到/是, counts as the top tier (normalize._reached)
    tier = (
        f'IF(AND({c["actual_text"]}<>"",OR({c["actual_text"]}={c["target_text"]},{reached})),"{top}",'
        f'TRIM(CLEAN({c["actual"]}&"")))'
    )
    lo = f"VLOOKUP({tier},lst_tier_bands,2,0)*{w}"
    hi = f"VLOOKUP({tier},lst_tier_bands,3,0)*{w}"
    missing = lo if profile.missing_qualitative_score == "min" else hi
    qualitative = (
        f"IF(ISNA(MATCH({tier},lst_tier_names,0)),IF(ISNUMBER({sc}),MIN(MAX({sc},0),{w}),0),"
        f"IF(ISNUMBER({sc}),MIN(MAX({sc},{lo}),{hi}),{missing}))"
    )
    positive = f"IF({act}>={tgt},{w},IF({tgt}<=0,0,{act}/{tgt}*{w}))"
    if profile.negative_method == "linear":
        negative = f"IF({act}<={tgt},{w},IF({tgt}<=0,0,IF({act}>=2*{tgt},0,(1-({act}-{tgt})/{tgt})*{w})))"
    else:
        negative = f"IF({act}<={tgt},{w},IF({tgt}<0,0,{tgt}/{act}*{w}))"
    equal = f"IF({tgt}=0,IF({act}<=0,{w},0),{positive})"
    numeric = f'MIN({w},MAX(0,IF({kind}="negative",{negative},IF({kind}="equal",{equal},{positive}))))'
    unread = f'OR(AND({c["target"]}<>"",NOT(ISNUMBER({tgt}))),AND({c["actual"]}<>"",NOT(ISNUMBER({act}))))'
    given = f'IF(AND({c["actual"]}="",ISNUMBER({sc})),MIN(MAX({sc},0),{w}),0)'  # the unit's score, values empty
    entered = f"IF(ISNUMBER({sc}),MIN(MAX({sc},0),{w}),0)"
    deadline = f"IF({c['deadline_met']}=1,{w},{entered})"
    return (
        f'IF({kind}="deadline",{deadline},IF({kind}="qualitative",{qualitative},IF({kind}="",{given},'
        f"IF(AND(ISNUMBER({tgt}),ISNUMBER({act})),{numeric},IF({unread},{needs},{given}))))))))"
    )


class RuleScheme(Scheme):
    name = "rule"

    def indicator(self, ind: Indicator, index: int, profile: Profile) -> IndicatorScore:
        return by_rule(ind, index, number(ind.weight) or ZERO, profile)

    def sheet_formula(self, c: dict[str, str], profile: Profile, head: str, needs: str) -> str:
        return head + rule_formula(c, profile, needs)

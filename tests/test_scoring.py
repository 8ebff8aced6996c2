"""The scoring rules of DOMAIN.md §2, by example and as properties."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xltool.core.document import Document, Indicator, normalize
from xltool.core.scoring import execution, round_half_up, score_document, score_indicator
from xltool.core.spec import load_profile

P = load_profile("national")


def score(kind, target, actual, weight=10, entered=None, profile=P):
    ind = Indicator(
        level1="产出指标",
        level2="数量指标",
        name="x",
        kind=kind,
        target=target,
        actual=actual,
        weight=weight,
        score=entered,
    )
    return score_indicator(ind, 0, profile)


def test_execution_rate_and_score():
    assert execution(747.98, 747.98, Decimal(10)) == (Decimal(1), Decimal(10))
    rate, pts = execution(100, 76, Decimal(10))
    assert rate == Decimal("0.76") and pts == Decimal("7.6")


def test_over_execution_never_earns_more_than_the_weight():
    assert execution(100, 130, Decimal(10))[1] == 10


def test_no_budget_gives_no_rate_and_zero():
    assert execution(0, 10, Decimal(10)) == (None, 0)
    assert execution(None, 10, Decimal(10)) == (None, 0)


@pytest.mark.parametrize(
    ("kind", "target", "actual", "expected"),
    [
        ("positive", 100, 120, 10),
        ("positive", 100, 80, 8),
        ("positive", 8, 7, 8.75),
        ("negative", 5, 4, 10),
        ("negative", 5, 8, 6.25),
        ("negative", 0, 0, 10),
        ("negative", 0, 3, 0),
        ("equal", 0, 0, 10),
        ("equal", 0, 1, 0),
        ("equal", 100, 90, 9),
    ],
)
def test_numeric_rules(kind, target, actual, expected):
    assert score(kind, target, actual).score == pytest.approx(Decimal(str(expected)))


def test_linear_negative_method():
    linear = dataclasses.replace(P, negative_method="linear")
    assert score("negative", 5, 6, profile=linear).score == Decimal(8)  # (1 - 1/5) * 10
    assert score("negative", 5, 10, profile=linear).score == 0
    assert score("negative", 0, 1, profile=linear).problem == "zero-target"


def test_zero_target_is_defined_and_flagged():
    result = score("positive", 0, 5)
    assert result.score == 10 and result.problem == "zero-target"
    result = score("positive", 0, -1)
    assert result.score == 0 and result.problem == "zero-target"


def test_missing_values_are_defined():
    assert score("positive", None, 5).problem == "no-target"
    assert score("positive", 5, None).problem == "no-actual"
    assert score("positive", 5, 5, weight=None).problem == "no-weight"


def test_qualitative_band_and_entered_score():
    assert score("qualitative", "提升", "达成年度指标", entered=9).score == 9
    assert score("qualitative", "提升", "达成年度指标", entered=5).score == 8  # clamped into 80–100%
    assert score("qualitative", "提升", "部分达成年度指标并具有一定效果").score == 6  # band minimum
    assert score("qualitative", "提升", "没有这一档").problem == "unknown-tier"
    hubei_like = dataclasses.replace(P, tiers=(P.tiers[0], dataclasses.replace(P.tiers[1], min=Decimal("0.5"))))
    assert score("qualitative", "提升", "部分达成年度指标并具有一定效果", profile=hubei_like).score == 5


def test_totals_normalization_and_grade():
    doc, _ = normalize(
        {
            "budget": {"adjusted": 100, "executed": 100},
            "indicators": [
                {"name": "a", "target": 10, "actual": 10, "weight": 40},
                {"name": "b", "target": 10, "actual": 5, "weight": 40},
                {"name": "c", "target": 10, "actual": 10, "weight": 10, "applicable": False},
            ],
        },
        P,
    )
    s = score_document(doc, P)
    assert s.total == 70 and s.applicable_weight == 90
    assert s.normalized == Decimal(70) / 90 * 100 and s.grade == "中"


@pytest.mark.parametrize(
    ("total", "grade"), [(90, "优"), ("89.995", "优"), ("89.994", "良"), (80, "良"), (60, "中"), ("59.99", "差")]
)
def test_grade_bands_are_half_open_on_the_shown_total(total, grade):
    doc = Document(budget=dataclasses.replace(Document().budget, adjusted=100, executed=100, weight=10))
    doc.indicators = [Indicator(name="x", kind="positive", target=1, actual=1, weight=float(Decimal(str(total)) - 10))]
    assert score_document(doc, P).grade == grade


def test_round_half_up():
    assert round_half_up(Decimal("89.455"), 2) == Decimal("89.46")
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")


numbers = st.decimals(0, 1000, places=2)
kinds = st.sampled_from(["positive", "negative", "equal"])


@given(kinds, numbers, numbers, st.integers(0, 30))
def test_every_score_is_within_zero_and_weight(kind, target, actual, weight):
    result = score(kind, float(target), float(actual), weight)
    assert 0 <= result.score <= weight


@given(numbers, numbers, numbers)
def test_raising_actual_never_lowers_a_positive_score(target, actual, extra):
    assert (
        score("positive", float(target), float(actual + extra)).score
        >= score("positive", float(target), float(actual)).score
    )


@given(numbers, numbers, numbers, st.sampled_from(["ratio", "linear"]))
def test_lowering_actual_never_lowers_a_negative_score(target, actual, cut, method):
    prof = dataclasses.replace(P, negative_method=method)
    lower = max(Decimal(0), actual - cut)
    assert (
        score("negative", float(target), float(lower), profile=prof).score
        >= score("negative", float(target), float(actual), profile=prof).score
    )


@given(st.lists(st.tuples(kinds, numbers, numbers), min_size=1, max_size=12), numbers, numbers)
def test_total_within_0_and_100_when_weights_add_up(rows, adjusted, executed):
    weights = [Decimal(90) / len(rows)] * len(rows)
    doc = Document()
    doc.budget.adjusted, doc.budget.executed, doc.budget.weight = float(adjusted), float(executed), 10
    doc.indicators = [
        Indicator(name=f"i{i}", kind=k, target=float(t), actual=float(a), weight=float(w))
        for i, ((k, t, a), w) in enumerate(zip(rows, weights, strict=True))
    ]
    s = score_document(doc, P)
    assert 0 <= s.total <= Decimal("100.000001")


@pytest.mark.parametrize("value", ["6.46e-183", "1e300", "-1e300", "123456789012345678901234567890.5"])
def test_rounding_is_total(value):
    assert round_half_up(Decimal(value), 2) is not None
    from xltool.core.values import decimals_of

    assert decimals_of(float(value)) <= 12

"""One indicator row: its levels (一级 inferred from 二级), its direction (指标性质, a comparator, a deadline, or — on a
unit's own form — its own score), its target and actual as units write them (≥50个, 每亩50元, 100%以上, 6月底前,
达成预期指标), the 得分系数, the 是/否 switches, the weight (20% of 100 is 20) and the score."""

from __future__ import annotations

import unicodedata
from typing import Any

from .. import deadlines
from ..document import QUANTITY_WORDS, Indicator, Value
from ..schemes.rule import numeric_score
from ..scores import round_half_up
from ..sheet_formulas import cleaned_value
from ..values import (
    ACHIEVED_WORDS,
    QUANTITY_PREFIXES,
    QUANTITY_WORDS_BEFORE,
    TRAILING_COMPARATORS,
    clean_text,
    decimals_of,
    parse_bool,
    parse_number,
    parse_quantity,
    to_decimal,
    to_plain,
)
from .reader import Reader

_COMPARATOR_KINDS = {"≥": "positive", "≤": "negative", "=": "equal"}
_ACHIEVED = frozenset(ACHIEVED_WORDS)


def indicator(r: Reader, raw: dict[str, Any], path: str) -> Indicator:
    prof = r.profile
    level1, level2 = r.text(raw, "level1", path), r.text(raw, "level2", path)
    if level1 is None and level2 is not None and prof.level1_of(level2):
        level1 = prof.level1_of(level2)
        r.add(f"{path}.level1", "inferred", level2, level1)
    kind_word = r.text(raw, "kind", path)
    kind = prof.kind_key(kind_word) if kind_word else None
    if kind_word and kind is None and kind_word not in QUANTITY_WORDS:
        r.add(f"{path}.kind", "type", kind_word, expect="kind")
    target_raw, actual_raw = raw.get("target"), raw.get("actual")
    #: neither 指标性质 nor a comparator says which way the indicator goes (a target of 5% for 故障率)
    parsed = parse_quantity(target_raw, worded=True)
    direction_open = kind is None and parsed.ok and parsed.comparator is None
    target, kind, unit = _target(r, path, target_raw, actual_raw, kind, kind_word, r.text(raw, "unit", path))
    actual = _actual(r, path, kind, target_raw, actual_raw)
    coefficient = _coefficient(r, raw.get("coefficient"), f"{path}.coefficient")
    core_raw = raw.get("core")
    core = parse_bool(core_raw, default=False) if core_raw not in (None, "") else None
    if core is not None and not core.ok:
        r.add(f"{path}.core", "type", core_raw, expect="bool")
    applicable_raw = raw.get("applicable")
    applicable = parse_bool(applicable_raw, default=True)
    if not applicable.ok:
        r.add(f"{path}.applicable", "type", applicable_raw, expect="bool")
    weight = r.number(raw, "weight", path, unit_words=("分", "%"))  # 权重 20% of 100: 20
    score = r.number(raw, "score", path, unit_words=("分",))
    if r.official and kind == "positive" and direction_open:
        kind = _direction(r, kind, target, actual, weight, score, coefficient, path, target_raw)
    return Indicator(
        level1=level1,
        level2=level2,
        name=r.text(raw, "name", path),
        kind=kind,
        target=target,
        actual=actual,
        unit=unit,
        weight=weight,
        score=score,
        reason=r.text(raw, "reason", path),
        applicable=applicable.value if isinstance(applicable.value, bool) else True,
        target_initial=_target_initial(raw.get("target_initial")),
        coefficient=coefficient,
        core=core.value if core is not None and isinstance(core.value, bool) else None,
    )


def _target(
    r: Reader,
    path: str,
    target_raw: object,
    actual_raw: object,
    kind: str | None,
    kind_word: str | None,
    unit: str | None,
) -> tuple[Value, str | None, str | None]:
    """The target, the kind it settles (a comparator, a deadline, words for a 定性 row) and the unit it carries."""
    target: Value = None
    parsed = parse_quantity(target_raw, worded=True)
    if deadlines.target_deadline(target_raw) is not None:
        # 6月底前, 按时完成: met or not met by the actual, whatever 指标性质 says (定量, 正向…)
        target, kind = clean_text(target_raw), "deadline"
        r.add(f"{path}.target", "deadline", target_raw, deadlines.met(target_raw, actual_raw))
    elif parsed.ok and parsed.value is not None:
        target = parsed.value
        inferred = _COMPARATOR_KINDS.get(parsed.comparator or "")
        if kind is None:
            kind = inferred or "positive"
            if kind_word not in QUANTITY_WORDS or not inferred:
                r.add(f"{path}.kind", "inferred", target_raw, kind)
        elif inferred and inferred != kind and not (kind == "equal" and inferred == "equal"):
            r.add(f"{path}.kind", "conflict", target_raw, kind, expect=inferred)
        if parsed.unit and unit is None:
            unit = parsed.unit
        if isinstance(target_raw, str) and _oddly_spelled(target_raw):
            r.add(f"{path}.target", "normalized", target_raw, target)
    elif target_raw is not None:
        target = clean_text(target_raw)
        if kind is None and target is not None and kind_word not in QUANTITY_WORDS:
            kind = "qualitative"
            r.add(f"{path}.kind", "inferred", target_raw, kind)
        elif kind not in (None, "qualitative") or kind_word in QUANTITY_WORDS:
            r.add(f"{path}.target", "type", target_raw, expect="number")
    if kind is None and kind_word in QUANTITY_WORDS:
        r.add(f"{path}.kind", "quantity", kind_word)  # stated 定量: the target is what is missing
    return target, kind, unit


def _actual(r: Reader, path: str, kind: str | None, target_raw: object, actual_raw: object) -> Value:
    """The actual as its kind reads it: a deadline's when or whether, a 定性 tier (the target repeated or said to be
    reached is the top tier), a quantity (≥100%, 100%以上: at least that), or 无/— (answered as nothing)."""
    if kind == "deadline":
        actual = clean_text(actual_raw)
        if actual is not None and deadlines.met(target_raw, actual_raw) is None:
            r.add(f"{path}.actual", "type", actual_raw, expect="deadline")
        return actual
    if kind == "qualitative":
        text = clean_text(actual_raw)
        tier = r.profile.tier(text) if text else None
        if tier is None and text and reached(actual_raw, target_raw):
            tier = r.profile.top_tier  # 显著提升 for 显著提升, 达成预期指标, 是: the target reached, its top tier
        if tier is not None:
            if text != tier.label:
                r.add(f"{path}.actual", "normalized", actual_raw, tier.label)
            return tier.label
        if text is not None:
            r.add(f"{path}.actual", "type", actual_raw, expect="tier")
        return text
    parsed = parse_quantity(actual_raw, worded=True)
    if parsed.ok and parsed.value is not None:
        if parsed.changed and isinstance(actual_raw, str):
            r.add(f"{path}.actual", "normalized", actual_raw, parsed.value)
        return parsed.value
    if parsed.ok and parsed.value is None and clean_text(actual_raw) is not None:
        r.add(f"{path}.actual", "marked", actual_raw)  # 无, —, /: answered as nothing
        return None
    if actual_raw is not None and clean_text(actual_raw) is not None:
        r.add(f"{path}.actual", "type", actual_raw, expect="number")
        return clean_text(actual_raw)
    return None


def _target_initial(raw: object) -> Value:
    """重庆's 年初指标值 beside the 调整指标值: kept as written, for information."""
    parsed = parse_quantity(raw, worded=True)
    if parsed.ok and parsed.value is not None:
        return parsed.value
    return clean_text(raw) if raw is not None else None


def _direction(
    r: Reader,
    kind: str,
    target: Value,
    actual: Value,
    weight: Value,
    score: Value,
    coefficient: Value,
    path: str,
    raw: object,
) -> str:
    """An indicator whose direction nothing states, read 正向 by default, is 反向 when the unit's own score (or
    得分系数) is what the 反向 rule gives and not what the 正向 rule gives (a 故障率 of 2% against a target of 5%
    scored in full). Said as a note; the unit's figures settle what its cells leave open."""
    t, a, w = to_decimal(target), to_decimal(actual), to_decimal(weight)
    if t is None or a is None or w is None or t <= 0 or a <= 0 or a >= t:
        return kind
    c, given = to_decimal(coefficient), to_decimal(score)
    if c is not None:
        stated, places = c * w, 4
    elif given is not None:
        stated, places = given, decimals_of(score)
    else:
        return kind
    positive = numeric_score("positive", t, a, w, r.profile.negative_method)[0]
    negative = numeric_score("negative", t, a, w, r.profile.negative_method)[0]
    if round_half_up(negative, places) == round_half_up(stated, places) != round_half_up(positive, places):
        r.add(f"{path}.kind", "inferred", raw, "negative", expect="score")
        return "negative"
    return kind


def _coefficient(r: Reader, raw: object, path: str) -> Value:
    """得分系数: ``76%``, ``0.76`` or ``76`` (a number above 1 in a percentage column) all mean 0.76."""
    parsed = parse_number(raw, percent_as_fraction=True)
    if parsed.ok and isinstance(parsed.value, int | float) and parsed.value > 1:
        dec = to_decimal(parsed.value)
        assert dec is not None
        r.add(path, "normalized", raw, to_plain(dec / 100), expect="rate")
        return to_plain(dec / 100)
    return r.note(path, parsed, raw, "rate")


def reached(actual: object, target: object) -> bool:
    """A 定性 actual that repeats its target word for word, or says it was reached (达成预期指标, 已完成, 是);
    compared as the live sheet compares them (:func:`xltool.core.sheet_formulas.cleaned_value`)."""
    text = cleaned_value(actual)
    return bool(text) and (text == cleaned_value(target) or text in _ACHIEVED)


def _oddly_spelled(text: str) -> bool:
    """Full-width digits, stray spaces or thousands separators: understood, but worth a note. A comparator
    and a unit (``≥50个``) are the official way of writing a target and are not."""
    stripped = text.strip()
    folded = unicodedata.normalize("NFKC", stripped)
    worded = folded.startswith(QUANTITY_PREFIXES + QUANTITY_WORDS_BEFORE) or folded.endswith(
        tuple(TRAILING_COMPARATORS)
    )  # 每亩50元, 约30, 100%以上: read as a figure, and said so
    return stripped != text or folded != stripped or "," in stripped or worded

"""What people really type into cells (DOMAIN.md §5) is understood, and says so."""

from __future__ import annotations

import pytest

from xltool.core.values import parse_integer, parse_money, parse_number, parse_quantity


@pytest.mark.parametrize(
    ("raw", "value", "changed"),
    [
        (8, 8, False),
        (8.0, 8, False),
        ("8 ", 8, True),
        ("１０", 10, True),
        ("10分", None, None),  # 分 only where allowed
        ("6,859,745.45", 6859745.45, True),
        ("—", None, True),
        ("/", None, True),
        ("无", None, True),
        ("", None, False),
        (None, None, False),
    ],
)
def test_parse_number(raw, value, changed):
    parsed = parse_number(raw)
    if changed is None:
        assert not parsed.ok
    else:
        assert parsed.ok and parsed.value == value and parsed.changed is changed


def test_number_with_allowed_unit_word():
    assert parse_number("10分", unit_words=("分",)).value == 10


@pytest.mark.parametrize(("raw", "fraction"), [("89.46%", 0.8946), ("89.46％", 0.8946), ("100%", 1)])
def test_percent_as_fraction(raw, fraction):
    parsed = parse_number(raw, percent_as_fraction=True)
    assert parsed.ok and parsed.value == pytest.approx(fraction) and parsed.changed


def test_percent_refused_where_not_a_rate():
    assert not parse_number("95%").ok


@pytest.mark.parametrize(
    ("raw", "value", "comparator", "unit"),
    [
        ("≥50个", 50, "≥", "个"),
        ("≤90万元", 90, "≤", "万元"),
        ("≥95%", 95, "≥", "%"),
        ("=0", 0, "=", None),
        ("＞3", 3, "≥", None),
        ("不低于 80 %", 80, "≥", "%"),
    ],
)
def test_quantity_with_comparator_and_unit(raw, value, comparator, unit):
    parsed = parse_quantity(raw)
    assert (parsed.value, parsed.comparator, parsed.unit) == (value, comparator, unit)


def test_text_is_not_a_number():
    parsed = parse_quantity("明显提升")
    assert not parsed.ok and parsed.value == "明显提升"


@pytest.mark.parametrize(
    ("raw", "unit", "value"),
    [
        ("806.77万元", "万元", 806.77),
        ("806.77万元", "元", 8067700),
        ("8,067,700元", "万元", 806.77),
        (12.5, "元", 12.5),
    ],
)
def test_money_converts_to_the_form_unit(raw, unit, value):
    assert parse_money(raw, unit).value == pytest.approx(value)


def test_money_refuses_other_units():
    assert not parse_money("50个", "万元").ok


@pytest.mark.parametrize(("raw", "value"), [("19人", 19), (2022.0, 2022), ("2022年", 2022)])
def test_integers(raw, value):
    assert parse_integer(raw).value == value


def test_fractional_count_is_not_an_integer():
    assert not parse_integer(19.5).ok


def test_control_character_class_matches_unicode():
    import sys
    import unicodedata

    from xltool.core.values import _CONTROL

    expected = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Cc", "Cf")} - {9, 10}
    matched = {c for c in range(sys.maxunicode + 1) if _CONTROL.match(chr(c))}
    newer = set(range(0x13439, 0x13440))  # format controls added in Unicode 15 (Python 3.12+)
    assert expected <= matched and matched - expected <= newer


def test_clean_text_drops_control_and_invisible_characters():
    from xltool.core.values import clean_text

    assert clean_text("\u200b 网信办\x00\u3000") == "网信办"
    assert clean_text("第一行\n第二行\t") == "第一行\n第二行"

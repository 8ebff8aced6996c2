"""Understanding what people really type into a form cell.

Filled forms hold numbers typed as text (``"8 "``, ``"１０"``, ``"89.46％"``, ``"806.77万元"``,
``"6,859,745.45"``), markers for "nothing" (``—``, ``/``, ``无``) and indicator targets that carry their
comparator and unit (``"≥50个"``, ``"≤90万元"``). Everything here is pure: a raw value goes in, a
:class:`Parsed` comes out, saying what was understood and whether it had to be tidied up.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

Number = int | float

#: A 定性 actual that says the target was reached without naming a tier (read as the top tier, and said so): a
#: verb of reaching (完成, 达到, 实现 …), optionally after 已/均/全部/全面 and before what was reached (预期目标, 要求 …).
#: 基本完成 is not among them: "mostly" is not reached. The live sheet looks them up in the list ``lst_achieved``.
_REACHED_BEFORE = ("", "已", "均", "均已", "已全部", "全部", "全面", "圆满")
_REACHED_VERBS = ("完成", "达成", "达到", "实现", "达标", "符合", "满足")
_REACHED_WHAT = (
    "",
    "预期",
    "预期指标",
    "预期目标",
    "预期效果",
    "目标",
    "年度目标",
    "年度指标",
    "指标",
    "目标要求",
    "要求",
)
ACHIEVED_WORDS = (
    "是",
    *dict.fromkeys(
        f"{before}{verb}{what}"
        for verb in _REACHED_VERBS
        for before in _REACHED_BEFORE
        for what in _REACHED_WHAT
        if not (verb == "达标" and what)
    ),
)

#: Texts that mean "nothing here" on a filled form.
EMPTY_MARKERS = frozenset({"—", "——", "-", "--", "－", "/", "／", "无", "空", "n/a", "N/A", "不适用"})

COMPARATORS = {
    "≥": "≥",
    "≧": "≥",
    ">=": "≥",
    "＞=": "≥",
    ">": "≥",
    "＞": "≥",
    "大于等于": "≥",
    "不低于": "≥",
    "不少于": "≥",
    "≤": "≤",
    "≦": "≤",
    "<=": "≤",
    "＜=": "≤",
    "<": "≤",
    "＜": "≤",
    "小于等于": "≤",
    "不高于": "≤",
    "不超过": "≤",
    "=": "=",
    "＝": "=",
    "═": "=",
    "==": "=",
    "等于": "=",
}
#: Words an indicator's quantity may start with: these may have more words before the figure (每亩50元, 人均年增收
#: 2000元: skipped up to the first digit) …
QUANTITY_PREFIXES = ("每", "人均", "户均", "亩均", "平均")
#: … and these stand right before it (约30, 控制在5%以内).
QUANTITY_WORDS_BEFORE = ("约", "大约", "达到", "控制在")
#: Words a quantity may end with that say its direction (100%以上, 5%以下, 3天以内).
TRAILING_COMPARATORS = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤"}
_COMP_RE = "|".join(sorted((re.escape(c) for c in COMPARATORS), key=len, reverse=True))
_PREFIX_RE = "|".join(sorted((re.escape(p) for p in QUANTITY_PREFIXES), key=len, reverse=True))
_BEFORE_RE = "|".join(sorted((re.escape(p) for p in QUANTITY_WORDS_BEFORE), key=len, reverse=True))
_FIGURE = r"(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*(?P<unit>[^\d\s].*)?$"
_NUMBER_RE = re.compile(rf"^(?P<comp>{_COMP_RE})?\s*" + _FIGURE)
_WORDED_RE = re.compile(rf"^(?P<comp>{_COMP_RE})?\s*(?:(?:{_PREFIX_RE})[^0-9]*|(?:{_BEFORE_RE}))?" + _FIGURE)
#: Control and invisible format characters: Unicode categories Cc and Cf, less tab and newline
#: (the ranges are checked against unicodedata by a test).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
#: Money units and their factor to 元.
MONEY_FACTORS = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading one raw value.

    ``value`` is the understood value (``None`` for empty), ``ok`` is False when the raw value could not be
    understood as what was asked (``value`` then keeps the raw text), and ``changed`` is True when the raw
    spelling had to be tidied up to be understood (e.g. ``"８ "`` became ``8``).
    """

    value: Any
    ok: bool = True
    changed: bool = False
    unit: str | None = None
    comparator: str | None = None


F = TypeVar("F", bound=Callable[..., Any])


def memo_short(fn: F) -> F:
    """``fn(text, …)`` memoised for short texts (forms repeat their labels and figures in every file); a long
    text (a narrative of 100,000 characters) is computed each time, so the memo never holds a unit's prose."""
    cached = functools.lru_cache(maxsize=16384)(fn)

    @functools.wraps(fn)
    def call(text: str, *args: Any) -> Any:
        return cached(text, *args) if len(text) <= 200 else fn(text, *args)

    return call  # type: ignore[return-value]


def clean_text(raw: object) -> str | None:
    """Text as a form means it: NFKC (full-width to half-width), no control characters, stripped; ``None``
    when nothing is left."""
    if raw is None:
        return None
    if raw.__class__ is str:
        return _clean(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _clean(str(raw))


@memo_short
def _clean(text: str) -> str | None:
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    text = text.replace("\u3000", " ").replace("\xa0", " ").strip()
    return text or None


def _normalize_numeric_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text.replace(" ", "").replace("\u3000", "")


def to_decimal(value: object) -> Decimal | None:
    """A plain number (already understood) as a Decimal, through its shortest text form."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return Decimal(repr(value))
    return None


def to_plain(value: Decimal | float | int) -> Number:
    """A Decimal or float as the plainest JSON number: an int when whole, else a float."""
    dec = value if isinstance(value, Decimal) else to_decimal(value)
    assert dec is not None
    if dec == dec.to_integral_value():
        return int(dec)
    return float(dec)


def parse_quantity(raw: object, *, worded: bool = False) -> Parsed:
    """A number that may carry a comparator and a unit: ``"≥50个"``, ``"89.46％"``, ``"6,859,745.45"``, a
    direction after it (``"100%以上"``, ``"5%以内"``) and, for an indicator's value (``worded``), words before it
    (``"每亩50元"``, ``"约30"``).

    Returns the number as a plain int/float in ``value``; ``unit`` and ``comparator`` say what stood around
    it. Text that is no number gives ``ok=False`` with the cleaned text as ``value``.
    """
    if raw is None:
        return Parsed(None)
    if isinstance(raw, bool):
        return Parsed(str(raw), ok=False)
    if isinstance(raw, int | float | Decimal):
        return _parse_figure(raw)
    return _parse_text(str(raw), worded)


@functools.lru_cache(maxsize=16384, typed=True)
def _parse_figure(raw: int | float | Decimal) -> Parsed:
    dec = to_decimal(raw)
    if dec is None:
        return Parsed(str(raw), ok=False)
    return Parsed(to_plain(dec))


@memo_short
def _parse_text(raw: str, worded: bool) -> Parsed:
    """:func:`parse_quantity` of a text (memoised: a Parsed is immutable, and forms repeat their figures)."""
    text = clean_text(raw)
    if text is None:
        return Parsed(None, changed=raw != "")
    if text in EMPTY_MARKERS:
        return Parsed(None, changed=True)
    norm = _normalize_numeric_text(text)
    match = (_WORDED_RE if worded else _NUMBER_RE).match(norm)
    if not match:
        return Parsed(text, ok=False)
    try:
        dec = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        return Parsed(text, ok=False)
    unit = (match["unit"] or "").strip() or None
    comp = COMPARATORS[match["comp"]] if match["comp"] else None
    if unit is not None:
        trailing = next((w for w in TRAILING_COMPARATORS if unit.endswith(w)), None)
        if trailing is not None:
            comp = comp or TRAILING_COMPARATORS[trailing]
            unit = unit[: -len(trailing)].strip() or None
    return Parsed(to_plain(dec), changed=True, unit=unit, comparator=comp)


def parse_number(raw: object, *, percent_as_fraction: bool = False, unit_words: tuple[str, ...] = ()) -> Parsed:
    """A plain number. Accepts text spellings; a trailing ``%`` divides by 100 when ``percent_as_fraction``;
    other trailing words are accepted only when listed in ``unit_words`` (e.g. ``分``)."""
    parsed = parse_quantity(raw)
    if not parsed.ok or parsed.value is None or not parsed.changed:
        return parsed
    if parsed.comparator is not None:
        return Parsed(clean_text(raw), ok=False)
    value = parsed.value
    if parsed.unit == "%" and "%" in unit_words:
        return parsed  # a weight written 20% of a 100-point form: 20
    if parsed.unit == "%":
        if not percent_as_fraction:
            return Parsed(clean_text(raw), ok=False)
        dec = to_decimal(value)
        assert dec is not None
        return Parsed(to_plain(dec / 100), changed=True, unit="%")
    if parsed.unit is not None and parsed.unit not in unit_words:
        return Parsed(clean_text(raw), ok=False)
    return parsed


def parse_money(raw: object, money_unit: str) -> Parsed:
    """An amount in the form's money unit. ``"806.77万元"`` in a 元 form becomes ``8067700`` (changed)."""
    parsed = parse_quantity(raw)
    if not parsed.ok or parsed.value is None or parsed.unit is None:
        if parsed.ok and parsed.comparator is not None:
            return Parsed(clean_text(raw), ok=False)
        return parsed
    if parsed.comparator is not None or parsed.unit not in MONEY_FACTORS:
        return Parsed(clean_text(raw), ok=False)
    dec = to_decimal(parsed.value)
    assert dec is not None
    converted = dec * MONEY_FACTORS[parsed.unit] / MONEY_FACTORS.get(money_unit, Decimal(10000))
    return Parsed(to_plain(converted), changed=True, unit=parsed.unit)


def parse_integer(raw: object) -> Parsed:
    """A count (编制数, 年度): a whole number; ``"19人"`` and ``"2022年"`` are understood."""
    parsed = parse_number(raw, unit_words=("人", "名", "年", "个"))
    if parsed.ok and parsed.value is not None and not isinstance(parsed.value, int):
        return Parsed(parsed.value, ok=False)
    return parsed


def parse_bool(raw: object, default: bool = True) -> Parsed:
    """是/否 switches (是否适用, 是否核心指标)."""
    text = clean_text(raw)
    if text is None:
        return Parsed(default)
    if isinstance(raw, bool):
        return Parsed(raw)
    low = text.lower()
    if low in {"是", "适用", "y", "yes", "true", "1", "√"}:
        return Parsed(True, changed=text != "是")
    if low in {"否", "不适用", "n", "no", "false", "0", "×", "x"}:
        return Parsed(False, changed=text != "否")
    return Parsed(text, ok=False)


def shortest(value: Decimal) -> str:
    """A Decimal as its shortest plain text: ``10.0`` → ``10``, ``0.50`` → ``0.5`` (never exponent notation)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimals_of(value: object) -> int:
    """How many decimals a stated number was written with (``89.46`` → 2; ``0.8946`` → 4; ``96`` → 0)."""
    dec = to_decimal(value) if not isinstance(value, str) else None
    if dec is None:
        return 0
    exponent = dec.normalize().as_tuple().exponent
    return min(max(0, -exponent), 12) if isinstance(exponent, int) else 0  # no form states more than 12

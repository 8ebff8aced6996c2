"""Spreadsheet formulas that read a typed cell the way :mod:`xltool.core.values` does.

People type ``≥150``, ``150个``, ``92.1％``, ``１５０``, ``10分`` or ``806.77万元`` into a form. ``validate``
understands all of these; the live sheet must show the same figures, so the template's formulas parse the
cell text with the same rules before they score it. Only functions that Excel 2007+, WPS and LibreOffice
all have are used (no LET, no LAMBDA, no dynamic arrays); an array constant is only ever evaluated inside
SUMPRODUCT, which every client evaluates as an array without Ctrl+Shift+Enter.

What the formulas understand (and ``values.parse_quantity`` with them):
- full-width characters (``ASC``), spaces anywhere, thousands separators, control characters;
- a leading comparator: ≥ > >= ＞ 大于等于 不低于 不少于 / ≤ < <= 小于等于 不高于 不超过 / = == 等于;
- a sign, then digits with at most one decimal point, then any unit text (``个``, ``%``, ``小时``).

What they do not: a comma that is not a thousands separator (``12,34``), two decimal points (``1.2.3``),
digits written as circled numbers (``①``). Such a cell is not read as a number by the sheet; the row then
shows :data:`NEEDS_NUMBER` instead of a score, so the difference is never silent.

Each function returns formula text without the leading ``=``; arguments are cell references or formula
text, and text that is used more than once is expected to be a cell reference (helper cells keep the
formulas short).
"""

from __future__ import annotations

import re
import unicodedata

from .values import COMPARATORS, QUANTITY_PREFIXES, QUANTITY_WORDS_BEFORE, TRAILING_COMPARATORS

#: What a score cell shows when the row's figures are text the sheet cannot read as numbers.
NEEDS_NUMBER = "需填数字"


def _comparator_words() -> dict[str, tuple[str, ...]]:
    grouped: dict[str, set[str]] = {}
    for word, sign in COMPARATORS.items():  # the spellings validate knows, full-width folded as ASC folds them
        grouped.setdefault(sign, set()).add(unicodedata.normalize("NFKC", word))
    return {sign: tuple(sorted(words, key=lambda w: (-len(w), w))) for sign, words in grouped.items()}


#: Comparator spellings after ``ASC`` (full-width forms already folded), longest first, by direction.
COMPARATOR_WORDS = _comparator_words()
_DIGIT_CHARS = "0123456789."
#: Longest number (with its unit) the prefix scan looks at: 20 characters hold 1,234,567,890,123.45.
_SCAN = 20


def cleaned(ref: str) -> str:
    """The cell as text: full-width folded, control characters, spaces and thousands separators removed."""
    return f'SUBSTITUTE(SUBSTITUTE(ASC(CLEAN({ref}&""))," ",""),",","")'


def _without_digits(text: str) -> str:
    out = text
    for ch in _DIGIT_CHARS:
        out = f'SUBSTITUTE({out},"{ch}","")'
    return out


def plain_number(text: str) -> str:
    """``text`` (already cleaned) as a number when it is digits with at most one point, else ``""``."""
    return f'IF(AND({text}<>"",{_without_digits(text)}=""),IFERROR(--{text},""),"")'


def leading_number(text: str) -> str:
    """The number ``text`` (a cleaned cell) starts with, a sign allowed, unit text after it ignored; else ``""``.

    The length of the leading run of digits and points is counted over the prefixes of the text (every
    prefix up to the first other character consists of digits and points; from there on none does)."""
    body = f'MID({text},1+OR(LEFT({text},1)="-",LEFT({text},1)="+"),{_SCAN})'
    positions = "{" + ",".join(str(i) for i in range(1, _SCAN + 1)) + "}"
    run = f'SUMPRODUCT(--({_without_digits(f"LEFT({body},{positions})")}=""))'
    sign = f'IF(LEFT({text},1)="-",-1,1)'
    return f'IF({body}="","",IFERROR({sign}*LEFT({body},{run}),""))'


def comparator(text: str) -> str:
    """``≥``, ``≤``, ``=`` or ``""``: the comparator a cleaned target starts with, else the direction it ends
    with (``100%以上``, ``5%以内``)."""
    out = '""'
    for word, sign in sorted(TRAILING_COMPARATORS.items(), key=lambda item: len(item[0])):  # longest outermost
        out = f'IF(RIGHT({text},{len(word)})="{word}","{sign}",{out})'
    for sign in ("=", "≤", "≥"):
        tests = ",".join(f'LEFT({text},{len(word)})="{word}"' for word in COMPARATOR_WORDS[sign])
        out = f'IF(OR({tests}),"{sign}",{out})'
    return out


def after_comparator(text: str) -> str:
    """A cleaned target without its leading comparator."""
    out = text
    words = sorted({w for group in COMPARATOR_WORDS.values() for w in group}, key=lambda w: (len(w), w))
    for word in words:  # the longest spelling is tested first (outermost)
        out = f'IF(LEFT({text},{len(word)})="{word}",MID({text},{len(word) + 1},999),{out})'
    return out


def after_prefix(rest: str) -> str:
    """A cleaned value (after its comparator) without the words an indicator's quantity may start with:
    ``每亩50元`` → ``50元`` (to its first digit), ``约30`` → ``30`` (``values.parse_quantity(worded=True)``)."""
    first_digit = f'SUMPRODUCT(MIN(FIND({{0,1,2,3,4,5,6,7,8,9}},{rest}&"0123456789")))'
    out = rest
    for word in sorted(QUANTITY_WORDS_BEFORE, key=len):  # the longest spelling is tested first (outermost)
        out = f'IF(LEFT({rest},{len(word)})="{word}",MID({rest},{len(word) + 1},999),{out})'
    skip = ",".join(f'LEFT({rest},{len(word)})="{word}"' for word in QUANTITY_PREFIXES)
    return f"IF(OR({skip}),MID({rest},{first_digit},999),{out})"


def number_or_text(ref: str, text: str, suffix: str | None = None) -> str:
    """A plain number cell (分值, 得分): the number, or ``text`` (a cleaned copy of ``ref``) read as one, an
    optional unit word such as ``分`` allowed after it; ``""`` when there is none."""
    body = text
    if suffix:
        body = f'IF(RIGHT({text},{len(suffix)})="{suffix}",LEFT({text},LEN({text})-{len(suffix)}),{text})'
    return f"IF(ISNUMBER({ref}),{ref},{plain_number(body)})"


def money(ref: str, unit_ref: str, text: str | None = None) -> str:
    """An amount in the form's money unit: a number, or text such as ``806.77`` or ``806.77万元`` (converted
    from the unit it names into the form's unit, read from ``unit_ref``); ``""`` when it is no amount. ``text`` is
    a helper cell holding :func:`cleaned` of ``ref``, when there is one."""
    text = text or cleaned(ref)
    two = f'OR(RIGHT({text},2)="万元",RIGHT({text},2)="亿元")'
    one = f'OR(RIGHT({text},1)="元",RIGHT({text},1)="万")'
    stripped = f"LEFT({text},LEN({text})-IF({two},2,IF({one},1,0)))"
    factor = (
        f'IF(RIGHT({text},2)="亿元",100000000,IF(RIGHT({text},2)="万元",10000,'
        f'IF(RIGHT({text},1)="万",10000,IF(RIGHT({text},1)="元",1,0))))'
    )
    form_factor = f'IF({unit_ref}="元",1,10000)'
    named = f"IF({factor}=0,1,{factor}/{form_factor})"
    return f'IF(ISNUMBER({ref}),{ref},IFERROR({plain_number(stripped)}*{named},""))'


def fraction(ref: str, above: int, percent_exempt: bool, text: str | None = None) -> str:
    """A rate or coefficient: ``89.46%`` or 0.8946 → 0.8946; a number above ``above`` is taken as a
    percentage written without its sign (unless it carried one and ``percent_exempt``)."""
    text = text or cleaned(ref)
    percent = f'IF(RIGHT({text},1)="%",{plain_number(f"LEFT({text},LEN({text})-1)")}/100,{plain_number(text)})'
    value = f'IF(ISNUMBER({ref}),{ref},IFERROR({percent},""))'
    scaled = f'AND({value}>{above},NOT(RIGHT({text},1)="%"))' if percent_exempt else f"{value}>{above}"
    return f'IF(ISNUMBER({value}),IF({scaled},{value}/100,{value}),"")'


def yes_no(ref: str) -> str:
    """1 for 是 (or nothing, or a word that is no answer), 0 for 否 and its spellings: ``values.parse_bool``."""
    text = f'LOWER(TRIM(CLEAN({ref}&"")))'
    words = ("否", "不适用", "n", "no", "false", "0", "×", "x")
    return "IF(OR(" + ",".join(f'{text}="{w}"' for w in words) + "),0,1)"


# ---------------------------------------------------------------------------------------------- the same in Python
# (the values xltool stores as the helper cells' cached results)


def cleaned_value(value: object) -> str:
    """What :func:`cleaned` gives for a cell value."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\x00-\x1f\s,]", "", text)


def comparator_word(text: str) -> str:
    """The comparator spelling a cleaned text starts with (``""`` for none)."""
    words = sorted((w for group in COMPARATOR_WORDS.values() for w in group), key=len, reverse=True)
    return next((w for w in words if text.startswith(w)), "")


def comparator_of(text: str) -> str:
    """What :func:`comparator` gives for a cleaned text."""
    word = comparator_word(text)
    lead = next((sign for sign, group in COMPARATOR_WORDS.items() if word and word in group), "")
    trailing = next((sign for end, sign in TRAILING_COMPARATORS.items() if text.endswith(end)), "")
    return lead or trailing


def value_of(rest: str) -> str:
    """What :func:`after_prefix` gives for a cleaned text after its comparator."""
    if rest.startswith(QUANTITY_PREFIXES):
        digits = [i for i, ch in enumerate(rest) if ch in "0123456789"]
        return rest[digits[0] :] if digits else ""
    word = next((w for w in sorted(QUANTITY_WORDS_BEFORE, key=len, reverse=True) if rest.startswith(w)), "")
    return rest[len(word) :]


# ---------------------------------------------------------------------------------------------- deadlines
# (the same reading as core.deadlines, over cleaned text in helper cells)


def _month_day(text: str) -> str:
    """month·100 + day of a cleaned text (``6月20日`` → 620, ``6月`` → 631), ``""`` without a month 1–12."""
    start = f'IFERROR(FIND("年",{text}),0)'
    month = f'MID({text},{start}+1,FIND("月",{text})-{start}-1)'
    digits = f"AND(LEN({month})>0,{_only_digits(month)})"
    day_text = f'MID({text},FIND("月",{text})+1,FIND("日",{text})-FIND("月",{text})-1)'
    day = f"IFERROR(IF(AND(LEN({day_text})>0,{_only_digits(day_text)}),--{day_text},31),31)"
    value = f'IF(AND(--{month}>=1,--{month}<=12),--{month}*100+{day},"")'
    return f'IFERROR(IF({digits},{value},""),"")'


def _only_digits(text: str) -> str:
    out = text
    for ch in "0123456789":
        out = f'SUBSTITUTE({out},"{ch}","")'
    return f'{out}=""'


def _words(text: str, words: tuple[str, ...]) -> str:
    return "OR(" + ",".join(f'{text}="{w}"' for w in words) + ")"


def deadline_bare(text: str) -> str:
    """A cleaned target with ``之前``/``以前`` read as ``前`` and a trailing ``完成`` dropped
    (:func:`xltool.core.deadlines.bare_target`)."""
    said = f'SUBSTITUTE(SUBSTITUTE({text},"之前","前"),"以前","前")'
    return f'IF(RIGHT({said},2)="完成",LEFT({said},LEN({said})-2),{said})'


def deadline_target(bare: str) -> str:
    """A target's deadline from its :func:`deadline_bare` helper cell: month·100 + day, ``"word"`` for 按时/及时…,
    ``""`` when it is no deadline (:func:`xltool.core.deadlines.target_deadline`)."""
    from .deadlines import TARGET_WORDS, YEAR_END

    year = f'AND(LEN({bare})>5,MID({bare},5,1)="年",{_only_digits(f"LEFT({bare},4)")})'
    no_year = f"IF({year},MID({bare},5,LEN({bare})),{bare})"
    dated = f'IF(RIGHT({bare},1)="前",{_month_day(f"LEFT({bare},LEN({bare})-1)")},"")'
    return f'IF({_listed(bare, TARGET_WORDS)},"word",IF({_listed(no_year, YEAR_END)},1231,{dated}))'


def _listed(text: str, words: tuple[str, ...]) -> str:
    """Whether ``text`` is one of ``words`` (an inline list: the text is written once)."""
    return f"ISNUMBER(MATCH({text},{{" + ",".join(f'"{w}"' for w in words) + "},0))"


def deadline_met(target: str, actual: str) -> str:
    """1 met, 0 not met, ``""`` unknown, for a deadline target (its :func:`deadline_target` helper cell) and a
    cleaned actual (:func:`xltool.core.deadlines.met`)."""
    from .deadlines import NOT_MET_PARTS, NOT_MET_WORDS

    not_met = ",".join([*(f'ISNUMBER(FIND("{p}",{actual}))' for p in NOT_MET_PARTS), _words(actual, NOT_MET_WORDS)])
    when = _month_day(actual)
    return (
        f'IF(OR({target}="",{actual}=""),"",IF(OR({not_met}),0,IF(ISNUMBER(MATCH({actual},lst_deadline_met,0)),1,'
        f'IF(OR({target}="word",NOT(ISNUMBER({when}))),"",IF({when}<={target},1,0)))))'
    )

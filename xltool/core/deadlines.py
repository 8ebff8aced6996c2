"""Deadline indicators: a 时效 target written as a date to finish by (``6月底前``, ``2023年6月30日前``, ``年底前``) or
as a word (``按时完成``, ``及时``), and an actual that says when (``5月``, ``6月20日完成``) or whether (``已完成``,
``未完成``). Such a target is met or not met, never a ratio of two months.

The reading here is the one the template's live sheet makes (:func:`xltool.core.sheet_formulas.deadline_met`):
both work on the cleaned text (full-width folded, spaces removed), take the month between an optional ``YYYY年``
and ``月`` and the day between ``月`` and ``日`` (the month's end when there is none), and compare month·100 + day.
"""

from __future__ import annotations

from .sheet_formulas import cleaned_value
from .values import ACHIEVED_WORDS

#: The words of being on time, as a target and as an actual.
ON_TIME = ("按时", "及时", "按期", "按时完成", "及时完成", "按期完成", "按计划完成")
#: Targets that mean "on time" without a date.
TARGET_WORDS = (*ON_TIME, "按计划", "按时限", "按时限完成")
#: A target that ends with one of these (after an optional trailing 完成) is the year's end.
YEAR_END = ("年底前", "年末前", "年内")
#: Actuals that say it was done on time: the words of being on time, and every word that says a target was
#: reached (values.ACHIEVED_WORDS: 已完成, 达成预期指标 …). The live sheet looks them up in ``lst_deadline_met``.
MET_WORDS = tuple(dict.fromkeys((*ON_TIME, "已按时完成", "提前完成", *ACHIEVED_WORDS)))
#: Any of these inside an actual says it was not (未完成, 延期, 逾期, 滞后), as does 否.
NOT_MET_PARTS = ("未", "延期", "逾期", "滞后")
NOT_MET_WORDS = ("否",)
_MONTH_END = 31


def _strip_done(text: str) -> str:
    return text[:-2] if text.endswith("完成") else text


def month_day(text: str) -> int | None:
    """``6月`` → 631, ``2023年6月20日`` → 620, ``6月底`` → 631; None without a month number of 1–12 before 月."""
    if "月" not in text:
        return None
    start = text.index("年") + 1 if "年" in text else 0
    end = text.index("月")
    head = text[start:end]
    if start > end or not head.isascii() or not head.isdigit() or not 1 <= int(head) <= 12:
        return None
    day = _MONTH_END
    if "日" in text and text.index("日") > end:
        part = text[end + 1 : text.index("日")]
        day = int(part) if part.isascii() and part.isdigit() else _MONTH_END
    return int(head) * 100 + day


def _year_dropped(text: str) -> str:
    """``2022年底前`` → ``年底前``: a year in front of 年底/年内 says nothing more."""
    return text[4:] if len(text) > 5 and text[4] == "年" and text[:4].isascii() and text[:4].isdigit() else text


def bare_target(value: object) -> str:
    """A target's cleaned text with ``之前`` and ``以前`` read as ``前`` (``2022年底之前``, ``6月30日以前``) and a
    trailing ``完成`` dropped."""
    return _strip_done(cleaned_value(value).replace("之前", "前").replace("以前", "前"))


def target_deadline(value: object) -> int | str | None:
    """A target's deadline: month·100 + day, ``"word"`` for 按时/及时…, None when the target is no deadline."""
    if value is None or isinstance(value, bool | int | float):
        return None
    bare = bare_target(value)
    if bare in TARGET_WORDS:
        return "word"
    if _year_dropped(bare) in YEAR_END:
        return 1231
    if not bare.endswith("前"):
        return None
    return month_day(bare[:-1])


def met(target: object, actual: object) -> bool | None:
    """Whether ``actual`` meets the deadline ``target`` (None: the actual says neither when nor whether)."""
    deadline = target_deadline(target)
    if deadline is None or actual is None:
        return None
    text = cleaned_value(actual)
    if text in NOT_MET_WORDS or any(part in text for part in NOT_MET_PARTS):
        return False
    if text in MET_WORDS:
        return True
    when = month_day(text)
    if when is None or isinstance(deadline, str):
        return None
    return when <= deadline

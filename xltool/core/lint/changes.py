"""A change stated with both amounts: ““三公”经费2.41万元，较2022年2.87万元增加0.30万元”, “决算为7.04万元，比同口径
预算安排的7.2万元，减少0.16万元”: the stated change must be the difference, in the direction the text says."""

from __future__ import annotations

import re
from decimal import Decimal

from ..scores import round_half_up
from ..values import shortest
from .base import Lint
from .document import Sentence
from .quantities import Figure

CODES = ("change.mismatch",)

_COMPARED = re.compile(r"(?:较|比)[^,;。]{0,16}$")
# 本年支出1280.5万元，上年支出1180.5万元，增加100万元: the earlier year named by itself (上年结转 is money, not a year)
_EARLIER = re.compile(r"(?:上年|去年|上一年度?)(?!结转|结余)")
_WORD = re.compile(r"(增加|增长|减少|下降|节约|降低)了?\s*$")


def _check(lint: Lint, s: Sentence, now: Figure, last: Figure, diff: Figure) -> None:
    word = _WORD.search(diff.label)
    if word is None or not (now.same_measure(last) and last.same_measure(diff)) or now.unit != last.unit:
        return
    up = word[1] in ("增加", "增长")
    actual = now.value - last.value
    stated = diff.value if up else -diff.value
    shown = max(now.places, last.places, diff.places)
    # the two amounts are shown rounded: their difference may be a unit of the last place off the stated change
    if abs(round_half_up(actual, shown) - stated) <= (Decimal(1).scaleb(-shown) if shown else 0):
        return
    year = re.search(r"(\d{4})\s*年", last.label)
    lint.add(
        "change.mismatch",
        "report",
        at=s,
        expected=shortest(actual),
        found=shortest(stated),
        now=shortest(now.value),
        year=year[1] if year else "",
        last=shortest(last.value),
        direction="增加" if actual >= 0 else "减少",
        diff=shortest(abs(actual)),
        word=word[1],
        stated=shortest(diff.value),
        unit=now.unit,
    )


def run(lint: Lint) -> None:
    for s, figures in zip(lint.sentences, lint.figures, strict=True):
        money = [f for f in figures if f.kind in ("money", "heads", "count", "points")]
        for i in range(len(money) - 2):
            now, last, diff = money[i], money[i + 1], money[i + 2]
            # the change follows the amount it compares with, in the next clause at most
            compared = (
                (_COMPARED.search(last.label) or _EARLIER.search(last.label))
                and not _EARLIER.search(now.label)
                and not now.is_change
                and _WORD.search(diff.label)
            )
            if compared and s.text[last.end : diff.start].count(",") <= 1:
                _check(lint, s, now, last, diff)

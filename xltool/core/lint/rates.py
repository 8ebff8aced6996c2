"""Rates stated with the amounts they come from: “拨付使用16.20万元，预算执行率100%”, “实际执行9265.35万元，项目执行率
88.74%” (the budget stated earlier in the section), “为预算数的97.77%”, “完成市目标任务数2000人的120%”,
“同比上年度增加189.25万元，增长31.39%”.

A rate names what it divides: 执行率/支出率 spending by budget, 到位率 money received by money due, “A 的 P%” the
figure before it by A. Every budget and every spending figure the text states for it is tried; the rate is wrong
only when no reading of the text gives it, rounded half up at the decimals it is written with. A rate that is the
truncation of the right one is named as such.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..scores import round_half_up
from ..values import shortest
from .base import Lint, half_unit, truncate
from .document import Sentence
from .quantities import Figure

CODES = ("rate.mismatch",)

_RATE_WORD = re.compile(r"(?P<what>预算执行|资金执行|项目执行|支出执行|执行|支出|使用|拨付|支付|资金到位|到位|兑现)率")
_OF = re.compile(r"的\s*$")
_BUDGET = re.compile(r"预算|下达|批复|安排|计划投资|计划|总额|资金共|资金总|到位资金|申请|核定|应到位|总投资")
_SPENT = re.compile(r"支出|执行|拨付|使用|支付|完成投资|完成拨付|决算|兑付|报账")
# 应到位68万元: what was due, the base of a rate, never what was done
_DUE = re.compile(r"应到位|应拨付|应支付|应下达|应安排|应发放")
# 支付18501.096万元，未支703万元: what was spent and what was not make the budget
_UNSPENT = re.compile(r"未支付?|未拨付|未使用|未执行|未到位")
# ①…；②…: each numbered item of an enumeration carries its own amounts and rate
_NUMBERED = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]|\(\d{1,2}\)")
_RECEIVED = re.compile(r"到位|拨付|收到|到账|下达")
_ALL = re.compile(r"全部|全额|足额")
_GROWTH = re.compile(r"(?:增加|增长|下降|减少|上升|降低)了?\s*$")
_BACK = 6  # sentences with money before a rate in which its budget may stand
_CARRIED = re.compile(r"上年|结转|结余")
_INITIAL = re.compile(r"年初")


def _role(f: Figure, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(f.label)) or bool(pattern.search(f.tail))


def _agrees(stated: Figure, numerator: Decimal, base: Decimal) -> bool:
    """The amounts are taken as written (the text computes its rates from them), the rate at its decimals."""
    if base <= 0:
        return True
    return round_half_up(numerator / base * 100, stated.places) == stated.value


def _shown(stated: Figure, computed: Decimal) -> dict[str, Any]:
    """What every rate finding says of the rate: as written, as it should be, and the exact quotient."""
    return {
        "expected": f"{round_half_up(computed, stated.places)}%",
        "found": f"{stated.text}%",
        "stated": f"{stated.label[-10:]} {stated.text}%".strip(),
        "exact": f"{shortest(round_half_up(computed, stated.places + 3))}%",
    }


def _within(stated: Figure, n: Figure, b: Figure) -> bool:
    """The rate computed from the unrounded amounts may be any the shown ones allow (an amount shown to 0.01 万元
    is anywhere within half a unit of it): the text cannot be held to more than it shows. Whole amounts are taken
    as exact to 0.01."""
    # an amount is taken to 0.01 of its unit at least: a budget of 10万元 is ten, not anything from 9.5 to 10.5
    nh = half_unit(max(n.places, 2)) * n.wan / n.value if n.value else Decimal(0)
    bh = half_unit(max(b.places, 2)) * b.wan / b.value
    return _allowed(stated, n.wan, nh, b.wan, bh)


def _allowed(stated: Figure, numerator: Decimal, slack: Decimal, base: Decimal, base_slack: Decimal) -> bool:
    """Whether the stated rate lies between the smallest and the largest quotient the amounts allow, each within
    its slack (and the rate within its own rounding). A base that may be zero allows anything."""
    if base - base_slack <= 0:
        return True
    low = (numerator - slack) / (base + base_slack) * 100 - half_unit(stated.places)
    high = (numerator + slack) / (base - base_slack) * 100 + half_unit(stated.places)
    return low <= stated.value <= high


class _Check:
    def __init__(self, lint: Lint):
        self.lint = lint

    def report(self, s: Sentence, stated: Figure, numerator: Figure, base: Figure) -> None:
        computed = numerator.wan / base.wan * 100
        truncated = truncate(computed, stated.places) == stated.value
        self.lint.add(
            "rate.mismatch",
            "truncated" if truncated else "prose",
            at=s,
            spent=f"{numerator.text}{numerator.unit}",
            budget=f"{base.text}{base.unit}",
            **_shown(stated, computed),
        )

    def judge(self, s: Sentence, stated: Figure, numerators: list[Figure], bases: list[Figure]) -> None:
        """Silent when some budget and spending the text states give the rate — rounded half up, or within what
        the shown amounts' own rounding allows; named when the rate is the truncation of one of them."""
        pairs = [(n, b) for n in numerators for b in bases if n.same_measure(b) and b.wan > 0]
        if not pairs or any(_agrees(stated, n.wan, b.wan) for n, b in pairs):
            return
        if stated.value <= 100 and all(n.wan > b.wan and _INITIAL.search(b.label) for n, b in pairs):
            return  # 年初预算 245万元，实际到位 301万元，到位率100%: measured against an adjusted budget not stated
        for n, b in pairs:
            if truncate(n.wan / b.wan * 100, stated.places) == stated.value:
                self.report(s, stated, n, b)
                return
        if any(_within(stated, n, b) for n, b in pairs):
            return
        self.report(s, stated, *min(pairs, key=lambda nb: abs(nb[0].wan / nb[1].wan * 100 - stated.value)))

    def _item_start(self, s: Sentence, stated: Figure) -> int:
        """Where the item a rate belongs to begins: its number (①, (2)), or the semicolon after an item that had a
        rate of its own (…资金使用率100%；B项目资金使用334896元，资金使用率83.72%); 0 for the whole sentence."""
        numbered = [m.end() for m in _NUMBERED.finditer(s.text, 0, stated.start)]
        if numbered:
            return numbered[-1]
        semicolon = s.text.rfind(";", 0, stated.start)
        rated = [f for f in self.lint.figures[s.index] if f.kind == "percent" and f.end <= semicolon]
        return semicolon + 1 if semicolon >= 0 and rated else 0

    def _in_a_list(self, s: Sentence, f: Figure, stated: Figure) -> bool:
        """A figure listed under 其中 in the clause the rate closes: a part of the whole the rate speaks of
        (资金15150万元，其中省级489万元，各州市14661万元，执行率为100%)."""
        marker = s.text.rfind("其中", 0, f.start)
        return marker >= 0 and ";" not in s.text[marker : stated.start]

    def _judge_against_unspent(self, s: Sentence, stated: Figure, spent: Figure, unspent: Figure) -> None:
        """支付 X，未支 Y，支付率 P%: P is X over X + Y."""
        base = spent.wan + unspent.wan
        if base <= 0 or _agrees(stated, spent.wan, base):
            return
        slack = half_unit(max(spent.places, unspent.places, 2)) * spent.wan / spent.value if spent.value else Decimal(0)
        if _allowed(stated, spent.wan, slack, base, 2 * slack):
            return
        computed = spent.wan / base * 100
        self.lint.add(
            "rate.mismatch",
            "truncated" if truncate(computed, stated.places) == stated.value else "prose",
            at=s,
            spent=f"{spent.text}{spent.unit}",
            budget=f"{shortest(spent.value + unspent.value)}{spent.unit}",
            **_shown(stated, computed),
        )

    def named_base(self, s: Sentence, figures: list[Figure], stated: Figure) -> bool:
        """“A 的 P%”: A is the figure right before (完成市目标任务数2000人的120%) or a budget named by word (为预算数的
        97.77%); the numerator is the figure of the same measure stated before it."""
        label = stated.label
        if not _OF.search(label):
            return False
        before = [f for f in figures if f.end <= stated.start and f.kind != "percent" and not f.is_change]
        if before and s.text[before[-1].end : stated.start].strip() in ("的",):
            base = before[-1]
            numerators = [f for f in before[:-1] if f.same_measure(base)]
            self.judge(s, stated, numerators[-1:], [base])
            return True
        if _BUDGET.search(label):
            bases = [f for f in before if _role(f, _BUDGET) and f.kind == "money"]
            numerators = [f for f in before if f.kind == "money" and f not in bases]
            self.judge(s, stated, numerators, bases)
            return True
        return True  # 占总面积的 82.77%: a base the text does not give

    def growth(self, s: Sentence, figures: list[Figure], stated: Figure) -> bool:
        """增加 Z 万元，增长 P%: P is Z over the earlier amount (X − Z, or the 上年 amount when stated)."""
        if not _GROWTH.search(stated.label):
            return False
        before = [f for f in figures if f.end <= stated.start and f.kind == "money"]
        changes = [f for f in before if f.is_change]
        if not changes or before[-1] is not changes[-1]:
            return True
        z = changes[-1]
        down = bool(re.search(r"减少|下降|降低", z.label + stated.label))
        stocks = [f for f in before if not f.is_change]
        earlier = [f for f in stocks if re.search(r"上年|去年|较|比", f.label)]
        if earlier:
            bases = [earlier[-1].wan]
        else:
            current = stocks[-1:] or self._previous_stock(s)
            if not current:
                return True
            bases = [current[-1].wan - z.wan if not down else current[-1].wan + z.wan]
        if any(_agrees(stated, z.wan, b) for b in bases) or bases[0] <= 0:
            return True
        # the base is a sum of two shown amounts: twice the slack (whole amounts exact to 0.01, as for 执行率)
        shown = half_unit(max(z.places, 2)) * z.wan / z.value if z.value else Decimal(0)
        if _allowed(stated, z.wan, shown, bases[0], 2 * shown):
            return True
        base = bases[0]
        computed = z.wan / base * 100
        self.lint.add(
            "rate.mismatch",
            "growth",
            at=s,
            change=f"{z.text}{z.unit}",
            base=f"{shortest(base)}{z.unit}",
            **_shown(stated, computed),
        )
        return True

    def _previous_stock(self, s: Sentence) -> list[Figure]:
        prev = self.lint.before(s)
        if prev is None:
            return []
        figures = self.lint.figures[prev.index]
        return [f for f in figures if f.kind == "money" and not f.is_change][-1:] if figures else []

    def execution(self, s: Sentence, stated: Figure) -> None:
        """执行率/到位率 P%: the spending (or received money) stated with it, over the budget stated with it or
        earlier in the section."""
        word = _RATE_WORD.search(stated.label)
        if word is None or stated.label[word.end() :].strip(" 为是达:") not in ("", "了"):
            return
        received = "到位" in word["what"]
        wanted = _RECEIVED if received else _SPENT
        start = self._item_start(s, stated)
        before = [
            f
            for f in self.lint.free(s)
            if start <= f.start and f.end <= stated.start and f.kind == "money" and not f.is_change
        ]
        if any(self._in_a_list(s, f, stated) for f in before):
            return  # a rate closing a 其中 list: of one item, or of the whole before the list — not said
        due = [f for f in before if _role(f, _DUE)]
        unspent = [f for f in before if _UNSPENT.search(f.label)]
        numerators = [f for f in before if (_role(f, wanted) or _ALL.search(f.tail)) and f not in due + unspent]
        bases = [f for f in before if (_role(f, _BUDGET) or f in due) and f not in numerators and f not in unspent]
        if numerators and unspent and not bases:
            spent = numerators[-1]
            if spent.unit == unspent[-1].unit:
                self._judge_against_unspent(s, stated, spent, unspent[-1])
            return
        if start:
            if numerators and bases:
                self.judge(s, stated, numerators, bases)
            return
        if not numerators:
            prev = self.lint.before(s)
            if prev is None or before:
                return
            earlier = [f for f in self.lint.figures[prev.index] if f.kind == "money" and not f.is_change]
            numerators = [f for f in earlier if _role(f, wanted)]
            bases = [f for f in earlier if _role(f, _BUDGET) and f not in numerators]
        if not numerators:
            return
        back, seen = 1, 0
        while seen < _BACK and (prev := self.lint.previous(s, back)) is not None:
            back += 1
            money = [f for f in self.lint.figures[prev.index] if f.kind == "money" and not f.is_change]
            seen += bool(money)
            bases += [f for f in money if (_role(f, _BUDGET) or _ALL.search(f.tail)) and not _role(f, _CARRIED)]
        for n in numerators:
            if _ALL.search(n.tail) or _ALL.search(n.label):
                bases.append(n)  # 10441万元资金全部拨付到位: all of it
        self.judge(s, stated, numerators, bases)


def run(lint: Lint) -> None:
    check = _Check(lint)
    for s, figures in zip(lint.sentences, lint.figures, strict=True):
        for stated in figures:
            if stated.kind != "percent":
                continue
            if check.named_base(s, figures, stated) or check.growth(s, figures, stated):
                continue
            check.execution(s, stated)

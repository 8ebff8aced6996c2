"""A total and its parts: “收入594.95万元。其中财政拨款收入593.31万元，其他收入1.64万元”, “共计下达…3580.69万元”
after a list, “1420.09万元（年初预算安排1161.21万元，年中追加258.88万元）”, “共15个项目…年初8个…年中增加8个”.

Money, heads and counts alike. Parts that add up to more than their total always contradict it. Parts that add up
to less contradict it only when the list claims to be whole: it names an “其他…” part, says 分别为, is a known
split (基本支出 + 项目支出, 年初 + 追加), or the total sums what was just listed (共计/合计). A list of levels
(“一级指标3个、二级指标9个、三级指标12个”), of overlapping groups (党员, 女性), or of figures in different units
is not a sum.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..values import shortest
from .base import Lint, sum_slack
from .document import Sentence
from .quantities import Figure

CODES = ("sum.mismatch", "count.mismatch")

_MARKER = re.compile(r"其中|分别为|分别是|包括|具体为|主要有")
_WHOLE_MARKER = ("分别为", "分别是")
_OTHER = re.compile(r"其他|其它|其余|剩余")
_LEVELS = re.compile(r"[一二三四五1-5]级")
_OVERLAP = re.compile(r"党员|女|男|少数民族|岁|学历|本科|硕士|博士|研究生|大专|职称|高级|中级|初级|党外|退役军人|残疾")
_KNOWN_SPLITS = (
    ("基本支出", "项目支出"),
    ("人员经费", "公用经费"),
    ("工资福利", "商品和服务"),
    ("年初", "追加"),
    ("年初", "调整"),
)
_STAFF = re.compile(r"人数|人员|编制|职工|在职|实有|离退休")
_SUMMARY = re.compile(r"^(?:以上|上述)?[^,;:]{0,6}(?:共计|合计|总计|累计|总额)")
_TOTAL_WORD = re.compile(r"共|合计|总计|总数|全年|调整后")
_INITIAL = re.compile(r"年初")
_CUT = re.compile(r"调减|核减|减少|取消|收回|压减|调出")


def _is_part(f: Figure) -> bool:
    return f.kind in ("money", "heads", "count") and not f.is_change


def _whole(total: Figure, parts: list[Figure], marker: str) -> bool:
    labels = [p.label + p.tail for p in parts]
    if marker in _WHOLE_MARKER or any(_OTHER.search(p.label) for p in parts):
        return True
    if total.kind == "heads" and _STAFF.search(total.label):
        return True  # 在职人数12名，其中…: a unit's staff split by post or rank is the whole staff
    return any(all(any(word in label for label in labels) for word in split) for split in _KNOWN_SPLITS)


def _not_a_sum(parts: list[Figure]) -> bool:
    levels = [p for p in parts if _LEVELS.search(p.label)]
    if len(levels) >= 2 and parts[0].kind != "heads":
        return True  # 一级指标3个、二级指标9个: levels of one hierarchy
    if parts[0].kind == "heads" and any(_OVERLAP.search(p.label) for p in parts):
        return True
    return len({p.unit for p in parts}) > 1 and parts[0].kind == "money"


class _Check:
    def __init__(self, lint: Lint):
        self.lint = lint

    def compare(
        self, s: Sentence, total: Figure, parts: list[Figure], whole: bool, how: str, quote: str | None = None
    ) -> None:
        if len(parts) < 2 or _not_a_sum(parts) or not all(total.same_measure(p) for p in parts):
            return
        if total.kind == "money" and total.unit != parts[0].unit:
            return  # 万元 against 元: a unit slip is not judged as a sum
        stated, added = total.value, sum((p.value for p in parts), Decimal(0))
        slack = sum_slack([total, *parts])
        if abs(stated - added) <= slack:
            return
        if added < stated and not whole:
            return  # a few named parts of a larger whole
        running = Decimal(0)
        for p in parts[:-1]:  # the list went on past its parts (… 结余结转 0万元)
            running += p.value
            if abs(running - stated) <= slack:
                return
        if added > stated + slack:  # show the parts that already exceed the total (a list may run on past them)
            running = Decimal(0)
            for k, p in enumerate(parts):
                running += p.value
                if running > stated + slack:
                    parts, added = parts[: k + 1], running
                    break
        if how == "increments":
            arithmetic = " + ".join(f"{p.label[-6:]} {p.text}" for p in parts)
        else:
            arithmetic = " + ".join(p.text for p in parts)
        self.lint.add(
            "sum.mismatch" if total.kind == "money" else "count.mismatch",
            "prose",
            at=s,
            quote=quote,
            expected=shortest(added),
            found=total.text,
            total=f"{total.label[-12:]} {total.text}{total.unit}".strip(),
            parts=arithmetic,
            sum=f"{shortest(added)}{total.unit}",
        )

    def lists(self, s: Sentence) -> None:
        """其中 / 分别为 / 包括 lists, the total before the marker (or ending the sentence before a 其中 that opens
        this one)."""
        free = self.lint.free(s)
        markers = [m for m in _MARKER.finditer(s.text) if not self.lint.aside(s, m.start())]
        for i, m in enumerate(markers):
            stop = markers[i + 1].start() if i + 1 < len(markers) else len(s.text)
            after = [f for f in free if m.end() <= f.start < stop and _is_part(f)]
            if i + 1 < len(markers):
                after = after[:-1]  # the figure before the next 其中 is that list's total
            if not after:
                continue
            parts = [f for f in after if f.same_measure(after[0])]
            before = [f for f in free if f.end <= m.start() and _is_part(f) and f.same_measure(after[0])]
            quote = None
            if before:
                total = before[-1]
            elif not s.text[: m.start()].strip(" :,"):
                prev = self.lint.before(s)
                if prev is None:
                    continue
                earlier = [f for f in self.lint.figures[prev.index] if _is_part(f) and f.same_measure(after[0])]
                if not earlier or any(
                    f.kind == after[0].kind and f.is_change for f in self.lint.figures[prev.index][-1:]
                ):
                    continue
                total, quote = earlier[-1], f"{prev.raw}{s.raw}"
            else:
                continue
            self.compare(s, total, parts, _whole(total, parts, m.group()), "list", quote)

    def brackets(self, s: Sentence, figures: list[Figure]) -> None:
        """1420.09万元（年初预算安排1161.21万元，年中追加258.88万元）: the aside splits the figure before it."""
        for a, b in self.lint.asides[s.index]:
            before = [f for f in figures if f.end <= a - 1 and s.text[f.end : a - 1].strip() == ""]
            if not before:
                continue
            aside = s.text[a:b]
            if re.match(r"\s*(?:含|包含|不含|其中含|均为|全部)", aside):
                continue
            parts = [f for f in figures if a <= f.start < b and _is_part(f) and f.same_measure(before[-1])]
            self.compare(s, before[-1], parts, _whole(before[-1], parts, ""), "aside")

    def summary(self, s: Sentence, figures: list[Figure]) -> None:
        """A list, then “共计/合计 … N”: the total sums what was just listed, all of it."""
        match = _SUMMARY.search(s.text)
        if not match:
            return
        totals = [f for f in figures if f.start >= match.end() and _is_part(f)]
        prev = self.lint.before(s)
        if not totals or prev is None:
            return
        total = totals[0]
        listed = [f for f in self.lint.figures[prev.index] if _is_part(f)]
        if len(listed) < 3 or not all(f.same_measure(total) for f in listed):
            return
        clauses = re.split(r"[;]", prev.text)
        if len(clauses) < len(listed):  # one part a clause: a real list, not a paragraph of prose
            return
        for k in range(len(listed) - 1):  # the list may start later than the sentence
            tail = listed[k:]
            if abs(sum((f.value for f in tail), Decimal(0)) - total.value) <= sum_slack([total, *tail]):
                return
        self.compare(s, total, listed, True, "summary", f"{prev.raw}{s.raw}")

    def increments(self, s: Sentence) -> None:
        """共15个项目 … 年初批复8个 … 年中增加8个: what the year began with plus what it added is the total."""
        if _CUT.search(s.text):
            return
        free = [f for f in self.lint.free(s) if _is_part(f)]
        for initial in [f for f in free if _INITIAL.search(f.label) and not f.is_added]:
            added = [f for f in free if f.is_added and f.same_measure(initial) and f.start > initial.start]
            totals = [
                f
                for f in free
                if f is not initial
                and f not in added
                and f.same_measure(initial)
                and _TOTAL_WORD.search(f.label)
                and not _INITIAL.search(f.label)
            ]
            if len(added) >= 1 and len(totals) == 1:
                self.compare(s, totals[0], [initial, *added], True, "increments")


def run(lint: Lint) -> None:
    check = _Check(lint)
    for s, figures in zip(lint.sentences, lint.figures, strict=True):
        if not figures:
            continue
        check.lists(s)
        check.brackets(s, figures)
        check.summary(s, figures)
        check.increments(s)

"""A total and its parts: “收入594.95万元。其中财政拨款收入593.31万元，其他收入1.64万元”, “共计下达…3580.69万元”
after a list, “1420.09万元（年初预算安排1161.21万元，年中追加258.88万元）”, “共15个项目…年初8个…年中增加8个”.

Money, heads and counts alike. Parts that add up to more than their total always contradict it. Parts that add up
to less contradict it only when the list claims to be whole: it names an “其他…” part, says 分别为, is a known
split (基本支出 + 项目支出, 年初 + 追加), or the total sums what was just listed (共计/合计). A list of levels
(“一级指标3个、二级指标9个、三级指标12个”), of overlapping groups (党员, 女性), or of figures in different units
is not a sum.

A part is added only to a total of its own kind: 编制 with 编制 and 实有 with 实有 (“编制19人，实有19人。其中行政编制
6人，实有6人；…”), 收入 with 收入 and 支出 with 支出, budget with budget and spending with spending, a year with the
same year — where a figure's own words say which (:meth:`Figure.conflicts`). An amount for each of several (各6万元)
is not a part, and a list cut off by the end of the copy is never taken as whole.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..values import shortest
from .base import Lint, half_unit, sum_slack
from .document import Sentence
from .quantities import Figure

CODES = ("sum.mismatch", "count.mismatch", "score.total-mismatch")

# a list of parts opens with 其中/分别为/包括…, or with 为 right after the total (省级资金124.23万元，为A 25万元，B 0.71万元…)
_MARKER = re.compile(
    r"其中|分别为|分别是|分别得分?|分别获得|分别(?:支持|用于|安排|下达|拨付)|包括|具体为|主要有|(?<=[元人名个项],)为(?![^,;。]{0,8}%)"
)
_WHOLE_MARKER = ("分别为", "分别是", "分别得", "分别得分", "分别获得")
_OTHER = re.compile(r"其他|其它|其余|剩余")
_LEVELS = re.compile(r"[一二三四五1-5]级")
_OVERLAP = re.compile(r"党员|女|男|少数民族|岁|学历|本科|硕士|博士|研究生|大专|职称|高级|中级|初级|党外|退役军人|残疾")
_KNOWN_SPLITS = (
    ("基本支出", "项目支出"),
    ("人员经费", "公用经费"),
    ("工资福利", "商品和服务"),
    ("年初", "追加"),
    ("年初", "调整"),
    ("决策", "过程", "产出", "效"),  # the 一级指标 of a project's evaluation: points
    ("投入", "过程", "产出", "效"),  # …of a department's
)
_SUMMARY = re.compile(r"^(?:以上|上述)?[^,;:]{0,6}(?:共计|合计|总计|累计|总额)")
_TOTAL_WORD = re.compile(r"共|合计|总计|总数|全年|调整后")
_INITIAL = re.compile(r"年初")
# 比2021年的900万元: the amount a change is measured from, not a total of the parts that follow
_COMPARED_BASE = re.compile(r"(?:较|比)[^,;。]{0,16}$")
_CUT = re.compile(r"调减|核减|减少|取消|收回|压减|调出")
_ENDS = ("。", "!", "?", ";")


def _is_part(f: Figure) -> bool:
    return f.kind in ("money", "heads", "count", "points") and not f.is_change and not f.per_item


def _whole(total: Figure, parts: list[Figure], marker: str) -> bool:
    labels = [p.label + p.tail for p in parts]
    if marker in _WHOLE_MARKER or any(_OTHER.search(p.label) for p in parts):
        return True
    return any(all(any(word in label for label in labels) for word in split) for split in _KNOWN_SPLITS)


def _not_a_sum(parts: list[Figure]) -> bool:
    levels = [p for p in parts if _LEVELS.search(p.label)]
    if len(levels) >= 2 and parts[0].kind != "heads":
        return True  # 一级指标3个、二级指标9个: levels of one hierarchy
    if parts[0].kind == "heads" and any(_OVERLAP.search(p.label) for p in parts):
        return True
    return len({p.unit for p in parts}) > 1 and parts[0].kind == "money"


_SUB = re.compile(r"分别|其中|包括|具体为|含")
_SUBLIST = re.compile(r"分别(?:支持|用于|安排|下达|拨付)")


def _subtotals(text: str, figures: list[Figure]) -> list[Figure]:
    """The parts of a list whose items have breakdowns of their own (第一批资金9910万元，分别支持A 3000万元、B…；第二批
    资金7437万元，分别支持…): in a clause where a figure is followed by its own 分别/其中, that figure stands for
    the clause and the ones after it are its parts, not the list's."""
    out: list[Figure] = []
    skip_to = -1
    for k, f in enumerate(figures):
        if f.start < skip_to:
            continue
        out.append(f)
        nxt = figures[k + 1].start if k + 1 < len(figures) else len(text)
        if _SUB.search(text, f.end, nxt):
            clause = text.find(";", f.end)
            skip_to = clause if clause >= 0 else len(text)
    return out


def _another_total(total: Figure, parts: list[Figure], before: list[Figure]) -> bool:
    """The parts add up to more than the last figure before the list, but an earlier one there could be their
    total: the text does not say which it splits."""
    added = sum((p.value for p in parts), Decimal(0))
    if added <= total.value + sum_slack([total, *parts]):
        return False
    return any(b.unit == total.unit and b.value >= added - sum_slack([b, *parts]) for b in before[:-1])


def _mixed(total: Figure, parts: list[Figure]) -> bool:
    """Parts of more than one kind on a side the total does not state (some spent, some not said): what they add
    up to is not what the total counts."""
    stated = total.facets()
    for dimension in ("flow", "stage", "year"):
        if dimension in stated:
            continue
        if len({p.facets().get(dimension, "") for p in parts}) > 1:
            return True
    return False


class _Check:
    def __init__(self, lint: Lint):
        self.lint = lint

    def compare(
        self, s: Sentence, total: Figure, parts: list[Figure], whole: bool, how: str, quote: str | None = None
    ) -> None:
        if len(parts) < 2 or _not_a_sum(parts) or not all(total.same_measure(p) for p in parts) or total.is_change:
            return  # 增加2人（其中新入职3人、调入3人、退休4人）: a change is no total
        if how != "increments" and _mixed(total, parts):
            return  # 资金107.13万元，其中管理费1.07万元，目前已拨付106.36万元: a progress figure among the parts
        stated, added = total.value, sum((p.value for p in parts), Decimal(0))
        slack = sum_slack([total, *parts])
        if len({f.places for f in [total, *parts]}) > 1 and any(p.places for p in parts):
            # figures shown to different decimals (5372.5833 against parts to 0.01, 13,819.134 + 22,018.81 against
            # 35,837.94): each may be off by half a unit of its own last place (a whole part is taken as exact)
            halves = half_unit(total.places) + sum((half_unit(p.places) for p in parts if p.places), Decimal(0))
            slack = max(slack, halves)
        if total.kind == "money" and total.unit != parts[0].unit:
            if abs(stated - added) <= slack:  # the digits of the sum, written in another unit
                self.lint.add(
                    "sum.mismatch",
                    "unit-slip",
                    at=s,
                    quote=quote,
                    expected=f"{shortest(added)}{parts[0].unit}",
                    found=f"{total.text}{total.unit}",
                    total=f"{total.label[-12:]} {total.text}{total.unit}".strip(),
                    parts=" + ".join(p.text for p in parts),
                    sum=f"{shortest(added)}{parts[0].unit}",
                )
            return  # otherwise 万元 against 元 is not judged as a sum
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
        if total.kind == "points":
            code = "score.total-mismatch"
        else:
            code = "count.mismatch" if total.counts_items else "sum.mismatch"
        self.lint.add(
            code,
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
            # a list runs to the next list, past the sub-lists of its own items (第一批9910万元，分别支持…)
            later = [n for n in markers[i + 1 :] if _SUBLIST.match(m.group()) or not _SUBLIST.match(n.group())]
            stop = later[0].start() if later else len(s.text)
            after = [f for f in free if m.end() <= f.start < stop and _is_part(f)]
            if later and after and (len(after) == 1 or ";" in s.text[after[-2].end : after[-1].start]):
                # the figure before the next 其中, in a clause of its own, is that list's total; in this list's
                # run of parts (…，公用经费150.91万元：其中办公费…) it is this list's last part, split in its turn
                after = after[:-1]
            after = _subtotals(s.text, after)
            if not after:
                continue
            listed = [f for f in after if f.same_measure(after[0])]
            before = [
                f
                for f in free
                if f.end <= m.start()
                and _is_part(f)
                and f.same_measure(after[0])
                and not _COMPARED_BASE.search(f.label)
            ]
            quote = None
            if not before and not s.text[: m.start()].strip(" :,"):
                prev = self.lint.before(s)
                if prev is None:
                    continue
                before = [f for f in self.lint.figures[prev.index] if _is_part(f) and f.same_measure(after[0])]
                if any(f.kind == after[0].kind and f.is_change for f in self.lint.figures[prev.index][-1:]):
                    continue
                quote = f"{prev.raw}{s.raw}"
            if not before:
                continue
            cut = s.index == len(self.lint.sentences) - 1 and not s.text.rstrip().endswith(_ENDS)
            # each kind of part against the last total of its kind (编制19人，实有19人。其中行政编制6人，实有6人…)
            posts = {"编制", "实有"} <= {f.facets().get("post", "") for f in listed}  # side by side
            total = before[-1]
            parts = [f for f in listed if not f.conflicts(total, posts)]
            rivals = [b for b in before[:-1] if not any(b.end <= n.start() < m.start() for n in markers[:i])]
            if _another_total(total, parts, [*rivals, total]):
                continue  # 原值482.46万元，累计折旧162.14万元，净值320.32万元。其中…: which of them the list splits
            # 分别为 claims the whole of what it follows: not of a total with another count between (企业4家，分别为)
            close = not any(
                not f.same_measure(total) for f in self.lint.figures[s.index] if total.end <= f.start < m.start()
            )
            whole = _whole(total, parts, m.group()) and not cut and close
            self.compare(s, total, parts, whole, "list", quote)
            # the parts of another kind than that total, against the last total of their kind before the list
            others = [f for f in listed if f.conflicts(total, posts)]
            own = [b for b in before[:-1] if others and not any(o.conflicts(b, posts) for o in others)]
            if own and own[-1].facets():
                self.compare(s, own[-1], others, _whole(own[-1], others, m.group()) and not cut, "list", quote)

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

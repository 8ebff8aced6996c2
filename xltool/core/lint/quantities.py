"""The figures of a sentence: each number with its unit, what it measures, and the words around it.

Reports write money as ``1,234.56万元``, ``384.29 万元``, ``387664.62元``, heads as ``5人``/``35名``, counts as
``15个``/``八个项目``, rates as ``97.77%``. A figure's *label* is the text before it back to the previous figure or
clause mark (“其中财政拨款收入”), its *tail* the text after it to the next mark (“用于基建工程项目审计”): the
rules read roles (budget, spending, change, part) from these words, never from a fixed sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[一二两三四五六七八九十]{1,3}"
_MONEY = {"亿元": Decimal(10000), "万元": Decimal(1), "千元": Decimal("0.1"), "元": Decimal("0.0001")}
_HEADS = ("人次", "人", "名")
_COUNTS = (
    "个", "项", "家", "条", "期", "所", "户", "座", "架", "辆", "台", "件", "场", "篇", "起", "处", "批", "次", "套", "块", "张",
    "份", "册", "间", "栋", "株", "棵", "盏", "口", "眼",
)  # fmt: skip
_ITEMS = ("个", "项", "家", "所", "户", "条", "期", "篇", "起", "批", "次", "场", "处")
_UNITS = "|".join([*_MONEY, "%", *_HEADS, *_COUNTS])
_DOCUMENT_NUMBER = "〔[【〖"  # 财建〔2020〕218号: what follows the bracket is a year and a number
# points of a score (总分95.5分): 分 neither of a minute (10分钟) nor of a word (分别, 分值, 分析…)
_POINTS = r"分(?![钟之别值析配布类期批局成解子享工摊担级管项散开为秒数])"
_FIGURE = re.compile(
    rf"(?<![\d.,])(?P<n>{_DIGITS})\s*(?P<u>{_UNITS}|{_POINTS})"
    rf"|(?<![\d一二两三四五六七八九十第])(?P<c>{_CHINESE})(?P<cu>个|项|人|名|家)"
)
_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NOT_COUNTED = re.compile(r"\s*(?:月|工作日|自然日|小时|季度|星期|百分点|多月)")
MARKS = ",;:、()。!?"

#: words saying a figure is a difference from another time or another amount, not an amount of its own
CHANGE = re.compile(
    r"(?:较|比|同比|环比|上年|去年|上一年)[^,;。]{0,24}?(?:增加|减少|增长|下降|上升|降低|节约|超支|多|少)|增加|减少|增长|下降|节约|降低"
)
#: words saying a figure is an amount for each of several (各 6 万元, 每亩 100 元, 人均 2 万元), not a part of a total
PER_ITEM = re.compile(r"(?:各|每|人均|户均|平均|均为|单价|标准为?)\s*$")
#: what a figure counts, told by its own words, on the sides a total and its parts must share (see ``facets``)
_FACETS = (
    ("flow", "收入", re.compile(r"收入")),
    ("flow", "支出", re.compile(r"支出")),
    # 预算 as a stage, not in the name of a kind of fund (一般公共预算, 政府性基金预算, 国有资本经营预算)
    ("stage", "预算", re.compile(r"(?<!公共)(?<!基金)(?<!经营)(?<!专户)预算|年初|批复|计划|安排")),
    ("stage", "执行", re.compile(r"执行|决算|实际支出|完成投资|拨付|支付")),
    ("stage", "到位", re.compile(r"到位|收到")),
    ("post", "编制", re.compile(r"编制(?!内|外)")),
)
_ACTUAL_STAFF = re.compile(r"实有|实际|在编|在岗|在职|现有")
_EARLIER_YEAR = re.compile(r"上年(?!结转|结余)|去年|上一年|同期")
_YEAR = re.compile(r"(20\d\d)\s*年")

#: words saying a figure is added to an earlier one (年中追加 20万元), which makes it a part, not a change
ADDED = re.compile(r"追加|调增|新增|年中增加|年中新增")


def places(text: str) -> int:
    """How many decimals a number is written with (``89.974`` → 3)."""
    return len(text.split(".")[1]) if "." in text else 0


def chinese_number(text: str) -> int | None:
    """一..九十九 as an int (两 as 2); None for anything else."""
    if not text or any(ch not in "一二两三四五六七八九十" for ch in text):
        return None
    if "十" not in text:
        return _CN[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0)


@dataclass(frozen=True)
class Figure:
    """One number with its unit in a sentence (offsets into the normalised sentence)."""

    value: Decimal
    text: str  # the digits as written (``1,234.56``)
    unit: str  # 万元, 元, %, 人, 个…
    start: int
    end: int
    label: str  # the words before it, back to the previous figure or clause mark
    tail: str  # the words after it, to the next clause mark
    also: str = ""  # other measure words given in brackets after the unit: 16954套（台、块、项）

    @property
    def kind(self) -> str:
        if self.unit in _MONEY:
            return "money"
        if self.unit == "%":
            return "percent"
        if self.unit == "分":
            return "points"
        if self.unit in ("人", "名"):
            return "heads"
        return "count"

    @property
    def counts_items(self) -> bool:
        """A number of people or of things one by one (15 个项目, 10 名): a count; money and goods (16954 套) are
        amounts."""
        return self.kind == "heads" or self.unit in _ITEMS

    @property
    def places(self) -> int:
        return places(self.text)

    @property
    def wan(self) -> Decimal:
        """Money in 万元 (other kinds as they are)."""
        return self.value * _MONEY.get(self.unit, Decimal(1))

    @property
    def measure(self) -> str:
        """What is counted, for comparing counts: the unit (人 and 名 are the same heads)."""
        return "人" if self.unit in ("人", "名") else self.unit

    def same_measure(self, other: Figure) -> bool:
        if self.kind != other.kind:
            return False
        return self.kind == "money" or bool(self.measures & other.measures)

    @property
    def measures(self) -> set[str]:
        """The measure and the alternatives written after it (套（台、块、项） counts 套, 台, 块 and 项 alike)."""
        return {self.measure, *(("人" if u in ("人", "名") else u) for u in re.split("[、/]", self.also) if u)}

    @property
    def per_item(self) -> bool:
        """An amount for each of several (2 个示范站各 6 万元), not a part to add."""
        return bool(PER_ITEM.search(self.label))

    def facets(self) -> dict[str, str]:
        """The sides of what a figure counts, where its own words say them: income or spending (flow), budget,
        spending or funds received (stage), a post in the establishment or a person in it (post: 行政编制 6 人
        against 实有 6 人), and the year. A total's parts are of the same facets as the total (see :func:`conflicts`)."""
        label = re.sub(r"\([^()]*\)", "", self.label)  # 科员（事业编制）6人: the bracket describes, not counts
        out: dict[str, str] = {}
        for dimension, value, pattern in _FACETS:
            if dimension not in out and pattern.search(label):
                out[dimension] = value
        if self.kind != "heads":
            out.pop("post", None)
        elif _ACTUAL_STAFF.search(label):
            out["post"] = "实有"
        if _EARLIER_YEAR.search(label):
            out["year"] = "earlier"
        elif year := _YEAR.search(label):
            out["year"] = year[1]
        return out

    def conflicts(self, other: Figure, posts: bool = True) -> bool:
        """The two count different things: a side both state, stated differently. ``posts``: whether 编制 and 实有
        are told apart (only where the text gives both side by side: 行政编制15人 alone is fifteen people)."""
        mine, theirs = self.facets(), other.facets()
        return any(
            theirs.get(dimension, value) != value for dimension, value in mine.items() if posts or dimension != "post"
        )

    @property
    def is_change(self) -> bool:
        """A difference from another amount (较上年增加 20万元, 减少 0.16 万元), not an amount of its own."""
        label = self.label[-14:]
        return bool(CHANGE.search(label)) and not ADDED.search(label)

    @property
    def is_added(self) -> bool:
        return bool(ADDED.search(self.label[-8:]))


def figures(text: str) -> list[Figure]:
    """Every figure in a normalised sentence, in order."""
    found: list[tuple[Decimal, str, str, int, int]] = []
    for m in _FIGURE.finditer(text):
        if m.start() and text[m.start() - 1] in _DOCUMENT_NUMBER:
            continue  # 财建〔20202185000万元: a document number run into an amount, neither to be read
        if m.start() and text[m.start() - 1] in "-−－":
            continue  # 调整预算数-159.39万元: a negative amount is an adjustment, not a total or a part
        if m["n"] is not None:
            digits = m["n"]
            if "," in digits and not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
                continue
            unit = m["u"]
            if unit == "元" and m.start("u") > 0 and text[m.start("u") - 1] in "万亿千":
                continue
            if unit == "个" and _NOT_COUNTED.match(text, m.end()):  # 3个月, 2个百分点: a duration, a rate
                continue
            found.append((Decimal(digits.replace(",", "")), digits, unit, m.start(), m.end()))
        else:
            number = chinese_number(m["c"])
            if number is None:
                continue
            found.append((Decimal(number), m["c"], m["cu"], m.start(), m.end()))
    out: list[Figure] = []
    for i, (value, digits, unit, start, end) in enumerate(found):
        back = found[i - 1][4] if i else 0
        label = text[back:start]
        cut = max(label.rfind(ch) for ch in MARKS)
        label = label[cut + 1 :] if cut >= 0 else label
        nxt = found[i + 1][3] if i + 1 < len(found) else len(text)
        tail = text[end:nxt]
        stops = [tail.find(ch) for ch in MARKS if ch in tail]
        tail = tail[: min(stops)] if stops else tail
        also = _ALSO.match(text, end)
        out.append(Figure(value, digits, unit, start, end, label.strip(), tail.strip(), also["u"] if also else ""))
    return out


# 16954套（台、块、项）, 14666台（套）: the measure words a count also stands for
_ALSO = re.compile(rf"\((?P<u>(?:{'|'.join(_COUNTS)})(?:[、/](?:{'|'.join(_COUNTS)}))*)\)")

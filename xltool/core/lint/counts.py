"""Counts the text states twice or lists: “在职人数12名 … 在职人数13人”, “共有内设股室、单位 9 个：综合部、人事教育部、…”,
“…、县政府投资项目评审中心等5个二级机构”.

A count restated in a sentence that names another year or a comparison is left out (上年在职人数), and so is one
that belongs to a category just named (事业编制20人，实有人数18人) or is stated per category. A list closed by
等 may name fewer than its count (等28个展区: the list is an example), never more.
"""

from __future__ import annotations

import re

from .base import Lint
from .document import Sentence, mask_brackets
from .quantities import chinese_number

CODES = ("count.mismatch",)

_RESTATED = re.compile(r"(?P<label>在职人数|实有人数|退休人数)\s*(?:为|:|共)?\s*(?P<n>\d+)\s*[名人]")
_PROJECTS = re.compile(r"共(?:安排|实施|开展|设置|有)?\s*(?P<n>\d+)\s*个(?P<label>项目)")
_HEADS_BEFORE = re.compile(r"\d\s*[名人]")
_OTHER_TIME = re.compile(r"\d{4}\s*年|较|比上|上年|同比|增加|减少|年初|年末|年底|截至")
_N = r"(?P<n>\d+|[一二两三四五六七八九十]{1,3})"
# 共有内设股室、单位 9 个: a, b, c.   共设 3 个科室，分别是 a、b、c
# 所属事业单位7个，分别为：a、b、c: any short name before the count, where a clause begins
_COLON_LIST = re.compile(
    rf"(?:共有|共设|共|设有|下设|内设|(?:^|(?<=[,;:。]))[^,;:。0-9()]{{1,12}}?)[^,;:。0-9]{{0,12}}?{_N}\s*个"
    rf"[^,;:。0-9]{{0,8}}?(?::|,?分别[是为]:?|,?即|,?包括)(?P<items>[^;。]+)"
)
# a、b、c等5个二级机构
_ETC_LIST = re.compile(rf"(?P<items>[^,;:。]+、[^,;:。]+)等\s*{_N}\s*个")


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_number(text)


def _items(text: str) -> list[str] | None:
    """The items of a list, each named once (a list that names a department twice counts it once)."""
    parts = [p.strip(" 和及") for p in mask_brackets(text).lstrip(" :").split("、")]
    if len(parts) < 2 or any(not p or len(p) > 24 or re.search(r"\d", p) for p in parts):
        return None
    return list(dict.fromkeys(parts))


class _Check:
    def __init__(self, lint: Lint):
        self.lint = lint
        self.first: dict[str, tuple[int, int]] = {}

    def restated(self, s: Sentence) -> None:
        if _OTHER_TIME.search(s.text):
            return
        matches = [*_RESTATED.finditer(s.text), *_PROJECTS.finditer(s.text)]
        labels = [m["label"] for m in matches]
        for match in matches:
            label, n = match["label"], int(match["n"])
            clause = s.text[: match.start()].rsplit(";", 1)[-1]
            if labels.count(label) > 1 or _HEADS_BEFORE.search(clause):
                continue  # 行政编制0人,实有人数0人;事业编制20人,实有人数18人: each category's own 实有
            if label not in self.first:
                self.first[label] = (n, s.paragraph)
            elif self.first[label][0] != n:
                first, where = self.first[label]
                self.lint.add("count.mismatch", "restated", at=s, expected=first, found=n, label=label, first=where + 1)

    def listed(self, s: Sentence) -> None:
        for match in _COLON_LIST.finditer(s.text):
            stated, items = _count(match["n"]), _items(match["items"])
            if stated is None or items is None or "等" in items[-1]:
                continue
            if len(items) != stated:
                self.lint.add(
                    "count.mismatch", "listed", at=s, expected=len(items), found=match["n"], items="、".join(items)
                )
        for match in _ETC_LIST.finditer(s.text):
            stated, items = _count(match["n"]), _items(match["items"])
            if stated is None or items is None:
                continue
            if len(items) > stated:  # 等 may abbreviate, never add
                self.lint.add(
                    "count.mismatch", "listed", at=s, expected=len(items), found=match["n"], items="、".join(items)
                )


def run(lint: Lint) -> None:
    check = _Check(lint)
    for s in lint.sentences:
        check.restated(s)
        check.listed(s)

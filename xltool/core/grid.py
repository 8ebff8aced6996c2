"""One reading model for every format an official form comes in: a grid of cells.

A :class:`Grid` is one worksheet (.xlsx, .xls, .ods) or one Word table: values by (row, col) counted from 0,
the merged ranges, the hidden rows and columns, and the paragraphs written around it (a Word table's title
and year). Readers in :mod:`xltool.io.grids` build grids; recognising a layout and extracting a document
(:mod:`xltool.core.official`) only ever see grids, so every format is read by the same rules.

:func:`label_key` is the one normalisation every label goes through before it is compared with a family's
label synonyms (:mod:`xltool.core.families`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .layout import a1, parse_a1
from .values import memo_short

Value = str | int | float | bool | None


class MergeMap:
    """Merged ranges looked up by cell: for each row, the ranges that cross it, kept only within the ``height`` ×
    ``width`` that holds values (a range is never expanded cell by cell: one ``A1:XFD1048576`` in a hostile
    sheet would be 17 billion entries). Ranges may not overlap; past the room disjoint ranges could take,
    the rest are ignored."""

    def __init__(self, ranges: list[tuple[int, int, int, int]], height: int, width: int):
        self.rows: dict[int, list[tuple[int, int, int, int]]] = {}
        room = height * width
        for merge in ranges:
            r1, c1, r2, c2 = merge
            if r1 < 0 or c1 < 0 or r1 >= height or c1 >= width or (r1, c1) == (r2, c2):
                continue
            last = min(r2, height - 1)
            room -= last - r1 + 1
            if room < 0:
                break
            for r in range(r1, last + 1):
                self.rows.setdefault(r, []).append(merge)

    def origin(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the range (row, col) lies in, or the cell itself."""
        for r1, c1, _, c2 in self.rows.get(row, ()):
            if c1 <= col <= c2:
                return r1, c1
        return row, col


@dataclass
class Grid:
    """One sheet or table. ``rows[r][c]`` is what the cell itself holds (a merged range's value stands only in
    its top-left cell); :meth:`value` reads through merges."""

    name: str  # the sheet's name, or 表1, 表2… for the tables of a Word document
    rows: list[list[Value]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (r1, c1, r2, c2), inclusive
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    context: list[str] = field(default_factory=list)  # text around it: a Word table's title and year lines
    table: bool = False  # a Word table: places are 第r行第c列, not A1
    _width: int = field(default=0, repr=False)
    _spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict, repr=False)
    _merges: MergeMap = field(init=False, repr=False)
    _filled: dict[int, list[tuple[int, Value]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._width = max((len(row) for row in self.rows), default=0)
        for r1, c1, r2, c2 in self.merged:
            self._spans.setdefault((r1, c1), (r2 - r1 + 1, c2 - c1 + 1))
        self._merges = MergeMap(self.merged, len(self.rows), self._width)

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return self._width

    def own(self, row: int, col: int) -> Value:
        """What the cell itself holds (None for blank, and for every cell of a merged range but the first)."""
        if row < 0 or col < 0:
            return None
        try:
            value = self.rows[row][col]
        except IndexError:
            return None
        if value.__class__ is str and not value.strip():
            return None
        return value

    def merged_across(self, row: int) -> bool:
        """Whether a merged range crosses ``row``."""
        return row in self._merges.rows

    def filled(self, row: int) -> list[tuple[int, Value]]:
        """(column, value) of every cell of ``row`` that holds something itself (see :meth:`own`), left to right."""
        found = self._filled.get(row)
        if found is None:
            cells = self.rows[row] if 0 <= row < len(self.rows) else []
            found = self._filled[row] = [
                (c, v) for c, v in enumerate(cells) if v is not None and not (v.__class__ is str and not v.strip())
            ]
        return found

    def value(self, row: int, col: int) -> Value:
        """The cell's value, read through a merged range to its top-left cell."""
        return self.own(*self._merges.origin(row, col))

    def origin(self, row: int, col: int) -> tuple[int, int]:
        """The top-left cell of the merged range (row, col) lies in, or the cell itself."""
        return self._merges.origin(row, col)

    def span(self, row: int, col: int) -> tuple[int, int]:
        """How many (rows, columns) the merged range starting at (row, col) covers."""
        return self._spans.get((row, col), (1, 1))

    def place(self, row: int, col: int) -> str:
        return place(row, col, self.table)


def place(row: int, col: int, table: bool = False) -> str:
    """Where a cell is, in the words its program uses: ``B7`` in a sheet, ``第7行第2列`` in a Word table."""
    return f"第{row + 1}行第{col + 1}列" if table else a1(row, col)


_TABLE_PLACE = re.compile(r"^第(\d+)行第(\d+)列$")


def parse_place(text: str) -> tuple[int, int]:
    """The (row, col) of a :func:`place` (``B7`` or ``第7行第2列``)."""
    match = _TABLE_PLACE.match(text)
    return (int(match[1]) - 1, int(match[2]) - 1) if match else parse_a1(text)


# ---------------------------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class Label:
    """A label as compared (``key``) and the hints its decorations carried: points from ``（50分）``, a money
    unit from ``（万元）``, a letter from ``(A)``."""

    key: str
    points: float | None = None
    unit: str | None = None
    letter: str | None = None


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
#: Circled numbers would fold into plain digits (① → 1): they are marked before folding.
_MARK = "§"
_TO_MARK = str.maketrans(dict.fromkeys(_CIRCLED, _MARK))
_TRAILING_GROUP = re.compile(r"\(([^()]*)\)$")
_CIRCLED_FORMULA = re.compile(f"{_MARK}(?:=[^()]*)?$")
_LEADING = re.compile(f"^(?:{_MARK}|其中[:：]?|[0-9]+[.、)](?![0-9])|[一二三四五六七八九十]+[、.])")
_POINTS = re.compile(r"^(\d+(?:\.\d+)?)分$")
_SCORE_FORMULA = re.compile(r"^\d+(?:\.\d+)?分[*×xX].*$")
_LETTERS = re.compile(r"^[A-Z](?:/[A-Z])?$")


_SPACE = re.compile(r"[\s\u200b\ufeff]+")


def squeeze(text: object) -> str:
    """Text with every kind of whitespace removed and full-width forms folded (``年 度`` → ``年度``)."""
    if text is None:
        return ""
    return _squeeze(text if isinstance(text, str) else str(text))


@memo_short
def _squeeze(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def label_key(text: object) -> Label:
    """See :func:`_label_key` (memoised: forms repeat the same labels in every file)."""
    return _label_key(str(text)) if text is not None else Label("")


@memo_short
def _label_key(text: str) -> Label:
    """The comparable form of a label: whitespace, full/half width, a trailing colon, a leading ``其中：``,
    ``①``, ``1.`` removed; trailing groups ``（50分）``, ``（万元）``, ``(A)``, ``(B/A)``, ``（%）`` and circled
    formula numbers (``小计④=①+②+③``) stripped and kept as hints."""
    key = squeeze(text.translate(_TO_MARK)).rstrip(":：")
    points: float | None = None
    unit: str | None = None
    letter: str | None = None
    for _ in range(4):
        stripped = _CIRCLED_FORMULA.sub("", key)
        match = _TRAILING_GROUP.search(stripped)
        if match is None:
            key = stripped
            break
        inner = match[1]
        if pts := _POINTS.match(inner):
            points = float(pts[1])
        elif _SCORE_FORMULA.match(inner):
            points = float(inner.split("分")[0])
        elif inner in ("万元", "元", "亿元"):
            unit = inner
        elif _LETTERS.match(inner):
            letter = inner
        elif inner not in ("%", "分", "个", "盖章", "单位", "签章"):
            key = stripped
            break
        key = stripped[: match.start()].rstrip(":：")
    while (lead := _LEADING.match(key)) and len(key) > lead.end():
        key = key[lead.end() :]
    return Label(key.rstrip(":：").replace(_MARK, ""), points, unit, letter)


def is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())

"""Which layout family a file's grids are, by the labels they hold (never by position, never by fuzzy
similarity): every family is scored by its anchors, the best one wins, and a file that no family fits, or that
two fit equally well, is named as such with what was found and what is missing.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .families import Family
from .grid import Grid, label_key, squeeze
from .values import memo_short

#: Longer text is a value, not a label (a label is at most a short phrase with its decorations).
LABEL_MAX = 40
_INLINE = ("：", ":")


@memo_short
def _read_label(text: str) -> tuple[str, str | None, tuple[str, ...]] | None:
    """What a cell's text gives the index (memoised: forms repeat the same labels in every file): its squeezed
    text, its compared label (None for text too long to be one) and the labels of the two texts of one cell
    (单位名称：某某局, 按支出性质分：基本支出). None for blank text."""
    if not text.strip():
        return None
    key = label_key(text).key if len(text) <= LABEL_MAX * 2 else None
    inline: tuple[str, ...] = ()
    for mark in _INLINE:
        head, sep, tail = text.partition(mark)
        if sep and 0 < len(head.strip()) <= LABEL_MAX:
            inline = (label_key(head).key,)
            if 0 < len(tail.strip()) <= LABEL_MAX:
                inline += (label_key(tail).key,)
            break
    return squeeze(text), key, inline


@functools.lru_cache(maxsize=256)
def _alternation(titles: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of ``titles``, none crossing a line."""
    return re.compile("|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True) if "\n" not in t) or "(?!)")


@dataclass
class LabelIndex:
    """Where every label-like text of a grid stands: compared key → [(row, col)], the cells' own values only."""

    grid: Grid
    at: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    texts: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, squeezed text) of every text
    keys: dict[tuple[int, int], str] = field(default_factory=dict)  # each text cell's compared label
    by_row: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # row → (col, label), left to right
    _titles: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    _joined: tuple[str, list[int], list[int]] | None = None
    _row_labels: dict[int, list[tuple[int, str, tuple[int, int]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, grid: Grid) -> LabelIndex:
        index = cls(grid)
        at, texts, keys, by_row = index.at, index.texts, index.keys, index.by_row
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if type(value) is not str:
                    continue
                seen = _read_label(value)
                if seen is None:
                    continue
                squeezed, key, inline = seen
                texts.append((r, c, squeezed))
                if key is not None:
                    at[key].append((r, c))
                    keys[(r, c)] = key
                    by_row.setdefault(r, []).append((c, key))
                for part in inline:
                    at[part].append((r, c))
        return index

    def find(self, synonyms: tuple[str, ...], rows: range | None = None) -> tuple[str, int, int] | None:
        """The first place (in synonym order, then reading order) a synonym stands, within ``rows``."""
        for key in synonyms:
            for r, c in self.at.get(key, ()):
                if rows is None or r in rows:
                    return key, r, c
        return None

    def titles(self, titles: tuple[str, ...]) -> list[int]:
        """Rows whose text contains one of ``titles`` (a title carries a year and other words around it)."""
        if titles not in self._titles:
            if self._joined is None:  # every short text on a line of its own, searched at once for each family
                short = [(r, text) for r, _, text in self.texts if len(text) <= 80]
                self._joined = ("\n".join(text for _, text in short), [r for r, _ in short], [])
                ends = self._joined[2]
                at = -1
                for _, text in short:
                    at += len(text) + 1
                    ends.append(at)
            joined, rows_of, ends = self._joined
            rows = {rows_of[bisect.bisect_left(ends, m.start())] for m in _alternation(titles).finditer(joined)}
            self._titles[titles] = sorted(rows)
        return self._titles[titles]

    def row_labels(self, row: int) -> list[tuple[int, str, tuple[int, int]]]:
        """(column, label, cell holding it) of each label read across ``row`` from left to right: a cell's own,
        or that of a range merged down into the row from above; never one merged across from the left."""
        found = self._row_labels.get(row)
        if found is None and not self.grid.merged_across(row):  # each label its own cell's
            found = self._row_labels[row] = [(c, key, (row, c)) for c, key in self.by_row.get(row, ())]
        if found is None:
            found = []
            grid, keys = self.grid, self.keys
            for c in range(grid.width):
                origin = grid.origin(row, c)
                if origin[1] == c and (key := keys.get(origin)) is not None:
                    found.append((c, key, origin))
            self._row_labels[row] = found
        return found

    def key(self, row: int, col: int) -> str | None:
        """The compared label of a cell's own text (None for numbers, blanks and long text)."""
        return self.keys.get((row, col))


@dataclass
class Candidate:
    family: Family
    score: int
    missing: list[str]
    excluded: list[str]


class Unrecognised(Exception):
    """No family fits (``ambiguous`` False) or two fit equally (``ambiguous`` True)."""

    def __init__(self, found: list[str], best: Candidate | None, rival: Candidate | None = None):
        self.found, self.best, self.rival = found, best, rival
        super().__init__("unknown layout")


def score(family: Family, indexes: list[LabelIndex], present: set[str]) -> Candidate:
    """``present``: every label of ``indexes`` (gathered once for all the families scored)."""
    missing = [group[0] for group in family.required if present.isdisjoint(group)]
    excluded = [key for key in family.excludes if key in present]
    points = 10 * (len(family.required) - len(missing)) + sum(1 for key in family.signals if key in present)
    if any(index.titles(family.titles) for index in indexes):
        points += 3
    return Candidate(family, points, missing, excluded)


def recognise(indexes: list[LabelIndex], families: tuple[Family, ...]) -> Family:
    """The family the grids are laid out in; :class:`Unrecognised` when none fits or two fit equally."""
    labels: set[str] = set().union(*(index.at for index in indexes))
    candidates = sorted((score(f, indexes, labels) for f in families), key=lambda c: -c.score)
    fitting = [c for c in candidates if not c.missing and not c.excluded]
    if fitting and (len(fitting) == 1 or fitting[0].score > fitting[1].score):
        return fitting[0].family
    vocabulary = set().union(*(f.labels() for f in families)) if families else set()
    found = sorted({key for index in indexes for key in index.at if key in vocabulary}, key=len)[:12]
    if len(fitting) > 1:
        raise Unrecognised(found, fitting[0], fitting[1])
    partial = [c for c in candidates if not c.excluded] or candidates
    raise Unrecognised(found, partial[0] if partial and partial[0].score > 0 else None)


def sections(index: LabelIndex, family: Family) -> list[range]:
    """The row ranges of the documents on one grid: each ``starts`` label (项目名称…) opens one, together with
    the title lines just above it; a grid with none is one section."""
    grid = index.grid
    starts: list[int] = []
    for key in family.starts:
        starts.extend(r for r, _ in index.at.get(key, ()))
    starts = sorted(set(starts))
    if len(starts) <= 1:
        return [range(0, grid.height)]
    titles = index.titles(family.titles)
    begins: list[int] = []
    for start in starts:
        above = [t for t in titles if start - 4 <= t < start and (not begins or t > begins[-1])]
        begins.append(above[0] if above else start)
    begins[0] = 0
    return [range(b, e) for b, e in zip(begins, [*begins[1:], grid.height], strict=True)]

"""Which layout family a file's grids are, by the labels they hold (never by position, never by fuzzy
similarity): every family is scored by its anchors, the best one wins, and a file that no family fits, or that
two fit equally well, is named as such with what was found and what is missing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .families import Family
from .grid import Grid, is_text, label_key, squeeze

#: Longer text is a value, not a label (a label is at most a short phrase with its decorations).
LABEL_MAX = 40
_INLINE = ("：", ":")


@dataclass
class LabelIndex:
    """Where every label-like text of a grid stands: compared key → [(row, col)], the cells' own values only."""

    grid: Grid
    at: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    texts: list[tuple[int, int, str]] = field(default_factory=list)  # (row, col, squeezed text) of every text
    keys: dict[tuple[int, int], str] = field(default_factory=dict)  # each text cell's compared label
    _titles: dict[tuple[str, ...], list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, grid: Grid) -> LabelIndex:
        index = cls(grid)
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if not is_text(value):
                    continue
                text = str(value)
                index.texts.append((r, c, squeeze(text)))
                if len(text) <= LABEL_MAX * 2:
                    key = label_key(text).key
                    index.at[key].append((r, c))
                    index.keys[(r, c)] = key
                for mark in _INLINE:  # 单位名称：某某局, 按支出性质分：基本支出 — two texts in one cell
                    head, sep, tail = text.partition(mark)
                    if sep and 0 < len(head.strip()) <= LABEL_MAX:
                        index.at[label_key(head).key].append((r, c))
                        if 0 < len(tail.strip()) <= LABEL_MAX:
                            index.at[label_key(tail).key].append((r, c))
                        break
        return index

    def find(self, synonyms: tuple[str, ...], rows: range | None = None) -> tuple[str, int, int] | None:
        """The first place (in synonym order, then reading order) a synonym stands, within ``rows``."""
        for key in synonyms:
            for r, c in self.at.get(key, ()):
                if rows is None or r in rows:
                    return key, r, c
        return None

    def has(self, key: str) -> bool:
        return key in self.at

    def titles(self, titles: tuple[str, ...]) -> list[int]:
        """Rows whose text contains one of ``titles`` (a title carries a year and other words around it)."""
        if titles not in self._titles:
            rows = {r for r, _, text in self.texts if len(text) <= 80 and any(t in text for t in titles)}
            self._titles[titles] = sorted(rows)
        return self._titles[titles]

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


def score(family: Family, indexes: list[LabelIndex]) -> Candidate:
    def present(key: str) -> bool:
        return any(index.has(key) for index in indexes)

    missing = [group[0] for group in family.required if not any(present(k) for k in group)]
    excluded = [key for key in family.excludes if present(key)]
    points = 10 * (len(family.required) - len(missing)) + sum(1 for key in family.signals if present(key))
    if any(index.titles(family.titles) for index in indexes):
        points += 3
    return Candidate(family, points, missing, excluded)


def recognise(indexes: list[LabelIndex], families: tuple[Family, ...]) -> Family:
    """The family the grids are laid out in; :class:`Unrecognised` when none fits or two fit equally."""
    candidates = sorted((score(f, indexes) for f in families), key=lambda c: -c.score)
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

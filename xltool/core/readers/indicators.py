"""The indicator table: its header band (merged group headers read through, re-read after a page break), one
indicator a row with 一级/二级 carried down merged cells, placeholder rows skipped, the 总分 row, and the points
written into 一级 labels compared with the weights under them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..families import Family
from ..grid import is_text, label_key, squeeze
from ..values import COMPARATORS
from .section import DOTS, Place, Remark, Section, filled, instruction, number, plain

_PLACEHOLDER = re.compile(r"^(?:指标\s*\d+\s*[:：.、]?)")
_COMPARATOR_KINDS = {"≥": "positive", "≤": "negative", "=": "equal"}


def applies(family: Family) -> bool:
    return True  # what makes a form an evaluation form


def read(s: Section) -> None:
    table = s.family.indicators
    band = s.header_band(table, "name")
    if band is None:
        return
    first, last, columns = band
    s.found.update(f"indicators.{fld}" for fld in columns)
    s.anchors["tbl_indicators"] = s.place(first, columns["name"])
    if "weight" in columns:  # the weights' total, until a total row shows where it stands
        s.anchors["weight_total"] = s.place(first, columns["weight"])
    rows: list[tuple[dict[str, Any], dict[str, Place]]] = []
    carried: dict[str, Any] = {}
    points: dict[str, tuple[float, Place]] = {}
    #: the points of each 一级 label (by its cell) with the row it opens, and of each block label (年度绩效目标（80分）)
    marks: dict[Place, tuple[int, float]] = {}
    blocks: list[tuple[int, Place, float, str]] = []
    block_label(s, first, last, columns, 0, blocks)
    r = last + 1
    while r < s.rows.stop:
        if total_row(s, r, columns):
            break
        if s.stops(r, min(columns.values())) and not continued(s, r, columns):
            break
        again = s.header(table.columns, r)
        if "name" in again and s.row_is_labels(r):
            first_band, last_band, columns = s.band_at(table, r)
            s.found.update(f"indicators.{fld}" for fld in columns)
            block_label(s, first_band, last_band, columns, len(rows), blocks)
            r = last_band + 1
            continue
        if band_row(s, r):
            r += 1
            continue
        indicator_row(s, r, columns, rows, carried, points, marks)
        r += 1
    s.raw["indicators"] = [values for values, _ in rows]
    for i, (_, places) in enumerate(rows):
        for fld, place in places.items():
            s.cells[f"indicators[{i}].{fld}"] = place
    label_points(s, points, rows)
    block_points(s, blocks, marks, len(rows))


def continued(s: Section, row: int, columns: dict[str, int]) -> bool:
    """An indicator row after a page break that prints the section's own label (绩效指标) again at its left:
    it has a name of its own under the name column."""
    left = [s.index.key(row, c) for c in range(min(columns.values()))]
    if not any(key and key.startswith("绩效指标") for key in left):
        return False
    name, col = s.pick(row, columns["name"])
    return is_text(name) and s.grid.origin(row, col) == (row, col) and not s.is_label(name)


def band_row(s: Section, row: int) -> bool:
    """A row holding one text across the table (年度绩效目标2（40分）): a block label, not an indicator."""
    cells = s.grid.filled(row)
    if len(cells) != 1 or not is_text(cells[0][1]):
        return False
    return s.grid.span(row, cells[0][0])[1] >= 3


def total_row(s: Section, row: int, columns: dict[str, int]) -> bool:
    total = s.family.indicators.total
    if not total:
        return False
    for c, key in s.index.by_row.get(row, ()):
        if key in total:
            s.anchors["total_score"] = s.place(row, c)
            score_col = columns.get("score")
            # the stated 总分 stands under the score column, else it is the rightmost figure of the row; never
            # the one under the weight column: that figure is the weights' total
            weight_col = columns.get("weight")
            candidates = [s.pick(row, score_col)[1]] if score_col is not None else []
            candidates += [cc for cc in range(s.grid.width - 1, c, -1) if cc not in (weight_col, score_col)]
            for cc in candidates:
                if number(s.grid.own(row, cc)) is not None:
                    if "stated.total_score" not in s.cells:
                        s.put("stated.total_score", s.grid.own(row, cc), row, cc)
                    s.anchors["total_score"] = s.place(row, cc)
                    break
            if "weight" in columns and number(s.grid.own(row, columns["weight"])) is not None:
                s.anchors["weight_total"] = s.place(row, columns["weight"])
            return True
    return False


def indicator_row(
    s: Section,
    row: int,
    columns: dict[str, int],
    rows: list[tuple[dict[str, Any], dict[str, Place]]],
    carried: dict[str, Any],
    points: dict[str, tuple[float, Place]],
    marks: dict[Place, tuple[int, float]],
) -> None:
    values: dict[str, Any] = {}
    places: dict[str, Place] = {}
    for fld, col in columns.items():
        if fld in ("level1", "level2"):
            value = s.grid.value(row, col)
        else:
            value, col = s.pick(row, col)
        if fld in ("level1", "level2") and is_text(value):
            lab = label_key(value)
            origin = s.grid.origin(row, col)
            if fld == "level1" and lab.points is not None:
                points.setdefault(lab.key, (lab.points, s.place(*origin)))
                marks.setdefault(s.place(*origin), (len(rows), lab.points))
            value = lab.key or None
            places[fld] = s.place(*origin)
        elif value is not None or fld not in ("level1", "level2"):
            places[fld] = s.place(row, col)  # an empty cell too: a finding on it points at it
        values[fld] = value
    name = values.get("name")
    if is_text(name):
        cleaned = _PLACEHOLDER.sub("", squeeze(name)) if _PLACEHOLDER.match(squeeze(name)) else str(name).strip()
        values["name"] = None if DOTS.match(cleaned) or instruction(cleaned) else cleaned
    kind = values.get("kind")
    if is_text(kind):
        word = squeeze(kind)
        word = word[:-2] if word.endswith("指标") and len(word) > 2 else word
        if word in COMPARATORS:  # ≥, ≧, ﹦, ═ … in the 指标性质 column
            word = s.profile.kinds.get(_COMPARATOR_KINDS[COMPARATORS[word]], word)
        values["kind"] = word
    if values.get("level1") is not None and values["level1"] != carried.get("level1"):
        carried.pop("level2", None)
    for fld in ("level1", "level2"):
        if values.get(fld) is not None:
            carried[fld] = (values[fld], places[fld])
        elif fld in carried:
            values[fld], places[fld] = carried[fld]
    content = [
        k for k in ("name", "target", "actual", "weight", "score", "coefficient", "reason") if filled(values.get(k))
    ]
    if not content or (content == ["score"] and number(values["score"]) == 0):
        return  # an unused printed slot (a 二级 label with nothing but a 0 under 得分) is not an indicator
    s.used_rows.add(row)
    if s.family.weights_absent:
        values.pop("weight", None)
    rows.append(({k: v for k, v in values.items() if v is not None}, places))


def label_points(
    s: Section, points: dict[str, tuple[float, Place]], rows: list[tuple[dict[str, Any], dict[str, Place]]]
) -> None:
    """Points written into a 一级 label (产出指标（50分）) compared with the weights given under it."""
    if s.family.weights_absent:
        return
    for level1, (pts, place) in points.items():
        weights = [number(values.get("weight")) for values, _ in rows if values.get("level1") == level1]
        if not weights or any(w is None for w in weights):
            continue
        given = sum((w for w in weights if w is not None), Decimal(0))
        if given != Decimal(str(pts)):
            s.remarks.append(
                Remark(
                    "form.label-points",
                    "warning",
                    place,
                    None,
                    {"label": level1, "points": plain(Decimal(str(pts))), "given": plain(given)},
                )
            )


def block_label(
    s: Section, first: int, last: int, columns: dict[str, int], start: int, blocks: list[tuple[int, Place, float, str]]
) -> None:
    """A label with points left of an indicator header (年度绩效目标（80分）, 绩效指标（90分）): the block it heads
    starts at indicator ``start``."""
    for r in range(first, last + 1):
        for c in range(min(columns.values())):
            value = s.grid.value(r, c)
            if is_text(value) and (lab := label_key(value)).points is not None:
                blocks.append((start, s.place(*s.grid.origin(r, c)), lab.points, lab.key))
                return


def block_points(
    s: Section, blocks: list[tuple[int, Place, float, str]], marks: dict[Place, tuple[int, float]], count: int
) -> None:
    """The points of a block label against those written into the 一级 labels under it (湖北: 年度绩效目标（80分）
    over 产出指标（60分） and 效益指标（40分））."""
    for k, (start, place, pts, key) in enumerate(blocks):
        end = blocks[k + 1][0] if k + 1 < len(blocks) else count
        inside = [p for index, p in marks.values() if start <= index < end]
        if not inside:
            continue
        given = sum((Decimal(str(p)) for p in inside), Decimal(0))
        if given != Decimal(str(pts)):
            params = {"label": key, "points": plain(Decimal(str(pts))), "given": plain(given), "variant": "levels"}
            s.remarks.append(Remark("form.label-points", "warning", place, None, params))

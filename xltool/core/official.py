"""Extracting an evaluation document from one section of an official form, every value with its place.

The result is the loose mapping :func:`xltool.core.document.normalize` takes (so a value typed in an official
form is understood by the same rules as one typed in the template), the cell each field path was read from,
and remarks on the reading itself (an undeclared money unit, 元 values under a 万元 label, points in labels
that disagree with the weights, hidden rows that held content). Nothing is guessed: a field whose label is
not on the form stays empty and the checks say so.

Size: :class:`_Section` is one reader of one section of a form, with a method per block of it (identity
fields, money with its unit, goals, tasks, the indicator table with its header bands, totals, narrative,
hidden rows, label points), all sharing the label index, the section's rows, the layout family and the remarks;
the methods are each under ~80 lines. The family files keep what differs between provinces out of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Any

from .families import Family, Table
from .grid import Value, is_text, label_key, squeeze
from .layout import col_letter
from .recognise import LabelIndex
from .spec import Profile
from .values import COMPARATORS, EMPTY_MARKERS, parse_quantity, to_decimal

Place = tuple[str, int, int]  # (grid name, row, col)
_YEAR = re.compile(r"(20\d\d)\s*年")
_CODE = re.compile(r"^([0-9A-Za-z]*[0-9][0-9A-Za-z]*)\s*[-－—–_]+\s*(\S.*)$")
_PLACEHOLDER = re.compile(r"^(?:指标\s*\d+\s*[:：.、]?)")
_DOTS = re.compile(r"^[.…。·\s①②③④⑤⑥⑦⑧⑨⑩]*$")
_COMPARATOR_KINDS = {"≥": "positive", "≤": "negative", "=": "equal"}
_MONEY_FIELDS = ("initial", "adjusted", "executed")
#: Labels that end the rows of a block: a block that starts below, or the form's closing rows.
_STOP = ("年度总体目标", "绩效指标", "评价结论", "存在问题", "改进措施", "项目负责人", "财务负责人", "备注", "填表人")
#: Amounts that suggest a different unit than declared: over 100 亿 in 万元, under 1,000 in 元.
_WAN_TOO_LARGE = Decimal(1_000_000)
_YUAN_TOO_SMALL = Decimal(1000)


@dataclass
class Remark:
    """Something the reader noticed about the form itself (a finding code, its severity, place, values)."""

    code: str
    severity: str
    place: Place | None = None
    field: str | None = None
    params: dict[str, Any] = dc_field(default_factory=dict)


@dataclass
class Extracted:
    family: Family
    raw: dict[str, Any]
    cells: dict[str, Place]
    anchors: dict[str, Place]
    remarks: list[Remark]
    title: str | None = None
    #: the indicator and money columns the form has (found under its headers), by field
    columns: frozenset[str] = frozenset()


class _Section:
    def __init__(self, index: LabelIndex, rows: range, family: Family, profile: Profile, context: list[str]):
        self.index, self.grid, self.rows, self.family, self.profile = index, index.grid, rows, family, profile
        self.context = context
        self.known = family.labels()
        self.raw: dict[str, Any] = {"form": family.form, "profile": family.profile}
        self.cells: dict[str, Place] = {}
        self.anchors: dict[str, Place] = {}
        self.remarks: list[Remark] = []
        self.used_rows: set[int] = set()
        #: every column field found under a header of the form (``indicators.reason``, ``money.rate``)
        self.found: set[str] = set()
        #: each header label's last column: a Word table re-gridded by another program (LibreOffice) can put a
        #: row's value anywhere under its header's span, not in the header's first column
        self.span_end: dict[int, int] = {}

    # --- helpers --------------------------------------------------------------------------------------

    def place(self, row: int, col: int) -> Place:
        return (self.grid.name, row, col)

    def put(self, path: str, value: Value, row: int, col: int) -> None:
        node = self.raw
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
        self.cells[path] = self.place(row, col)

    def is_label(self, value: Value) -> bool:
        return is_text(value) and len(str(value)) <= 80 and label_key(value).key in self.known

    def find(self, synonyms: tuple[str, ...], rows: range | None = None) -> tuple[str, int, int] | None:
        return self.index.find(synonyms, rows or self.rows)

    def value_near(self, row: int, col: int, key: str, below_first: bool = False) -> tuple[Value, int, int] | None:
        """A label's value: in its own cell after a colon, the next cell to the right that is not a label,
        else the cell below it (a row of labels over a row of values)."""
        text = str(self.grid.own(row, col) or "")
        for mark in ("：", ":"):
            head, sep, tail = text.partition(mark)
            if sep and label_key(head).key == key and tail.strip():
                return tail.strip(), row, col
        height, width = self.grid.span(row, col)
        right = self.first_value((row, c) for c in range(col + width, self.grid.width))
        below = self.first_value((r, col) for r in range(row + height, min(row + height + 3, self.rows.stop)))
        return (below or right) if below_first else (right or below)

    def first_value(self, cells: Any) -> tuple[Value, int, int] | None:
        """The first cell of ``cells`` holding anything, unless that is another label."""
        for r, c in cells:
            value = self.grid.own(r, c)
            if value is not None:
                return None if self.is_label(value) else (value, r, c)
        return None

    # --- blocks ---------------------------------------------------------------------------------------

    def fields(self) -> None:
        for path, synonyms in self.family.fields.items():
            hit = self.find(synonyms)
            if hit is None:
                continue
            found = self.value_near(hit[1], hit[2], hit[0])
            if found is not None:
                self.put(path, found[0], found[1], found[2])
        for path in ("project_name", "unit.name", "unit.supervisor"):
            if path in self.cells:
                self.split_code(path)

    def split_code(self, path: str) -> None:
        """``51000021R000000019951-工资性支出`` → name 工资性支出 and its code (a unit's code is kept as
        单位代码; a project's code as ``project_code``)."""
        node: Any = self.raw
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[part]
        text = node[parts[-1]]
        match = _CODE.match(str(text).strip()) if isinstance(text, str) else None
        if not match:
            return
        node[parts[-1]] = match[2].strip()
        if path == "project_name":
            self.raw["project_code"] = match[1]
        elif path == "unit.name" and not self.raw.get("unit", {}).get("code"):
            self.raw.setdefault("unit", {})["code"] = match[1]
            self.cells["unit.code"] = self.cells[path]

    def year(self) -> None:
        texts = [text for r, _, text in self.index.texts if r in self.rows and r < self.rows.start + 6]
        for text in [*texts, *self.context]:
            if len(text) <= 80 and (match := _YEAR.search(squeeze(text))):
                self.raw["year"] = int(match[1])
                return

    def title(self) -> str | None:
        rows = self.index.titles(self.family.titles)
        for r in rows:
            if r in self.rows:
                return next(text for row, _, text in self.index.texts if row == r)
        return None

    def header(
        self, columns: dict[str, tuple[str, ...]], row: int, spans: dict[int, int] | None = None
    ) -> dict[str, int]:
        """Column field → column index, from the labels of one header row (merged labels read through); each
        label's last column into ``spans``."""
        out: dict[str, int] = {}
        for c in range(self.grid.width):
            origin = self.grid.origin(row, c)
            if origin[1] != c:
                continue
            key = self.index.key(*origin)
            if key is None:
                continue
            for fld, synonyms in columns.items():
                if key in synonyms and fld not in out:
                    out[fld] = c
                    if spans is not None:
                        spans[c] = c + self.grid.span(*origin)[1] - 1
        return out

    def pick(self, row: int, col: int) -> tuple[Value, int]:
        """A row's value under the header column starting at ``col``: the first cell of its own within the
        header's span."""
        for c in range(col, self.span_end.get(col, col) + 1):
            value = self.grid.own(row, c)
            if value is not None:
                return value, c
        return None, col

    def header_band(self, table: Table, key_field: str) -> tuple[int, int, dict[str, int]] | None:
        """The header band of a table: the row holding its key column's label, with a group-header row above
        it or a sub-header row below it merged in (a lower row's label wins: 年度指标值 over 指标性质/指标值/
        度量单位). Returns (first row, last row, column map)."""
        hit = self.find(table.columns[key_field])
        if hit is None:
            return None
        return self.band_at(table, hit[1])

    def band_at(self, table: Table, row: int) -> tuple[int, int, dict[str, int]]:
        first = last = row
        spans: dict[int, int] = {}
        columns = self.header(table.columns, row, spans)
        for other in (row - 1, row + 1):
            if other not in self.rows:
                continue
            other_spans: dict[int, int] = {}
            more = self.header(table.columns, other, other_spans)
            if len(set(more) - set(columns)) >= 1 and self.row_is_labels(other):
                if other < row:
                    merged = {**more, **columns}
                    first = other
                    spans = {**other_spans, **spans}
                else:
                    merged = {**columns, **more}
                    last = other
                    spans = {**spans, **other_spans}
                taken: dict[int, str] = {}
                for fld, col in merged.items():  # one field per column: the lower row's label wins
                    taken[col] = fld
                columns = {fld: col for col, fld in taken.items()}
        # a value may stand anywhere under its own label's span, never under a group header's (年度指标值 over
        # 指标性质 | 指标值 | 度量单位): a column's span is that of the label that won it
        for col in columns.values():
            self.span_end[col] = spans.get(col, col)
        return first, last, columns

    def row_is_labels(self, row: int) -> bool:
        values = [self.grid.own(row, c) for c in range(self.grid.width)]
        texts = [v for v in values if v is not None]
        return bool(texts) and all(is_text(v) and len(str(v)) <= 40 for v in texts)

    def stops(self, row: int, upto: int | None = None) -> bool:
        """A row that ends a block: another block's label or the form's closing rows, in the columns left of
        ``upto`` (a reason typed in a table's last column may well begin with 改进措施)."""
        for c in range(min(self.grid.width, (upto + 1) if upto is not None else self.grid.width)):
            key = self.index.key(row, c)
            if key is not None:
                if any(key.startswith(stop) for stop in _STOP) or key in self.family.starts:
                    return True
                if key in self.family.goals.get("planned", ()) or key in self.family.indicators.total:
                    return True
        return False

    def money(self) -> None:
        spec = self.family.money
        hit = self.find(spec.columns["executed"])
        if hit is None:
            return
        first, last, columns = self.band_at(Table(spec.columns), hit[1])
        if "executed" not in columns:
            return
        self.found.update(f"money.{fld}" for fld in columns)
        self.anchors["money"] = self.place(hit[1], hit[2])
        self.money_unit(first, last, columns)
        left = min(columns.values())
        rows_read = 0
        for r in range(last + 1, min(last + 16, self.rows.stop)):
            if r != last + 1 and self.stops(r, left):
                break
            if self.header(self.family.indicators.columns, r).get("name") is not None:
                break
            labels = [label_key(self.grid.value(r, c)).key for c in range(left) if is_text(self.grid.value(r, c))]
            if (
                spec.single_row
                and rows_read == 0
                and any(number(self.grid.own(r, c)) is not None for c in columns.values())
            ):
                self.money_row(r, "total", None, columns)
                rows_read += 1
                continue
            for key, synonyms in spec.rows.items():
                if any(lab in synonyms for lab in labels):
                    self.money_row(r, key, None, columns)
                    rows_read += 1
                    break
            else:
                for name, synonyms in spec.sources.items():
                    if any(lab in synonyms for lab in labels):
                        self.money_row(r, "source", name, columns)
                        rows_read += 1
                        break

    def money_row(self, row: int, key: str, source: str | None, columns: dict[str, int]) -> None:
        self.used_rows.add(row)
        values = {fld: self.pick(row, col) for fld, col in columns.items()}
        if key == "source":
            sources = self.raw.setdefault("budget", {}).setdefault("sources", [])
            entry: dict[str, Any] = {"name": source}
            k = self.profile.fund_sources.index(source) if source in self.profile.fund_sources else len(sources)
            for fld in _MONEY_FIELDS:
                if fld in values:
                    entry[fld] = values[fld][0]
                    self.cells[f"budget.sources[{k}].{fld}"] = self.place(row, values[fld][1])
            sources.append(entry)
            return
        if key == "total":
            targets = {
                "initial": "budget.initial",
                "adjusted": "budget.adjusted",
                "executed": "budget.executed",
                "weight": "budget.weight",
                "rate": "stated.execution_rate",
                "score": "stated.execution_score",
                "reason": "budget.reason",
            }
        elif key in ("basic", "project"):
            targets = {"adjusted": f"budget.{key}.adjusted", "executed": f"budget.{key}.executed"}
        else:  # 人员经费, 公用经费: what was spent on them
            targets = {"executed": f"budget.basic.{key}"}
        for fld, path in targets.items():
            if fld in values:
                value, col = values[fld]
                if path.startswith("budget.basic.") and value is None:
                    continue
                if fld == "reason" and (not is_text(value) or _instruction(value)):
                    self.cells[path] = self.place(row, col)  # the printed note is no reason; a finding points here
                    continue
                self.put(path, value, row, col)

    def money_unit(self, first: int, last: int, columns: dict[str, int]) -> None:
        """The money unit from the block's labels (项目资金（万元）, 年度预算数（万元）, 金额单位：元), else
        the profile's, with a remark that it was not stated."""
        units = []
        rows = range(max(self.rows.start, first - 3), min(last + 8, self.rows.stop))
        for r, c, text in self.index.texts:
            if r not in rows or ("元" not in text):
                continue
            hint = label_key(self.grid.own(r, c)).unit
            if hint is None and (m := re.search(r"(?:单位|金额单位)[:：]?(万元|元)", text)):
                hint = m[1]
            if hint:
                units.append((hint, r, c))
        if units:
            unit, r, c = units[0]
            self.raw["money_unit"] = "元" if unit == "元" else "万元"
            self.cells["money_unit"] = self.place(r, c)
            return
        self.remarks.append(
            Remark(
                "form.money-unit",
                "warning",
                self.place(first, columns["executed"]),
                "money_unit",
                {"unit": self.profile.money_unit},
            )
        )

    def goals(self) -> None:
        for key, synonyms in self.family.goals.items():
            for syn in synonyms:
                hit = self.find((syn,))
                if hit is None:
                    continue
                found = self.value_near(hit[1], hit[2], hit[0], below_first=True)
                if found is not None and is_text(found[0]):
                    self.put(f"goals.{key}", found[0], found[1], found[2])
                    break

    def narrative(self) -> None:
        for path, synonyms in self.family.narrative.items():
            hit = self.find(synonyms)
            if hit is None:
                continue
            found = self.value_near(hit[1], hit[2], hit[0])
            if found is not None and is_text(found[0]) and not _instruction(found[0]):
                self.put(path, found[0], found[1], found[2])

    def indicators(self) -> None:
        table = self.family.indicators
        band = self.header_band(table, "name")
        if band is None:
            return
        first, last, columns = band
        self.found.update(f"indicators.{fld}" for fld in columns)
        self.anchors["tbl_indicators"] = self.place(first, columns["name"])
        rows: list[tuple[dict[str, Any], dict[str, Place]]] = []
        carried: dict[str, Any] = {}
        points: dict[str, tuple[float, Place]] = {}
        r = last + 1
        while r < self.rows.stop:
            if self.total_row(r, columns):
                break
            if self.stops(r, min(columns.values())) and not self.continued(r, columns):
                break
            again = self.header(table.columns, r)
            if "name" in again and self.row_is_labels(r):
                _, last_band, columns = self.band_at(table, r)
                self.found.update(f"indicators.{fld}" for fld in columns)
                r = last_band + 1
                continue
            if self.band_row(r):
                r += 1
                continue
            self.indicator_row(r, columns, rows, carried, points)
            r += 1
        self.raw["indicators"] = [values for values, _ in rows]
        for i, (_, places) in enumerate(rows):
            for fld, place in places.items():
                self.cells[f"indicators[{i}].{fld}"] = place
        self.label_points(points, rows)

    def continued(self, row: int, columns: dict[str, int]) -> bool:
        """An indicator row after a page break that prints the section's own label (绩效指标) again at its left:
        it has a name of its own under the name column."""
        left = [self.index.key(row, c) for c in range(min(columns.values()))]
        if not any(key and key.startswith("绩效指标") for key in left):
            return False
        name, col = self.pick(row, columns["name"])
        return is_text(name) and self.grid.origin(row, col) == (row, col) and not self.is_label(name)

    def band_row(self, row: int) -> bool:
        """A row holding one text across the table (年度绩效目标2（40分）): a block label, not an indicator."""
        cells = [(c, self.grid.own(row, c)) for c in range(self.grid.width) if self.grid.own(row, c) is not None]
        if len(cells) != 1 or not is_text(cells[0][1]):
            return False
        return self.grid.span(row, cells[0][0])[1] >= 3

    def total_row(self, row: int, columns: dict[str, int]) -> bool:
        total = self.family.indicators.total
        if not total:
            return False
        for c in range(self.grid.width):
            if self.index.key(row, c) in total:
                self.anchors["total_score"] = self.place(row, c)
                score_col = columns.get("score")
                # the stated 总分 stands under the score column; a form without one prints it right of the label
                # (never under the weight column: that figure is the weights' total)
                if score_col is not None:
                    candidates = [self.pick(row, score_col)[1]]
                else:
                    weight_col = columns.get("weight")
                    candidates = [cc for cc in range(self.grid.width - 1, c, -1) if cc != weight_col]
                for cc in candidates:
                    if number(self.grid.own(row, cc)) is not None:
                        if "stated.total_score" not in self.cells:
                            self.put("stated.total_score", self.grid.own(row, cc), row, cc)
                        self.anchors["total_score"] = self.place(row, cc)
                        break
                if "weight" in columns and number(self.grid.own(row, columns["weight"])) is not None:
                    self.anchors["weight_total"] = self.place(row, columns["weight"])
                return True
        return False

    def indicator_row(
        self,
        row: int,
        columns: dict[str, int],
        rows: list[tuple[dict[str, Any], dict[str, Place]]],
        carried: dict[str, Any],
        points: dict[str, tuple[float, Place]],
    ) -> None:
        values: dict[str, Any] = {}
        places: dict[str, Place] = {}
        for fld, col in columns.items():
            if fld in ("level1", "level2"):
                value = self.grid.value(row, col)
            else:
                value, col = self.pick(row, col)
            if fld in ("level1", "level2") and is_text(value):
                lab = label_key(value)
                origin = self.grid.origin(row, col)
                if fld == "level1" and lab.points is not None:
                    points.setdefault(lab.key, (lab.points, self.place(*origin)))
                value = lab.key or None
                places[fld] = self.place(*origin)
            elif value is not None or fld not in ("level1", "level2"):
                places[fld] = self.place(row, col)  # an empty cell too: a finding on it points at it
            values[fld] = value
        name = values.get("name")
        if is_text(name):
            cleaned = _PLACEHOLDER.sub("", squeeze(name)) if _PLACEHOLDER.match(squeeze(name)) else str(name).strip()
            values["name"] = None if _DOTS.match(cleaned) or _instruction(cleaned) else cleaned
        kind = values.get("kind")
        if is_text(kind):
            word = squeeze(kind)
            word = word[:-2] if word.endswith("指标") and len(word) > 2 else word
            if word in COMPARATORS:  # ≥, ≧, ﹦, ═ … in the 指标性质 column
                word = self.profile.kinds.get(_COMPARATOR_KINDS[COMPARATORS[word]], word)
            values["kind"] = word
        if values.get("level1") is not None and values["level1"] != carried.get("level1"):
            carried.pop("level2", None)
        for fld in ("level1", "level2"):
            if values.get(fld) is not None:
                carried[fld] = (values[fld], places[fld])
            elif fld in carried:
                values[fld], places[fld] = carried[fld]
        content = [
            k
            for k in ("name", "target", "actual", "weight", "score", "coefficient", "reason")
            if _filled(values.get(k))
        ]
        if not content:
            return
        self.used_rows.add(row)
        if self.family.weights_absent:
            values.pop("weight", None)
        rows.append(({k: v for k, v in values.items() if v is not None}, places))

    def label_points(
        self, points: dict[str, tuple[float, Place]], rows: list[tuple[dict[str, Any], dict[str, Place]]]
    ) -> None:
        """Points written into a 一级 label (产出指标（50分）) compared with the weights given under it."""
        if self.family.weights_absent:
            return
        for level1, (pts, place) in points.items():
            weights = [number(values.get("weight")) for values, _ in rows if values.get("level1") == level1]
            if not weights or any(w is None for w in weights):
                continue
            given = sum((w for w in weights if w is not None), Decimal(0))
            if given != Decimal(str(pts)):
                self.remarks.append(
                    Remark(
                        "form.label-points",
                        "warning",
                        place,
                        None,
                        {"label": level1, "points": _plain(Decimal(str(pts))), "given": _plain(given)},
                    )
                )

    def tasks(self) -> None:
        table = self.family.tasks
        if table is None:
            return
        band = self.header_band(table, "name")
        if band is None:
            return
        _, last, columns = band
        tasks: list[dict[str, Any]] = []
        for r in range(last + 1, self.rows.stop):
            if (
                self.stops(r, min(columns.values()))
                or self.header(self.family.indicators.columns, r).get("name") is not None
            ):
                break
            picked = {fld: self.pick(r, col) for fld, col in columns.items()}
            values = {fld: value for fld, (value, _) in picked.items()}
            if not any(_filled(v) for v in values.values()):
                continue
            if is_text(values.get("name")) and _DOTS.match(squeeze(values["name"])):
                continue
            i = len(tasks)
            tasks.append({k: v for k, v in values.items() if v is not None})
            for fld, (value, col) in picked.items():
                if value is not None:
                    self.cells[f"tasks[{i}].{fld}"] = self.place(r, col)
        if tasks:
            self.raw["tasks"] = tasks

    def magnitudes(self) -> None:
        """A 万元 label over amounts of hundreds of millions of 万元, or a 元 label over a few hundred 元: the
        unit in the label is probably wrong (FJ prints 元 values under （万元））. Said, never converted."""
        budget = self.raw.get("budget") or {}
        amounts = [(budget.get(k), f"budget.{k}") for k in _MONEY_FIELDS]
        amounts = [(number(v), p) for v, p in amounts if number(v) is not None]
        if not amounts:
            return
        largest, path = max(amounts, key=lambda item: item[0] or 0)
        unit = self.raw.get("money_unit", self.profile.money_unit)
        if largest is None or largest <= 0:
            return
        suspicious = largest >= _WAN_TOO_LARGE if unit == "万元" else largest < _YUAN_TOO_SMALL
        if suspicious:
            self.remarks.append(
                Remark(
                    "form.unit-magnitude",
                    "warning",
                    self.cells.get(path),
                    path,
                    {"unit": unit, "amount": _plain(largest)},
                )
            )

    def hidden(self) -> None:
        rows = sorted(r for r in self.used_rows if r in self.grid.hidden_rows)
        cols = sorted({place[2] for place in self.cells.values() if place[2] in self.grid.hidden_cols})
        if rows or cols:
            where = [str(r + 1) for r in rows]
            self.remarks.append(
                Remark(
                    "form.hidden",
                    "info",
                    self.place(rows[0] if rows else self.rows.start, cols[0] if cols else 0),
                    None,
                    {"rows": "、".join(where) or "—", "columns": "、".join(col_letter(c) for c in cols) or "—"},
                )
            )

    def run(self) -> Extracted:
        self.fields()
        self.year()
        self.money()
        self.goals()
        self.tasks()
        self.indicators()
        self.narrative()
        self.magnitudes()
        self.hidden()
        if self.family.weights_absent and self.raw.get("indicators"):
            self.remarks.append(Remark("form.no-weights", "warning", self.anchors.get("tbl_indicators"), None, {}))
        return Extracted(
            self.family, self.raw, self.cells, self.anchors, self.remarks, self.title(), frozenset(self.found)
        )


def number(value: object) -> Decimal | None:
    """A cell's figure, typed or written as text (``"90.00"``, ``"100%"`` as 100, ``"≥50个"`` as 50)."""
    parsed = parse_quantity(value)
    return to_decimal(parsed.value) if parsed.ok and isinstance(parsed.value, int | float) else None


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        text = squeeze(value)
        return bool(text) and text not in EMPTY_MARKERS and not _DOTS.match(text)
    return True


def _instruction(text: object) -> bool:
    """Printed instructions left in a value cell: 结合自评情况，说明…（200字以内）."""
    t = squeeze(text)
    return bool(re.search(r"字以内\)?$|^(请|结合|说明|填写|注[:：])|[须应请]说明", t)) and len(t) < 80


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def extract(index: LabelIndex, rows: range, family: Family, profile: Profile) -> Extracted | None:
    """The document in ``rows`` of a grid, or None when the section holds neither a money block nor an
    indicator table of the family (a cover sheet, a notes sheet)."""
    section = _Section(index, rows, family, profile, index.grid.context)
    result = section.run()
    if "budget" not in result.raw and not result.raw.get("indicators"):
        return None
    return result

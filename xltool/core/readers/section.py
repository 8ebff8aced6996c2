"""One section of an official form as the block readers see it: the label index and the section's rows, the
layout family, what has been read so far (values, their cells, anchors, remarks, the columns found) and the
helpers every block reader uses to find a label's value or a table's header band."""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Any

from ..families import Family, Table
from ..grid import Value, is_text, label_key, squeeze
from ..recognise import LabelIndex
from ..spec import Profile
from ..values import EMPTY_MARKERS, parse_quantity, to_decimal

Place = tuple[str, int, int]  # (grid name, row, col)
#: Labels that end the rows of a block: a block that starts below, or the form's closing rows.
_STOP = ("年度总体目标", "绩效指标", "评价结论", "存在问题", "改进措施", "项目负责人", "财务负责人", "备注", "填表人")
#: A placeholder row's name: dots, ellipses, circled numbers.
DOTS = re.compile(r"^[.…。·\s①②③④⑤⑥⑦⑧⑨⑩]*$")


#: each column map's fields by the label that names them, in the map's order (the maps are the families' own,
#: kept here with their index so an id is never reused)
_BY_KEY: dict[int, tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]] = {}


def _fields_by_key(columns: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """label key → the column fields it names (a header's labels looked up once, not every synonym tried)."""
    held = _BY_KEY.get(id(columns))
    if held is None or held[0] is not columns:
        if len(_BY_KEY) > 256:  # only the families' maps come here; a bound all the same
            _BY_KEY.clear()
        index: dict[str, tuple[str, ...]] = {}
        for fld, synonyms in columns.items():
            for key in dict.fromkeys(synonyms):
                index[key] = (*index.get(key, ()), fld)
        held = _BY_KEY[id(columns)] = (columns, index)
    return held[1]


@dataclass
class Remark:
    """Something the reader noticed about the form itself (a finding code, its severity, place, values)."""

    code: str
    severity: str
    place: Place | None = None
    field: str | None = None
    params: dict[str, Any] = dc_field(default_factory=dict)


class Section:
    def __init__(self, index: LabelIndex, rows: range, family: Family, profile: Profile, context: list[str]):
        self.index, self.grid, self.rows, self.family, self.profile = index, index.grid, rows, family, profile
        self.context = context
        self.known = family.labels()
        self.raw: dict[str, Any] = {"form": family.form, "profile": family.profile}
        self.cells: dict[str, Place] = {}
        self.anchors: dict[str, Place] = {}
        self.remarks: list[Remark] = []
        self.used_rows: set[int] = set()
        #: every column field found under a header of the form (``indicators.reason``, ``money.rate``) and every
        #: field label found (``fields.unit.name``)
        self.found: set[str] = set()
        #: fields taken from another one because the form has no label for them: path → where from
        self.inferred: dict[str, str] = {}
        self.supervisor_code: str | None = None
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
        wanted = _fields_by_key(columns)
        for c, key, origin in self.index.row_labels(row):
            if key not in wanted:
                continue
            for fld in wanted[key]:
                if fld not in out:
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
        band = self.band_at(table, hit[1])
        # the label stands in the row but its cell lies inside another's merged range (a damaged sheet whose
        # ranges overlap): no table can be read under it
        return band if key_field in band[2] else None

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
        texts = [v for _, v in self.grid.filled(row)]
        return bool(texts) and all(is_text(v) and len(str(v)) <= 40 for v in texts)

    def stops(self, row: int, upto: int | None = None) -> bool:
        """A row that ends a block: another block's label or the form's closing rows, in the columns left of
        ``upto`` (a reason typed in a table's last column may well begin with 改进措施)."""
        for c, key in self.index.by_row.get(row, ()):
            if upto is not None and c > upto:
                break
            if key.startswith(_STOP) or key in self.family.starts:
                return True
            if key in self.family.goals.get("planned", ()) or key in self.family.indicators.total:
                return True
        return False


def number(value: object) -> Decimal | None:
    """A cell's figure, typed or written as text (``"90.00"``, ``"100%"`` as 100, ``"≥50个"`` as 50)."""
    parsed = parse_quantity(value)
    return to_decimal(parsed.value) if parsed.ok and isinstance(parsed.value, int | float) else None


def filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        text = squeeze(value)
        return bool(text) and text not in EMPTY_MARKERS and not DOTS.match(text)
    return True


def instruction(text: object) -> bool:
    """Printed instructions left in a value cell: 结合自评情况，说明…（200字以内）."""
    t = squeeze(text)
    return bool(re.search(r"字以内\)?$|^(请|结合|说明|填写|注[:：])|[须应请]说明", t)) and len(t) < 80


def plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)

"""What every sheet of the summary workbook shares: its words, formats, page setup, the sheet frame (title,
subtitle, header) and how a cell is written (text always as text, never a formula or link)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..core.checks import GRADE_ALIASES
from .xlsx_text import text_format, write_text

FONT = "宋体"
FORMS = {"department": "部门整体", "project": "项目支出"}
SCORE_BINS = ((0, 60), (60, 70), (70, 80), (80, 90), (90, 95), (95, 1000))
#: Up to this many units the summary is written with shared strings and charts that carry their data (what
#: every reader, older WPS builds included, shows); above it, row by row with inline strings, so memory stays
#: flat at any size. Measured (a 1,000-unit summary: about 35 MiB more than streaming; 5,000: about 200 MiB).
SHARED_STRINGS_MAX_UNITS = 1000
#: What a unit whose workbook still has errors shows instead of a grade: it is not counted until corrected.
PENDING = "待更正"


def left_out_note(pending: int, include_errors: bool) -> str:
    """The sentence every summary sheet carries about units with errors."""
    if include_errors:
        return "临时汇总：自评表有校验错误的单位也已计入等次和平均分" if pending else ""
    if not pending:
        return ""
    return f"{pending} 个单位自评表有校验错误，列为“{PENDING}”，未计入等次、平均分和图表"


def canonical_grade(label: str | None) -> str:
    """优秀 → 优 and so on, so units of different profiles count together."""
    for group in GRADE_ALIASES:
        if label in group:
            return group[0]
    return label or ""


@dataclass
class Node:
    """A region node and what the units below it add up to."""

    path: tuple[str, ...]
    start: int = 0  # first 汇总表 row (0-based) of its units
    units: int = 0
    adjusted: float = 0.0
    executed: float = 0.0
    score_sum: float = 0.0
    errors: int = 0
    warnings: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    counted: int = 0  # units in grades and averages
    pending: int = 0  # units with errors, left out until corrected

    def add(self, unit: Any, counted: bool) -> None:
        self.units += 1
        self.adjusted += unit["adjusted"] or 0.0
        self.executed += unit["executed"] or 0.0
        self.errors += unit["errors"]
        self.warnings += unit["warnings"]
        if not counted:
            self.pending += 1
            return
        if unit["total"] is None:  # a form without scores (转移支付, 专项资金): money only
            return
        self.counted += 1
        self.score_sum += unit["total"] or 0.0
        grade = canonical_grade(unit["grade"])
        self.grades[grade] = self.grades.get(grade, 0) + 1

    @property
    def average(self) -> float | str:
        return self.score_sum / self.counted if self.counted else ""


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"font_name": FONT, "font_size": 10.5, "valign": "vcenter", "border": 1, "border_color": "#A6A6A6"}
        self.title = text_format(
            book, {"font_name": "黑体", "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
        )
        self.subtitle = text_format(
            book, {"font_name": FONT, "font_size": 10.5, "align": "center", "valign": "vcenter", "text_wrap": True}
        )
        self.header = text_format(
            book, {**base, "bold": True, "align": "center", "bg_color": "#DDEBF7", "text_wrap": True}
        )
        self.text = text_format(book, {**base})
        self.wrap = text_format(book, {**base, "text_wrap": True})
        self.center = text_format(book, {**base, "align": "center"})
        self.center_wrap = text_format(book, {**base, "align": "center", "text_wrap": True})
        self.money = text_format(book, {**base, "num_format": "#,##0.00"})
        self.rate = text_format(book, {**base, "num_format": "0.00%"})
        self.score = text_format(book, {**base, "num_format": "0.00"})
        self.int = text_format(book, {**base, "num_format": "0", "align": "center"})
        self.bad = text_format(book, {**base, "font_color": "#9C0006", "align": "center"})
        fills = ("#C9D7EE", "#DCE5F4", "#EBF0F9", "#F5F7FC")
        self.sub: list[dict[str, Any]] = []
        for fill in fills:
            common = {**base, "bold": True, "bg_color": fill}
            self.sub.append(
                {
                    "text": text_format(book, common),
                    "money": text_format(book, {**common, "num_format": "#,##0.00"}),
                    "rate": text_format(book, {**common, "num_format": "0.00%"}),
                    "score": text_format(book, {**common, "num_format": "0.00"}),
                    "int": text_format(book, {**common, "num_format": "0", "align": "center"}),
                }
            )

    def subtotal(self, depth: int) -> dict[str, Any]:
        return self.sub[min(max(depth, 0), len(self.sub) - 1)]


def _text(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    else:
        write_text(ws, row, col, str(value), fmt)


def _num(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    elif value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    else:
        write_text(ws, row, col, str(value), fmt)


def _setup(ws: Worksheet, widths: Iterable[float], landscape: bool, header_rows: int) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(0, header_rows - 1)
    ws.freeze_panes(header_rows, 0)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.hide_gridlines(2)


def _sheet(
    book: xlsxwriter.Workbook,
    f: _Formats,
    name: str,
    columns: Iterable[str],
    widths: Iterable[float],
    *,
    title: str,
    subtitle: str,
    landscape: bool,
) -> Worksheet:
    """A summary sheet with its print setup, title, subtitle and header row (row 3)."""
    columns = list(columns)
    ws = book.add_worksheet(name)
    _setup(ws, widths, landscape=landscape, header_rows=3)
    ws.set_row(0, 28)
    ws.merge_range(0, 0, 0, len(columns) - 1, title, f.title)
    ws.merge_range(1, 0, 1, len(columns) - 1, subtitle, f.subtitle)
    if len(subtitle) > 6 * len(columns):  # a long note on a narrow sheet wraps onto a second line
        ws.set_row(1, 30)
    for col, label in enumerate(columns):
        ws.write_string(2, col, label, f.header)
    return ws

"""The consolidated summary workbook (xlsxwriter, written row by row in constant-memory mode).

Sheets: 汇总表 (units grouped by the region tree, live SUBTOTAL formulas per node and in total), 等次分布 (grade
counts per node from COUNTIFS on 汇总表, a stacked bar chart and a score-distribution chart), 指标对比 (indicators
several units share), 问题清单 (every finding, filterable), 不可用文件. Every text is written as a string, never
as a formula or a link. Formula cells carry their values computed here as cached results.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..core.checks import GRADE_ALIASES
from .summary_base import (
    FONT,
    FORMS,
    PENDING,
    SCORE_BINS,
    SHARED_STRINGS_MAX_UNITS,
    Node,
    _Formats,
    _num,
    _sheet,
    _text,
    canonical_grade,
    left_out_note,
)
from .summary_columns import FIRST, UNITS, UNSCORED
from .summary_sheets import write_findings, write_indicators, write_unusable
from .summary_store import NO_REGION, Conflict, SummaryStore

# ---------------------------------------------------------------------------------------------- 汇总表


def _rate_formula(r: int) -> str:
    """执行率 of 汇总表 row ``r`` (0-based) from its own amounts."""
    adjusted, executed = f"{UNITS.letter('adjusted')}{r + 1}", f"{UNITS.letter('executed')}{r + 1}"
    return f'=IF(N({adjusted})>0,{executed}/{adjusted},"")'


class _UnitSheet:
    def __init__(self, ws: Worksheet, f: _Formats, include_errors: bool):
        self.ws, self.f, self.include_errors = ws, f, include_errors
        self.row = FIRST
        self.stack: list[Node] = []
        self.nodes: list[Node] = []
        self.total = Node(())
        self.bins = [0] * len(SCORE_BINS)

    def write(self, units: Iterable[Any]) -> None:
        for number, unit in enumerate(units, start=1):
            path = tuple(unit["region"].split("/")) if unit["region"] else (NO_REGION,)
            common = 0
            while common < min(len(self.stack), len(path)) and self.stack[common].path == path[: common + 1]:
                common += 1
            while len(self.stack) > common:
                self.close()
            while len(self.stack) < len(path):
                node = Node(path[: len(self.stack) + 1], start=self.row)
                self.stack.append(node)
                self.nodes.append(node)
            counted = bool(unit["valid"]) or self.include_errors
            self.unit_row(number, unit, counted)
            for node in (*self.stack, self.total):
                node.add(unit, counted)
            total = unit["total"]
            for i, (low, high) in enumerate(SCORE_BINS):
                if counted and total is not None and low <= total < high:
                    self.bins[i] += 1
        while self.stack:
            self.close()
        self.total_row()

    def unit_row(self, number: int, unit: Any, counted: bool) -> None:
        ws, f, r = self.ws, self.f, self.row
        c = UNITS.col
        ws.write_number(r, c("no"), number, f.int)
        _text(ws, r, c("unit"), unit["unit"], f.text)
        _text(ws, r, c("code"), unit["code"], f.center)
        _text(ws, r, c("region"), unit["region"] or NO_REGION, f.text)
        _num(ws, r, c("year"), unit["year"], f.int)
        _text(ws, r, c("form"), FORMS.get(unit["form"], unit["form"]), f.center)
        _num(ws, r, c("adjusted"), unit["adjusted"], f.money)
        _num(ws, r, c("executed"), unit["executed"], f.money)
        adjusted, executed = unit["adjusted"], unit["executed"]
        rate = executed / adjusted if adjusted and executed is not None else ""
        ws.write_formula(r, c("rate"), _rate_formula(r), f.rate, rate)
        _num(ws, r, c("total"), unit["total"] if counted else None, f.score)
        grade = (unit["grade"] or UNSCORED) if counted else PENDING
        _text(ws, r, c("grade"), grade, f.center if counted else f.bad)
        ws.write_number(r, c("errors"), unit["errors"], f.bad if unit["errors"] else f.int)
        ws.write_number(r, c("warnings"), unit["warnings"], f.int)
        status = (
            "通过" if unit["valid"] else "有错误（临时计入）" if counted else f"{PENDING}（{unit['errors']} 个错误）"
        )
        _text(ws, r, c("status"), status, f.center if unit["valid"] else f.bad)
        self.row += 1

    def aggregate_row(self, label: str, node: Node, first: int, depth: int) -> None:
        ws, r, c = self.ws, self.row, UNITS.col
        fmt = self.f.subtotal(depth)
        last = r  # the rows above this one, 1-based end = r
        rng = lambda key: f"{UNITS.letter(key)}{first + 1}:{UNITS.letter(key)}{last}"  # noqa: E731
        ws.merge_range(r, 0, r, c("form"), label, fmt["text"])
        ws.write_formula(r, c("adjusted"), f"=SUBTOTAL(9,{rng('adjusted')})", fmt["money"], node.adjusted)
        ws.write_formula(r, c("executed"), f"=SUBTOTAL(9,{rng('executed')})", fmt["money"], node.executed)
        rate = node.executed / node.adjusted if node.adjusted else ""
        ws.write_formula(r, c("rate"), _rate_formula(r), fmt["rate"], rate)
        ws.write_formula(r, c("total"), f'=IFERROR(SUBTOTAL(1,{rng("total")}),"")', fmt["score"], node.average)
        ws.write_blank(r, c("grade"), None, fmt["text"])
        ws.write_formula(r, c("errors"), f"=SUBTOTAL(9,{rng('errors')})", fmt["int"], node.errors)
        ws.write_formula(r, c("warnings"), f"=SUBTOTAL(9,{rng('warnings')})", fmt["int"], node.warnings)
        pending = f"，{PENDING} {node.pending}" if node.pending else ""
        ws.write_string(r, c("status"), f"{node.units} 个单位{pending}", fmt["text"])
        self.row += 1

    def close(self) -> None:
        node = self.stack.pop()
        self.aggregate_row(f"{node.path[-1]} 小计", node, node.start, len(node.path))

    def total_row(self) -> None:
        self.aggregate_row("合　计", self.total, FIRST, 0)


def write_units(
    book: xlsxwriter.Workbook, f: _Formats, store: SummaryStore, unusable: int, include_errors: bool
) -> _UnitSheet:
    n, _, _ = store.totals()
    extra = f"，另有 {unusable} 个文件无法使用（见“不可用文件”）" if unusable else ""
    note = left_out_note(store.count_invalid(), include_errors)
    extra += f"；{note}" if note else ""
    ws = _sheet(
        book,
        f,
        UNITS.name,
        UNITS.headers,
        UNITS.widths,
        title="预算绩效自评汇总表",
        subtitle=f"共 {n} 个单位{extra}　　金额单位：万元　　小计、合计行的总分为平均分",
        landscape=True,
    )
    sheet = _UnitSheet(ws, f, include_errors)
    sheet.write(store.units())  # no per-row outline levels: xlsxwriter keeps a record for every such row
    return sheet


# ---------------------------------------------------------------------------------------------- 等次分布


def _count_step(most: int) -> int:
    """A whole-number axis step that gives at most about eight gridlines."""
    return max(1, -(-most // 8))


def _escape_pattern(text: str) -> str:
    return text.replace("~", "~~").replace("*", "~*").replace("?", "~?").replace('"', '""')


def write_grades(book: xlsxwriter.Workbook, f: _Formats, units: _UnitSheet, labels: list[str], note: str) -> None:
    columns = ["地区", "单位数", *labels, PENDING, "平均分"]
    ws = _sheet(
        book,
        f,
        "等次分布",
        columns,
        [30, 8, *([8] * len(labels)), 8, 9],
        title="自评等次分布",
        subtitle="按地区统计（公式取自“汇总表”，修改汇总表后自动更新）" + (f"；{note}" if note else ""),
        landscape=False,
    )
    end = units.row  # 汇总表 rows end before the total row
    column = lambda key: f"{UNITS.name}!${UNITS.letter(key)}${FIRST + 1}:${UNITS.letter(key)}${end}"  # noqa: E731
    region, grade, score = column("region"), column("grade"), column("total")
    aliases = {label: next((g for g in GRADE_ALIASES if label in g), (label,)) for label in labels}
    nodes = sorted(units.nodes, key=lambda n: (len(n.path), n.path))
    rows: list[tuple[str, Node, list[str]]] = [("全部", units.total, [])]
    for node in nodes:
        path = "/".join(node.path)
        rows.append(("　" * (len(node.path) - 1) + node.path[-1], node, [path]))
    level_rows: dict[int, list[int]] = {}
    for i, (label, node, patterns) in enumerate(rows):
        r = 3 + i
        level_rows.setdefault(len(node.path), []).append(r)
        _text(ws, r, 0, label, f.text)

        def count(extra: str = "", patterns: list[str] = patterns) -> str:
            if not patterns:
                return f'COUNTIFS({grade},"<>"{extra})'
            p = _escape_pattern(patterns[0])
            return f'(COUNTIFS({region},"{p}"{extra})+COUNTIFS({region},"{p}/*"{extra}))'

        def total(patterns: list[str] = patterns) -> str:
            if not patterns:
                return f'SUMIFS({score},{grade},"<>")'
            p = _escape_pattern(patterns[0])
            return f'(SUMIFS({score},{region},"{p}")+SUMIFS({score},{region},"{p}/*"))'

        ws.write_formula(r, 1, "=" + count(), f.int, node.units)
        for k, label_k in enumerate(labels):
            formula = "+".join(count(f',{grade},"{_escape_pattern(a)}"') for a in aliases[label_k])
            ws.write_formula(r, 2 + k, "=" + formula, f.int, node.grades.get(label_k, 0))
        ws.write_formula(r, 2 + len(labels), "=" + count(f',{grade},"{PENDING}"'), f.int, node.pending)
        scored = f',{score},"<>"'  # units with errors have no score here: averages are of the counted units
        ws.write_formula(r, 3 + len(labels), f'=IFERROR({total()}/{count(scored)},"")', f.score, node.average)
    last_row = 3 + len(rows) - 1
    # the grade chart: the deepest level with at most 25 nodes (level 1 when every level is larger)
    levels = [d for d in sorted(level_rows) if d >= 1]
    chosen = max((d for d in levels if len(level_rows[d]) <= 25), default=levels[0] if levels else 0)
    if chosen:
        first_r, last_r = min(level_rows[chosen]), max(level_rows[chosen])
        chart = book.add_chart({"type": "column", "subtype": "stacked"})
        for k in range(len(labels)):
            chart.add_series(
                {
                    "name": ["等次分布", 2, 2 + k],
                    "categories": ["等次分布", first_r, 0, last_r, 0],
                    "values": ["等次分布", first_r, 2 + k, last_r, 2 + k],
                    "gap": 60,
                }
            )
        chart.set_title({"name": "各地区自评等次分布", "name_font": {"name": FONT, "size": 12}})
        chart.set_x_axis({"num_font": {"name": FONT, "size": 9}})
        most = max((sum(n.grades.values()) for n in nodes if len(n.path) == chosen), default=1)
        chart.set_y_axis(
            {
                "name": "单位数",
                "name_font": {"name": FONT, "size": 9},
                "min": 0,
                "major_unit": _count_step(most),
                "major_gridlines": {"visible": True},
            }
        )
        chart.set_legend({"position": "bottom", "font": {"name": FONT, "size": 9}})
        chart.set_size({"width": 620, "height": 320})
        ws.insert_chart(last_row + 2, 0, chart)
    # score distribution
    top = last_row + 20
    ws.write_string(top, 0, "总分分段", f.header)
    ws.write_string(top, 1, "单位数", f.header)
    for i, (low, high) in enumerate(SCORE_BINS):
        r = top + 1 + i
        label = f"{low}–{high} 分" if high < 1000 else f"{low} 分及以上"
        ws.write_string(r, 0, label, f.text)
        ws.write_formula(r, 1, f'=COUNTIFS({score},">={low}",{score},"<{high}",{grade},"<>")', f.int, units.bins[i])
    chart = book.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "单位数",
            "categories": ["等次分布", top + 1, 0, top + len(SCORE_BINS), 0],
            "values": ["等次分布", top + 1, 1, top + len(SCORE_BINS), 1],
            "fill": {"color": "#5B9BD5"},
            "data_labels": {"value": True},
            "gap": 40,
        }
    )
    chart.set_title({"name": "总分分布", "name_font": {"name": FONT, "size": 12}})
    chart.set_y_axis({"min": 0, "major_unit": _count_step(max(units.bins, default=1))})
    chart.set_x_axis({"num_font": {"name": FONT, "size": 9}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": 300})
    ws.insert_chart(top, 3, chart)


def write_summary(
    path: Path, store: SummaryStore, conflicts: list[Conflict], lang: str = "zh", include_errors: bool = False
) -> None:
    """Write the whole summary workbook to ``path`` (a temporary file the caller renames). Units whose workbook
    has errors are listed as 待更正 and left out of grades, averages and charts unless ``include_errors``."""
    streaming = store.count("units") > SHARED_STRINGS_MAX_UNITS
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": streaming,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.formats[0].set_font_name(FONT)
    f = _Formats(book)
    unusable = store.count("unusable")
    units = write_units(book, f, store, unusable, include_errors)
    present = {canonical_grade(g) for g in store.grades(include_errors)}
    labels = [g[0] for g in GRADE_ALIASES if g[0] in present] + sorted(present - {g[0] for g in GRADE_ALIASES})
    note = left_out_note(store.count_invalid(), include_errors)
    write_grades(book, f, units, labels or [g[0] for g in GRADE_ALIASES], note)
    write_indicators(book, f, store, note)
    write_findings(book, f, store, conflicts, lang, note)
    write_unusable(book, f, store)
    book.set_properties({"title": "预算绩效自评汇总表", "author": "xltool"})
    book.close()

"""The consolidated summary workbook (xlsxwriter, written row by row in constant-memory mode).

Sheets: 汇总表 (units grouped by the region tree, live SUBTOTAL formulas per node and in total), 等次分布 (grade
counts per node from COUNTIFS on 汇总表, a stacked bar chart and a score-distribution chart), 指标对比 (indicators
several units share), 问题清单 (every finding, filterable), 不可用文件. Every text is written as a string, never
as a formula or a link. Formula cells carry their values computed here as cached results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..core.checks import GRADE_ALIASES
from .summary_columns import FINDINGS, FIRST, UNITS, UNUSABLE
from .summary_store import NO_REGION, Conflict, SummaryStore
from .xlsx_text import text_format, write_text

FONT = "宋体"
FORMS = {"department": "部门整体", "project": "项目支出"}
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
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
            total = unit["total"] or 0.0
            for i, (low, high) in enumerate(SCORE_BINS):
                if counted and low <= total < high:
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
        _text(ws, r, c("grade"), unit["grade"] if counted else PENDING, f.center if counted else f.bad)
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


# ---------------------------------------------------------------------------------------------- other sheets


def _json_value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def write_indicators(book: xlsxwriter.Workbook, f: _Formats, store: SummaryStore, note: str) -> None:
    """One block per shared indicator: a heading row with its 一级/二级 (and form/profile when the run mixes
    them), then each unit's target, actual, weight, score and score rate."""
    columns = ("三级指标 / 单位", "所属地区", "年度指标值", "实际完成值", "计量单位", "分值", "得分", "得分率")
    ws = _sheet(
        book,
        f,
        "指标对比",
        columns,
        (40, 22, 15, 15, 9, 8, 8, 9),
        title="共有指标对比",
        subtitle="多个单位填报的同名三级指标（同表样、同口径之间比较）" + (f"；{note}" if note else ""),
        landscape=False,
    )
    mixed = len({(form, profile) for form, profile in store.db.execute("SELECT DISTINCT form, profile FROM units")}) > 1
    group = f.subtotal(1)
    r, current = 3, None
    for (
        name,
        level1,
        level2,
        unit,
        region,
        target,
        actual,
        measure,
        weight,
        score,
        applicable,
        form,
        profile,
    ) in store.shared_indicators():
        key = (name, form, profile)
        if key != current:
            current = key
            where = "／".join(x for x in (level1, level2) if x)
            if mixed:
                where += f"（{FORMS.get(form, form)}，{profile}）"
            ws.merge_range(r, 0, r, len(columns) - 1, f"{name}　　{where}", group["text"])
            r += 1
        _text(ws, r, 0, f"　{unit}", f.text)
        _text(ws, r, 1, region or NO_REGION, f.text)
        _num(ws, r, 2, _json_value(target), f.center_wrap)
        _num(ws, r, 3, _json_value(actual), f.center_wrap)
        _text(ws, r, 4, measure, f.center)
        _num(ws, r, 5, weight, f.score)
        if applicable:
            _num(ws, r, 6, score, f.score)
            _num(ws, r, 7, score / weight if weight and score is not None else None, f.rate)
        else:
            ws.write_string(r, 6, "不适用", f.center)
            ws.write_blank(r, 7, None, f.rate)
        r += 1


def write_findings(
    book: xlsxwriter.Workbook, f: _Formats, store: SummaryStore, conflicts: list[Conflict], lang: str, note: str
) -> None:
    columns = FINDINGS.headers
    ws = _sheet(
        book,
        f,
        FINDINGS.name,
        columns,
        FINDINGS.widths,
        title="校验问题清单",
        subtitle="每个单位的每一条校验结果（可筛选）" + (f"；{note}" if note else ""),
        landscape=True,
    )
    r = FIRST
    rows: list[dict[str, str]] = []
    for conflict in conflicts:
        rows += [
            {
                "unit": "（汇总）",
                "file": file,
                "rule": conflict.code,
                "severity": "warning",
                "message": conflict.message(lang),
            }
            for file in conflict.files or ("",)
        ]
    for unit, code, file, rule, severity, sheet, cell, message, explained in store.findings():
        where = f"{sheet}!{cell}" if sheet and cell else ""
        rows.append(
            {
                "unit": unit,
                "code": code,
                "file": file,
                "rule": rule,
                "severity": severity,
                "place": where,
                "message": message,
                "explained": "是" if explained else "",
            }
        )
    for row in rows:
        severity = row["severity"]
        for column in FINDINGS.columns:
            value = SEVERITY.get(severity, severity) if column.key == "severity" else row.get(column.key, "")
            style = f.wrap if column.key == "message" else f.text
            if column.key == "severity" and severity == "error":
                style = f.bad
            _text(ws, r, FINDINGS.col(column.key), value, style)
        r += 1
    if r > FIRST:
        ws.autofilter(FIRST - 1, 0, r - 1, len(columns) - 1)


def write_unusable(book: xlsxwriter.Workbook, f: _Formats, store: SummaryStore) -> None:
    ws = _sheet(
        book,
        f,
        UNUSABLE.name,
        UNUSABLE.headers,
        UNUSABLE.widths,
        title="无法使用的文件",
        subtitle="这些文件没有计入汇总，请联系报送单位重新报送",
        landscape=False,
    )
    r = FIRST
    for file, code, message in store.unusable_files():
        _text(ws, r, UNUSABLE.col("file"), file, f.text)
        _text(ws, r, UNUSABLE.col("code"), code, f.text)
        _text(ws, r, UNUSABLE.col("message"), message, f.wrap)
        r += 1


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

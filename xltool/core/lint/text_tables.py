"""The money block of a self-evaluation form (年初预算数 / 全年预算数 / 全年执行数 / 执行率 for 年度资金总额 and its
其中 rows), wherever it is: a Word or web-page table, or a form published as text — one cell a line ending in
“|”, Markdown-like rows, tab- or space-separated.

A row's figures are placed under the header only when the placing is certain: as many figures as columns, the
rate (the figure with %) exactly under 执行率, or as many figures as the leading money columns. Then each row's
执行率 must be 执行数 ÷ 全年预算数 at its decimals, and the total row must hold its 其中 rows: no part larger than
the total, and the parts adding up to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..scores import round_half_up
from ..values import shortest
from .base import Lint, rounding_slack, truncate
from .document import normalise
from .quantities import places

CODES = ("rate.mismatch", "sum.mismatch")

_COLUMNS = (
    ("initial", re.compile(r"^年初(?:预算)?数?$|^年初预算$")),
    ("adjusted", re.compile(r"^(?:全年|调整后)(?:预算)?数?$|^调整后预算数?$|^全年预算数$")),
    ("executed", re.compile(r"^(?:全年|预算)?执行数$|^实际执行数?$|^全年执行$")),
    ("rate", re.compile(r"^(?:预算)?执行率$")),
    ("weight", re.compile(r"^(?:分值|权重)$")),
    ("score", re.compile(r"^得分$")),
    ("note", re.compile(r"^(?:原因|偏差原因.*|未完成原因.*|说明)$")),
)
_NAMES = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}
_MONEY = ("initial", "adjusted", "executed")
_TOTAL_ROW = re.compile(r"^(?:年度)?资金总额$|^总额$|^合计$|^总计$")
_PART_ROW = re.compile(
    r"^(?:其中)?:?(?:(?:当年|本年)财政拨款|财政拨款|财政资金|上年结转(?:资金)?|财政专户管理资金|单位资金|其他资金|自筹资金|社会资金)$"
)
_VALUE = re.compile(r"^-?\d+(?:\.\d+)?%?$|^$|^[—\-/－]+$")


@dataclass
class _Cell:
    text: str
    paragraph: int | None
    table: int | None = None
    row: int | None = None


@dataclass
class _Row:
    label: _Cell
    values: list[str]

    def quote(self) -> str:
        return " ".join([self.label.text, *[v for v in self.values if v]])


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text)).rstrip(":")


def _text_cells(lint: Lint) -> list[_Cell]:
    """The report's paragraphs as one stream of cells: “a |” lines, “| a | b |” rows, tabs, or spaces."""
    out: list[_Cell] = []
    for p, paragraph in enumerate(lint.report.paragraphs):
        line = normalise(paragraph).strip()
        if "|" in line:
            inner = line[1:] if line.startswith("|") else line
            inner = inner[:-1] if inner.endswith("|") else inner
            cells = inner.split("|")
        elif "\t" in line:
            cells = line.split("\t")
        else:
            cells = line.split()
        out.extend(_Cell(_clean(c), p) for c in cells)
    return out


def _table_cells(lint: Lint) -> list[list[_Cell]]:
    return [
        [_Cell(_clean(c), None, t, r) for r, row in enumerate(table) for c in row]
        for t, table in enumerate(lint.report.tables)
    ]


def _header(cells: list[_Cell], i: int) -> list[str] | None:
    names: list[str] = []
    for k in range(i, len(cells)):
        name = next((n for n, pattern in _COLUMNS if pattern.search(cells[k].text)), None)
        if name is None or name in names:
            break
        names.append(name)
    return names if {"adjusted", "executed"} <= set(names) else None


def _blocks(cells: list[_Cell]) -> list[tuple[list[str], list[_Row]]]:
    out = []
    i = 0
    while i < len(cells):
        header = _header(cells, i)
        if header is None:
            i += 1
            continue
        i += len(header)
        rows: list[_Row] = []
        unknown = 0
        while i < len(cells) and unknown <= 3:
            cell = cells[i]
            if _TOTAL_ROW.search(cell.text) or _PART_ROW.search(cell.text):
                values: list[str] = []
                i += 1
                while i < len(cells) and _VALUE.search(cells[i].text) and len(values) < len(header) + 3:
                    values.append(cells[i].text)
                    i += 1
                while values and values[-1] == "":
                    values.pop()
                rows.append(_Row(cell, values))
                unknown = 0
            elif _header(cells, i):
                break
            else:
                unknown += 1
                i += 1
        out.append((header, rows))
    return out


def _placed(header: list[str], values: list[str]) -> dict[str, Decimal | str] | None:
    """The row's figures by column, or None when their place is not certain."""
    percents = [k for k, v in enumerate(values) if v.endswith("%")]
    leading = 0
    while leading < len(header) and header[leading] in _MONEY:
        leading += 1
    if percents:
        if "rate" not in header or percents != [header.index("rate")] or len(values) > len(header):
            return None
    elif len(values) != len(header) and len(values) != leading:
        return None
    out: dict[str, Decimal | str] = {}
    for name, value in zip(header, values, strict=False):
        if re.fullmatch(r"-?\d+(?:\.\d+)?", value):
            out[name] = Decimal(value)
        elif value.endswith("%"):
            out[name] = value
    return out


def _rate(lint: Lint, row: _Row, placed: dict[str, Decimal | str]) -> None:
    budget, spent, rate = placed.get("adjusted"), placed.get("executed"), placed.get("rate")
    if not isinstance(budget, Decimal) or not isinstance(spent, Decimal) or budget <= 0:
        return
    if isinstance(rate, str):
        text = rate.rstrip("%")
    elif isinstance(rate, Decimal) and rate > 1:
        text = str(rate)  # a rate column holding 100 for 100%
    else:
        return
    stated = Decimal(text)
    computed = spent / budget * 100
    if round_half_up(computed, places(text)) == stated:
        return
    lint.add(
        "rate.mismatch",
        "truncated" if truncate(computed, places(text)) == stated else "prose",
        paragraph=row.label.paragraph,
        quote=row.quote(),
        table=row.label.table,
        row=row.label.row,
        expected=f"{round_half_up(computed, places(text))}%",
        found=f"{text}%",
        stated=f"{row.label.text.removeprefix('其中').lstrip(':')} 执行率 {text}%",
        spent=shortest(spent),
        budget=shortest(budget),
        exact=f"{shortest(round_half_up(computed, places(text) + 3))}%",
    )


def _sums(
    lint: Lint, total: _Row, placed: dict[str, Decimal | str], parts: list[tuple[_Row, dict]], certain: bool
) -> None:
    for name in ("adjusted", "executed", "initial"):
        value = placed.get(name)
        if not isinstance(value, Decimal):
            continue
        figures = [(row, p[name]) for row, p in parts if isinstance(p.get(name), Decimal)]
        if not figures:
            continue
        shown = max([places(str(value)), *(places(str(v)) for _, v in figures)])
        slack = rounding_slack(shown, len(figures) - 1)
        added = sum((v for _, v in figures), Decimal(0))
        larger = [(row, v) for row, v in figures if v > value + slack]
        complete = certain and all(p for _, p in parts)  # every 其中 row placed and filled: they make the total
        if larger or (complete and abs(added - value) > slack):
            lint.add(
                "sum.mismatch",
                "table-text",
                paragraph=total.label.paragraph,
                quote=total.quote() + " " + " ".join(row.quote() for row, _ in parts),
                table=total.label.table,
                row=total.label.row,
                expected=shortest(added),
                found=shortest(value),
                label=total.label.text,
                column=_NAMES[name],
                parts="+".join(
                    f"{row.label.text.removeprefix('其中').lstrip(':')} {shortest(v)}" for row, v in figures
                ),
            )
            return


_BREAKDOWN = re.compile(r"^按(?P<side>收入|支出)性质分?:?(?P<n>\d+(?:\.\d+)?)?$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


def _breakdowns(lint: Lint, cells: list[_Cell]) -> None:
    """The 部门整体 form splits its 年度资金总额 twice, 按收入性质分 and 按支出性质分: where both carry their sum,
    the two sums are the same money."""
    found: dict[str, tuple[_Cell, str, str]] = {}
    for k, cell in enumerate(cells):
        match = _BREAKDOWN.match(cell.text)
        if not match:
            continue
        number = match["n"] or (cells[k + 1].text if k + 1 < len(cells) and _NUMBER.match(cells[k + 1].text) else None)
        if number is not None and match["side"] not in found:
            found[match["side"]] = (cell, number, cell.text if match["n"] else f"{cell.text}:{number}")
    if len(found) < 2:
        return
    (cell, income, first), (_, spending, second) = found["收入"], found["支出"]
    slack = rounding_slack(max(places(income), places(spending)), 1)
    if abs(Decimal(income) - Decimal(spending)) > slack:
        lint.add(
            "sum.mismatch",
            "breakdowns",
            paragraph=cell.paragraph,
            quote=f"{first} {second}",
            table=cell.table,
            row=cell.row,
            found=income,
            expected=spending,
        )


def run(lint: Lint) -> None:
    for cells in [_text_cells(lint), *_table_cells(lint)]:
        _breakdowns(lint, cells)
        for header, rows in _blocks(cells):
            total: tuple[_Row, dict[str, Decimal | str]] | None = None
            parts: list[tuple[_Row, dict]] = []
            certain = True
            for row in rows:
                placed = _placed(header, row.values)
                if placed is None:
                    if _TOTAL_ROW.search(row.label.text):
                        total = None
                        break
                    certain = False
                    continue
                _rate(lint, row, placed)
                if _TOTAL_ROW.search(row.label.text):
                    if total is not None:
                        break
                    total = (row, placed)
                elif total is not None:
                    parts.append((row, {k: v for k, v in placed.items() if k in _MONEY}))
            if total is not None and parts:
                _sums(lint, total[0], total[1], parts, certain)

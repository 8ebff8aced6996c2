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
_VALUE = re.compile(r"^-?\d+(?:\.\d+)?(?:%|万元)?$|^$|^[—\-/－]+$")  # 4753.66万元 in a 万元 form


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
            # “4753.66 万元” (a PDF sets a space between digits and Chinese): the unit belongs to its figure
            for k in range(len(cells) - 1, 0, -1):
                if cells[k] in ("万元", "%") and re.fullmatch(r"-?\d+(?:\.\d+)?", cells[k - 1]):
                    cells[k - 1 : k + 1] = [cells[k - 1] + cells[k]]
        out.extend(_Cell(_clean(c), p) for c in cells)
    return out


def _table_cells(lint: Lint) -> list[list[_Cell]]:
    return [
        [_Cell(_clean(c), None, t, r) for r, row in enumerate(table) for c in row]
        for t, table in enumerate(lint.report.tables)
    ]


def _column(text: str) -> str | None:
    return next((n for n, pattern in _COLUMNS if pattern.search(text)), None)


def _name_at(cells: list[_Cell], k: int, names: list[str]) -> tuple[str | None, int]:
    """The column named at cell ``k`` and how many cells the name takes: two when it is split over them (“全年” /
    “执行数”, “年初” / “预算数”, as a narrow column wraps) — when the first half names no column, one already
    named, or the same column as the whole."""
    name = _column(cells[k].text)
    merged = _column(cells[k].text + cells[k + 1].text) if k + 1 < len(cells) else None
    halves = name is None or name in names or (merged == name and _column(cells[k + 1].text) is None)
    if merged and merged not in names and halves:
        return merged, 2
    return name, 1


def _header(cells: list[_Cell], i: int) -> tuple[list[str], int] | None:
    """The column names from cell ``i`` on and the cells they take, or None unless it is a money block's header."""
    names: list[str] = []
    k = i
    while k < len(cells):
        name, taken = _name_at(cells, k, names)
        if name is None or name in names:
            break
        names.append(name)
        k += taken
    return (names, k - i) if {"adjusted", "executed"} <= set(names) else None


def _blocks(cells: list[_Cell]) -> list[tuple[list[str], list[_Row]]]:
    out = []
    i = 0
    while i < len(cells):
        found = _header(cells, i)
        if found is None:
            i += 1
            continue
        header, width = found
        i += width
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
        value = value.removesuffix("万元")
        if re.fullmatch(r"-?\d+(?:\.\d+)?", value):
            out[name] = Decimal(value)
        elif value.endswith("%"):
            out[name] = value
    return out


def _rate(lint: Lint, row: _Row, placed: dict[str, Decimal | str]) -> None:
    budget, spent, rate = placed.get("adjusted"), placed.get("executed"), placed.get("rate")
    if not isinstance(budget, Decimal) or not isinstance(spent, Decimal) or budget <= 0:
        return
    scale = Decimal(100)
    if isinstance(rate, str):
        text = rate.rstrip("%")
    elif isinstance(rate, Decimal) and rate > 1:
        text = str(rate)  # a rate column holding 100 for 100%
    elif isinstance(rate, Decimal) and 0 < rate < 1 and places(str(rate)) >= 2:
        text, scale = str(rate), Decimal(1)  # a rate written as a fraction (0.958), checked at its own decimals
    else:
        return
    stated = Decimal(text)
    computed = spent / budget * scale
    if round_half_up(computed, places(text)) == stated:
        return
    percent = "%" if scale == 100 else ""
    lint.add(
        "rate.mismatch",
        "truncated" if truncate(computed, places(text)) == stated else "prose",
        paragraph=row.label.paragraph,
        quote=row.quote(),
        table=row.label.table,
        row=row.label.row,
        expected=f"{round_half_up(computed, places(text))}{percent}",
        found=f"{text}{percent}",
        stated=f"{row.label.text.removeprefix('其中').lstrip(':')} 执行率 {text}{percent}",
        spent=shortest(spent),
        budget=shortest(budget),
        exact=f"{shortest(round_half_up(computed, places(text) + 3))}{percent}",
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


_PAIR_TOTAL = re.compile(r"(?P<label>(?:年度)?(?:预算)?资金总额)\)?:\s*(?P<n>\d+(?:\.\d+)?)\s*$")
_PAIR_PART = re.compile(
    r"^(?:其中:)?\s*(?P<label>(?:中央|省级|市级|州级|县级|区级|本级|地方)(?:财政)?(?:补助|资金)|其他资金)(?:\([^)]*\))?:?"
    r"\s*(?P<n>\d+(?:\.\d+)?)\s*$"
)


def _pair_blocks(lint: Lint) -> None:
    """A 转移支付 form published as text, one row a line: “年度预算资金总额: 321.25”, then “其中:中央补助 166.00”,
    “市级资金 136.00”, “本级资金(包括结转结余) 20.25”. The rows under a total are its parts, by fund level."""
    paragraphs = [normalise(p).strip() for p in lint.report.paragraphs]
    for p, text in enumerate(paragraphs):
        total = _PAIR_TOTAL.search(text)
        if total is None:
            continue
        parts: list[tuple[str, str]] = []
        for following in paragraphs[p + 1 :]:
            part = _PAIR_PART.match(following)
            if part is None:
                break
            parts.append((part["label"], part["n"]))
        if len(parts) < 2:
            continue
        stated = Decimal(total["n"])
        added = sum((Decimal(n) for _, n in parts), Decimal(0))
        slack = rounding_slack(max(places(n) for n in [total["n"], *(n for _, n in parts)]), len(parts) - 1)
        if added > stated + slack:  # parts beyond their total: wrong however the form goes on
            lint.add(
                "sum.mismatch",
                "pairs",
                paragraph=p,
                quote=" ".join([lint.report.paragraphs[p], *lint.report.paragraphs[p + 1 : p + 1 + len(parts)]]),
                expected=shortest(added),
                found=total["n"],
                label=total["label"],
                parts=" + ".join(f"{label} {n}" for label, n in parts),
            )


def run(lint: Lint) -> None:
    _pair_blocks(lint)
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

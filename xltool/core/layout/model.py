"""What a layout is made of: cells, tables, sheets, the layout itself, and A1 references.

Rows and columns are 0-based here; :func:`a1` turns them into Excel references.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from ..spec import FormSpec, Profile

META_SHEET = "_xltool"
TEMPLATE_ID = "xltool"

#: Indicator table columns: (field, label, width).
INDICATOR_COLUMNS = (
    ("level1", "一级指标", 11),
    ("level2", "二级指标", 17),
    ("name", "三级指标", 26),
    ("kind", "指标性质", 8),
    ("target", "年度指标值", 13),
    ("actual", "实际完成值", 13),
    ("unit", "计量单位", 8),
    ("weight", "分值", 7),
    ("score", "得分", 7),
    ("reason", "偏差原因分析及改进措施", 30),
    ("applicable", "是否适用", 7),
    ("computed", "计算得分", 9),
)
#: Hidden helper columns right of the indicator table: (key, the input column it needs or None). Each reads
#: what a person typed the way ``validate`` does (core.sheet_formulas); the score formula uses only these.
INDICATOR_HELPERS = (
    ("target_text", "target"),
    ("target_cmp", "target"),
    ("target_rest", "target"),
    ("target_value", "target"),
    ("target_num", "target"),
    ("target_bare", "target"),
    ("target_deadline", "target"),
    ("actual_text", "actual"),
    ("actual_rest", "actual"),
    ("actual_value", "actual"),
    ("actual_num", "actual"),
    ("deadline_met", "actual"),
    ("weight_text", None),
    ("weight_num", None),
    ("score_text", "score"),
    ("score_num", "score"),
    ("coefficient_text", "coefficient"),
    ("coefficient_num", "coefficient"),
    ("applicable_num", None),
    ("kind_used", None),
)
_HELPER_KEYS = frozenset(key for key, _ in INDICATOR_HELPERS)
#: Table columns that are never read as input, and those whose content alone does not make a row.
NOT_READ = frozenset({"no", "computed", "rate"})
NOT_CONTENT = NOT_READ | {"level1", "level2", "applicable"}
TASK_COLUMNS = (
    ("no", "序号", 6),
    ("name", "任务名称", 26),
    ("content", "主要内容", 44),
    ("budget", "预算数", 14),
    ("executed", "执行数", 14),
    ("rate", "执行率", 11),
)
CATEGORY_COLUMNS = (
    ("no", "序号", 6),
    ("name", "考核内容", 46),
    ("max", "满分", 8),
    ("applicable", "是否适用", 8),
    ("score", "得分", 8),
    ("note", "得分说明", 34),
)
DEDUCTION_COLUMNS = (("no", "序号", 6), ("reason", "扣分事项", 60), ("points", "扣分", 8))
EXPLANATION_COLUMNS = (
    ("no", "序号", 6),
    ("code", "规则代码", 26),
    ("location", "单元格或字段", 24),
    ("reason", "情况说明", 70),
)


def col_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@functools.lru_cache(maxsize=65536)
def a1(row: int, col: int, absolute: bool = False) -> str:
    """``(0, 0)`` → ``A1`` (``$A$1`` when absolute)."""
    dollar = "$" if absolute else ""
    return f"{dollar}{col_letter(col)}{dollar}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """``$B$7`` → ``(6, 1)``."""
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref.strip().upper())
    if not match:
        raise ValueError(f"not a cell reference: {ref!r}")
    col = 0
    for ch in match[1]:
        col = col * 26 + ord(ch) - 64
    return int(match[2]) - 1, col - 1


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def name_for(path: str) -> str:
    """The defined name of an input field: ``budget.basic.executed`` → ``in_budget_basic_executed``."""
    return "in_" + re.sub(r"[^0-9A-Za-z]+", "_", path).strip("_")


def number_name(path: str) -> str:
    """The defined name of the hidden cell that holds an input field read as a number (``num_budget_weight``)."""
    return "num_" + name_for(path)[3:]


@dataclass
class Cell:
    """One cell (or merged range) of the layout.

    ``kind``: ``title``, ``subtitle``, ``section``, ``label``, ``header``, ``input``, ``formula``, ``na``
    (not used: greyed), ``note`` (help text), ``rowno``. ``value`` is the text of a label, the formula of a
    formula cell (``=...``), or the default shown in a *blank* template's input cell. ``vtype`` says what an
    input or formula holds (``money``, ``rate``, ``score``, ``weight``, ``count``, ``year``, ``text``,
    ``longtext``, ``choice``...).
    """

    row: int
    col: int
    kind: str
    value: Any = None
    path: str | None = None
    vtype: str = "text"
    last_row: int | None = None
    last_col: int | None = None
    validation: dict[str, Any] | None = None
    name: str | None = None
    result: str | None = None  # for a formula: the key of its value in core.results.formula_results

    @property
    def merged(self) -> bool:
        return (self.last_row is not None and self.last_row != self.row) or (
            self.last_col is not None and self.last_col != self.col
        )


@dataclass
class Table:
    """A repeated-row table: ``rows`` body rows from ``first_row``; ``columns`` maps a field to its column."""

    key: str
    sheet: str
    first_row: int
    rows: int
    columns: dict[str, int]
    name: str
    helpers: dict[str, int] = field(default_factory=dict)  # hidden helper columns (not read as input)

    @property
    def last_row(self) -> int:
        return self.first_row + self.rows - 1

    def ref(self, fld: str, absolute: bool = True) -> str:
        col = self.columns[fld] if fld in self.columns else self.helpers[fld]
        return f"{a1(self.first_row, col, absolute)}:{a1(self.last_row, col, absolute)}"


@dataclass
class SheetLayout:
    name: str
    width: int
    cells: list[Cell] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    landscape: bool = False
    repeat_rows: tuple[int, int] | None = None
    freeze: tuple[int, int] | None = None
    conditional: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    hidden_cols: set[int] = field(default_factory=set)  # helper columns: typed text read as numbers

    @property
    def rows(self) -> int:
        return max((c.last_row if c.last_row is not None else c.row) for c in self.cells) + 1


@dataclass
class Layout:
    form: FormSpec
    profile: Profile
    sheets: list[SheetLayout]
    fields: dict[str, tuple[str, int, int]]
    names: dict[str, str]
    tables: dict[str, Table]
    lists: dict[str, list[Any]]

    def sheet(self, name: str) -> SheetLayout:
        return next(s for s in self.sheets if s.name == name)

    @functools.cached_property
    def scalar_fields(self) -> list[tuple[str, str, tuple[str, int, int]]]:
        """``(path, defined name, (sheet, row, col))`` of every input outside the repeated-row tables."""
        return [
            (path, name_for(path), where)
            for path, where in self.fields.items()
            if path.split("[")[0] not in self.tables
        ]

    def meta(self) -> dict[str, str]:
        """What a workbook records about itself (in the hidden sheet ``_xltool``)."""
        return {
            "template_id": TEMPLATE_ID,
            "form": self.form.id,
            "profile": self.profile.id,
            "template_version": str(self.form.template_version),
            "indicator_rows": str(self.tables["indicators"].rows if "indicators" in self.tables else 0),
        }

    def location(self, path: str) -> tuple[str, str] | None:
        """The (sheet, A1 cell) a field path is entered in, for messages."""
        if path in self.fields:
            sheet, row, col = self.fields[path]
            return sheet, a1(row, col)
        match = re.fullmatch(
            r"(indicators|tasks|explanations|deductions|categories\[\d+\]\.items)\[(\d+)\](?:\.(\w+))?", path
        )
        if match and match[1] in self.tables:
            table = self.tables[match[1]]
            col = table.columns.get(match[3] or "name", table.columns.get("name", 0))
            return table.sheet, a1(table.first_row + int(match[2]), col)
        return None

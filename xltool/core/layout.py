"""Where everything stands in a workbook, computed from a form spec and a profile.

The layout is the single source for the template writer (which cells are labels, inputs, formulas; their
validations and styles) and for the reader (which cell holds which field path). It is pure data: no
spreadsheet library is involved, so it can be tested and reasoned about on its own.

Rows and columns are 0-based here; :func:`a1` turns them into Excel references.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import sheet_formulas as sf
from .narrative import chinese_number
from .spec import KIND_ALIASES, BlockSpec, FieldSpec, FormSpec, Profile, SheetSpec
from .values import to_plain

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
    ("target_num", "target"),
    ("actual_text", "actual"),
    ("actual_num", "actual"),
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


# ---------------------------------------------------------------------------------------------- building

_MAIN_WIDTHS = {0: 24, 1: 14, 2: 14, 3: 14, 4: 14, 5: 12, 6: 12}
_INPUT_HELP = {
    "money": ("金额", "请填写金额（数字，按表头金额单位），不要带“万元”等文字。"),
    "weight": ("分值", "请填写分值（0–100 的数字）。"),
    "score": ("得分", "请填写得分（不超过分值）。"),
    "rate": ("执行率", "填写单位自报的执行率，如 89.46%。"),
    "count": ("人数", "请填写整数。"),
    "year": ("年度", "请填写四位年度，如 2022。"),
}


def _fmt_num(value: Decimal) -> str:
    """A Decimal as the shortest plain text: ``10.0`` → ``10``, ``0.50`` → ``0.5``."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Builder:
    def __init__(self, form: FormSpec, profile: Profile, rows: dict[str, int]):
        self.form, self.profile, self.rows = form, profile, rows
        self.fields: dict[str, tuple[str, int, int]] = {}
        self.names: dict[str, str] = {}
        self.tables: dict[str, Table] = {}
        self.sheets: list[SheetLayout] = []
        self.sheet: SheetLayout = SheetLayout("", 0)
        self.row = 0
        self.numbers: dict[str, str] = {}  # input path → the name of its hidden number twin
        has_unit = any(f.type == "money_unit" for _, b in form.blocks() for f in b.fields)
        self.unit_ref = "in_money_unit" if has_unit else f'"{profile.money_unit}"'

    # --- primitives -------------------------------------------------------------------------------

    def put(self, cell: Cell) -> Cell:
        self.sheet.cells.append(cell)
        if cell.path:
            self.fields[cell.path] = (self.sheet.name, cell.row, cell.col)
        name = name_for(cell.path) if cell.path and cell.name is None else cell.name
        if name:
            self.define(name, cell.row, cell.col)
        return cell

    def define(
        self,
        name: str,
        row: int,
        col: int,
        last_row: int | None = None,
        last_col: int | None = None,
        sheet: str | None = None,
    ) -> None:
        ref = f"{quote_sheet(sheet or self.sheet.name)}!{a1(row, col, True)}"
        if last_row is not None:
            ref += f":{a1(last_row, last_col if last_col is not None else col, True)}"
        self.names[name] = "=" + ref

    def span(self, kind: str, value: Any, first: int, last: int, **kw: Any) -> Cell:
        return self.put(Cell(self.row, first, kind, value, last_row=self.row, last_col=last, **kw))

    def section(self, title: str | None, formula: str | None = None) -> None:
        if title is None:
            return
        self.span(
            "section", formula or title, 0, self.sheet.width - 1, result=f"money_title:{title}" if formula else None
        )
        self.sheet.heights[self.row] = 22
        self.row += 1

    def input(
        self,
        path: str,
        col: int,
        vtype: str,
        last_col: int | None = None,
        default: Any = None,
        validation: dict[str, Any] | None = None,
        row: int | None = None,
    ) -> Cell:
        r = self.row if row is None else row
        cell = self.put(
            Cell(
                r,
                col,
                "input",
                default,
                path=path,
                vtype=vtype,
                last_row=r,
                last_col=last_col if last_col is not None else col,
                validation=validation or self.validation_for(vtype),
            )
        )
        if vtype in ("money", "weight", "score", "rate") and "[" not in path:
            self.twin(cell)
        return cell

    # --- hidden helper cells: what a person typed, read as a number by the rules of core.values --------------

    def helper(self, row: int, col: int, formula: str, result: str, name: str | None = None) -> str:
        """A hidden formula cell right of the printed area (its column is hidden); returns its A1 reference."""
        self.put(Cell(row, col, "formula", "=" + formula, vtype="helper", name=name, result=result))
        self.sheet.hidden_cols.add(col)
        return a1(row, col)

    def number_formula(self, ref: str, vtype: str, text: str | None = None) -> str:
        """The formula that reads the input at ``ref`` as the number ``validate`` reads from it (``text``: a
        helper cell that holds the cleaned text of ``ref``, which keeps the formula short)."""
        if vtype == "money":
            return sf.money(ref, self.unit_ref, text)
        if vtype == "rate":
            return sf.fraction(ref, 2, percent_exempt=True, text=text)
        if vtype == "coefficient":
            return sf.fraction(ref, 1, percent_exempt=False, text=text)
        return sf.number_or_text(ref, text or sf.cleaned(ref), "分")

    def read_as_number(self, r: int, col: int, offset: int, vtype: str, path: str) -> str:
        """Two hidden cells right of a table (``width + 1 + offset`` and the next): the input at ``(r, col)`` as
        cleaned text, and read as a number from it; returns the reference of the number."""
        base = self.sheet.width + 1 + offset
        text = self.helper(r, base, sf.cleaned(a1(r, col)), f"text:{path}")
        return self.helper(r, base + 1, self.number_formula(a1(r, col), vtype, text), f"num:{path}")

    def twin(self, cell: Cell) -> str:
        """The hidden number twin of a scalar input (same row, ``width + 1 + col``), named ``num_…``."""
        assert cell.path
        ref = a1(cell.row, cell.col)
        formula = self.number_formula(ref, cell.vtype)
        if cell.path == "budget.weight":  # no (readable) 分值: the profile's, as in scoring
            default = _fmt_num(self.profile.execution_weight)
            formula = f"IF(ISNUMBER({formula}),{formula},{default})"
        name = number_name(cell.path)
        self.helper(cell.row, self.sheet.width + 1 + cell.col, formula, f"num:{cell.path}", name)
        self.numbers[cell.path] = name
        return name

    def validation_for(self, vtype: str) -> dict[str, Any] | None:
        title, message = _INPUT_HELP.get(vtype, (None, None))
        rules: dict[str, dict[str, Any]] = {
            "money": {"validate": "decimal", "criteria": ">=", "value": 0},
            "weight": {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100},
            "score": {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100},
            "rate": {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 10},
            "count": {"validate": "integer", "criteria": ">=", "value": 0},
            "year": {"validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100},
        }
        if vtype not in rules:
            return None
        rule = dict(rules[vtype])
        rule.update(
            {"input_title": title, "input_message": message, "error_title": "输入有误", "error_message": f"{message}"}
        )
        return rule

    def choice(self, list_name: str, title: str, message: str, strict: bool = True) -> dict[str, Any]:
        return {
            "validate": "list",
            "source": f"={list_name}",
            "input_title": title,
            "input_message": message,
            "error_title": "请从下拉列表选择",
            "error_message": message,
            "show_error": strict,
        }

    # --- sheets -----------------------------------------------------------------------------------

    def build(self) -> None:
        for sheet in self.form.sheets:
            self.start_sheet(sheet)
            for block in sheet.blocks:
                getattr(self, f"block_{block.type}")(block)
            self.sheets.append(self.sheet)

    def start_sheet(self, spec: SheetSpec) -> None:
        types = {b.type for b in spec.blocks}
        indicator_block = next((b for b in spec.blocks if b.type == "indicators"), None)
        width = {
            "indicators": len(indicator_block.columns or INDICATOR_COLUMNS) if indicator_block else 0,
            "tasks": len(TASK_COLUMNS),
            "explanations": len(EXPLANATION_COLUMNS),
            "categories": len(CATEGORY_COLUMNS),
            "narrative": 2,
            "help": 1,
        }
        cols = next((width[t] for t in width if t in types), 7)
        self.sheet = SheetLayout(spec.name, cols)
        self.row = 0
        if cols == 7:
            self.sheet.widths.update(_MAIN_WIDTHS)

    def sheet_heading(self, title: str) -> None:
        """A title row and the 填报单位/年度 line that table sheets share."""
        self.span("title", title, 0, self.sheet.width - 1)
        self.sheet.heights[self.row] = 30
        self.row += 1
        unit = '&"　　　金额单位："&in_money_unit' if self.unit_ref == "in_money_unit" else ""
        self.span(
            "subtitle",
            '="填报单位："&in_unit_name&"　　　年度："&in_year' + unit,
            0,
            self.sheet.width - 1,
            result="heading",
        )
        self.row += 1

    # --- blocks on the main sheet -------------------------------------------------------------------

    def block_title(self, block: BlockSpec) -> None:
        self.span("title", self.form.title, 0, self.sheet.width - 1)
        self.sheet.heights[self.row] = 34
        self.row += 1
        self.span(
            "subtitle",
            '=IF(in_year="","（　　　　年度）","（"&in_year&"年度）")',
            0,
            self.sheet.width - 1,
            result="title.year",
        )
        self.sheet.heights[self.row] = 20
        self.row += 1
        self.sheet.repeat_rows = (0, 1)

    def block_fields(self, block: BlockSpec) -> None:
        self.section(block.title)
        pending: list[FieldSpec] = []

        def flush() -> None:
            for i, fld in enumerate(pending):
                col = i * 3
                self.put(Cell(self.row, col, "label", fld.label))
                self.field_input(fld, col + 1, col + (2 if i == 0 else 3))
            self.sheet.heights[self.row] = 21
            self.row += 1
            pending.clear()

        for fld in block.fields:
            if fld.wide:
                if pending:
                    flush()
                self.put(Cell(self.row, 0, "label", fld.label))
                self.field_input(fld, 1, self.sheet.width - 1)
                self.sheet.heights[self.row] = 21
                self.row += 1
                continue
            pending.append(fld)
            if len(pending) == 2:
                flush()
        if pending:
            flush()

    def field_input(self, fld: FieldSpec, col: int, last_col: int) -> None:
        validation: dict[str, Any] | None = None
        default: Any = None
        vtype = {"year": "year", "count": "count", "money_unit": "choice"}.get(fld.type, "text")
        if fld.type == "money_unit":
            validation = self.choice("lst_money_units", "金额单位", "选择本表金额单位：万元 或 元。")
            default = self.profile.money_unit
        elif fld.type == "region":
            validation = {
                "validate": "any",
                "input_title": "所属地区",
                "input_message": "由大到小，用“/”分隔，如：江临市/东湖区",
            }
        elif fld.type == "year":
            validation = self.validation_for("year")
        elif fld.type == "count":
            validation = self.validation_for("count")
        elif fld.required:
            validation = {"validate": "any", "input_title": fld.label, "input_message": "必填。"}
        self.input(fld.path, col, vtype, last_col, default=default, validation=validation)

    def block_budget(self, block: BlockSpec) -> None:
        self.section(block.title, f'="{block.title}（金额单位："&in_money_unit&"）"')
        for col, label in enumerate(("项　目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")):
            self.put(Cell(self.row, col, "header", label))
        self.sheet.heights[self.row] = 22
        self.row += 1
        for key, label in block.rows:
            if key == "sources":
                for k, name in enumerate(self.profile.fund_sources):
                    prefix = label if k == 0 else "　" * len(label)
                    self.budget_row(
                        f"{prefix}{name}",
                        {
                            "initial": f"budget.sources[{k}].initial",
                            "adjusted": f"budget.sources[{k}].adjusted",
                            "executed": f"budget.sources[{k}].executed",
                        },
                    )
                continue
            if key == "total":
                self.budget_row(
                    label,
                    {"initial": "budget.initial", "adjusted": "budget.adjusted", "executed": "budget.executed"},
                    scored=True,
                )
                continue
            paths = {
                "basic": {"adjusted": "budget.basic.adjusted", "executed": "budget.basic.executed"},
                "personnel": {"executed": "budget.basic.personnel"},
                "public": {"executed": "budget.basic.public"},
                "project": {"adjusted": "budget.project.adjusted", "executed": "budget.project.executed"},
            }[key]
            self.budget_row(label, paths)
        self.put(Cell(self.row, 0, "label", "执行偏差原因"))
        reason = self.profile.execution_reason_below
        message = (
            f"预算执行率低于 {_fmt_num(reason * 100)}% 时必须填写原因。"
            if reason is not None
            else "预算执行率偏低或超支时，说明原因及改进措施。"
        )
        self.input(
            "budget.reason",
            1,
            "longtext",
            self.sheet.width - 1,
            validation={"validate": "any", "input_title": "执行偏差原因", "input_message": message},
        )
        self.sheet.heights[self.row] = 36
        self.row += 1

    def budget_row(self, label: str, paths: dict[str, str], scored: bool = False) -> None:
        self.put(Cell(self.row, 0, "label", label))
        for col, key in ((1, "initial"), (2, "adjusted"), (3, "executed")):
            if key in paths:
                self.input(paths[key], col, "money")
            else:
                self.put(Cell(self.row, col, "na"))
        if scored:
            self.input("budget.weight", 4, "weight", default=to_plain(self.profile.execution_weight))
            w = self.numbers["budget.weight"]
            adj, exe = self.numbers["budget.adjusted"], self.numbers["budget.executed"]
            self.put(
                Cell(
                    self.row,
                    5,
                    "formula",
                    f'=IF(AND(ISNUMBER({adj}),ISNUMBER({exe})),IF({adj}>0,{exe}/{adj},""),"")',
                    vtype="rate",
                    name="execution_rate",
                    result="execution_rate",
                )
            )
            rate = a1(self.row, 5)
            self.put(
                Cell(
                    self.row,
                    6,
                    "formula",
                    f"=IF(ISNUMBER({rate}),MAX(0,MIN({rate},1)),0)*{w}",
                    vtype="score",
                    name="execution_score",
                    result="execution_score",
                )
            )
        else:
            for col in (4, 5, 6):
                self.put(Cell(self.row, col, "na"))
        self.sheet.heights[self.row] = 20
        self.row += 1

    def block_three_public(self, block: BlockSpec) -> None:
        self.section(block.title, f'="{block.title}（金额单位："&in_money_unit&"）"')
        headers = ("项　目", "预算数", "实际支出数", "上年实际支出数", "控制率", "变动率")
        for col, label in enumerate(headers):
            self.put(Cell(self.row, col, "header", label))
        self.put(Cell(self.row, 6, "header", ""))
        self.row += 1
        self.put(Cell(self.row, 0, "label", "「三公」经费合计"))
        for col, key in ((1, "budget"), (2, "actual"), (3, "last_year")):
            self.input(f"budget.three_public.{key}", col, "money")
        b, a, last = (self.numbers[f"budget.three_public.{key}"] for key in ("budget", "actual", "last_year"))
        self.put(
            Cell(
                self.row,
                4,
                "formula",
                f'=IF(AND(ISNUMBER({a}),N({b})>0),{a}/{b},"")',
                vtype="rate",
                result="three_public.control",
            )
        )
        self.put(
            Cell(
                self.row,
                5,
                "formula",
                f'=IF(AND(ISNUMBER({a}),N({last})>0),({a}-{last})/{last},"")',
                vtype="rate",
                result="three_public.change",
            )
        )
        self.put(Cell(self.row, 6, "na"))
        self.sheet.heights[self.row] = 20
        self.row += 1

    def block_goals(self, block: BlockSpec) -> None:
        self.section(block.title)
        self.span("header", "预期目标", 0, 2)
        self.span("header", "实际完成情况", 3, 6)
        self.row += 1
        self.input("goals.planned", 0, "longtext", 2)
        self.input("goals.achieved", 3, "longtext", 6)
        self.sheet.heights[self.row] = 120
        self.row += 1

    def indicator_fields(self) -> set[str]:
        """The fields the form's indicator table has (the national table unless the spec lists columns)."""
        block = next((b for _, b in self.form.blocks() if b.type == "indicators"), None)
        columns = block.columns if block and block.columns else ()
        return {c.field for c in columns} or {key for key, _, _ in INDICATOR_COLUMNS}

    def block_result(self, block: BlockSpec) -> None:
        """The computed scores (named cells), the unit's own stated figures beside them, and a live check.

        The indicator table stands on a later sheet: ``{indicators.field}`` placeholders are resolved to its
        ranges once every sheet is laid out.
        """
        self.section(block.title)
        for first, last, label in ((0, 0, "项　目"), (1, 2, "系统计算（自动）"), (3, 4, "单位填报"), (5, 6, "核对")):
            self.span("header", label, first, last)
        self.row += 1
        total = _fmt_num(self.profile.total_weight)
        tolerance = _fmt_num(self.profile.score_tolerance)
        fields = self.indicator_fields()
        weight_total = '=num_budget_weight+SUMIFS({indicators.weight_num},{indicators.applicable_num},1,{indicators.weight_num},">=0")'
        if "applicable" in fields:
            normalized = (
                '=IF(COUNTIF({indicators.applicable_num},0)>0,IF(weight_total>0,total_score/weight_total*100,""),"")'
            )
        else:  # every indicator counts: no 换算得分
            normalized = '=""'
        places = self.profile.score_decimals
        rows: list[tuple[str, str, str, str, str | None, str, str]] = [
            (
                "预算执行率",
                "=execution_rate",
                "rate",
                "",
                "stated.execution_rate",
                "rate",
                '=IF(OR({s}="",{c}=""),"",IF(ABS({s}-{c})>0.00005,"不一致","一致"))',
            ),
            ("预算执行率得分", "=execution_score", "score", "", None, "", ""),
            ("绩效指标得分", "=SUM({indicators.computed})", "score", "indicator_score", None, "", ""),
            (
                "分值合计",
                weight_total,
                "weight",
                "weight_total",
                None,
                "",
                f'=IF({{c}}={total},"","应为{total}")',
            ),
            (
                "自评总分",
                "=execution_score+indicator_score",
                "score",
                "total_score",
                "stated.total_score",
                "score",
                f'=IF({{s}}="","",IF(ABS({{s}}-{{c}})>{tolerance},"不一致","一致"))',
            ),
            (
                "换算得分（剔除不适用指标）",
                normalized,
                "score",
                "normalized_score",
                None,
                "",
                "",
            ),
            (
                "自评等次",
                f"=LOOKUP(ROUND(IF(ISNUMBER(normalized_score),normalized_score,total_score),{places}),"
                "lst_grade_mins,lst_grade_labels)",
                "text",
                "grade",
                "stated.grade",
                "grade",
                '=IF({s}="","",IF({s}={c},"一致","不一致"))',
            ),
        ]
        for label, formula, vtype, name, stated, stated_type, check in rows:
            self.put(Cell(self.row, 0, "label", label))
            key = name or formula.lstrip("=")
            computed = self.span("formula", formula, 1, 2, vtype=vtype, name=name, result=key)
            c_ref = a1(computed.row, 1)
            if stated:
                if stated_type == "grade":
                    self.input(
                        stated,
                        3,
                        "text",
                        4,
                        validation=self.choice("lst_grades", "单位自评等次", "选择单位自评的等次。"),
                    )
                else:
                    self.input(stated, 3, stated_type, 4)
                s_ref = self.numbers.get(stated, f"TRIM({a1(self.row, 3)})")
                self.span("formula", check.format(s=s_ref, c=c_ref), 5, 6, vtype="check", result=f"check.{key}")
            else:
                self.span("na", None, 3, 4)
                if check:
                    self.span("formula", check.format(c=c_ref), 5, 6, vtype="check", result=f"check.{key}")
                else:
                    self.span("na", None, 5, 6)
            self.sheet.heights[self.row] = 20
            self.row += 1

    # --- table sheets ----------------------------------------------------------------------------------

    def header_row(self, columns: tuple[tuple[str, str, float], ...]) -> dict[str, int]:
        cols = {}
        for col, (key, label, width) in enumerate(columns):
            self.put(Cell(self.row, col, "header", label))
            self.sheet.widths[col] = width
            cols[key] = col
        self.sheet.heights[self.row] = 30
        self.row += 1
        return cols

    def block_tasks(self, block: BlockSpec) -> None:
        self.sheet_heading(block.title or "年度主要任务")
        cols = self.header_row(TASK_COLUMNS)
        first, count = self.row, self.rows["tasks"]
        table = Table("tasks", self.sheet.name, first, count, cols, "tbl_tasks")
        for i in range(count):
            r = first + i
            self.put(Cell(r, 0, "rowno", i + 1))
            self.put(Cell(r, 1, "input", None, path=f"tasks[{i}].name", vtype="text", name=""))
            self.put(Cell(r, 2, "input", None, path=f"tasks[{i}].content", vtype="text", name=""))
            for col, key in ((3, "budget"), (4, "executed")):
                self.put(
                    Cell(
                        r,
                        col,
                        "input",
                        None,
                        path=f"tasks[{i}].{key}",
                        vtype="money",
                        name="",
                        validation=self.validation_for("money"),
                    )
                )
            b, e = (
                self.read_as_number(r, col, 2 * k, "money", f"tasks[{i}].{key}")
                for k, (col, key) in enumerate(((3, "budget"), (4, "executed")))
            )
            self.put(
                Cell(
                    r,
                    5,
                    "formula",
                    f'=IF(AND(ISNUMBER({e}),N({b})>0),{e}/{b},"")',
                    vtype="rate",
                    result=f"tasks[{i}].rate",
                )
            )
        table.helpers = {"budget_num": self.sheet.width + 2, "executed_num": self.sheet.width + 4}
        self.row = first + count
        self.define(table.name, first, 0, table.last_row, len(TASK_COLUMNS) - 1)
        self.tables["tasks"] = table
        self.span("label", "合　计", 0, 2)
        for col, key in ((3, "budget"), (4, "executed")):
            self.put(
                Cell(
                    self.row,
                    col,
                    "formula",
                    f"=SUM({table.ref(key + '_num', False)})",
                    vtype="money",
                    result=f"tasks.total.{key}",
                )
            )
        b, e = a1(self.row, 3), a1(self.row, 4)
        self.put(Cell(self.row, 5, "formula", f'=IF(N({b})>0,{e}/{b},"")', vtype="rate", result="tasks.total.rate"))
        self.row += 1
        self.sheet.repeat_rows = (0, first - 1)
        self.sheet.freeze = (first, 0)

    def block_indicators(self, block: BlockSpec) -> None:
        prof = self.profile
        self.sheet_heading(block.title or "绩效指标")
        spec_columns = tuple((c.field, c.label, c.width) for c in block.columns) or INDICATOR_COLUMNS
        cols = self.header_row(spec_columns)
        first, count = self.row, self.rows["indicators"]
        helpers = [h for h in INDICATOR_HELPERS if h[1] is None or h[1] in cols]
        hidden = {key: self.sheet.width + 1 + k for k, (key, _) in enumerate(helpers)}
        table = Table("indicators", self.sheet.name, first, count, cols, "tbl_indicators", hidden)
        cols = {**cols, **hidden}
        prepared = [(b.name, l2) for b in prof.level1 for l2 in b.level2 for _ in range(prof.prepared.get(l2, 0))]
        if "level1" not in cols:
            prepared = []
        kinds = "/".join(prof.kinds[k] for k in ("positive", "negative", "equal", "qualitative"))
        tiers = "；".join(t.label for t in prof.tiers)
        v = {
            "level1": self.choice("lst_level1", "一级指标", "从下拉列表选择一级指标。"),
            "level2": self.choice("lst_level2", "二级指标", "从下拉列表选择二级指标。"),
            "kind": self.choice("lst_kinds", "指标性质", f"{kinds}。正向：实际≥目标得满分；反向：实际≤目标得满分。"),
            "target": {
                "validate": "any",
                "input_title": "年度指标值",
                "input_message": "定量指标填数字（如 50；也可写 ≥50个）；定性指标填文字目标。",
            },
            "actual": self.choice(
                "lst_tiers", "实际完成值", f"定量指标填数字；定性指标从下拉列表选择：{tiers}。", strict=False
            ),
            "weight": self.validation_for("weight"),
            "score": self.validation_for("score"),
            "applicable": self.choice("lst_yesno", "是否适用", "不适用的指标选“否”，不计分并按适用分值换算。"),
            "target_initial": {
                "validate": "any",
                "input_title": "年初指标值",
                "input_message": "年初批复的指标值，如 ≥50。",
            },
            "coefficient": {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 0,
                "maximum": 1,
                "input_title": "得分系数",
                "input_message": "0%–100%，指标得分 = 指标权重 × 得分系数。",
                "error_title": "输入有误",
                "error_message": "得分系数应在 0% 到 100% 之间。",
            },
            "core": self.choice("lst_yesno", "是否核心指标", "核心指标选“是”。"),
        }
        for i in range(count):
            r = first + i
            defaults = {"level1": prepared[i][0], "level2": prepared[i][1]} if i < len(prepared) else {}
            for key, col in cols.items():
                if key == "computed":
                    self.put(
                        Cell(
                            r,
                            col,
                            "formula",
                            self.indicator_formula(r, cols),
                            vtype="score",
                            result=f"indicators[{i}].computed",
                        )
                    )
                    continue
                vtype = {
                    "weight": "weight",
                    "score": "score",
                    "reason": "longtext",
                    "level1": "text",
                    "level2": "text",
                    "name": "text",
                    "coefficient": "rate",
                    "target": "typed",
                    "actual": "typed",
                    "target_initial": "typed",
                }.get(key, "short")
                self.put(
                    Cell(
                        r,
                        col,
                        "input",
                        defaults.get(key),
                        path=f"indicators[{i}].{key}",
                        vtype=vtype,
                        name="",
                        validation=v.get(key),
                    )
                )
            for key, _ in helpers:
                self.helper(r, cols[key], self.indicator_helper(key, r, cols), f"indicators[{i}].{key}")
            self.sheet.heights[r] = 20
        self.row = first + count
        self.define(table.name, first, 0, table.last_row, len(spec_columns) - 1)
        self.tables["indicators"] = table
        weight_col, computed_col = cols["weight"], cols["computed"]
        self.span("label", "预算执行率（见“自评表”）", 0, weight_col - 1)
        self.put(Cell(self.row, weight_col, "formula", "=num_budget_weight", vtype="weight", result="budget.weight"))
        self.span("na", None, weight_col + 1, computed_col - 1)
        self.put(Cell(self.row, computed_col, "formula", "=execution_score", vtype="score", result="execution_score"))
        self.row += 1
        self.span("label", "总　分", 0, weight_col - 1)
        self.put(Cell(self.row, weight_col, "formula", "=weight_total", vtype="weight", result="weight_total"))
        self.span("na", None, weight_col + 1, computed_col - 1)
        self.put(Cell(self.row, computed_col, "formula", "=total_score", vtype="score", result="total_score"))
        total_row = self.row
        self.row += 1
        self.sheet.repeat_rows = (0, first - 1)
        self.sheet.freeze = (first, cols["name"] + 1)
        self.sheet.landscape = True
        name_ref, w_ref, s_ref = a1(first, cols["name"]), a1(first, cols["weight_num"]), a1(first, cols["score_num"])
        self.sheet.conditional += [
            (
                table.ref("name", False),
                {
                    "type": "formula",
                    "criteria": f'=AND({name_ref}<>"",COUNTIF({table.ref("name")},{name_ref})>1)',
                    "format": "warn",
                },
            ),
            (
                table.ref("score", False),
                {
                    "type": "formula",
                    "criteria": f"=AND(ISNUMBER({s_ref}),ISNUMBER({w_ref}),{s_ref}>{w_ref})",
                    "format": "bad",
                },
            ),
            (
                a1(total_row, weight_col),
                {"type": "cell", "criteria": "!=", "value": _fmt_num(prof.total_weight), "format": "bad"},
            ),
        ]
        # a figure the sheet cannot read as a number (its row shows sf.NEEDS_NUMBER) is marked where it was typed
        kind = a1(first, cols["kind_used"])
        numeric_kind = f'OR({kind}="positive",{kind}="negative",{kind}="equal")'
        unread = [("weight", "weight_num", "TRUE")]
        unread += [(key, f"{key}_num", numeric_kind) for key in ("target", "actual") if key in cols]
        unread += [("coefficient", "coefficient_num", "TRUE")] if "coefficient" in cols else []
        for key, helper, when in unread:
            typed, read = a1(first, cols[key]), a1(first, cols[helper])
            criteria = f'=AND({typed}<>"",NOT(ISNUMBER({read})),{when})'
            self.sheet.conditional.append(
                (table.ref(key, False), {"type": "formula", "criteria": criteria, "format": "bad"})
            )

    def indicator_helper(self, key: str, r: int, cols: dict[str, int]) -> str:
        """The formula of one hidden helper cell of indicator row ``r`` (see :data:`INDICATOR_HELPERS`)."""
        c = {k: a1(r, col) for k, col in cols.items()}
        if key.endswith("_text"):
            return sf.cleaned(c[key[:-5]])
        if key == "target_cmp":
            return sf.comparator(c["target_text"])
        if key == "target_rest":
            return sf.after_comparator(c["target_text"])
        if key == "target_num":
            return f"IF(ISNUMBER({c['target']}),{c['target']},{sf.leading_number(c['target_rest'])})"
        if key == "actual_num":
            return f"IF(ISNUMBER({c['actual']}),{c['actual']},{sf.leading_number(c['actual_text'])})"
        if key in ("weight_num", "score_num"):
            return self.number_formula(c[key[:-4]], "weight", c[key[:-4] + "_text"])
        if key == "coefficient_num":
            return self.number_formula(c["coefficient"], "coefficient", c["coefficient_text"])
        content = [c[k] for k in cols if k not in NOT_CONTENT and k not in _HELPER_KEYS]
        empty = "AND(" + ",".join(f'{ref}=""' for ref in content) + ")"
        if key == "applicable_num":
            return f'IF({empty},"",{sf.yes_no(c["applicable"]) if "applicable" in c else 1})'
        assert key == "kind_used"
        word = f'IFERROR(VLOOKUP(TRIM(CLEAN({c["kind"]}&"")),lst_kind_words,2,0),"")' if "kind" in c else '""'
        if "target" not in c:
            return word
        tgt, cmp_ = c["target_num"], c["target_cmp"]
        inferred = f'IF({cmp_}="≤","negative",IF({cmp_}="=","equal","positive"))'
        guessed = f'IF(ISNUMBER({tgt}),{inferred},IF({c["target_text"]}<>"","qualitative",""))'
        return f'IF({word}<>"",{word},{guessed})'

    def indicator_formula(self, r: int, cols: dict[str, int]) -> str:
        """The live score of one indicator row over its helper cells, as the profile's scheme writes it (the
        formula beside the Python rule it mirrors). A row whose figures are text the sheet cannot read as
        numbers shows :data:`sf.NEEDS_NUMBER` (text: it adds nothing to the total, as in scoring)."""
        from .schemes import scheme_for

        c = {key: a1(r, col) for key, col in cols.items()}
        w, used = c["weight_num"], c["applicable_num"]
        needs = f'"{sf.NEEDS_NUMBER}"'
        head = f'=IF(OR({used}="",{used}=0),"",IF(NOT(ISNUMBER({w})),IF({c["weight"]}="",0,{needs}),IF({w}<0,0,'
        return scheme_for(self.profile).sheet_formula(c, self.profile, head, needs)

    # --- a category-scored sheet (河北 部门绩效管理考核) ------------------------------------------------------

    def block_categories(self, block: BlockSpec) -> None:
        """Each 考核类别: a heading, item rows (the unit enters each item's maximum, 是否适用 and its points)
        and a subtotal of the applicable maxima and points (an item's points count up to its maximum)."""
        prof = self.profile
        self.sheet_heading(block.title or "考核评分")
        cols = self.header_row(CATEGORY_COLUMNS)
        v = {
            "max": self.validation_for("weight"),
            "score": self.validation_for("score"),
            "applicable": self.choice("lst_yesno", "是否适用", "不适用的子项选“否”，不计入适用满分。"),
        }
        for c, cat in enumerate(prof.categories):
            label = f"{chinese_number(c + 1)}、{cat.name}" + ("（加分项）" if cat.bonus else "")
            self.span("section", label, 0, len(CATEGORY_COLUMNS) - 1)
            self.row += 1
            first, count = self.row, prof.category_rows
            key = f"categories[{c}].items"
            for i in range(count):
                r = first + i
                self.put(Cell(r, 0, "rowno", i + 1))
                for fld in ("name", "max", "applicable", "score", "note"):
                    vtype = {"max": "weight", "score": "score", "note": "longtext", "name": "text"}.get(fld, "short")
                    self.put(
                        Cell(
                            r,
                            cols[fld],
                            "input",
                            None,
                            path=f"{key}[{i}].{fld}",
                            vtype=vtype,
                            name="",
                            validation=v.get(fld),
                        )
                    )
                self.category_helpers(r, cols, f"{key}[{i}]")
            self.row = first + count
            hidden = {h: self.sheet.width + 1 + k for k, h in enumerate(("max_num", "score_num", "max_used", "points"))}
            table = Table(key, self.sheet.name, first, count, cols, f"tbl_category_{c + 1}", hidden)
            self.define(table.name, first, 0, table.last_row, len(CATEGORY_COLUMNS) - 1)
            self.tables[key] = table
            self.span("label", "小　计", 0, cols["name"])
            self.put(
                Cell(
                    self.row,
                    cols["max"],
                    "formula",
                    f"=SUM({table.ref('max_used', False)})",
                    vtype="weight",
                    name=f"category_{c + 1}_max",
                    result=f"categories[{c}].max",
                )
            )
            self.put(Cell(self.row, cols["applicable"], "na"))
            capped = f"SUM({table.ref('points', False)})"
            self.put(
                Cell(
                    self.row,
                    cols["score"],
                    "formula",
                    f"={capped}",
                    vtype="score",
                    name=f"category_{c + 1}_score",
                    result=f"categories[{c}].score",
                )
            )
            self.put(Cell(self.row, cols["note"], "na"))
            self.row += 1
        self.sheet.repeat_rows = (0, 2)
        self.sheet.freeze = (3, 0)

    def category_helpers(self, r: int, cols: dict[str, int], path: str) -> None:
        """Hidden cells of one 考核 item row: 满分 and 得分 read as numbers, the 满分 that counts (applicable,
        readable) and the points that count (within 0 and that 满分), as ``scoring.score_categories`` does."""
        c = {key: a1(r, col) for key, col in cols.items()}
        base = self.sheet.width + 1
        mx = self.helper(r, base, self.number_formula(c["max"], "weight"), f"{path}.max_num")
        sc = self.helper(r, base + 1, self.number_formula(c["score"], "weight"), f"{path}.score_num")
        empty = "AND(" + ",".join(f'{c[k]}=""' for k in ("name", "max", "score", "note")) + ")"
        used = f'IF(AND(NOT({empty}),{sf.yes_no(c["applicable"])}=1,ISNUMBER({mx})),{mx},"")'
        top = self.helper(r, base + 2, used, f"{path}.max_used")
        self.helper(r, base + 3, f'IF(ISNUMBER({top}),MIN(MAX(N({sc}),0),{top}),"")', f"{path}.points")

    def block_deductions(self, block: BlockSpec) -> None:
        self.section(block.title or "存在问题（扣分）")
        last = len(CATEGORY_COLUMNS) - 1
        self.put(Cell(self.row, 0, "header", DEDUCTION_COLUMNS[0][1]))
        self.span("header", DEDUCTION_COLUMNS[1][1], 1, 3)
        self.span("header", DEDUCTION_COLUMNS[2][1], 4, last)
        self.row += 1
        first, count = self.row, self.profile.deduction_rows
        columns = {"no": 0, "reason": 1, "points": 4}
        for i in range(count):
            r = first + i
            self.put(Cell(r, 0, "rowno", i + 1))
            self.put(
                Cell(
                    r,
                    1,
                    "input",
                    None,
                    path=f"deductions[{i}].reason",
                    vtype="longtext",
                    name="",
                    last_row=r,
                    last_col=3,
                )
            )
            self.put(
                Cell(
                    r,
                    4,
                    "input",
                    None,
                    path=f"deductions[{i}].points",
                    vtype="score",
                    name="",
                    last_row=r,
                    last_col=last,
                    validation={
                        "validate": "decimal",
                        "criteria": ">=",
                        "value": 0,
                        "input_title": "扣分",
                        "input_message": "填写扣分（正数）。",
                    },
                )
            )
            points = self.number_formula(a1(r, 4), "weight")
            self.helper(r, self.sheet.width + 1, points, f"num:deductions[{i}].points")
        self.row = first + count
        hidden = {"points_num": self.sheet.width + 1}
        table = Table("deductions", self.sheet.name, first, count, columns, "tbl_deductions", hidden)
        self.define(table.name, first, 0, table.last_row, len(CATEGORY_COLUMNS) - 1)
        self.tables["deductions"] = table

    def block_category_result(self, block: BlockSpec) -> None:
        prof = self.profile
        self.section(block.title or "考核结果")
        for first, last, label in ((0, 0, "项　目"), (1, 2, "系统计算（自动）"), (3, 4, "单位填报"), (5, 6, "核对")):
            self.span("header", label, first, last)
        self.row += 1
        regular = [c for c, cat in enumerate(prof.categories) if not cat.bonus]
        bonus = [c for c, cat in enumerate(prof.categories) if cat.bonus]
        base_max = "+".join(f"category_{c + 1}_max" for c in regular) or "0"
        base_score = "+".join(f"category_{c + 1}_score" for c in regular) or "0"
        bonus_sum = "+".join(f"category_{c + 1}_score" for c in bonus) or "0"
        bonus_formula = f"MIN({bonus_sum},{_fmt_num(prof.bonus_max)})" if prof.bonus_max is not None else bonus_sum
        places = prof.score_decimals
        tolerance = _fmt_num(prof.score_tolerance)
        rows = [
            ("适用满分合计", f"={base_max}", "weight", "category_max", None, "", ""),
            ("得分合计", f"={base_score}", "score", "category_score", None, "", ""),
            (
                "换算得分（得分÷适用满分×100）",
                '=IF(category_max>0,category_score/category_max*100,"")',
                "score",
                "normalized_score",
                None,
                "",
                "",
            ),
            ("加分", f"={bonus_formula}", "score", "bonus_score", None, "", ""),
            ("扣分", '=SUMIF({deductions.points_num},">0")', "score", "deduction_total", None, "", ""),
            (
                "考核总分",
                "=MAX(0,N(normalized_score)+bonus_score-deduction_total)",
                "score",
                "total_score",
                "stated.total_score",
                "score",
                f'=IF({{s}}="","",IF(ABS({{s}}-{{c}})>{tolerance},"不一致","一致"))',
            ),
            (
                "等次",
                f"=LOOKUP(ROUND(total_score,{places}),lst_grade_mins,lst_grade_labels)",
                "text",
                "grade",
                "stated.grade",
                "grade",
                '=IF({s}="","",IF({s}={c},"一致","不一致"))',
            ),
        ]
        for label, formula, vtype, name, stated, stated_type, check in rows:
            self.put(Cell(self.row, 0, "label", label))
            computed = self.span("formula", formula, 1, 2, vtype=vtype, name=name, result=name)
            if stated:
                validation = (
                    self.choice("lst_grades", "单位自评等次", "选择单位自评的等次。")
                    if stated_type == "grade"
                    else None
                )
                self.input(stated, 3, "text" if stated_type == "grade" else stated_type, 4, validation=validation)
                self.span(
                    "formula",
                    check.format(s=self.numbers.get(stated, f"TRIM({a1(self.row, 3)})"), c=a1(computed.row, 1)),
                    5,
                    6,
                    vtype="check",
                    result=f"check.{name}",
                )
            else:
                self.span("na", None, 3, 4)
                self.span("na", None, 5, 6)
            self.sheet.heights[self.row] = 20
            self.row += 1

    def block_narrative(self, block: BlockSpec) -> None:
        self.sheet.widths.update({0: 20, 1: 90})
        self.sheet_heading(block.title or "文字说明")
        for fld in block.fields:
            self.put(Cell(self.row, 0, "label", fld.label))
            self.input(fld.path, 1, "longtext")
            self.sheet.heights[self.row] = 150
            self.row += 1
        self.sheet.repeat_rows = (0, 1)

    def block_explanations(self, block: BlockSpec) -> None:
        self.sheet_heading(block.title or "审核说明")
        self.span(
            "note",
            "校验提示的警告如确属实际情况，可在此逐条说明：填写规则代码（如 unit.suspect）和单元格"
            "（如 自评表!C12）或字段（如 indicators[3].actual）及理由；说明后该警告不再计数。错误不能以说明代替修改。",
            0,
            self.sheet.width - 1,
        )
        self.sheet.heights[self.row] = 36
        self.row += 1
        cols = self.header_row(EXPLANATION_COLUMNS)
        first, count = self.row, self.rows["explanations"]
        for i in range(count):
            r = first + i
            self.put(Cell(r, 0, "rowno", i + 1))
            for key in ("code", "location", "reason"):
                self.put(
                    Cell(
                        r,
                        cols[key],
                        "input",
                        None,
                        path=f"explanations[{i}].{key}",
                        vtype="longtext" if key == "reason" else "text",
                        name="",
                    )
                )
        self.row = first + count
        table = Table("explanations", self.sheet.name, first, count, cols, "tbl_explanations")
        self.define(table.name, first, 0, table.last_row, len(EXPLANATION_COLUMNS) - 1)
        self.tables["explanations"] = table
        self.sheet.repeat_rows = (0, first - 1)
        self.sheet.freeze = (first, 0)

    def block_help(self, block: BlockSpec) -> None:
        self.sheet.widths[0] = 80  # fits portrait A4 at 100% in every client (no reliance on fit-to-page)
        self.span("title", block.title or "填表说明", 0, 0)
        self.sheet.heights[self.row] = 30
        self.row += 1
        for line in help_lines(self.form, self.profile):
            self.put(Cell(self.row, 0, "note", line))
            self.sheet.heights[self.row] = 17 * max(1, -(-len(line) // 38)) + 4  # ~38 CJK characters a line
            self.row += 1


def help_lines(form: FormSpec, profile: Profile) -> list[str]:
    """The 填表说明 text, written from the profile's own numbers so it never disagrees with the checks."""
    p = profile
    blocks = "、".join(f"{b.name}{_fmt_num(b.weight)}分" for b in p.level1)
    tiers = "；".join(f"“{t.label}”得分为分值的 {_fmt_num(t.min * 100)}%–{_fmt_num(t.max * 100)}%" for t in p.tiers)
    grades = sorted(p.grades, key=lambda g: g.min, reverse=True)
    grade_text = "，".join(f"{g.label}（{_fmt_num(g.min)} 分及以上）" for g in grades[:-1])
    negative = (
        "目标值÷实际值×分值"
        if p.negative_method == "ratio"
        else "(1−(实际值−目标值)÷目标值)×分值，达到目标值 2 倍时为 0"
    )
    lines = [
        f"本表为《{form.title}》（{p.name}口径），黄色单元格为填写区，灰色单元格为自动计算或无需填写，表格已保护（无密码），"
        "可在“审阅—撤消工作表保护”后调整格式。",
        "一、基本信息：单位名称、年度必填；所属地区由大到小用“/”分隔（如：江临市/东湖区），用于汇总分组。",
        f"二、金额单位：默认{p.money_unit}，可在“金额单位”下拉选择“万元”或“元”，全表金额须使用同一单位，只填数字。",
        f"三、预算执行率 = 全年执行数 ÷ 全年预算数；得分 = 执行率（超过 100% 按 100%）× 分值（{_fmt_num(p.execution_weight)} 分）。",
        f"四、分值：预算执行率 {_fmt_num(p.execution_weight)} 分，{blocks}，合计 {_fmt_num(p.total_weight)} 分；"
        "没有满意度指标的，其分值可调整到产出或效益指标。",
        "五、指标性质：正向指标实际完成值≥年度指标值得满分，否则按 实际值÷目标值×分值 计分；"
        f"反向指标实际完成值≤年度指标值得满分，否则按 {negative} 计分；等于指标目标为 0 时实际为 0 才得分；"
        "每项得分不超过其分值。",
        f"六、定性指标的实际完成值从下拉列表选择：{tiers}；得分由单位在档次范围内自定。",
        "七、未完全达成的指标（得分低于分值）必须填写“偏差原因分析及改进措施”"
        + (
            f"；预算执行率低于 {_fmt_num(p.execution_reason_below * 100)}% 时须在自评表说明原因。"
            if p.execution_reason_below is not None
            else "。"
        ),
        "八、不适用的指标在“是否适用”选“否”，不计分，总分按 得分÷适用分值×100 换算。",
        f"九、等次：{grade_text}，其余为{grades[-1].label}。",
        f"十、得分与比率保留 {p.score_decimals} 位小数；“单位填报”栏的执行率、总分、等次将与系统计算结果核对。",
        "十一、填好后运行 xltool validate 检查，按提示逐条修改；确属实际情况的警告可在“审核说明”表中说明。",
    ]
    return lines


_TABLE_REF = re.compile(r"\{(\w+)\.(\w+)\}")


def _resolve_table_refs(sheets: list[SheetLayout], tables: dict[str, Table]) -> None:
    """Replace ``{indicators.weight}`` in formulas by the sheet-qualified range of that table column."""

    def ref(match: re.Match[str]) -> str:
        table = tables[match[1]]
        return f"{quote_sheet(table.sheet)}!{table.ref(match[2])}"

    for sheet in sheets:
        for cell in sheet.cells:
            if cell.kind == "formula" and isinstance(cell.value, str) and "{" in cell.value:
                cell.value = _TABLE_REF.sub(ref, cell.value)


def _kind_words(profile: Profile) -> list[list[str]]:
    """Every spelling of 指标性质 that scoring understands, with the kind it means (``Profile.kind_key``)."""
    words: dict[str, str] = {}
    for key, label in profile.kinds.items():
        words.setdefault(key, key)
        words.setdefault(label, key)
    for word, key in KIND_ALIASES.items():
        words.setdefault(word, key)
    return [[word, key] for word, key in words.items()]


@functools.lru_cache(maxsize=64)
def cached_layout(form_id: str, profile_id: str, indicators: int = 0, tasks: int = 0, explanations: int = 0) -> Layout:
    """The layout of a shipped form under a shipped profile, built once per process (treat it as read-only)."""
    from .spec import load_form, load_profile

    profile = load_profile(profile_id)
    return build_layout(
        load_form(profile.form_spec_id(form_id)), profile, indicators=indicators, tasks=tasks, explanations=explanations
    )


def build_layout(
    form: FormSpec, profile: Profile, *, indicators: int = 0, tasks: int = 0, explanations: int = 0
) -> Layout:
    """The layout of one form under one profile; tables grow to hold at least the given numbers of rows."""
    rows = {
        "indicators": max(profile.indicator_rows, indicators),
        "tasks": max(profile.task_rows, tasks),
        "explanations": max(profile.explanation_rows, explanations),
    }
    builder = _Builder(form, profile, rows)
    builder.build()
    _resolve_table_refs(builder.sheets, builder.tables)
    tier_rows: list[list[Any]] = []
    for tier in profile.tiers:
        for label in (tier.label, *tier.aliases):
            tier_rows.append([label, float(tier.min), float(tier.max)])
    grades = sorted(profile.grades, key=lambda g: g.min)
    lists: dict[str, list[Any]] = {
        "lst_level1": [b.name for b in profile.level1],
        "lst_level2": list(profile.level2_names),
        "lst_kinds": (
            ["定量", "定性"]
            if profile.kind_style == "quantity"
            else [profile.kinds[k] for k in ("positive", "negative", "equal", "qualitative")]
        ),
        "lst_tiers": [t.label for t in profile.tiers],
        "lst_tier_names": [row[0] for row in tier_rows],
        "lst_tier_bands": tier_rows,
        "lst_money_units": ["万元", "元"],
        "lst_grades": [g.label for g in sorted(profile.grades, key=lambda g: g.min, reverse=True)],
        "lst_grade_mins": [float(g.min) for g in grades],
        "lst_grade_labels": [g.label for g in grades],
        "lst_yesno": ["是", "否"],
        "lst_kind_words": _kind_words(profile),
    }
    return Layout(form, profile, builder.sheets, builder.fields, builder.names, builder.tables, lists)

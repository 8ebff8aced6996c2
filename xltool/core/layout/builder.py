"""Building a layout: the primitives every block writes with (cells, names, inputs with their hidden number
twins, validations, headings), the block dispatch, and the lists the sheet's formulas look up.

Size: :class:`Builder` is the set of primitives every block module writes with (cells, names, inputs and
their hidden number twins, validations, headings); each is a few lines, and blocks call them by the dozen.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .. import sheet_formulas as sf
from ..deadlines import MET_WORDS
from ..spec import KIND_ALIASES, FormSpec, Profile, SheetSpec
from ..values import ACHIEVED_WORDS, shortest
from .blocks import BLOCKS
from .model import (
    Cell,
    Layout,
    SheetLayout,
    Table,
    a1,
    name_for,
    number_name,
    quote_sheet,
)

_MAIN_WIDTHS = {0: 24, 1: 14, 2: 14, 3: 14, 4: 14, 5: 12, 6: 12}
_INPUT_HELP = {
    "money": ("金额", "请填写金额（数字，按表头金额单位），不要带“万元”等文字。"),
    "weight": ("分值", "请填写分值（0–100 的数字）。"),
    "score": ("得分", "请填写得分（不超过分值）。"),
    "rate": ("执行率", "填写单位自报的执行率，如 89.46%。"),
    "count": ("人数", "请填写整数。"),
    "year": ("年度", "请填写四位年度，如 2022。"),
}


class Builder:
    """Places a form's blocks, sheet by sheet, into cells: each block type is one module of :mod:`.blocks`
    that writes its rows through these primitives."""

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
            default = shortest(self.profile.execution_weight)
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

    def build(self) -> None:
        for sheet in self.form.sheets:
            self.start_sheet(sheet)
            for block in sheet.blocks:
                BLOCKS[block.type].place(self, block)
            self.sheets.append(self.sheet)

    def start_sheet(self, spec: SheetSpec) -> None:
        widths = [w for w in (BLOCKS[block.type].width(block) for block in spec.blocks) if w]
        cols = widths[0] if widths else 7  # a sheet of label/value rows is seven columns wide
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

    def header_row(self, columns: tuple[tuple[str, str, float], ...]) -> dict[str, int]:
        cols = {}
        for col, (key, label, width) in enumerate(columns):
            self.put(Cell(self.row, col, "header", label))
            self.sheet.widths[col] = width
            cols[key] = col
        self.sheet.heights[self.row] = 30
        self.row += 1
        return cols


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
    from ..spec import load_form, load_profile

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
    builder = Builder(form, profile, rows)
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
        "lst_achieved": list(ACHIEVED_WORDS),
        "lst_deadline_met": list(MET_WORDS),
    }
    return Layout(form, profile, builder.sheets, builder.fields, builder.names, builder.tables, lists)

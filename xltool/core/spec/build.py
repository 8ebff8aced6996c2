"""Checking a form or profile tree and building its record; every mistake is reported by path."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .model import (
    BLOCK_TYPES,
    BUDGET_ROWS,
    FIELD_TYPES,
    INDICATOR_FIELDS,
    KIND_KEYS,
    NARRATIVE_KEYS,
    REPORT_LISTS,
    REPORT_TEXTS,
    BlockSpec,
    CategorySpec,
    ColumnSpec,
    FieldSpec,
    FormSpec,
    Grade,
    Level1,
    Profile,
    SheetSpec,
    SpecError,
    Tier,
)

# ---------------------------------------------------------------------------------------------- checking


class _Checker:
    """Reads a parsed YAML tree, collecting every mistake with its path instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def get(self, node: Any, key: str, path: str, kind: Callable[[Any, str], Any], default: Any = ...) -> Any:
        if not isinstance(node, dict):
            self.fail(path or "(根)", "应为键值表")
            return None if default is ... else default
        where = f"{path}.{key}" if path else key
        if key not in node or node[key] is None:
            if default is ...:
                self.fail(where, "缺少此项")
                return None
            return default
        return kind(node[key], where)

    def text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"应为非空文字，实为 {value!r}")
            return None
        return value.strip()

    def number(self, value: Any, path: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"应为数字，实为 {value!r}")
            return None
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

    def fraction(self, value: Any, path: str) -> Decimal | None:
        number = self.number(value, path)
        if number is not None and not Decimal(0) <= number <= Decimal(1):
            self.fail(path, f"应为 0 到 1 之间的小数，实为 {value!r}")
        return number

    def integer(self, value: Any, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(path, f"应为非负整数，实为 {value!r}")
            return None
        return value

    def listing(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"应为列表，实为 {type(value).__name__}")
            return []
        return value

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        items = [self.text(item, f"{path}[{i}]") for i, item in enumerate(self.listing(value, path))]
        return tuple(item for item in items if item is not None)

    def choice(self, options: frozenset[str] | tuple[str, ...]) -> Callable[[Any, str], str | None]:
        def check(value: Any, path: str) -> str | None:
            if value not in options:
                self.fail(path, f"应为 {'/'.join(sorted(options))} 之一，实为 {value!r}")
                return None
            return str(value)

        return check

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"应为 true 或 false，实为 {value!r}")
            return False
        return value


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A profile that ``extends`` another: mappings merge key by key, everything else replaces."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def _join_cjk(text: str | None) -> str:
    """Folded YAML turns line breaks into spaces; between Chinese characters a space is wrong."""
    return _CJK_SPACE.sub("", text or "")


def build_profile(raw: Any, source: str) -> Profile:
    """Validate a (merged) profile tree and build the :class:`Profile`; every mistake in one SpecError."""
    c = _Checker()
    pid = c.get(raw, "id", "", c.text)
    level1: list[Level1] = []
    known_level2: set[str] = set()
    for i, item in enumerate(c.get(raw, "level1", "", c.listing, [])):
        path = f"level1[{i}]"
        name, weight = c.get(item, "name", path, c.text), c.get(item, "weight", path, c.number)
        level2 = c.get(item, "level2", path, c.texts)
        known_level2.update(level2 or ())
        if name and weight is not None:
            level1.append(Level1(name, weight, level2 or ()))
    kinds = c.get(raw, "kinds", "", lambda v, p: v if isinstance(v, dict) else c.fail(p, "应为键值表"), {})
    kinds = kinds or {}
    for key in KIND_KEYS:
        c.get(kinds, key, "kinds", c.text)
    for key in kinds:
        if key not in KIND_KEYS:
            c.fail(f"kinds.{key}", f"未知的指标性质，可用 {'/'.join(KIND_KEYS)}")
    qual = c.get(raw, "qualitative", "", lambda v, p: v, {})
    tiers: list[Tier] = []
    for i, item in enumerate(c.get(qual, "tiers", "qualitative", c.listing, [])):
        path = f"qualitative.tiers[{i}]"
        label = c.get(item, "label", path, c.text)
        low, high = c.get(item, "min", path, c.fraction), c.get(item, "max", path, c.fraction)
        if low is not None and high is not None and low > high:
            c.fail(f"{path}.min", f"下限 {low} 大于上限 {high}")
        aliases = c.get(item, "aliases", path, c.texts, ())
        if label and low is not None and high is not None:
            tiers.append(Tier(label, low, high, aliases))
    grades: list[Grade] = []
    for i, item in enumerate(c.get(raw, "grades", "", c.listing)):
        label, low = c.get(item, "label", f"grades[{i}]", c.text), c.get(item, "min", f"grades[{i}]", c.number)
        if label and low is not None:
            grades.append(Grade(label, low))
    if grades and min(g.min for g in grades) != 0:
        c.fail("grades", "最低一档的下限应为 0")
    execution = c.get(raw, "execution", "", lambda v, p: v, {})
    rounding = c.get(raw, "rounding", "", lambda v, p: v, {})
    tolerance = c.get(raw, "tolerance", "", lambda v, p: v, {})
    template = c.get(raw, "template", "", lambda v, p: v, {})
    over = c.get(raw, "over_achievement", "", lambda v, p: v, None)
    prepared_raw = c.get(template, "prepared", "template", lambda v, p: v, {}) or {}
    prepared: dict[str, int] = {}
    for name, count in prepared_raw.items() if isinstance(prepared_raw, dict) else []:
        if name not in known_level2:
            c.fail(f"template.prepared.{name}", "不是本口径的二级指标")
        value = c.integer(count, f"template.prepared.{name}")
        if value is not None:
            prepared[name] = value
    report: dict[str, Any] = {}
    report_raw = c.get(raw, "report", "", lambda v, p: v, {}) or {}
    if not isinstance(report_raw, dict):
        c.fail("report", "应为键值表")
        report_raw = {}
    for key, value in report_raw.items():
        if key in REPORT_TEXTS:
            report[key] = _join_cjk(c.text(value, f"report.{key}"))
        elif key in REPORT_LISTS:
            report[key] = tuple(_join_cjk(t) for t in c.texts(value, f"report.{key}"))
        else:
            c.fail(f"report.{key}", f"未知的报告段落，可用 {'/'.join(sorted(REPORT_TEXTS | REPORT_LISTS))}")
    limits: dict[str, int] = {}
    limits_raw = c.get(raw, "narrative_limits", "", lambda v, p: v, {}) or {}
    for key, value in limits_raw.items() if isinstance(limits_raw, dict) else []:
        if key not in NARRATIVE_KEYS:
            c.fail(f"narrative_limits.{key}", f"未知的文字说明栏，可用 {'/'.join(NARRATIVE_KEYS)}")
        number_ = c.integer(value, f"narrative_limits.{key}")
        if number_:
            limits[key] = number_
    categories: list[CategorySpec] = []
    for i, item in enumerate(c.get(raw, "categories", "", c.listing, [])):
        name = c.get(item, "name", f"categories[{i}]", c.text)
        if name:
            categories.append(CategorySpec(name, c.get(item, "bonus", f"categories[{i}]", c.boolean, False)))
    kaohe = c.get(raw, "kaohe", "", lambda v, p: v if isinstance(v, dict) else {}, {}) or {}
    from ..schemes import SCHEMES

    scoring = c.get(raw, "indicator_scoring", "", c.choice(tuple(SCHEMES)), "rule") or "rule"
    if SCHEMES[scoring].categories and not categories:
        c.fail("categories", f"按考核类别计分（indicator_scoring: {scoring}）时必须列出考核类别")
    form_specs_raw = c.get(raw, "form_specs", "", lambda v, p: v, {}) or {}
    form_specs = {str(k): str(v) for k, v in form_specs_raw.items()} if isinstance(form_specs_raw, dict) else {}
    profile = Profile(
        form_specs=form_specs,
        indicator_scoring=scoring,
        categories=tuple(categories),
        category_rows=c.get(kaohe, "category_rows", "kaohe", c.integer, 6) or 6,
        deduction_rows=c.get(kaohe, "deduction_rows", "kaohe", c.integer, 10) or 10,
        bonus_max=c.get(kaohe, "bonus_max", "kaohe", c.number, None),
        kind_style=c.get(raw, "kind_style", "", c.choice(("direction", "quantity")), "direction") or "direction",
        level1_prescribed=c.get(raw, "level1_prescribed", "", c.boolean, True),
        narrative_limits=limits,
        report=report,
        id=pid or "",
        name=c.get(raw, "name", "", c.text) or "",
        description=c.get(raw, "description", "", c.text, "") or "",
        forms=c.get(raw, "forms", "", c.texts) or (),
        money_unit=c.get(raw, "money_unit", "", c.choice(("万元", "元"))) or "万元",
        total_weight=c.get(raw, "total_weight", "", c.number) or Decimal(100),
        execution_weight=c.get(execution, "weight", "execution", c.number) or Decimal(0),
        execution_reason_below=c.get(execution, "reason_below", "execution", c.fraction, None),
        level1=tuple(level1),
        kinds={k: str(kinds.get(k, k)) for k in KIND_KEYS},
        negative_method=c.get(raw, "negative_method", "", c.choice(("ratio", "linear")), "ratio") or "ratio",
        tiers=tuple(tiers),
        missing_qualitative_score=c.get(qual, "missing_score", "qualitative", c.choice(("min", "max")), "min") or "min",
        over_achievement=(c.get(over, "threshold", "over_achievement", c.number) if over is not None else None),
        grades=tuple(grades),
        score_decimals=c.get(rounding, "score", "rounding", c.integer, 2) or 0,
        rate_decimals=c.get(rounding, "rate", "rounding", c.integer, 2) or 0,
        money_tolerance=c.get(tolerance, "money", "tolerance", c.number, Decimal("0.01")) or Decimal(0),
        score_tolerance=c.get(tolerance, "score", "tolerance", c.number, Decimal("0.01")) or Decimal(0),
        fund_sources=c.get(raw, "fund_sources", "", c.texts, ()),
        indicator_rows=c.get(template, "indicator_rows", "template", c.integer, 30) or 30,
        task_rows=c.get(template, "task_rows", "template", c.integer, 20) or 20,
        explanation_rows=c.get(template, "explanation_rows", "template", c.integer, 20) or 20,
        prepared=prepared,
        extends=raw.get("extends") if isinstance(raw, dict) else None,
    )
    level1_complete = isinstance(raw, dict) and len(level1) == len(raw.get("level1") or [])
    if level1 and level1_complete:  # a flat indicator list (no 一级指标) has only the grand total
        total = sum((b.weight for b in level1), profile.execution_weight)
        if total != profile.total_weight:
            c.fail("level1", f"各一级指标分值与预算执行率分值之和为 {total}，应为 total_weight {profile.total_weight}")
    for i, tier in enumerate(tiers):
        for other in tiers[i + 1 :]:
            if tier.label == other.label or set(tier.aliases) & set(other.aliases):
                c.fail(f"qualitative.tiers[{i}]", f"档次名称与“{other.label}”重复")
    if c.problems:
        raise SpecError(source, c.problems)
    return profile


def build_form(raw: Any, source: str) -> FormSpec:
    """Validate a form tree and build the :class:`FormSpec`; every mistake in one SpecError."""
    c = _Checker()
    sheets: list[SheetSpec] = []
    names: set[str] = set()
    for i, sheet in enumerate(c.get(raw, "sheets", "", c.listing)):
        spath = f"sheets[{i}]"
        name = c.get(sheet, "name", spath, c.text)
        if name in names:
            c.fail(f"{spath}.name", f"工作表名“{name}”重复")
        names.add(name or "")
        if name and len(name) > 31:
            c.fail(f"{spath}.name", "工作表名不能超过 31 个字符")
        blocks: list[BlockSpec] = []
        for j, block in enumerate(c.get(sheet, "blocks", spath, c.listing)):
            bpath = f"{spath}.blocks[{j}]"
            btype = c.get(block, "type", bpath, c.choice(BLOCK_TYPES))
            fields: list[FieldSpec] = []
            for k, fld in enumerate(c.get(block, "fields", bpath, c.listing, [])):
                fpath = f"{bpath}.fields[{k}]"
                fields.append(
                    FieldSpec(
                        path=c.get(fld, "path", fpath, c.text) or "",
                        label=c.get(fld, "label", fpath, c.text) or "",
                        type=c.get(fld, "type", fpath, c.choice(FIELD_TYPES), "text") or "text",
                        wide=c.get(fld, "wide", fpath, c.boolean, False),
                        required=c.get(fld, "required", fpath, c.boolean, False),
                    )
                )
            rows: list[tuple[str, str]] = []
            for k, row in enumerate(c.get(block, "rows", bpath, c.listing, [])):
                rpath = f"{bpath}.rows[{k}]"
                key = c.get(row, "key", rpath, c.choice(BUDGET_ROWS))
                rows.append((key or "", c.get(row, "label", rpath, c.text) or ""))
            if btype == "budget" and not any(key == "total" for key, _ in rows):
                c.fail(f"{bpath}.rows", "预算执行情况必须有 total（年度资金总额）行")
            columns: list[ColumnSpec] = []
            for k, col in enumerate(c.get(block, "columns", bpath, c.listing, [])):
                cpath = f"{bpath}.columns[{k}]"
                columns.append(
                    ColumnSpec(
                        field=c.get(col, "field", cpath, c.choice(INDICATOR_FIELDS)) or "",
                        label=c.get(col, "label", cpath, c.text) or "",
                        width=float(c.get(col, "width", cpath, c.number, 10) or 10),
                    )
                )
            if columns and not {"name", "weight", "computed"} <= {col.field for col in columns}:
                c.fail(f"{bpath}.columns", "指标表至少要有 name、weight、computed 三列")
            title = c.get(block, "title", bpath, c.text, None)
            blocks.append(BlockSpec(btype or "", title, tuple(fields), tuple(rows), tuple(columns)))
        sheets.append(SheetSpec(name or "", tuple(blocks)))
    form = FormSpec(
        id=c.get(raw, "id", "", c.text) or "",
        title=c.get(raw, "title", "", c.text) or "",
        template_version=c.get(raw, "template_version", "", c.integer) or 0,
        sheets=tuple(sheets),
    )
    needs = ("categories", "category_result") if form.has_block("categories") else ("indicators", "budget", "result")
    for needed in needs:
        if sheets and not form.has_block(needed):
            c.fail("sheets", f"缺少 {needed} 区块")
    if c.problems:
        raise SpecError(source, c.problems)
    return form

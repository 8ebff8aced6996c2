"""Forms and profiles as data.

A *form* (``specs/forms/*.yaml``) says which sheets and blocks a workbook has and what they are labelled.
A *profile* (``specs/profiles/*.yaml``) holds every number of the scoring rules for one region: weights,
vocabulary, qualitative tiers, grade bands, rounding, tolerances. A profile may ``extends`` another and
then only lists what differs. Both the template and the checks are built from these objects, so they
cannot drift apart.

Loading validates the whole file and reports *every* mistake with its exact path
(``profiles/x.yaml: level1[2].weight: 应为数字``) in one :class:`SpecError`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

BLOCK_TYPES = frozenset(
    {
        "title",
        "fields",
        "budget",
        "three_public",
        "goals",
        "result",
        "tasks",
        "indicators",
        "narrative",
        "explanations",
        "help",
        "categories",
        "deductions",
        "category_result",
    }
)
FIELD_TYPES = frozenset({"text", "year", "money_unit", "code", "region", "count"})
REPORT_TEXTS = frozenset({"title_department", "title_project", "title_summary", "purpose", "principles", "method"})
REPORT_LISTS = frozenset({"process", "summary_measures"})
INDICATOR_FIELDS = frozenset(
    {
        "level1",
        "level2",
        "name",
        "kind",
        "target_initial",
        "target",
        "actual",
        "unit",
        "coefficient",
        "weight",
        "score",
        "reason",
        "applicable",
        "core",
        "computed",
    }
)
BUDGET_ROWS = frozenset({"total", "sources", "basic", "personnel", "public", "project"})
KIND_KEYS = ("positive", "negative", "equal", "qualitative")
#: Spellings of 指标性质 understood under every profile.
KIND_ALIASES = {
    "正向": "positive",
    "反向": "negative",
    "等于": "equal",
    "定性": "qualitative",
    "≥": "positive",
    ">=": "positive",
    "＞": "positive",
    ">": "positive",
    "≤": "negative",
    "<=": "negative",
    "＜": "negative",
    "<": "negative",
    "=": "equal",
    "＝": "equal",
    "正向指标": "positive",
    "反向指标": "negative",
}
NARRATIVE_KEYS = ("functions", "conclusion", "experience", "problems", "measures", "other")


class SpecError(Exception):
    """A form or profile file is wrong. ``problems`` lists every mistake with its path."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


@dataclass(frozen=True)
class Tier:
    label: str
    min: Decimal
    max: Decimal
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Level1:
    name: str
    weight: Decimal
    level2: tuple[str, ...]


@dataclass(frozen=True)
class CategorySpec:
    name: str
    bonus: bool = False  # 加分项: added after conversion, not part of 适用满分


@dataclass(frozen=True)
class Grade:
    label: str
    min: Decimal


@dataclass(frozen=True)
class Profile:
    """Every number and word of one region's scoring rules."""

    id: str
    name: str
    description: str
    forms: tuple[str, ...]
    money_unit: str
    total_weight: Decimal
    execution_weight: Decimal
    execution_reason_below: Decimal | None
    level1: tuple[Level1, ...]
    kinds: dict[str, str]
    negative_method: str
    tiers: tuple[Tier, ...]
    missing_qualitative_score: str
    over_achievement: Decimal | None
    grades: tuple[Grade, ...]
    score_decimals: int
    rate_decimals: int
    money_tolerance: Decimal
    score_tolerance: Decimal
    fund_sources: tuple[str, ...]
    indicator_rows: int
    task_rows: int
    explanation_rows: int
    prepared: dict[str, int]
    extends: str | None = None
    report: dict[str, Any] = field(default_factory=dict)  # boilerplate paragraphs of the narrative report
    narrative_limits: dict[str, int] = field(default_factory=dict)  # most characters a narrative box may hold
    form_specs: dict[str, str] = field(default_factory=dict)  # form id → the spec file that lays it out
    indicator_scoring: str = "rule"  # rule: by 指标性质; coefficient: 指标权重 × 得分系数; categories: 考核类别
    categories: tuple[CategorySpec, ...] = ()  # 考核类别 of a category-scored sheet (河北 部门绩效管理考核)
    category_rows: int = 6  # item rows per category in a blank template
    deduction_rows: int = 10
    bonus_max: Decimal | None = None  # the most a bonus category may add
    kind_style: str = "direction"  # direction: 正向/反向/等于/定性; quantity: 定量/定性, direction in the target

    def form_spec_id(self, form: str) -> str:
        return self.form_specs.get(form, form)

    @property
    def level2_names(self) -> tuple[str, ...]:
        return tuple(name for block in self.level1 for name in block.level2)

    def level1_of(self, level2: str) -> str | None:
        for block in self.level1:
            if level2 in block.level2:
                return block.name
        return None

    def tier(self, label: str) -> Tier | None:
        """The qualitative tier a label (or one of its accepted spellings) names."""
        for tier in self.tiers:
            if label == tier.label or label in tier.aliases:
                return tier
        return None

    def kind_key(self, word: str) -> str | None:
        """``正向``, ``positive``, ``≥`` or this profile's own label → ``positive``."""
        for key, label in self.kinds.items():
            if word in (key, label):
                return key
        return KIND_ALIASES.get(word)

    def grade_for(self, total: Decimal) -> str:
        for grade in sorted(self.grades, key=lambda g: g.min, reverse=True):
            if total >= grade.min:
                return grade.label
        return self.grades[-1].label


@dataclass(frozen=True)
class FieldSpec:
    path: str
    label: str
    type: str = "text"
    wide: bool = False
    required: bool = False


@dataclass(frozen=True)
class ColumnSpec:
    """One column of the indicator table: the indicator field it holds, its label and width."""

    field: str
    label: str
    width: float = 10


@dataclass(frozen=True)
class BlockSpec:
    type: str
    title: str | None = None
    fields: tuple[FieldSpec, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()  # budget rows: (key, label)
    columns: tuple[ColumnSpec, ...] = ()  # indicator table columns (empty: the national table)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    blocks: tuple[BlockSpec, ...]


@dataclass(frozen=True)
class FormSpec:
    id: str
    title: str
    template_version: int
    sheets: tuple[SheetSpec, ...]

    def blocks(self) -> Iterator[tuple[SheetSpec, BlockSpec]]:
        for sheet in self.sheets:
            for block in sheet.blocks:
                yield sheet, block

    def has_block(self, block_type: str) -> bool:
        return any(block.type == block_type for _, block in self.blocks())

    def fields(self) -> Iterator[FieldSpec]:
        for _, block in self.blocks():
            yield from block.fields


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
    from .schemes import SCHEMES

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


# ---------------------------------------------------------------------------------------------- loading


def _specs_dir() -> Any:
    return resources.files("xltool") / "specs"


def _read_yaml(text: str, source: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SpecError(source, [f"YAML 格式错误：{exc}"]) from None


def profile_ids() -> list[str]:
    """The ids of every shipped profile, national first."""
    ids = sorted(p.name[:-5] for p in (_specs_dir() / "profiles").iterdir() if p.name.endswith(".yaml"))
    return sorted(ids, key=lambda pid: (pid != "national", pid))


def form_ids() -> list[str]:
    return sorted(p.name[:-5] for p in (_specs_dir() / "forms").iterdir() if p.name.endswith(".yaml"))


#: profiles read from files in this process: id → (YAML text, its path); see :func:`register_profile_file`
_LOCAL: dict[str, tuple[str, str]] = {}
#: the most a profile or form file may hold (a real one is a few KB)
MAX_SPEC_BYTES = 1_000_000
_FILE_SUFFIXES = (".yaml", ".yml")


def is_spec_path(ref: str) -> bool:
    """A ``--profile`` value naming a file rather than a shipped id."""
    return ref.lower().endswith(_FILE_SUFFIXES) or "/" in ref or "\\" in ref


def _read_spec_file(path: Path) -> str:
    source = str(path)
    try:
        if path.stat().st_size > MAX_SPEC_BYTES:
            raise SpecError(source, [f"文件超过 {MAX_SPEC_BYTES} 字节，不像口径或表样文件"])
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpecError(source, ["找不到文件"]) from None
    except UnicodeDecodeError:
        raise SpecError(source, ["不是 UTF-8 编码的文本（请用记事本“另存为”UTF-8）"]) from None
    except OSError as exc:
        raise SpecError(source, [f"无法读取：{exc.strerror or exc}"]) from None


def register_profile_file(path: Path) -> Profile:
    """Read a profile of one's own (``--profile ./河南.yaml``), check it with every mistake reported by path, and
    make it known by its ``id`` in this process, so workbooks made from it resolve. It may ``extends:`` a
    shipped profile (by id) or another file (a path relative to it), and name its own form files in
    ``form_specs`` (paths relative to it)."""
    return register_profile_text(_read_spec_file(path), str(path))


def register_profile_text(text: str, source: str) -> Profile:
    """:func:`register_profile_file` from the file's text (how a worker process receives it)."""
    raw = _read_yaml(text, source)
    if not isinstance(raw, dict):
        raise SpecError(source, ["(根): 应为键值表（id、name、extends…）"])
    pid = str(raw.get("id") or Path(source).stem)
    if pid in profile_ids():
        raise SpecError(source, [f"id: “{pid}”是内置口径的名称，请另取一个（如 {pid}-local）"])
    previous = _LOCAL.get(pid)
    _LOCAL[pid] = (text, source)
    try:
        profile = load_profile(pid) if previous == (text, source) else _reload(pid)
    except SpecError:
        if previous is None:
            del _LOCAL[pid]
        else:
            _LOCAL[pid] = previous
        raise
    return profile


def _reload(pid: str) -> Profile:
    load_profile.cache_clear()
    from .layout import cached_layout

    cached_layout.cache_clear()
    return load_profile(pid)


def known_profile_ids() -> list[str]:
    """Shipped profile ids, then those registered from files in this process."""
    return [*profile_ids(), *(pid for pid in _LOCAL if pid not in profile_ids())]


def registered_profiles() -> tuple[tuple[str, str], ...]:
    """The profile files registered in this process, as (text, path) pairs to hand to worker processes."""
    return tuple(_LOCAL.values())


def resolve_profile(ref: str) -> Profile:
    """A profile by shipped id, registered id, or file path."""
    if ref not in _LOCAL and is_spec_path(ref):
        return register_profile_file(Path(ref))
    return load_profile(ref)


def _relative(value: str, source: str) -> str:
    """A file named in a profile file, as a path relative to that file."""
    return str((Path(source).parent / value).resolve()) if value.lower().endswith(_FILE_SUFFIXES) else value


def _raw_profile(pid: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    local = _LOCAL.get(pid)
    if local is not None:
        text, source = local
        raw = _read_yaml(text, source)
        if isinstance(raw, dict) and isinstance(raw.get("form_specs"), dict):
            raw["form_specs"] = {k: _relative(str(v), source) for k, v in raw["form_specs"].items()}
        parent = raw.get("extends") if isinstance(raw, dict) else None
        if isinstance(parent, str) and is_spec_path(parent):
            raw["extends"] = register_profile_file(Path(_relative(parent, source))).id
    else:
        source = f"profiles/{pid}.yaml"
        resource = _specs_dir() / "profiles" / f"{pid}.yaml"
        if not resource.is_file():
            known = ", ".join([*profile_ids(), *_LOCAL])
            raise SpecError(source, [f"没有名为“{pid}”的口径，可用：{known}；自己的口径文件用 --profile 文件路径 指定"])
        raw = _read_yaml(resource.read_text(encoding="utf-8"), source)
    if not isinstance(raw, dict):
        raise SpecError(source, ["(根): 应为键值表"])
    own_id = str(raw.get("id") or pid)
    parent = raw.get("extends")
    if parent:
        if parent in seen or parent == pid:
            raise SpecError(source, [f"extends: 循环继承 {' → '.join((*seen, pid, str(parent)))}"])
        raw = _merge(_raw_profile(str(parent), (*seen, pid)), {k: v for k, v in raw.items() if k != "extends"})
        raw["extends"] = parent
    raw["id"] = own_id
    return raw


@cache
def load_profile(pid: str) -> Profile:
    """A profile by id: shipped (``national``, ...) or registered from a file."""
    source = _LOCAL[pid][1] if pid in _LOCAL else f"profiles/{pid}.yaml"
    return build_profile(_raw_profile(pid), source)


def load_profile_file(path: Path) -> Profile:
    """A profile from a file of one's own (it may extend a shipped one), registered under its id."""
    return register_profile_file(path)


@cache
def load_form(form_id: str) -> FormSpec:
    """A form spec by id (``department``, ``project``) or, named by a profile file, by path."""
    if form_id.lower().endswith(_FILE_SUFFIXES):
        return build_form(_read_yaml(_read_spec_file(Path(form_id)), form_id), form_id)
    source = f"forms/{form_id}.yaml"
    resource = _specs_dir() / "forms" / f"{form_id}.yaml"
    if not resource.is_file():
        raise SpecError(source, [f"没有名为“{form_id}”的表样，可用：{', '.join(form_ids())}"])
    return build_form(_read_yaml(resource.read_text(encoding="utf-8"), source), source)


def _pct(fraction: Decimal) -> str:
    text = f"{fraction * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def profile_differences(profile: Profile, base: Profile) -> list[str]:
    """What a profile changes against another, in words (for ``xltool profiles``)."""
    out: list[str] = []
    if profile.execution_weight != base.execution_weight:
        out.append(f"预算执行率 {profile.execution_weight} 分")
    if profile.level1 and [(b.name, b.weight) for b in profile.level1] != [(b.name, b.weight) for b in base.level1]:
        out.append("一级指标 " + "、".join(f"{b.name} {b.weight}" for b in profile.level1))
    if [(t.min, t.max) for t in profile.tiers] != [(t.min, t.max) for t in base.tiers]:
        out.append("定性分档 " + "/".join(f"{_pct(t.min)}%" for t in profile.tiers if t.min > 0))
    if profile.kinds != base.kinds:
        out.append("指标性质写作 " + "、".join(profile.kinds[k] for k in KIND_KEYS))
    if profile.kind_style == "quantity":
        out.append("指标性质写作 定量/定性，方向写在指标值中（≥、≤、=）")
    if not profile.level1 and base.level1:
        out.append("绩效指标不分一级、二级")
    from .schemes import scheme_for

    scheme = scheme_for(profile)
    if scheme.description and scheme is not scheme_for(base):
        out.append(scheme.description)
    if [g.label for g in profile.grades] != [g.label for g in base.grades]:
        out.append("等次 " + "/".join(g.label for g in profile.grades))
    if profile.negative_method != base.negative_method:
        out.append(f"反向指标 {profile.negative_method} 法")
    if profile.execution_reason_below != base.execution_reason_below:
        out.append(
            f"执行率低于 {_pct(profile.execution_reason_below)}% 须说明原因"
            if profile.execution_reason_below is not None
            else "执行率不要求说明"
        )
    if profile.fund_sources != base.fund_sources:
        out.append("资金来源 " + "/".join(profile.fund_sources))
    if profile.narrative_limits != base.narrative_limits:
        from .labels import label

        limits = profile.narrative_limits.items()
        out.append("字数限制 " + "、".join(f"{label('narrative.' + k)} ≤ {v} 字" for k, v in limits))
    if profile.money_unit != base.money_unit:
        out.append(f"金额单位 {profile.money_unit}")
    return out

"""What forms and profiles are: their records, the words they may use, and :class:`SpecError`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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
    #: False where each 一级指标's weight is set by the targets handed down (转移支付), not by the profile: the
    #: blocks' weights are then not compared with the profile's (weight.level1), only the grand total is
    level1_prescribed: bool = True

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

    @property
    def top_tier(self) -> Tier:
        """The tier of a target reached in full (达成年度指标)."""
        return max(self.tiers, key=lambda t: t.max)

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

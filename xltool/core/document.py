"""The evaluation document (CONTRACT.md §2) as typed data.

:func:`normalize` turns a loose mapping (from JSON/YAML, or the raw cell values a workbook reader found)
into a :class:`Document`, understanding messy spellings and recording a :class:`Note` for every value it
had to tidy up or could not understand. :meth:`Document.to_dict` gives the canonical mapping back, so
``export(fill(D)) == normalize(D).to_dict()`` is the round-trip property.

Field paths (``indicators[3].target``, ``budget.basic.executed``) name every value; the workbook layout,
the findings and the flattening helpers all use them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, fields
from typing import Any

from .spec import Profile

Value = int | float | str | None
FORMS = ("department", "project")
#: An indicator row counts when any of these holds something (一级/二级 alone are prepared labels).
INDICATOR_CONTENT = (
    "name",
    "kind",
    "target",
    "actual",
    "unit",
    "weight",
    "score",
    "reason",
    "target_initial",
    "coefficient",
)
MONEY_UNITS = ("万元", "元")

#: 指标性质 words that say "a number" without saying which way (重庆: the direction is in the target, ≥ ≤ =)
QUANTITY_WORDS = ("定量", "quantitative")


@dataclass(frozen=True)
class Note:
    """What normalisation noticed about one value.

    ``code``: ``normalized`` (a messy spelling was understood), ``type`` (not understood: the raw text is
    kept), ``inferred`` (a value was derived, e.g. 指标性质 from ``≥50``), ``conflict`` (two spellings
    disagree, e.g. 正向 with ``≤5``), ``quantity`` (指标性质 says 定量 but no target says which way), ``absent`` (the
    form has no such column), ``marked`` (a cell answered with 无, — or /: nothing, but not left empty),
    ``deadline`` (a target read as a date to finish by; ``value`` says whether the actual met it).
    """

    path: str
    code: str
    raw: object
    value: object = None
    expect: str | None = None


@dataclass
class Unit:
    name: str | None = None
    code: str | None = None
    region: list[str] = field(default_factory=list)
    contact: str | None = None
    phone: str | None = None
    supervisor: str | None = None


@dataclass
class Staff:
    authorized: Value = None
    actual: Value = None


@dataclass
class FundRow:
    name: str | None = None
    initial: Value = None
    adjusted: Value = None
    executed: Value = None


@dataclass
class Basic:
    adjusted: Value = None
    executed: Value = None
    personnel: Value = None
    public: Value = None


@dataclass
class ProjectSpend:
    adjusted: Value = None
    executed: Value = None


@dataclass
class ThreePublic:
    budget: Value = None
    actual: Value = None
    last_year: Value = None


@dataclass
class Budget:
    initial: Value = None
    adjusted: Value = None
    executed: Value = None
    weight: Value = None
    reason: str | None = None  # 执行偏差原因
    sources: list[FundRow] = field(default_factory=list)
    basic: Basic | None = None
    project: ProjectSpend | None = None
    three_public: ThreePublic | None = None


@dataclass
class Task:
    name: str | None = None
    content: str | None = None
    budget: Value = None
    executed: Value = None


@dataclass
class Goals:
    planned: str | None = None
    achieved: str | None = None


@dataclass
class Indicator:
    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    kind: str | None = None
    target: Value = None
    actual: Value = None
    unit: str | None = None
    weight: Value = None
    score: Value = None
    reason: str | None = None
    applicable: bool = True
    target_initial: Value = None  # 年初指标值, where a form has it (target is then the 调整指标值)
    coefficient: Value = None  # 得分系数 as a fraction, where the profile scores 指标权重 × 得分系数
    core: bool | None = None  # 是否核心指标


@dataclass
class CategoryItem:
    """One sub-item of a 考核类别: its maximum as entered in the sheet, 是否适用, the points earned."""

    name: str | None = None
    max: Value = None
    score: Value = None
    applicable: bool = True
    note: str | None = None


@dataclass
class Category:
    name: str | None = None
    bonus: bool = False
    items: list[CategoryItem] = field(default_factory=list)


@dataclass
class Deduction:
    reason: str | None = None
    points: Value = None


@dataclass
class Stated:
    execution_rate: Value = None
    total_score: Value = None
    grade: str | None = None
    execution_score: Value = None  # 预算执行率得分 as an official form states it


@dataclass
class Narrative:
    functions: str | None = None  # 单位职能职责 (department) or 项目概况 (project), for the report's 基本情况
    conclusion: str | None = None  # 自评结论
    experience: str | None = None
    problems: str | None = None
    measures: str | None = None
    other: str | None = None


@dataclass
class Explanation:
    """审核说明: a unit's written reason for keeping a warning (``code`` at ``location``)."""

    code: str | None = None
    location: str | None = None
    reason: str | None = None


@dataclass
class Document:
    form: str = "department"
    profile: str = "national"
    year: Value = None
    unit: Unit = field(default_factory=Unit)
    project_name: str | None = None
    money_unit: str = "万元"
    staff: Staff | None = None
    budget: Budget = field(default_factory=Budget)
    tasks: list[Task] = field(default_factory=list)
    goals: Goals | None = None
    indicators: list[Indicator] = field(default_factory=list)
    stated: Stated | None = None
    narrative: Narrative | None = None
    explanations: list[Explanation] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The canonical mapping: empty optional parts left out, numbers as plain ints/floats."""
        out = _to_plain(self)
        assert isinstance(out, dict)
        extra = out.pop("extra", {}) or {}
        out.update(extra)
        return out


def _to_plain(obj: Any) -> Any:
    if isinstance(obj, CategoryItem | Category):
        data = {f.name: _to_plain(getattr(obj, f.name)) for f in fields(obj)}
        return {k: v for k, v in data.items() if v is not None}
    if isinstance(obj, Indicator):
        data = {f.name: _to_plain(getattr(obj, f.name)) for f in fields(obj)}
        return {k: v for k, v in data.items() if v is not None}
    if hasattr(obj, "__dataclass_fields__"):
        data = {f.name: _to_plain(getattr(obj, f.name)) for f in fields(obj)}
        return {k: v for k, v in data.items() if v not in (None, [], {})}
    if isinstance(obj, list):
        return [_to_plain(item) for item in obj]
    if isinstance(obj, dict):
        return {k: _to_plain(v) for k, v in obj.items()}
    return obj


# ---------------------------------------------------------------------------------------------- paths

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def split_path(path: str) -> list[str | int]:
    """``indicators[3].name`` → ``["indicators", 3, "name"]``."""
    return [int(index) if index else key for key, index in _PART.findall(path)]


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """A nested mapping as ``{path: leaf}``; lists of plain values (a region path) stay one leaf."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(data, list) and any(isinstance(item, dict) for item in data):
        for i, item in enumerate(data):
            out.update(flatten(item, f"{prefix}[{i}]"))
    else:
        out[prefix] = data
    return out


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`flatten`; list holes become empty mappings."""
    root: dict[str, Any] = {}
    for path, value in flat.items():
        parts = split_path(path)
        node: Any = root
        for part, nxt in itertools.pairwise(parts):
            if isinstance(part, int):
                while len(node) <= part:
                    node.append({})
                node = node[part]
            else:
                if part not in node:
                    node[part] = [] if isinstance(nxt, int) else {}
                node = node[part]
        last = parts[-1]
        if isinstance(last, int):
            while len(node) <= last:
                node.append({})
            node[last] = value
        else:
            node[last] = value
    return root


def normalize(raw: dict[str, Any], profile: Profile, official: bool = False) -> tuple[Document, list[Note]]:
    """A loose mapping as a :class:`Document`, and the notes on every value that needed tidying (the work is
    :mod:`xltool.core.normalizing`'s). ``official``: read from a unit's own form, whose stated scores settle what
    its cells leave open (the direction of an indicator no 指标性质 or comparator states)."""
    from .normalizing import normalize_document

    return normalize_document(raw, profile, official)

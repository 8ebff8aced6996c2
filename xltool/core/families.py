"""Layout families of official forms, as data (``xltool/specs/layouts/*.yaml``; docs/layouts.md).

A family says how to recognise a published layout (labels that must, may and must not appear), the label
synonyms of every field, block and column, and which profile its forms are scored by. Every label is kept in
its compared form (:func:`xltool.core.grid.label_key`), so a file never needs to repeat spelling variants
that normalisation already folds (spaces, full-width brackets, a trailing colon, ``（10分）``, ``(A)``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .grid import label_key
from .spec import SpecError, profile_ids
from .yamldata import load_yaml

Synonyms = tuple[str, ...]

_MONEY_COLUMNS = ("initial", "adjusted", "executed", "weight", "rate", "score", "reason")
_MONEY_PAIRS = ("initial", "adjusted", "executed", "rate")
_MONEY_ROWS = ("total", "basic", "personnel", "public", "project")
_INDICATOR_COLUMNS = (
    "level1",
    "level2",
    "name",
    "kind",
    "target",
    "target_initial",
    "unit",
    "actual",
    "weight",
    "score",
    "coefficient",
    "core",
    "reason",
)
_TASK_COLUMNS = ("name", "content", "budget", "executed")
_FIELDS = (
    "project_name",
    "unit.name",
    "unit.code",
    "unit.supervisor",
    "unit.contact",
    "unit.phone",
    "staff.authorized",
    "staff.actual",
    "stated.total_score",
)
_NARRATIVE = ("functions", "conclusion", "experience", "problems", "measures", "other")
_GOALS = ("planned", "achieved")


@dataclass(frozen=True)
class Table:
    """A table read row by row under a header band: column field → label synonyms, and the labels of its
    total row."""

    columns: dict[str, Synonyms]
    total: Synonyms = ()


@dataclass(frozen=True)
class Money:
    columns: dict[str, Synonyms]
    rows: dict[str, Synonyms] = field(default_factory=dict)
    sources: dict[str, Synonyms] = field(default_factory=dict)  # the profile's fund-source name → synonyms
    single_row: bool = False  # the first row under the header is the whole-year total, with no row label
    #: amounts written as label | value pairs instead of a table (四川 区域绩效自评表: 年度金额 | 208万元 … 合计 | 109.8万元)
    pairs: dict[str, Synonyms] = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    form: str
    profile: str
    titles: Synonyms
    required: tuple[Synonyms, ...]  # each group must have one label present
    signals: Synonyms
    excludes: Synonyms
    starts: Synonyms
    fields: dict[str, Synonyms]
    money: Money
    goals: dict[str, Synonyms]
    indicators: Table
    tasks: Table | None = None
    narrative: dict[str, Synonyms] = field(default_factory=dict)
    weights_absent: bool = False
    source: str = ""

    def labels(self) -> set[str]:
        """Every label this family knows: what a value cell must not be mistaken for."""
        out: set[str] = set(self.titles) | set(self.signals) | set(self.starts)
        for group in (
            self.fields,
            self.money.columns,
            self.money.rows,
            self.money.sources,
            self.money.pairs,
            self.goals,
            self.indicators.columns,
            self.narrative,
            self.tasks.columns if self.tasks else {},
        ):
            for synonyms in group.values():
                out.update(synonyms)
        out.update(self.indicators.total)
        for group_ in self.required:
            out.update(group_)
        return out


def _keys(value: Any, where: str, errors: list[str]) -> Synonyms:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        errors.append(f"{where}: a list of labels is expected")
        return ()
    return tuple(dict.fromkeys(label_key(v).key for v in value))


def _mapping(raw: Any, where: str, allowed: tuple[str, ...] | None, errors: list[str]) -> dict[str, Synonyms]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        errors.append(f"{where}: a mapping is expected")
        return {}
    out = {}
    for key, value in raw.items():
        name = str(key)
        if allowed is not None and name not in allowed:
            errors.append(f"{where}.{name}: unknown (known: {', '.join(allowed)})")
            continue
        out[name] = _keys(value, f"{where}.{name}", errors)
    return out


def parse_family(raw: Any, source: str = "") -> Family:
    """A family from its YAML mapping; every mistake is reported by path in one :class:`SpecError`."""
    errors: list[str] = []
    if not isinstance(raw, dict):
        raise SpecError(source, ["a mapping is expected"])
    for key in ("id", "name", "form", "profile"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            errors.append(f"{key}: required text")
    if raw.get("form") not in ("project", "department"):
        errors.append("form: project or department")
    if isinstance(raw.get("profile"), str) and raw["profile"] not in profile_ids():
        errors.append(f"profile: unknown profile {raw['profile']!r}")
    recognise = raw.get("recognise") or {}
    required = tuple(_keys(group, f"recognise.all[{i}]", errors) for i, group in enumerate(recognise.get("all") or []))
    if not required:
        errors.append("recognise.all: at least one group of labels is required")
    money_raw = raw.get("money") or {}
    money = Money(
        columns=_mapping(money_raw.get("columns"), "money.columns", _MONEY_COLUMNS, errors),
        rows=_mapping(money_raw.get("rows"), "money.rows", _MONEY_ROWS, errors),
        sources=_mapping(money_raw.get("sources"), "money.sources", None, errors),
        single_row=bool(money_raw.get("single_row")),
        pairs=_mapping(money_raw.get("pairs"), "money.pairs", _MONEY_PAIRS, errors),
    )
    if "executed" not in money.columns and "executed" not in money.pairs:
        errors.append("money.columns.executed (or money.pairs.executed): required")
    ind_raw = raw.get("indicators") or {}
    indicators = Table(
        _mapping(ind_raw.get("columns"), "indicators.columns", _INDICATOR_COLUMNS, errors),
        _keys(ind_raw["total"], "indicators.total", errors) if ind_raw.get("total") else (),
    )
    if "name" not in indicators.columns:
        errors.append("indicators.columns.name: required")
    tasks = None
    if raw.get("tasks"):
        tasks = Table(_mapping((raw["tasks"] or {}).get("columns"), "tasks.columns", _TASK_COLUMNS, errors))
    narrative = _mapping(raw.get("narrative"), "narrative", tuple(f"narrative.{k}" for k in _NARRATIVE), errors)
    weights = raw.get("indicator_weights")
    if weights not in (None, "absent"):
        errors.append("indicator_weights: absent, or leave it out")
    if errors:
        raise SpecError(source or str(raw.get("id")), errors)
    return Family(
        id=raw["id"],
        name=raw["name"],
        form=raw["form"],
        profile=raw["profile"],
        titles=_keys(raw.get("titles") or [raw["name"]], "titles", errors),
        required=required,
        signals=_keys(recognise["any"], "recognise.any", errors) if recognise.get("any") else (),
        excludes=_keys(recognise["none"], "recognise.none", errors) if recognise.get("none") else (),
        starts=_keys(raw["starts"], "starts", errors) if raw.get("starts") else (),
        fields=_mapping(raw.get("fields"), "fields", _FIELDS, []),
        money=money,
        goals=_mapping(raw.get("goals"), "goals", _GOALS, []),
        indicators=indicators,
        tasks=tasks,
        narrative=narrative,
        weights_absent=weights == "absent",
        source=source,
    )


def _shipped() -> list[tuple[str, str]]:
    folder = resources.files("xltool") / "specs" / "layouts"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".yaml")
    )


@functools.cache
def shipped_families() -> tuple[Family, ...]:
    """Every family shipped with xltool, in file-name order."""
    return tuple(parse_family(load_yaml(text), name) for name, text in _shipped())


#: The inputs a check may ask of a form, by the column that holds them: a form without the column is asked for
#: none of them (docs/layouts.md, "What each family can be asked for"); the findings that depend on each.
ASKED = {
    "indicators.weight": "weight",
    "indicators.score": "score",
    "indicators.reason": "reason",
    "indicators.kind": "kind",
    "indicators.target": "target",
    "indicators.actual": "actual",
    "money.reason": "budget.reason",
    "money.rate": "stated.execution_rate",
    "money.score": "stated.execution_score",
}
#: What a form is asked for through each column, and what it is never asked for without it.
DEPENDS = {
    "indicators.weight": ("weight.sum", "weight.level1", "score.exceeds-weight", "field.required（分值）"),
    "indicators.score": ("score.mismatch", "score.out-of-band", "indicator.values-missing"),
    "indicators.reason": ("indicator.reason-missing（错误；没有此栏时为提示）",),
    "indicators.kind": ("field.required（指标性质）", "indicator.kind-conflict"),
    "money.reason": ("budget.reason-missing（错误；没有此栏时为提示）",),
    "money.rate": ("rate.mismatch",),
    "money.score": ("score.execution-mismatch",),
    "total": ("score.total-mismatch", "grade.mismatch"),
}
_COLUMN_WORDS = {
    "indicators.weight": "分值",
    "indicators.score": "得分",
    "indicators.reason": "偏差原因",
    "indicators.kind": "指标性质",
    "money.reason": "资金原因栏",
    "money.rate": "自报执行率",
    "money.score": "执行率得分",
    "total": "总分",
}


def declared(family: Family) -> set[str]:
    """The columns (and the stated 总分) a form of ``family`` has when it is printed as the family declares."""
    money = family.money.columns.keys() | family.money.pairs.keys()
    out = {f"indicators.{key}" for key in family.indicators.columns} | {f"money.{key}" for key in money}
    if family.weights_absent:
        out.discard("indicators.weight")
    if family.indicators.total or "stated.total_score" in family.fields:
        out.add("total")
    return out


def asked_table(families: tuple[Family, ...]) -> str:
    """docs/layouts.md's table: each family × each column a check needs (✓ has it, — does not)."""
    head = "| 表样 | " + " | ".join(_COLUMN_WORDS[c] for c in DEPENDS) + " |"
    rows = [head, "|" + "---|" * (len(DEPENDS) + 1)]
    for family in families:
        has = declared(family)
        rows.append(f"| `{family.id}` | " + " | ".join("✓" if c in has else "—" for c in DEPENDS) + " |")
    rows.append("")
    rows.append("| 栏 | 有此栏时才会报告的问题 |")
    rows.append("|---|---|")
    rows += [f"| {_COLUMN_WORDS[c]} | {'、'.join(codes)} |" for c, codes in DEPENDS.items()]
    return "\n".join(rows)

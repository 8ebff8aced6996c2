"""The document's other parts: staff, goals, the stated figures, the narrative, 年度主要任务, 审核说明, 考核类别 and
扣分 rows."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from ..document import Category, CategoryItem, Deduction, Explanation, Goals, Narrative, Staff, Stated, Task, Value
from ..values import parse_bool, parse_number
from .reader import Reader, none_if_empty

_NARRATIVE = ("functions", "conclusion", "experience", "problems", "measures", "other")


def staff(r: Reader, raw: dict[str, Any]) -> Staff | None:
    node = r.mapping(raw, "staff")
    if node is None:
        return None
    return none_if_empty(Staff(r.integer(node, "authorized", "staff"), r.integer(node, "actual", "staff")))


def goals(r: Reader, raw: dict[str, Any]) -> Goals | None:
    node = r.mapping(raw, "goals")
    if node is None:
        return None
    return none_if_empty(Goals(r.text(node, "planned", "goals"), r.text(node, "achieved", "goals")))


def stated(r: Reader, raw: dict[str, Any]) -> Stated | None:
    node = r.mapping(raw, "stated")
    if node is None:
        return None
    return none_if_empty(
        Stated(
            stated_rate(r, node),
            r.number(node, "total_score", "stated", unit_words=("分",)),
            r.text(node, "grade", "stated"),
            r.number(node, "execution_score", "stated", unit_words=("分",)),
        )
    )


def stated_rate(r: Reader, raw: dict[str, Any]) -> Value:
    value = raw.get("execution_rate")
    parsed = parse_number(value, percent_as_fraction=True)
    if parsed.ok and isinstance(parsed.value, int | float) and parsed.unit is None and parsed.value > 2:
        # "89.46" typed without its % sign: a rate above 200% is not a fraction anyone means.
        parsed = parse_number(f"{parsed.value}%", percent_as_fraction=True)
    return r.note("stated.execution_rate", parsed, value, "rate")


def narrative(r: Reader, raw: dict[str, Any]) -> Narrative | None:
    node = r.mapping(raw, "narrative")
    if node is None:
        return None
    return none_if_empty(Narrative(*(r.text(node, k, "narrative") for k in _NARRATIVE)))


def tasks(r: Reader, raw: dict[str, Any]) -> list[Task]:
    out = []
    for i, item in enumerate(r.items(raw, "tasks", "")):
        path = f"tasks[{i}]"
        task = Task(
            r.text(item, "name", path),
            r.text(item, "content", path),
            r.money(item, "budget", path),
            r.money(item, "executed", path),
        )
        if any(getattr(task, f.name) is not None for f in fields(task)):
            out.append(task)
    return out


def explanations(r: Reader, raw: dict[str, Any]) -> list[Explanation]:
    out = []
    for i, item in enumerate(r.items(raw, "explanations", "")):
        path = f"explanations[{i}]"
        exp = Explanation(r.text(item, "code", path), r.text(item, "location", path), r.text(item, "reason", path))
        if any(getattr(exp, f.name) for f in fields(exp)):
            out.append(exp)
    return out


def categories(r: Reader, raw: dict[str, Any]) -> list[Category]:
    """考核类别, always all of the profile's, in its order, once any holds data (names and bonus flags are
    the profile's, so ``categories[c]`` is the same category in a document, a workbook and a finding)."""
    given = r.items(raw, "categories", "")
    specs = r.profile.categories
    out: list[Category] = []
    for c, spec in enumerate(specs):
        cat = given[c] if c < len(given) else {}
        items = []
        for i, item in enumerate(cat.get("items") or []):
            if not isinstance(item, dict):
                continue
            path = f"categories[{c}].items[{i}]"
            applicable = parse_bool(item.get("applicable"), default=True)
            entry = CategoryItem(
                r.text(item, "name", path),
                r.number(item, "max", path, unit_words=("分",)),
                r.number(item, "score", path, unit_words=("分",)),
                applicable.value if isinstance(applicable.value, bool) else True,
                r.text(item, "note", path),
            )
            if any(v is not None for v in (entry.name, entry.max, entry.score, entry.note)):
                items.append(entry)
        out.append(Category(spec.name, spec.bonus, items))
    if len(given) > len(specs):
        r.add("categories", "type", len(given), expect="categories")
    return out if any(cat.items for cat in out) else []


def deductions(r: Reader, raw: dict[str, Any]) -> list[Deduction]:
    out = []
    for i, item in enumerate(r.items(raw, "deductions", "")):
        path = f"deductions[{i}]"
        deduction = Deduction(r.text(item, "reason", path), r.number(item, "points", path, unit_words=("分",)))
        if deduction.reason is not None or deduction.points is not None:
            out.append(deduction)
    return out

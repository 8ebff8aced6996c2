"""Normalising a loose mapping (from JSON/YAML, or the raw cell values a reader found) into a
:class:`~xltool.core.document.Document`: messy spellings understood, a :class:`~xltool.core.document.Note`
recorded for every value tidied up or not understood.

:class:`_Normalizer` is longer than the other classes for a reason: it has one method per part of the evaluation
document (unit, staff, budget and its sources, tasks, goals, indicators, categories, stated figures,
narrative, explanations), each under ~90 lines, all sharing the profile, the notes list and the value readers;
split, they would pass those three around instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields
from typing import Any

from . import deadlines
from .document import (
    FORMS,
    INDICATOR_CONTENT,
    MONEY_UNITS,
    QUANTITY_WORDS,
    Basic,
    Budget,
    Category,
    CategoryItem,
    Deduction,
    Document,
    Explanation,
    FundRow,
    Goals,
    Indicator,
    Narrative,
    Note,
    ProjectSpend,
    Staff,
    Stated,
    Task,
    ThreePublic,
    Unit,
    Value,
)
from .sheet_formulas import cleaned_value
from .spec import Profile
from .values import (
    ACHIEVED_WORDS,
    Parsed,
    clean_text,
    parse_bool,
    parse_integer,
    parse_money,
    parse_number,
    parse_quantity,
    to_decimal,
    to_plain,
)


class _Normalizer:
    def __init__(self, profile: Profile):
        self.profile = profile
        self.notes: list[Note] = []
        self.money_unit = profile.money_unit

    def note(self, path: str, parsed: Parsed, raw: object, expect: str) -> Value:
        if not parsed.ok:
            self.notes.append(Note(path, "type", raw, expect=expect))
        elif parsed.changed and raw not in (None, ""):
            self.notes.append(Note(path, "normalized", raw, parsed.value, expect=expect))
        value = parsed.value
        return value if isinstance(value, int | float | str) or value is None else str(value)

    def text(self, node: Any, key: str, path: str) -> str | None:
        raw = node.get(key) if isinstance(node, dict) else None
        if isinstance(raw, dict | list):
            self.notes.append(Note(f"{path}.{key}" if path else key, "type", raw, expect="text"))
            return None
        return clean_text(raw)

    def money(self, node: Any, key: str, path: str) -> Value:
        raw = node.get(key) if isinstance(node, dict) else None
        return self.note(f"{path}.{key}", parse_money(raw, self.money_unit), raw, "money")

    def number(self, node: Any, key: str, path: str, **kw: Any) -> Value:
        raw = node.get(key) if isinstance(node, dict) else None
        return self.note(f"{path}.{key}" if path else key, parse_number(raw, **kw), raw, "number")

    def integer(self, node: Any, key: str, path: str) -> Value:
        raw = node.get(key) if isinstance(node, dict) else None
        return self.note(f"{path}.{key}" if path else key, parse_integer(raw), raw, "integer")

    def mapping(self, node: Any, key: str) -> dict[str, Any] | None:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return None
        if not isinstance(value, dict):
            self.notes.append(Note(key, "type", value, expect="mapping"))
            return None
        return value

    def items(self, node: Any, key: str, path: str) -> list[dict[str, Any]]:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.notes.append(Note(f"{path}.{key}" if path else key, "type", value, expect="list"))
            return []
        return [item if isinstance(item, dict) else {} for item in value]

    # --- parts -------------------------------------------------------------------------------------

    def unit(self, raw: dict[str, Any] | None) -> Unit:
        raw = raw or {}
        region_raw = raw.get("region")
        if isinstance(region_raw, list):
            region = [t for t in (clean_text(r) for r in region_raw) if t]
        else:
            text = clean_text(region_raw) or ""
            region = [part.strip() for part in re.split(r"[/／>＞]", text) if part.strip()]
        return Unit(
            name=self.text(raw, "name", "unit"),
            code=self.text(raw, "code", "unit"),
            region=region,
            contact=self.text(raw, "contact", "unit"),
            phone=self.text(raw, "phone", "unit"),
            supervisor=self.text(raw, "supervisor", "unit"),
        )

    def budget(self, raw: dict[str, Any] | None, form: str) -> Budget:
        raw = raw or {}
        weight = self.number(raw, "weight", "budget", unit_words=("分",))
        if weight is None:
            weight = _plain(self.profile.execution_weight)
        sources = []
        for i, src in enumerate(self.items(raw, "sources", "budget")):
            path = f"budget.sources[{i}]"
            row = FundRow(
                self.text(src, "name", path),
                self.money(src, "initial", path),
                self.money(src, "adjusted", path),
                self.money(src, "executed", path),
            )
            if any(v is not None for v in (row.initial, row.adjusted, row.executed)) or row.name:
                sources.append(row)
        order = {name: i for i, name in enumerate(self.profile.fund_sources)}
        if all(s.name in order for s in sources):
            sources.sort(key=lambda s: order[s.name or ""])
        basic_raw, project_raw = self.mapping(raw, "basic"), self.mapping(raw, "project")
        three_raw = self.mapping(raw, "three_public")
        basic = project = three = None
        if basic_raw is not None:
            basic = Basic(
                *(self.money(basic_raw, k, "budget.basic") for k in ("adjusted", "executed", "personnel", "public"))
            )
        if project_raw is not None:
            project = ProjectSpend(*(self.money(project_raw, k, "budget.project") for k in ("adjusted", "executed")))
        if three_raw is not None:
            three = ThreePublic(
                *(self.money(three_raw, k, "budget.three_public") for k in ("budget", "actual", "last_year"))
            )
        return Budget(
            reason=self.text(raw, "reason", "budget"),
            initial=self.money(raw, "initial", "budget"),
            adjusted=self.money(raw, "adjusted", "budget"),
            executed=self.money(raw, "executed", "budget"),
            weight=weight,
            sources=sources,
            basic=_none_if_empty(basic),
            project=_none_if_empty(project),
            three_public=_none_if_empty(three),
        )

    def indicator(self, raw: dict[str, Any], path: str) -> Indicator:
        prof = self.profile
        level1, level2 = self.text(raw, "level1", path), self.text(raw, "level2", path)
        if level1 is None and level2 is not None and prof.level1_of(level2):
            level1 = prof.level1_of(level2)
            self.notes.append(Note(f"{path}.level1", "inferred", level2, level1))
        kind_word = self.text(raw, "kind", path)
        kind = prof.kind_key(kind_word) if kind_word else None
        if kind_word and kind is None and kind_word not in QUANTITY_WORDS:
            self.notes.append(Note(f"{path}.kind", "type", kind_word, expect="kind"))
        unit = self.text(raw, "unit", path)
        target_raw, actual_raw = raw.get("target"), raw.get("actual")
        target: Value = None
        parsed = parse_quantity(target_raw, worded=True)
        if deadlines.target_deadline(target_raw) is not None:
            # 6月底前, 按时完成: met or not met by the actual, whatever 指标性质 says (定量, 正向…)
            target, kind = clean_text(target_raw), "deadline"
            self.notes.append(Note(f"{path}.target", "deadline", target_raw, deadlines.met(target_raw, actual_raw)))
        elif parsed.ok and parsed.value is not None:
            target = parsed.value
            inferred = {"≥": "positive", "≤": "negative", "=": "equal"}.get(parsed.comparator or "")
            if kind is None:
                kind = inferred or "positive"
                if kind_word not in QUANTITY_WORDS or not inferred:
                    self.notes.append(Note(f"{path}.kind", "inferred", target_raw, kind))
            elif inferred and inferred != kind and not (kind == "equal" and inferred == "equal"):
                self.notes.append(Note(f"{path}.kind", "conflict", target_raw, kind, expect=inferred))
            if parsed.unit and unit is None:
                unit = parsed.unit
            if isinstance(target_raw, str) and _oddly_spelled(target_raw):
                self.notes.append(Note(f"{path}.target", "normalized", target_raw, target))
        elif target_raw is not None:
            target = clean_text(target_raw)
            if kind is None and target is not None and kind_word not in QUANTITY_WORDS:
                kind = "qualitative"
                self.notes.append(Note(f"{path}.kind", "inferred", target_raw, kind))
            elif kind not in (None, "qualitative") or kind_word in QUANTITY_WORDS:
                self.notes.append(Note(f"{path}.target", "type", target_raw, expect="number"))
        if kind is None and kind_word in QUANTITY_WORDS:
            self.notes.append(Note(f"{path}.kind", "quantity", kind_word))  # stated 定量: the target is what is missing
        actual: Value = None
        if kind == "deadline":
            actual = clean_text(actual_raw)
            if actual is not None and deadlines.met(target_raw, actual_raw) is None:
                self.notes.append(Note(f"{path}.actual", "type", actual_raw, expect="deadline"))
        elif kind == "qualitative":
            text = clean_text(actual_raw)
            tier = prof.tier(text) if text else None
            if tier is None and text and _reached(actual_raw, target_raw):
                tier = prof.top_tier  # 显著提升 for 显著提升, 完成, 是: the target reached, read as its top tier
            if tier is not None:
                actual = tier.label
                if text != tier.label:
                    self.notes.append(Note(f"{path}.actual", "normalized", actual_raw, tier.label))
            else:
                actual = text
                if text is not None:
                    self.notes.append(Note(f"{path}.actual", "type", actual_raw, expect="tier"))
        else:
            parsed = parse_quantity(actual_raw, worded=True)
            if parsed.ok and parsed.value is not None:
                actual = parsed.value  # ≥100%, 100%以上: the unit reached at least that
                if parsed.changed and isinstance(actual_raw, str):
                    self.notes.append(Note(f"{path}.actual", "normalized", actual_raw, actual))
            elif parsed.ok and parsed.value is None and clean_text(actual_raw) is not None:
                self.notes.append(Note(f"{path}.actual", "marked", actual_raw))  # 无, —, /: answered as nothing
            elif actual_raw is not None and clean_text(actual_raw) is not None:
                actual = clean_text(actual_raw)
                self.notes.append(Note(f"{path}.actual", "type", actual_raw, expect="number"))
        target_initial: Value = None
        initial_raw = raw.get("target_initial")
        parsed_initial = parse_quantity(initial_raw, worded=True)
        if parsed_initial.ok and parsed_initial.value is not None:
            target_initial = parsed_initial.value
        elif initial_raw is not None:
            target_initial = clean_text(initial_raw)
        coefficient = self.coefficient(raw.get("coefficient"), f"{path}.coefficient")
        core_raw = raw.get("core")
        core = parse_bool(core_raw, default=False) if core_raw not in (None, "") else None
        if core is not None and not core.ok:
            self.notes.append(Note(f"{path}.core", "type", core_raw, expect="bool"))
        applicable_raw = raw.get("applicable")
        applicable = parse_bool(applicable_raw, default=True)
        if not applicable.ok:
            self.notes.append(Note(f"{path}.applicable", "type", applicable_raw, expect="bool"))
        return Indicator(
            level1=level1,
            level2=level2,
            name=self.text(raw, "name", path),
            kind=kind,
            target=target,
            actual=actual,
            unit=unit,
            weight=self.number(raw, "weight", path, unit_words=("分",)),
            score=self.number(raw, "score", path, unit_words=("分",)),
            reason=self.text(raw, "reason", path),
            applicable=applicable.value if isinstance(applicable.value, bool) else True,
            target_initial=target_initial,
            coefficient=coefficient,
            core=core.value if core is not None and isinstance(core.value, bool) else None,
        )

    def coefficient(self, raw: object, path: str) -> Value:
        """得分系数: ``76%``, ``0.76`` or ``76`` (a number above 1 in a percentage column) all mean 0.76."""
        parsed = parse_number(raw, percent_as_fraction=True)
        if parsed.ok and isinstance(parsed.value, int | float) and parsed.value > 1:
            dec = to_decimal(parsed.value)
            assert dec is not None
            self.notes.append(Note(path, "normalized", raw, to_plain(dec / 100), expect="rate"))
            return to_plain(dec / 100)
        return self.note(path, parsed, raw, "rate")

    def document(self, raw: dict[str, Any]) -> Document:
        form = clean_text(raw.get("form")) or "department"
        if form not in FORMS:
            self.notes.append(Note("form", "type", raw.get("form"), expect="form"))
        money_unit = clean_text(raw.get("money_unit")) or self.profile.money_unit
        if money_unit not in MONEY_UNITS:
            self.notes.append(Note("money_unit", "type", raw.get("money_unit"), expect="money_unit"))
            money_unit = self.profile.money_unit
        self.money_unit = money_unit
        staff_raw, goals_raw = self.mapping(raw, "staff"), self.mapping(raw, "goals")
        stated_raw, narrative_raw = self.mapping(raw, "stated"), self.mapping(raw, "narrative")
        staff = goals = stated = narrative = None
        if staff_raw is not None:
            staff = Staff(self.integer(staff_raw, "authorized", "staff"), self.integer(staff_raw, "actual", "staff"))
        if goals_raw is not None:
            goals = Goals(self.text(goals_raw, "planned", "goals"), self.text(goals_raw, "achieved", "goals"))
        if stated_raw is not None:
            stated = Stated(
                self.stated_rate(stated_raw),
                self.number(stated_raw, "total_score", "stated", unit_words=("分",)),
                self.text(stated_raw, "grade", "stated"),
                self.number(stated_raw, "execution_score", "stated", unit_words=("分",)),
            )
        if narrative_raw is not None:
            narrative = Narrative(
                *(
                    self.text(narrative_raw, k, "narrative")
                    for k in ("functions", "conclusion", "experience", "problems", "measures", "other")
                )
            )
        tasks = []
        for i, item in enumerate(self.items(raw, "tasks", "")):
            path = f"tasks[{i}]"
            task = Task(
                self.text(item, "name", path),
                self.text(item, "content", path),
                self.money(item, "budget", path),
                self.money(item, "executed", path),
            )
            if any(getattr(task, f.name) is not None for f in fields(task)):
                tasks.append(task)
        indicators = []
        for i, item in enumerate(self.items(raw, "indicators", "")):
            ind = self.indicator(item, f"indicators[{i}]")
            if any(getattr(ind, k) is not None for k in INDICATOR_CONTENT):
                indicators.append(ind)
        explanations = []
        for i, item in enumerate(self.items(raw, "explanations", "")):
            path = f"explanations[{i}]"
            exp = Explanation(
                self.text(item, "code", path), self.text(item, "location", path), self.text(item, "reason", path)
            )
            if any(getattr(exp, f.name) for f in fields(exp)):
                explanations.append(exp)
        categories = self.categories(raw)
        deductions = []
        for i, item in enumerate(self.items(raw, "deductions", "")):
            path = f"deductions[{i}]"
            deduction = Deduction(
                self.text(item, "reason", path), self.number(item, "points", path, unit_words=("分",))
            )
            if deduction.reason is not None or deduction.points is not None:
                deductions.append(deduction)
        known = {f.name for f in fields(Document)} - {"extra"}
        return Document(
            form=form,
            profile=clean_text(raw.get("profile")) or self.profile.id,
            year=self.integer(raw, "year", ""),
            unit=self.unit(self.mapping(raw, "unit")),
            project_name=self.text(raw, "project_name", ""),
            money_unit=money_unit,
            staff=_none_if_empty(staff),
            budget=self.budget(self.mapping(raw, "budget"), form),
            tasks=tasks,
            goals=_none_if_empty(goals),
            indicators=indicators,
            stated=_none_if_empty(stated),
            narrative=_none_if_empty(narrative),
            explanations=explanations,
            categories=categories,
            deductions=deductions,
            extra={k: v for k, v in raw.items() if k not in known},
        )

    def categories(self, raw: dict[str, Any]) -> list[Category]:
        """考核类别, always all of the profile's, in its order, once any holds data (names and bonus flags are
        the profile's, so ``categories[c]`` is the same category in a document, a workbook and a finding)."""
        given = self.items(raw, "categories", "")
        specs = self.profile.categories
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
                    self.text(item, "name", path),
                    self.number(item, "max", path, unit_words=("分",)),
                    self.number(item, "score", path, unit_words=("分",)),
                    applicable.value if isinstance(applicable.value, bool) else True,
                    self.text(item, "note", path),
                )
                if any(v is not None for v in (entry.name, entry.max, entry.score, entry.note)):
                    items.append(entry)
            out.append(Category(spec.name, spec.bonus, items))
        if len(given) > len(specs):
            self.notes.append(Note("categories", "type", len(given), expect="categories"))
        return out if any(cat.items for cat in out) else []

    def stated_rate(self, raw: dict[str, Any]) -> Value:
        value = raw.get("execution_rate")
        parsed = parse_number(value, percent_as_fraction=True)
        if parsed.ok and isinstance(parsed.value, int | float) and parsed.unit is None and parsed.value > 2:
            # "89.46" typed without its % sign: a rate above 200% is not a fraction anyone means.
            parsed = parse_number(f"{parsed.value}%", percent_as_fraction=True)
        return self.note("stated.execution_rate", parsed, value, "rate")


def _plain(value: Any) -> int | float:
    return to_plain(value)


def _reached(actual: object, target: object) -> bool:
    """A 定性 actual that repeats its target word for word, or says it was reached (完成, 达到, 是); compared as
    the live sheet compares them (:func:`xltool.core.sheet_formulas.cleaned_value`)."""
    text = cleaned_value(actual)
    return bool(text) and (text == cleaned_value(target) or text in ACHIEVED_WORDS)


def _oddly_spelled(text: str) -> bool:
    """Full-width digits, stray spaces or thousands separators: understood, but worth a note. A comparator
    and a unit (``≥50个``) are the official way of writing a target and are not."""
    stripped = text.strip()
    return stripped != text or unicodedata.normalize("NFKC", stripped) != stripped or "," in stripped


def _none_if_empty(obj: Any) -> Any:
    if obj is None:
        return None
    return obj if any(getattr(obj, f.name) not in (None, [], "") for f in fields(obj)) else None


def normalize_document(raw: dict[str, Any], profile: Profile) -> tuple[Document, list[Note]]:
    """A loose mapping as a :class:`Document`, and the notes on every value that needed tidying."""
    normalizer = _Normalizer(profile)
    doc = normalizer.document(raw if isinstance(raw, dict) else {})
    return doc, normalizer.notes

"""Normalising a loose mapping (from JSON/YAML, or the raw cell values a reader found) into a
:class:`~xltool.core.document.Document`: messy spellings understood, a :class:`~xltool.core.document.Note`
recorded for every value tidied up or not understood.

One module a part, all reading through one :class:`~.reader.Reader` (the profile, the money unit, the notes):
``money`` (unit and budget), ``indicators`` (one row, as units write it), ``parts`` (staff, goals, stated
figures, narrative, tasks, explanations, categories, deductions).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from ..document import FORMS, INDICATOR_CONTENT, MONEY_UNITS, Document, Note
from ..spec import Profile
from ..values import clean_text
from . import money, parts
from .indicators import indicator
from .reader import Reader

__all__ = ["normalize_document"]


def normalize_document(raw: dict[str, Any], profile: Profile, official: bool = False) -> tuple[Document, list[Note]]:
    """A loose mapping as a :class:`Document`, and the notes on every value that needed tidying."""
    r = Reader(profile, official)
    return _document(r, raw if isinstance(raw, dict) else {}), r.notes


def _document(r: Reader, raw: dict[str, Any]) -> Document:
    form = clean_text(raw.get("form")) or "department"
    if form not in FORMS:
        r.add("form", "type", raw.get("form"), expect="form")
    money_unit = clean_text(raw.get("money_unit")) or r.profile.money_unit
    if money_unit not in MONEY_UNITS:
        r.add("money_unit", "type", raw.get("money_unit"), expect="money_unit")
        money_unit = r.profile.money_unit
    r.money_unit = money_unit
    staff, goals, stated, narrative = (
        parts.staff(r, raw),
        parts.goals(r, raw),
        parts.stated(r, raw),
        parts.narrative(r, raw),
    )
    tasks = parts.tasks(r, raw)
    indicators = []
    for i, item in enumerate(r.items(raw, "indicators", "")):
        ind = indicator(r, item, f"indicators[{i}]")
        if any(getattr(ind, k) is not None for k in INDICATOR_CONTENT):
            indicators.append(ind)
    explanations, categories, deductions = (
        parts.explanations(r, raw),
        parts.categories(r, raw),
        parts.deductions(r, raw),
    )
    known = {f.name for f in fields(Document)} - {"extra"}
    return Document(
        form=form,
        profile=clean_text(raw.get("profile")) or r.profile.id,
        year=r.integer(raw, "year", ""),
        unit=money.unit(r, r.mapping(raw, "unit")),
        project_name=r.text(raw, "project_name", ""),
        money_unit=money_unit,
        staff=staff,
        budget=money.budget(r, r.mapping(raw, "budget")),
        tasks=tasks,
        goals=goals,
        indicators=indicators,
        stated=stated,
        narrative=narrative,
        explanations=explanations,
        categories=categories,
        deductions=deductions,
        extra={k: v for k, v in raw.items() if k not in known},
    )

"""Forms and profiles as data.

A *form* (``specs/forms/*.yaml``) says which sheets and blocks a workbook has and what they are labelled.
A *profile* (``specs/profiles/*.yaml``) holds every number of the scoring rules for one region: weights,
vocabulary, qualitative tiers, grade bands, rounding, tolerances. A profile may ``extends`` another and
then only lists what differs. Both the template and the checks are built from these objects, so they
cannot drift apart.

Loading validates the whole file and reports *every* mistake with its exact path
(``profiles/x.yaml: level1[2].weight: 应为数字``) in one :class:`SpecError`.

- :mod:`.model`: the records (:class:`Profile`, :class:`FormSpec` …) and the words they may use;
- :mod:`.build`: checking a tree and building its record;
- :mod:`.files`: the shipped files, an office's own files, what a profile changes.
"""

from __future__ import annotations

from .build import build_form, build_profile
from .files import (
    form_ids,
    is_spec_path,
    known_profile_ids,
    load_form,
    load_profile,
    load_profile_file,
    profile_differences,
    profile_ids,
    register_profile_file,
    register_profile_text,
    registered_profiles,
    resolve_profile,
)
from .model import (
    BLOCK_TYPES,
    BUDGET_ROWS,
    FIELD_TYPES,
    INDICATOR_FIELDS,
    KIND_ALIASES,
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

__all__ = [
    "BLOCK_TYPES",
    "BUDGET_ROWS",
    "FIELD_TYPES",
    "INDICATOR_FIELDS",
    "KIND_ALIASES",
    "KIND_KEYS",
    "NARRATIVE_KEYS",
    "REPORT_LISTS",
    "REPORT_TEXTS",
    "BlockSpec",
    "CategorySpec",
    "ColumnSpec",
    "FieldSpec",
    "FormSpec",
    "Grade",
    "Level1",
    "Profile",
    "SheetSpec",
    "SpecError",
    "Tier",
    "build_form",
    "build_profile",
    "form_ids",
    "is_spec_path",
    "known_profile_ids",
    "load_form",
    "load_profile",
    "load_profile_file",
    "profile_differences",
    "profile_ids",
    "register_profile_file",
    "register_profile_text",
    "registered_profiles",
    "resolve_profile",
]

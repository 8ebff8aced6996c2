"""Extracting an evaluation document from one section of an official form, every value with its place.

The result is the loose mapping :func:`xltool.core.document.normalize` takes (so a value typed in an official
form is understood by the same rules as one typed in the template), the cell each field path was read from,
and remarks on the reading itself (an undeclared money unit, 元 values under a 万元 label, points in labels
that disagree with the weights, hidden rows that held content). Nothing is guessed: a field whose label is
not on the form stays empty and the checks say so.

Each block of a form (identity fields, money, goals, tasks, indicators, narrative) has its own reader in
:mod:`xltool.core.readers`, chosen by what the layout family's data holds; they share one
:class:`~xltool.core.readers.Section`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from .families import Family
from .readers import READERS, Place, Remark, Section
from .recognise import LabelIndex
from .spec import Profile

__all__ = ["Extracted", "Place", "Remark", "extract"]


@dataclass
class Extracted:
    family: Family
    raw: dict[str, Any]
    cells: dict[str, Place]
    anchors: dict[str, Place]
    remarks: list[Remark]
    title: str | None = None
    #: the indicator and money columns the form has (found under its headers), by field, and its field labels
    columns: frozenset[str] = frozenset()
    #: fields taken from another one because the form has no label for them: path → where from
    inferred: dict[str, str] = dc_field(default_factory=dict)


def extract(index: LabelIndex, rows: range, family: Family, profile: Profile) -> Extracted | None:
    """The document in ``rows`` of a grid, or None when the section holds neither a money block nor an
    indicator table of the family (a cover sheet, a notes sheet)."""
    section = Section(index, rows, family, profile, index.grid.context)
    for reader in READERS:
        if reader.applies(family):
            reader.read(section)
    if "budget" not in section.raw and not section.raw.get("indicators"):
        return None
    return Extracted(
        family,
        section.raw,
        section.cells,
        section.anchors,
        section.remarks,
        section.title(),
        frozenset(section.found),
        section.inferred,
    )

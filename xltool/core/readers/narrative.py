"""The closing narrative fields of a form (评价结论, 存在问题, 改进措施…) by their labels; a printed instruction
left in the cell is no answer."""

from __future__ import annotations

from ..families import Family
from ..grid import is_text
from .section import Section, instruction


def applies(family: Family) -> bool:
    return bool(family.narrative)


def read(s: Section) -> None:
    for path, synonyms in s.family.narrative.items():
        hit = s.find(synonyms)
        if hit is None:
            continue
        found = s.value_near(hit[1], hit[2], hit[0])
        if found is not None and is_text(found[0]) and not instruction(found[0]):
            s.put(path, found[0], found[1], found[2])

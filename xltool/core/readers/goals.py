"""The 年度总体目标 block: the planned and the achieved goal, each the text below or beside its label."""

from __future__ import annotations

from ..families import Family
from ..grid import is_text
from .section import Section


def applies(family: Family) -> bool:
    return bool(family.goals)


def read(s: Section) -> None:
    for key, synonyms in s.family.goals.items():
        for syn in synonyms:
            hit = s.find((syn,))
            if hit is None:
                continue
            found = s.value_near(hit[1], hit[2], hit[0], below_first=True)
            if found is not None and is_text(found[0]):
                s.put(f"goals.{key}", found[0], found[1], found[2])
                break

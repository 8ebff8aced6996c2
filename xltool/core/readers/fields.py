"""The identity fields of a form (项目名称, 主管部门, 实施单位, 单位代码…) by their labels, codes split off names
(``51000021R000000019951-工资性支出``), and the year from the title lines."""

from __future__ import annotations

import re
from typing import Any

from ..families import Family
from ..grid import squeeze
from .section import Section

_YEAR = re.compile(r"(20\d\d)\s*年")
_CODE = re.compile(
    r"^(?:([0-9A-Za-z]*[0-9][0-9A-Za-z]*)\s*[-－—–_]+|[\[【(（]\s*([0-9A-Za-z]*[0-9][0-9A-Za-z]*)\s*[\]】)）])\s*(\S.*)$"
)


def applies(family: Family) -> bool:
    return True  # every form has a year somewhere; its fields are each looked for by label


def read(s: Section) -> None:
    for path, synonyms in s.family.fields.items():
        hit = s.find(synonyms)
        if hit is None:
            continue
        s.found.add(f"fields.{path}")
        found = s.value_near(hit[1], hit[2], hit[0])
        if found is not None:
            s.put(path, found[0], found[1], found[2])
    for path in ("project_name", "unit.name", "unit.supervisor"):
        if path in s.cells:
            split_code(s, path)
    if "fields.unit.name" not in s.found and "unit.supervisor" in s.cells:
        # a project form without 实施单位 (衔接资金 forms): the 主管部门 implements it, and is the unit
        s.raw["unit"]["name"] = s.raw["unit"]["supervisor"]
        s.cells["unit.name"] = s.cells["unit.supervisor"]
        if s.supervisor_code and not s.raw["unit"].get("code"):
            s.raw["unit"]["code"] = s.supervisor_code
            s.cells["unit.code"] = s.cells["unit.supervisor"]
        s.inferred["unit.name"] = "supervisor"
    year(s)


def split_code(s: Section, path: str) -> None:
    """``51000021R000000019951-工资性支出`` → name 工资性支出 and its code (a unit's code is kept as
    单位代码; a project's code as ``project_code``)."""
    node: Any = s.raw
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[part]
    text = node[parts[-1]]
    match = _CODE.match(str(text).strip()) if isinstance(text, str) else None
    if not match:
        return
    code = match[1] or match[2]
    node[parts[-1]] = match[3].strip()
    if path == "project_name":
        s.raw["project_code"] = code
    elif path == "unit.supervisor":
        s.supervisor_code = code
    elif path == "unit.name" and not s.raw.get("unit", {}).get("code"):
        s.raw.setdefault("unit", {})["code"] = code
        s.cells["unit.code"] = s.cells[path]


def year(s: Section) -> None:
    texts = [text for r, _, text in s.index.texts if r in s.rows and r < s.rows.start + 6]
    for text in [*texts, *s.context]:
        if len(text) <= 80 and (match := _YEAR.search(squeeze(text))):
            s.raw["year"] = int(match[1])
            return

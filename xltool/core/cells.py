"""Between a :class:`Document` and the flat ``{field path: cell value}`` a workbook holds.

Cells speak the form's language: 指标性质 as 正向/反向/…, 是否适用 as 是/否, the region as ``江临市/东湖区``,
fund-source rows in the profile's order. These two functions are each other's inverse on canonical
documents; the reader and the writers call them, so the mapping lives in one place.
"""

from __future__ import annotations

from typing import Any

from .document import Document, flatten, unflatten
from .layout import Layout


class MappingError(Exception):
    """A document does not fit the layout (more rows than a given template has, unknown fund source)."""

    def __init__(self, key: str, **params: Any):
        self.key, self.params = key, params
        super().__init__(key)


def to_cells(doc: Document, layout: Layout) -> dict[str, Any]:
    """The value of every input cell for ``doc`` (paths absent from the result stay blank)."""
    profile = layout.profile
    data = doc.to_dict()
    budget = data.get("budget", {})
    sources = budget.pop("sources", [])
    flat = flatten({k: v for k, v in data.items() if k not in ("indicators", "categories")})
    for c, category in enumerate(data.get("categories", [])):
        items = category.get("items", [])
        table = layout.tables.get(f"categories[{c}].items")
        if table is not None and len(items) > table.rows:
            raise MappingError("fill.too-many-rows", table=category.get("name"), count=len(items), rows=table.rows)
        for i, item in enumerate(items):
            for key, value in item.items():
                flat[f"categories[{c}].items[{i}].{key}"] = ("是" if value else "否") if key == "applicable" else value
    for src in sources:
        name = src.get("name")
        if name not in profile.fund_sources:
            raise MappingError("fill.unknown-source", name=name, known="、".join(profile.fund_sources))
        k = profile.fund_sources.index(name)
        for key in ("initial", "adjusted", "executed"):
            if src.get(key) is not None:
                flat[f"budget.sources[{k}].{key}"] = src[key]
    quantity = profile.kind_style == "quantity"
    comparators = {"positive": "≥", "negative": "≤", "equal": "="}
    for i, ind in enumerate(data.get("indicators", [])):
        kind = ind.get("kind")
        for key, value in ind.items():
            if key == "kind" and value == "deadline":
                value = None  # a deadline is read from its target (6月底前); no 指标性质 word names it
            elif key == "kind":
                value = ("定性" if value == "qualitative" else "定量") if quantity else profile.kinds.get(value, value)
            elif key in ("applicable", "core"):
                value = "是" if value else "否"
            elif key in ("target", "target_initial") and quantity and kind in comparators and value is not None:
                value = f"{comparators[kind]}{value}"  # 定量: the direction is written into the value
            flat[f"indicators[{i}].{key}"] = value
    if isinstance(flat.get("unit.region"), list):
        flat["unit.region"] = "/".join(flat["unit.region"])
    for key in ("tasks", "indicators", "explanations", "deductions"):
        count = len(data.get(key, []))
        if key in layout.tables and count > layout.tables[key].rows:
            raise MappingError("fill.too-many-rows", table=key, count=count, rows=layout.tables[key].rows)
    return {path: value for path, value in flat.items() if value is not None and path in layout.fields}


def from_cells(
    flat: dict[str, Any], layout: Layout, tables: dict[str, list[dict[str, Any]]] | None = None
) -> dict[str, Any]:
    """A loose document mapping (to be normalised) from the raw values found in input cells: ``flat`` holds
    the single fields by path, ``tables`` the rows of each table."""
    raw = unflatten({path: value for path, value in flat.items() if not path.startswith("budget.sources")})
    for key, rows in (tables or {}).items():
        if key.startswith("categories["):  # categories[c].items: the rows of one 考核类别
            c = int(key[len("categories[") : key.index("]")])
            categories = raw.setdefault("categories", [])
            while len(categories) <= c:
                categories.append({})
            categories[c]["items"] = rows
        else:
            raw[key] = rows
    sources = []
    for k, name in enumerate(layout.profile.fund_sources):
        row = {key: flat.get(f"budget.sources[{k}].{key}") for key in ("initial", "adjusted", "executed")}
        if any(value not in (None, "") for value in row.values()):
            sources.append({"name": name, **row})
    if sources:
        raw.setdefault("budget", {})["sources"] = sources
    raw["form"] = layout.form.id
    raw["profile"] = layout.profile.id
    return raw

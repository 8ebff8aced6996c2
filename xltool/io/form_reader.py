"""Reading any form a unit holds: xltool's own template, or an official form in .xlsx, .xls, .ods or .docx.

:func:`read_forms` gives one :class:`~xltool.io.xlsx_reader.Workbook` per evaluation document in the file
(several projects on one sheet, or one per sheet, give one each), every field with the sheet and cell (or
Word table, row and column) it was read from. A file that is no form, or could be two layouts equally, raises
``file.unknown-layout`` naming what was found and what is missing; nothing is guessed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.document import Note, normalize
from ..core.families import ASKED, Family, shipped_families
from ..core.layout import cached_layout
from ..core.official import Extracted, extract
from ..core.recognise import LabelIndex, Unrecognised, recognise, sections
from ..core.spec import load_profile
from ..errors import UnusableWorkbook
from .grids import kind_of, read_grids
from .safety import Limits, read_package
from .xlsx_reader import DAMAGED, Official, Workbook, read_workbook

FORM_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".et", ".xlsb", ".doc", ".wps")


def read_forms(
    path: Path, limits: Limits | None = None, families: tuple[Family, ...] | None = None, profile: str | None = None
) -> list[Workbook]:
    """Every evaluation document in ``path``. Raises :class:`UnusableWorkbook` for a file that cannot be used.

    ``profile``: the rules an official form is scored by instead of its layout's own (an office's own profile,
    ``--profile``); a template is always scored by the profile it was made from."""
    path = Path(path)
    limits = limits or Limits.from_env()
    data = read_package(path, limits)
    kind = kind_of(path, data)
    if kind in ("template", "other"):
        return [read_workbook(path, limits, data)]  # the template, or a file whose checks name what it is
    try:
        grids = read_grids(path, data, kind, limits)
    except DAMAGED as exc:  # a part damaged deeper than the package checks can see
        detail = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.bad-zip", error=detail) from None
    families = families or shipped_families()
    indexes = [LabelIndex.build(grid) for grid in grids]
    try:
        family = recognise(indexes, families)
    except Unrecognised as exc:
        raise _unknown(path, exc) from None
    pid = profile or family.profile
    rules = load_profile(pid)
    found: list[Extracted] = []
    for index in indexes:
        for rows in sections(index, family):
            result = extract(index, rows, family, rules)
            if result is None:
                continue
            if found and "project_name" not in result.cells and "unit.name" not in result.cells:
                _merge(found[-1], result)  # a sheet that continues the previous one (its indicators)
            else:
                found.append(result)
    if not found:
        raise _unknown(path, Unrecognised([], None))
    tables = frozenset(grid.name for grid in grids if grid.table)
    layout = cached_layout(family.form, pid)
    out = []
    for number, result in enumerate(found, 1):
        document, notes = normalize({**result.raw, "profile": pid}, rules, official=True)
        if "indicators.kind" not in result.columns:  # the comparator in the target is how this form says it
            notes = [
                n for n in notes if not (n.code == "inferred" and n.path.endswith(".kind") and n.expect != "score")
            ]
        notes += absent_notes(result, family)
        official = Official(family, kind, tables, result.anchors, result.remarks, result.title, number, len(found))
        meta = {"form": family.form, "profile": pid, "layout": family.id}
        out.append(Workbook(path, document, notes, result.cells, layout, meta, official))
    return out


def absent_notes(result: Extracted, family: Family) -> list[Note]:
    """An ``absent`` note for every input the unit's form has no column for (read from the headers actually
    found, so a form that leaves out a column its family may have is treated as the form it is)."""
    notes = []
    for column, expect in ASKED.items():
        block = column.split(".")[0]
        read = any(c.startswith(f"{block}.") for c in result.columns)
        if read and column not in result.columns:
            notes.append(Note(block, "absent", None, expect=expect))
    if family.weights_absent and not any(n.expect == "weight" for n in notes):
        notes.append(Note("indicators", "absent", None, expect="weight"))
    if "stated.total_score" not in result.cells:
        notes.append(Note("stated", "absent", None, expect="stated.total_score"))
    for path, source in result.inferred.items():
        notes.append(Note(path, "inferred", _value(result.raw, path), _value(result.raw, path), expect=source))
    return notes


def _value(raw: dict[str, Any], path: str) -> Any:
    node: Any = raw
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _merge(into: Extracted, more: Extracted) -> None:
    for key, value in more.raw.items():
        if key not in into.raw or into.raw[key] in (None, [], {}):
            into.raw[key] = value
            for path, place in more.cells.items():
                if path == key or path.startswith((f"{key}.", f"{key}[")):
                    into.cells[path] = place
    for name, place in more.anchors.items():
        into.anchors.setdefault(name, place)
    into.columns = into.columns | more.columns
    into.remarks.extend(more.remarks)


def _unknown(path: Path, exc: Unrecognised) -> UnusableWorkbook:
    found = "、".join(exc.found) or "—"
    if exc.rival is not None and exc.best is not None:
        return UnusableWorkbook(
            "file.unknown-layout",
            path=str(path),
            detail_key="detail.layout-ambiguous",
            first=exc.best.family.name,
            second=exc.rival.family.name,
            found=found,
        )
    if exc.best is not None:
        missing = exc.best.missing or exc.best.excluded
        return UnusableWorkbook(
            "file.unknown-layout",
            path=str(path),
            detail_key="detail.layout-partial" if exc.best.missing else "detail.layout-excluded",
            family=exc.best.family.name,
            missing="、".join(missing),
            found=found,
        )
    return UnusableWorkbook("file.unknown-layout", path=str(path), detail_key="detail.layout-none", found=found)

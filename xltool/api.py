"""The library behind the command line: every command is one call here.

>>> from xltool import api
>>> api.make_template("department", "national", Path("t.xlsx"), year=2022)   # doctest: +SKIP
>>> api.fill(document, Path("filled.xlsx"))                                   # doctest: +SKIP
>>> api.export(Path("filled.xlsx"))                                           # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .core.cells import MappingError, to_cells
from .core.document import FORMS, Document, Note, normalize
from .core.layout import Layout, cached_layout
from .core.results import formula_results
from .core.spec import SpecError, load_form, load_profile, profile_ids
from .errors import UsageError
from .io.files import atomic_output


def layout_for(form: str, profile: str, **rows: int) -> Layout:
    """The layout of a shipped form under a shipped profile."""
    if profile not in profile_ids():
        raise UsageError("profile.unknown", profile=profile, known="、".join(profile_ids()))
    try:
        prof = load_profile(profile)
        load_form(prof.form_spec_id(form))
    except SpecError as exc:
        raise UsageError("spec.error", detail=str(exc)) from None
    if form not in prof.forms:
        raise UsageError("profile.form", profile=profile, form=form)
    return cached_layout(form, profile, **rows)


def make_template(
    form: str,
    profile: str,
    out: Path,
    *,
    year: int | None = None,
    password: str | None = None,
    indicator_rows: int = 0,
    force: bool = False,
) -> Path:
    """Write the blank template of ``form`` under ``profile`` to ``out``."""
    from .io.xlsx_writer import write_workbook

    layout = layout_for(form, profile, indicators=indicator_rows)
    blank = Document(form=form, profile=profile, year=year, money_unit=layout.profile.money_unit)
    blank.budget.weight = float(layout.profile.execution_weight)
    with atomic_output(out, force=force) as tmp:
        write_workbook(layout, tmp, results=formula_results(blank, layout), password=password, year=year)
    return out


def load_document(data: dict[str, Any], source: str = "") -> tuple[Document, list[Note]]:
    """Normalise an evaluation document under its own profile."""
    form = data.get("form", "department")
    if form not in FORMS:
        raise UsageError("document.bad-form", path=source, value=form)
    pid = str(data.get("profile") or "national")
    if pid not in profile_ids():
        raise UsageError("profile.unknown", profile=pid, known="、".join(profile_ids()))
    try:
        profile = load_profile(pid)
    except SpecError as exc:
        raise UsageError("spec.error", detail=str(exc)) from None
    return normalize(data, profile)


def fill(
    data: dict[str, Any], out: Path, *, template: Path | None = None, password: str | None = None, force: bool = False
) -> Path:
    """Write the evaluation document ``data`` into a workbook: a fresh one, or a copy of ``template``."""
    doc, _ = load_document(data)
    rows = {"indicators": len(doc.indicators), "tasks": len(doc.tasks), "explanations": len(doc.explanations)}
    if template is not None:
        from .io.xlsx_filler import fill_template, template_meta

        meta = template_meta(template)
        if (meta.get("form"), meta.get("profile")) != (doc.form, doc.profile):
            raise UsageError(
                "fill.template-mismatch",
                path=str(template),
                found=f"{meta.get('form')}/{meta.get('profile')}",
                expected=f"{doc.form}/{doc.profile}",
            )
        layout = layout_for(doc.form, doc.profile, indicators=int(meta.get("indicator_rows", "0") or 0))
        values = _cells(doc, layout)
        with atomic_output(out, force=force) as tmp:
            fill_template(template, layout, values, tmp, formula_results(doc, layout))
        return out
    from .io.xlsx_writer import write_workbook

    layout = layout_for(doc.form, doc.profile, **rows)
    values = _cells(doc, layout)
    with atomic_output(out, force=force) as tmp:
        write_workbook(layout, tmp, values, results=formula_results(doc, layout), password=password)
    return out


def _cells(doc: Document, layout: Layout) -> dict[str, Any]:
    try:
        return to_cells(doc, layout)
    except MappingError as exc:
        raise UsageError(exc.key, **exc.params) from None


def read_all(path: Path) -> list[Any]:
    """Every evaluation document in a file: a workbook made from xltool's template, or an official form in
    .xlsx, .xls, .ods or .docx (see :class:`xltool.io.xlsx_reader.Workbook`; ``official`` says how it was read)."""
    from .io.form_reader import read_forms

    return read_forms(Path(path))


def read(path: Path) -> Any:
    """Read a filled workbook or form (its first evaluation document when it holds several)."""
    return read_all(path)[0]


def export(path: Path) -> dict[str, Any]:
    """The evaluation document held in a filled workbook or form (the first, when it holds several)."""
    return read(path).document.to_dict()


def export_all(path: Path) -> list[dict[str, Any]]:
    """Every evaluation document held in a file, in the order they stand in it."""
    return [wb.document.to_dict() for wb in read_all(path)]


#: What an official form states that the template computes itself (its live formulas recompute them).
COMPUTED_IN_TEMPLATE = ("stated.execution_rate", "stated.execution_score", "stated.total_score")


def import_form(path: Path, out: Path, *, force: bool = False) -> list[tuple[Path, list[tuple[str, Any]]]]:
    """Move every evaluation document of an official form into xltool's template (live formulas, dropdowns),
    so a unit can go on in the template. Several documents give ``out-1.xlsx``, ``out-2.xlsx``…

    Returns, per workbook written, what could not be carried over: ``(field path, value)`` for every value
    the form held that the template has no place for (figures the template computes are listed too)."""
    from .core.document import flatten
    from .io.xlsx_writer import write_workbook

    workbooks = read_all(path)
    written = []
    for number, wb in enumerate(workbooks, 1):
        doc = wb.document
        target = out if len(workbooks) == 1 else out.with_name(f"{out.stem}-{number}{out.suffix}")
        rows = {"indicators": len(doc.indicators), "tasks": len(doc.tasks), "explanations": len(doc.explanations)}
        layout = layout_for(doc.form, doc.profile, **rows)
        values = _cells(doc, layout)
        with atomic_output(target, force=force) as tmp:
            write_workbook(layout, tmp, values, results=formula_results(doc, layout))
        carried = set(values)
        data = doc.to_dict()
        sources = data.get("budget", {}).pop("sources", [])
        left = [
            (key, value)
            for key, value in flatten(data).items()
            if key not in carried
            and key not in ("form", "profile", "budget.weight")
            and value not in (None, [], {})
            and not key.startswith("indicators[")
            and not key.endswith(".applicable")
        ]
        left += (
            [
                (f"budget.sources[{i}].{key}", value)
                for i, src in enumerate(sources)
                for key, value in src.items()
                if key != "name"
                and f"budget.sources[{layout.profile.fund_sources.index(src['name'])}].{key}" not in carried
            ]
            if all(src.get("name") in layout.profile.fund_sources for src in sources)
            else []
        )
        for i, ind in enumerate(data.get("indicators", [])):
            left += [
                (f"indicators[{i}].{key}", value)
                for key, value in ind.items()
                if f"indicators[{i}].{key}" not in carried and key != "applicable" and value is not None
            ]
        written.append((target, left))
    return written

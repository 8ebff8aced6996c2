"""The library behind the command line: every command is one call here, and the CLI only parses its
arguments, calls it, writes the result in the chosen format (:mod:`xltool.formats`) and picks the exit code.

| command | call |
|---|---|
| template | :func:`make_template` |
| fill | :func:`fill` |
| export | :func:`export_all` |
| import | :func:`import_form` |
| validate | :func:`validate` |
| consolidate | :func:`consolidate` (``--tables``: :func:`frames`) |
| report | :func:`write_reports` |
| lint-report | :func:`lint_report` |
| explain | :func:`explain` |
| profiles | :func:`profiles` |

>>> from xltool import api
>>> api.make_template("department", "national", Path("t.xlsx"), year=2022)   # doctest: +SKIP
>>> api.fill(document, Path("filled.xlsx"))                                   # doctest: +SKIP
>>> api.export(Path("filled.xlsx"))                                           # doctest: +SKIP
>>> pid = api.use_profile("./河南.yaml")                                       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .core.cells import MappingError, to_cells
from .core.document import FORMS, Document, Note, normalize
from .core.layout import Layout, cached_layout
from .core.results import formula_results
from .core.spec import SpecError, known_profile_ids, load_form, load_profile, resolve_profile
from .errors import UsageError
from .io.files import atomic_output


def layout_for(form: str, profile: str, **rows: int) -> Layout:
    """The layout of a shipped form under a shipped profile."""
    if profile not in known_profile_ids():
        raise UsageError("profile.unknown", profile=profile, known="、".join(known_profile_ids()))
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
    if pid not in known_profile_ids():
        raise UsageError("profile.unknown", profile=pid, known="、".join(known_profile_ids()))
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


def read_all(path: Path, profile: str | None = None) -> list[Any]:
    """Every evaluation document in a file: a workbook made from xltool's template, or an official form in
    .xlsx, .xls, .ods or .docx (see :class:`xltool.io.xlsx_reader.Workbook`; ``official`` says how it was read).
    ``profile`` scores an official form by that profile instead of its layout's."""
    from .io.form_reader import read_forms

    return read_forms(Path(path), profile=profile)


def read(path: Path) -> Any:
    """Read a filled workbook or form (its first evaluation document when it holds several)."""
    return read_all(path)[0]


def export(path: Path) -> dict[str, Any]:
    """The evaluation document held in a filled workbook or form (the first, when it holds several)."""
    return read(path).document.to_dict()


def export_all(path: Path, profile: str | None = None) -> list[dict[str, Any]]:
    """Every evaluation document held in a file, in the order they stand in it."""
    return [wb.document.to_dict() for wb in read_all(path, profile)]


#: What an official form states that the template computes itself (its live formulas recompute them).
COMPUTED_IN_TEMPLATE = ("stated.execution_rate", "stated.execution_score", "stated.total_score")


def import_form(
    path: Path, out: Path, *, force: bool = False, profile: str | None = None
) -> list[tuple[Path, list[tuple[str, Any]]]]:
    """Move every evaluation document of an official form into xltool's template (live formulas, dropdowns),
    so a unit can go on in the template. Several documents give ``out-1.xlsx``, ``out-2.xlsx``…

    Returns, per workbook written, what could not be carried over: ``(field path, value)`` for every value
    the form held that the template has no place for (figures the template computes are listed too)."""
    from .core.document import flatten
    from .io.xlsx_writer import write_workbook

    workbooks = read_all(path, profile)
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


# ---------------------------------------------------------------------------------------------- every command


def use_profile(ref: str) -> str:
    """A profile named on the command line: a shipped id, or a file of one's own (``./河南.yaml``, which may
    ``extends:`` a shipped one) checked with every mistake reported by path and registered under its id, so
    workbooks made from it resolve. Returns the profile's id."""
    try:
        return resolve_profile(ref).id
    except SpecError as exc:
        if not exc.problems or "没有名为" not in exc.problems[0]:
            raise UsageError("spec.error", detail=str(exc)) from None
        raise UsageError("profile.unknown", profile=ref, known="、".join(known_profile_ids())) from None


def validate(inputs: Iterable[Path], *, profile: str | None = None) -> Iterator[Any]:
    """Every evaluation document of every file (folders searched), validated: :class:`~xltool.validation.Report`
    objects, one per document, an unusable file giving one with its ``file.*`` finding."""
    from .consolidate import collect_inputs
    from .validation import validate_path

    files = collect_inputs(inputs)
    if not files:
        raise UsageError("cli.no-inputs")
    for path in files:
        yield from validate_path(path, profile=profile)


def consolidate(inputs: list[Path], output: Path, **options: Any) -> dict[str, Any]:
    """Many workbooks (files or folders) into one summary workbook (and JSON): see
    :func:`xltool.consolidate.consolidate` for the options. Returns the run's outline."""
    from .consolidate import consolidate as run

    return run(inputs, output, **options)


def frames(inputs: Any, profile: str | None = None, **options: Any) -> Any:
    """The collected forms as pandas DataFrames (units, indicators, findings, unusable): see
    :func:`xltool.dataframes.frames`. Needs pandas (``pip install "xltool[frames]"``)."""
    from .dataframes import frames as build

    return build(inputs, profile, **options)


@dataclass
class Written:
    """What :func:`write_reports` wrote: each report with the project it is about, and the worst outcome
    (0 clean, 1 a workbook had errors, 2 an input could not be used)."""

    reports: list[tuple[Path, str | None]] = field(default_factory=list)
    summary: bool = False
    worst: int = 0


def write_reports(
    inputs: list[Path],
    output: Path,
    *,
    consolidated: bool = False,
    style_template: Path | None = None,
    include_errors: bool = False,
    force: bool = False,
    profile: str | None = None,
) -> Written:
    """One unit's self-evaluation report (one per project of a form holding several: ``REPORT-1.docx``…), or,
    for several workbooks, a folder, a summary workbook or ``consolidated``, the office's summary report."""
    from .reporting import is_summary_workbook, summary_report_for, unit_reports_for, write_report

    done = Written()
    if len(inputs) == 1 and inputs[0].is_file() and not consolidated and not is_summary_workbook(inputs[0]):
        documents = unit_reports_for(inputs[0], profile)
        for number, (document, errors, project) in enumerate(documents, 1):
            target = output if len(documents) == 1 else output.with_name(f"{output.stem}-{number}{output.suffix}")
            write_report(document, target, style_template=style_template, force=force)
            done.reports.append((target, project if len(documents) > 1 else None))
            done.worst = max(done.worst, 1 if errors else 0)
        return done
    document, invalid, unusable = summary_report_for(inputs, include_errors=include_errors, profile=profile)
    write_report(document, output, style_template=style_template, force=force)
    done.reports.append((output, None))
    done.summary = True
    done.worst = 2 if unusable else (1 if invalid else 0)
    return done


def lint_report(
    path: Path, *, against: Path | None = None, lang: str = "zh", profile: str | None = None
) -> dict[str, Any]:
    """A report's figures checked against each other (and against a workbook): the lint result (JSON shape
    ``xltool/report-lint@1``)."""
    from .linting import lint_file

    return lint_file(path, against, lang, profile)


def explain(code: str | None = None) -> list[Any]:
    """The registry entry of one finding code (a usage error naming the closest codes when there is none), or
    of every code."""
    from .core.registry import codes
    from .explain import find_code

    return [find_code(code)] if code else list(codes().values())


def profiles() -> list[dict[str, Any]]:
    """Every profile (shipped, then registered from files) and what differs in each from the national one."""
    from .core.spec import profile_differences

    base = load_profile("national")
    rows: list[dict[str, Any]] = []
    for pid in known_profile_ids():
        prof = load_profile(pid)
        rows.append(
            {
                "id": prof.id,
                "name": prof.name,
                "forms": list(prof.forms),
                "description": prof.description,
                "differences": profile_differences(prof, base) if pid != "national" else [],
            }
        )
    return rows

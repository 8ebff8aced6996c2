"""Consolidation: many unit workbooks into one summary.

Each file is summarised by :func:`summarize_file`, a pure function of the file that returns a small plain
mapping (so it travels cheaply between processes or Dask workers). Results stream into an on-disk store as
they arrive, and the summary workbook and JSON are written from the store, so memory stays flat however many
files there are.

Size: about 400 lines because the three executors (serial, local process pool with per-file isolation, Dask)
stand side by side with the task they run, so that a change to the task is seen in all three.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .core.figures import wan
from .core.scoring import round_half_up
from .validation import Report, validate_path

#: Files a task reads in one go: large enough that scheduling costs little, small enough to spread the work.
BATCH = 16
SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})


def iter_inputs(inputs: Iterable[Path]) -> Iterator[str]:
    """Files as given; folders searched recursively, every file in them: a workbook is read, anything else
    (a .et, .ods, .xlsb, a PDF scan…) is listed as unusable with its reason, so no unit vanishes without a word.
    Skipped: Office lock and temp files (``~$*``), hidden files and folders, and the folder files of Windows
    and macOS (``Thumbs.db``, ``desktop.ini``).

    Lazy: a collecting office's folder of ten thousand files is never held as a list."""
    for item in inputs:
        if item.is_dir():
            for folder, dirs, names in os.walk(item):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith(("~$", ".~", ".")) and name.lower() not in SYSTEM_FILES:
                        yield os.path.join(folder, name)
        else:
            yield str(item)


def collect_inputs(inputs: Iterable[Path]) -> list[Path]:
    """:func:`iter_inputs` as a list of paths (for callers that want to count or sort them)."""
    return [Path(p) for p in iter_inputs(inputs)]


def _wan(value: object, money_unit: str) -> float | None:
    amount = wan(value, money_unit)
    return None if amount is None else float(round_half_up(amount, 6))


def summarize_file(path: str, lang: str = "zh", profile: str | None = None) -> list[dict[str, Any]]:
    """Everything the summary needs from one file, as plain data (money in 万元): one entry per evaluation
    document in it (an official form may hold several projects), or one entry saying why it is unusable."""
    return [summarize_report(path, report, lang) for report in validate_path(Path(path), profile=profile)]


def _plain(value: object) -> object:
    """A finding's expected or found value as JSON carries it (a Decimal as its digits)."""
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def summarize_report(path: str, report: Report, lang: str) -> dict[str, Any]:
    """What the summary needs from one validated document of the file ``path`` (the desk keeps these with each
    upload, so that its summary need not validate every file again)."""
    if report.unusable or report.workbook is None:
        return {"file": path, "unusable": report.unusable, "message": report.unusable_message.get(lang, "")}
    doc, scores = report.workbook.document, report.scores
    assert scores is not None
    counts = report.counts
    indicators = []
    for ind, item in zip(doc.indicators, scores.items, strict=True):
        if not ind.name:
            continue
        indicators.append(
            {
                "level1": ind.level1,
                "level2": ind.level2,
                "name": ind.name,
                "kind": ind.kind,
                "target": ind.target,
                "actual": ind.actual,
                "unit": ind.unit,
                "weight": float(item.weight),
                "score": float(round_half_up(item.score, 4)) if ind.applicable else None,
                "applicable": ind.applicable,
                "reason": ind.reason,
            }
        )
    findings = [
        {
            "code": f.code,
            "severity": f.severity,
            "sheet": f.sheet,
            "cell": f.cell,
            "field": f.field,
            "message": report.message(f, lang),
            "explained": f.explained,
            "expected": _plain(f.expected),
            "found": _plain(f.found),
        }
        for f in report.findings
    ]
    return {
        "file": path,
        "unusable": None,
        "unit": doc.unit.name or "",
        "code": doc.unit.code,
        "region": list(doc.unit.region),
        "year": doc.year if isinstance(doc.year, int) else None,
        "form": doc.form,
        "project_name": doc.project_name,
        "profile": doc.profile,
        "money_unit": doc.money_unit,
        "budget_adjusted": _wan(doc.budget.adjusted, doc.money_unit),
        "budget_executed": _wan(doc.budget.executed, doc.money_unit),
        "execution_rate": float(round_half_up(scores.execution_rate, 6)) if scores.execution_rate is not None else None,
        "total_score": float(round_half_up(scores.graded_total, 2)) if report.scored else None,
        "total": float(round_half_up(scores.total, 2)) if report.scored else None,
        "normalized": float(round_half_up(scores.normalized, 2))
        if report.scored and scores.normalized is not None
        else None,
        "grade": scores.grade if report.scored else None,
        "scored": report.scored,
        "errors": counts["error"],
        "warnings": counts["warning"],
        "valid": report.valid,
        "indicators": indicators,
        "findings": findings,
    }


def summarize_batch(
    paths: list[str], lang: str = "zh", profile: str | None = None, sources: tuple[tuple[str, str], ...] = ()
) -> list[dict[str, Any]]:
    """:func:`summarize_file` over a batch (one task per batch keeps the scheduling overhead small).

    ``sources``: the profile files the caller registered, as (text, path), registered again here, since a worker
    process (spawned on Windows, or on another machine) does not share the caller's."""
    if sources:
        from .core.spec import register_profile_text

        for text, source in sources:
            register_profile_text(text, source)
    return [summary for p in paths for summary in summarize_file(p, lang, profile)]


Task = Callable[[list[str], str], list[dict[str, Any]]]


def _batches(paths: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(paths)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# ---------------------------------------------------------------------------------------------- executors

Summaries = Iterator[list[dict[str, Any]]]


def run_serial(paths: Iterable[str], lang: str, batch: int = BATCH, task: Task = summarize_batch) -> Summaries:
    for chunk in _batches(paths, batch):
        yield task(chunk, lang)


def run_local(
    paths: Iterable[str],
    lang: str,
    workers: int | None = None,
    batch: int = BATCH,
    task: Task = summarize_batch,
) -> Summaries:
    """A local process pool (all cores by default). At most a few batches per worker are in flight, and
    results are yielded as they complete, so memory does not grow with the number of files.

    Each file is isolated: should a file kill its worker process (a reader aborting on a malformed file), the
    batches then in flight are read again one file per fresh process, the file that kills its process is
    listed as unusable, and the run goes on with a new pool."""
    import concurrent.futures as cf
    from concurrent.futures.process import BrokenProcessPool

    workers = workers or os.cpu_count() or 1
    chunks = iter(_batches(paths, batch))
    while True:
        retry: list[list[str]] = []
        with cf.ProcessPoolExecutor(max_workers=workers) as pool:
            inflight = {pool.submit(task, c, lang): c for c in itertools.islice(chunks, workers * 3)}
            while inflight and not retry:
                done, _ = cf.wait(inflight, return_when=cf.FIRST_COMPLETED)
                for future in done:
                    chunk = inflight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        retry.append(chunk)
                        continue
                    yield result
                    nxt = None if retry else next(chunks, None)
                    if nxt is not None:
                        inflight[pool.submit(task, nxt, lang)] = nxt
            retry.extend(inflight.values())
            for future in inflight:
                future.cancel()
        if not retry:
            return
        for chunk in retry:
            yield [summary for path in chunk for summary in _isolated(path, lang, task)]


def _isolated(path: str, lang: str, task: Task) -> list[dict[str, Any]]:
    """One file read in a process of its own; a file that ends that process is listed as unusable."""
    import concurrent.futures as cf
    from concurrent.futures.process import BrokenProcessPool

    from .messages import render

    with cf.ProcessPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(task, [path], lang).result()
        except BrokenProcessPool:
            message = render("file.unreadable", lang, path=path, detail=render("detail.crashed", lang))
            return [{"file": path, "unusable": "file.unreadable", "message": message}]


def run_dask(
    paths: Iterable[str], lang: str, scheduler: str, batch: int = BATCH, task: Task = summarize_batch
) -> Summaries:
    """A Dask cluster (``--executor dask --scheduler ADDRESS``): the same batches, streamed back as they
    complete, with a bounded number in flight. Workers must be able to read the paths given."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        from .errors import UsageError

        raise UsageError("consolidate.no-dask") from None
    with Client(scheduler, set_as_default=False) as client:
        chunks = iter(_batches(paths, batch))
        limit = max(4, 3 * sum(client.nthreads().values()))
        first = [client.submit(task, c, lang, pure=False) for _, c in zip(range(limit), chunks, strict=False)]
        queue = as_completed(first, loop=client.loop)
        for future in queue:
            yield future.result()
            future.release()
            nxt = next(chunks, None)
            if nxt is not None:
                queue.add(client.submit(task, nxt, lang, pure=False))


def summaries(
    paths: Iterable[str],
    lang: str = "zh",
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    count: int | None = None,
    profile: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Every file's summary, in completion order, through the chosen executor (``count``, when known, lets a
    handful of files skip the process pool; ``profile`` scores official forms by that profile)."""
    import functools

    from .core.spec import registered_profiles

    sources = registered_profiles()
    task: Task = (
        functools.partial(summarize_batch, profile=profile, sources=sources) if profile or sources else summarize_batch
    )
    if executor == "dask":
        from .errors import UsageError

        if not scheduler:
            raise UsageError("consolidate.no-scheduler")
        source = run_dask(paths, lang, scheduler, task=task)
    elif executor == "serial":  # in this process: for debugging; a file that aborts the reader ends the run
        source = run_serial(paths, lang, task=task)
    else:
        batches = -(-(count or BATCH) // BATCH)  # no more worker processes than there are batches to give them
        source = run_local(paths, lang, min(workers or os.cpu_count() or 1, max(1, batches)), task=task)
    for batch in source:
        yield from batch
        if progress:
            progress(len(batch))


# ---------------------------------------------------------------------------------------------- the run


def consolidate(
    inputs: list[Path],
    output: Path,
    *,
    json_path: Path | None = None,
    lang: str = "zh",
    executor: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
    include_errors: bool = False,
    profile: str | None = None,
    tables: Path | None = None,
    table_format: str = "csv",
) -> dict[str, Any]:
    """Consolidate ``inputs`` (files or folders) into the summary workbook ``output`` (and ``json_path``; with
    ``tables``, the four tables of :mod:`xltool.dataframes` as files in that folder, from the same reading).

    A unit whose workbook has errors is listed as 待更正 and kept out of grade counts, averages and charts
    until it is corrected; ``include_errors`` counts it anyway (a provisional picture, marked as such).
    Returns the run's outline: how many units, unusable files, error units and conflicts there were.
    """
    from .errors import UsageError

    count = sum(1 for _ in iter_inputs(inputs))
    if not count:
        raise UsageError("cli.no-inputs")
    if tables is not None:
        from .dataframes import check_table_format

        check_table_format(table_format)  # before any file is read
    items: Iterable[dict[str, Any]] = summaries(
        iter_inputs(inputs), lang, executor, scheduler, workers, progress, count, profile
    )
    kept: list[dict[str, Any]] = []
    if tables is not None:
        items = _keeping(items, kept)
    outline = write_summaries(
        items, count, output, json_path=json_path, lang=lang, force=force, include_errors=include_errors
    )
    if tables is not None:
        from .dataframes import from_summaries, write_tables

        outline["tables"] = [str(p) for p in write_tables(from_summaries(kept), tables, table_format)]
    return outline


def _keeping(items: Iterable[dict[str, Any]], kept: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        kept.append(item)
        yield item


def write_summaries(
    items: Iterable[dict[str, Any]],
    count: int,
    output: Path,
    *,
    json_path: Path | None = None,
    lang: str = "zh",
    force: bool = False,
    include_errors: bool = False,
) -> dict[str, Any]:
    """The summary workbook ``output`` (and ``json_path``) from the files' summaries (:func:`summarize_report`'s,
    as they arrive), ``count`` files in all; the run's outline, as :func:`consolidate` returns it."""
    import tempfile

    from .errors import UsageError
    from .io.files import atomic_output
    from .io.summary_store import SummaryStore
    from .io.summary_writer import write_summary

    for target in (output, json_path):  # refuse before any work is done
        if target is not None and target.exists() and not force:
            raise UsageError("output.exists", path=str(target))
    with tempfile.TemporaryDirectory(prefix="xltool-summary-") as tmp:
        store = SummaryStore(Path(tmp))
        try:
            for item in items:
                store.add(item)
            store.commit()
            conflicts = store.conflicts()
            with atomic_output(output, force=force) as out:
                write_summary(out, store, conflicts, lang, include_errors)
            if json_path is not None:
                with atomic_output(json_path, force=force) as out:
                    write_summary_json(out, store, conflicts, lang, include_errors)
            units, adjusted, executed = store.totals()
            invalid = store.count_invalid()
            return {
                "files": count,
                "units": units,
                "unusable": store.count("unusable"),
                "invalid": invalid,
                "conflicts": len(conflicts),
                "grades": store.grades(include_errors),
                "pending": 0 if include_errors else invalid,
                "budget_adjusted": adjusted,
                "budget_executed": executed,
            }
        finally:
            store.close()


def write_summary_json(path: Path, store: Any, conflicts: list[Any], lang: str, include_errors: bool = False) -> None:
    """The summary as JSON (CONTRACT.md §4, plus ``conflicts``, ``pending`` and each unit's ``counted``), streamed
    unit by unit. ``grades`` counts only the units counted (those without errors, unless ``include_errors``)."""
    import json

    from .io.summary_writer import canonical_grade

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    units, adjusted, executed = store.totals()
    with path.open("w", encoding="utf-8") as out:
        out.write('{"schema": "xltool/summary@1", "money_unit": "万元", "units": [')
        for i, u in enumerate(store.units()):
            out.write(
                ("," if i else "")
                + "\n  "
                + dump(
                    {
                        "file": u["file"],
                        "unit": u["unit"],
                        "code": u["code"],
                        "region": u["region"].split("/") if u["region"] else [],
                        "year": u["year"],
                        "form": u["form"],
                        "budget_adjusted": u["adjusted"],
                        "budget_executed": u["executed"],
                        "execution_rate": u["rate"],
                        "total_score": u["total"],
                        "grade": u["grade"],
                        "errors": u["errors"],
                        "warnings": u["warnings"],
                        "valid": bool(u["valid"]),
                        "counted": bool(u["valid"]) or include_errors,
                        "profile": u["profile"],
                    }
                )
            )
        rate = executed / adjusted if adjusted else None
        grades: dict[str, int] = {"优": 0, "良": 0, "中": 0, "差": 0}
        for grade, n in store.grades(include_errors).items():
            key = canonical_grade(grade)
            grades[key] = grades.get(key, 0) + n
        out.write(
            "\n], "
            + '"totals": '
            + dump(
                {
                    "units": units,
                    "budget_adjusted": round(adjusted, 6),
                    "budget_executed": round(executed, 6),
                    "execution_rate": None if rate is None else round(rate, 6),
                }
            )
        )
        out.write(', "grades": ' + dump(grades))
        pending = [] if include_errors else [{"file": f, "unit": u, "errors": e} for f, u, e in store.pending()]
        out.write(', "pending": ' + dump(pending) + ', "include_errors": ' + dump(include_errors))
        out.write(', "unusable": ' + dump([{"file": f, "code": c, "message": m} for f, c, m in store.unusable_files()]))
        out.write(
            ', "conflicts": '
            + dump([{"code": c.code, "message": c.message(lang), "files": list(c.files)} for c in conflicts])
        )
        out.write("}\n")

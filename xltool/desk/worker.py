"""Everything the desk asks of xltool runs here, in a pool of worker processes with a time limit per task: one
file can neither stall nor kill the server (a task over its time is stopped with its process; a process that dies
is replaced). The functions are the same library calls the commands make, so a page shows what
``xltool validate --format json`` and ``xltool consolidate`` give for the same file."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

#: The most memory a worker may map (xltool bounds what a file may make it allocate; this is the last fence).
MEMORY_LIMIT = 4 << 30


class TaskFailed(Exception):
    """A task ran out of time (``timeout``) or its process died (``crashed``)."""

    def __init__(self, kind: str, seconds: float):
        super().__init__(kind)
        self.kind, self.seconds = kind, seconds


def _ready() -> None:
    """Nothing: a task that makes the pool start its processes."""


def _start_worker() -> None:
    """A worker's start: its memory ceiling, and xltool's readers, checks and writers imported before a task asks."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # not on this system: xltool's own limits remain
        pass
    import xltool.api
    import xltool.consolidate
    import xltool.io.form_reader
    import xltool.validation  # noqa: F401


class Workers:
    """A pool of worker processes (spawned: the server's threads are not copied into them)."""

    def __init__(self, processes: int, timeout: float):
        self.timeout, self.processes = timeout, processes
        self.pool = self._start()

    def _start(self) -> Any:
        """A pool whose processes import xltool at once (the first uploads do not wait for it), and are not
        recycled: xltool keeps nothing between files, and a recycled process is a cold one."""
        from pebble import ProcessPool

        pool = ProcessPool(
            max_workers=self.processes,
            max_tasks=0,
            initializer=_start_worker,
            context=multiprocessing.get_context("spawn"),
        )
        for _ in range(self.processes):  # the pool starts its processes with its first tasks: now, not at an upload
            pool.schedule(_ready)
        return pool

    async def run(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        from pebble import ProcessExpired

        limit = timeout or self.timeout
        try:
            future = self.pool.schedule(fn, args=args, timeout=limit)
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            raise TaskFailed("timeout", limit) from None
        except ProcessExpired:
            raise TaskFailed("crashed", limit) from None
        except (BrokenProcessPool, RuntimeError):  # the pool itself broke: start a new one for the next task
            old, self.pool = self.pool, self._start()
            old.stop()
            raise TaskFailed("crashed", limit) from None

    def close(self) -> None:
        self.pool.stop()
        self.pool.join(timeout=10)


# ------------------------------------------------------------------------------------------ tasks (in a worker)


def _profile(ref: str | None) -> str | None:
    if ref is None:
        return None
    from xltool.api import use_profile

    return use_profile(ref)


def validate(path: str, profile: str | None, lang: str = "zh") -> tuple[list[Any], list[Any], list[Any]]:
    """What ``xltool validate --format json --profile PROFILE PATH`` prints, one object per document; beside it,
    for the page, the 执行率, 总分 and 等次 each document states; and what ``xltool consolidate`` takes from the file
    (kept with the version, so that the summary does not validate every file again)."""
    from xltool import api
    from xltool.consolidate import summarize_report

    reports = list(api.validate([Path(path)], profile=_profile(profile)))
    stated = []
    for report in reports:
        doc = report.workbook.document if report.workbook else None
        figures = doc.stated if doc else None
        stated.append(
            {
                "execution_rate": _plain(figures.execution_rate) if figures else None,
                "execution_score": _plain(figures.execution_score) if figures else None,
                "total": _plain(figures.total_score) if figures else None,
                "grade": figures.grade if figures else None,
                "project": doc.project_name if doc else None,
            }
        )
    summaries = [summarize_report(path, report, lang) for report in reports]
    return [report.to_json(lang) for report in reports], stated, summaries


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | str) else str(value)


def annotate(path: str, profile: str | None, folder: str, lang: str = "zh") -> str | None:
    """What ``xltool validate --annotate FOLDER`` writes for the file: its marked copy (or findings list)."""
    from xltool.render import annotate_reports
    from xltool.validation import validate_path

    reports = validate_path(Path(path), profile=_profile(profile))
    written = annotate_reports(reports, Path(folder), lang, True)
    return None if written is None else str(written)


def report(path: str, profile: str | None, out: str) -> list[str]:
    """What ``xltool report PATH -o OUT.docx`` writes: the draft self-evaluation report(s)."""
    from xltool import api

    written = api.write_reports([Path(path)], Path(out), force=True, profile=_profile(profile))
    return [str(target) for target, _ in written.reports]


def template(form: str, profile: str, year: int, unit: dict[str, Any], out: str) -> str:
    """The collection's blank template for one unit: year, profile, the unit's name, code and region filled in."""
    from xltool import api

    pid = _profile(profile) or profile
    document = {"form": form, "profile": pid, "year": year, "unit": unit}
    api.fill(document, Path(out), force=True)
    return out


def summary(
    items: list[dict[str, Any]], count: int, profile: str | None, out: str, json_out: str, report_out: str | None
) -> dict[str, Any]:
    """What ``xltool consolidate FILES -o OUT --json JSON_OUT`` writes for the files whose summaries ``items`` are
    (taken when each was uploaded), and, to ``report_out`` when given, the office's summary report."""
    from xltool import api
    from xltool.consolidate import write_summaries

    pid = _profile(profile)
    outline = write_summaries(items, count, Path(out), json_path=Path(json_out), force=True)
    if report_out is not None:
        api.write_reports([Path(out)], Path(report_out), consolidated=True, force=True, profile=pid)
    return outline

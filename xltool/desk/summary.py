"""The office's summary at any moment: each unit's latest submitted version (else its latest upload) put through
exactly what ``xltool consolidate`` does — units with errors stand as 待更正 — in a worker process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import files, store, worker

if TYPE_CHECKING:
    from .app import Desk


@dataclass
class Summary:
    json: Path
    workbook: Path | None
    report: Path | None
    paths: list[str]


def chosen_paths(desk: Desk, conn: Any) -> list[str]:
    """The stored files the summary is built from, in the units' order (region, code)."""
    return [str(files.path_of(desk.settings.data, v.sha256, v.suffix)) for _, v in store.summary_versions(conn)]


EMPTY = {
    "schema": "xltool/summary@1",
    "money_unit": "万元",
    "units": [],
    "totals": {"units": 0, "budget_adjusted": 0.0, "budget_executed": 0.0, "execution_rate": None},
    "grades": {},
    "unusable": [],
}


async def build_summary(desk: Desk, folder: Path, timeout: float = 600.0) -> Summary:
    paths = await desk.read(lambda conn: chosen_paths(desk, conn))
    coll = await desk.read(desk.collection)
    json_out = folder / "summary.json"
    if not paths:
        json_out.write_text(json.dumps(EMPTY, ensure_ascii=False), encoding="utf-8")
        return Summary(json_out, None, None, [])
    workbook, report = folder / "summary.xlsx", folder / "summary.docx"
    await desk.workers.run(
        worker.summary, paths, coll.profile, str(workbook), str(json_out), str(report), timeout=timeout
    )
    return Summary(json_out, workbook, report if report.exists() else None, paths)

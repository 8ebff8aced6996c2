"""The office's summary at any moment: each unit's latest submitted version (else its latest upload), written by
exactly what ``xltool consolidate`` writes for those files (units with errors stand as 待更正), in a worker process.
What consolidate takes from each file was kept when the file was uploaded, so no file is validated again."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import store, worker

if TYPE_CHECKING:
    from .app import Desk


@dataclass
class Summary:
    json: Path
    workbook: Path | None
    report: Path | None


def chosen_summaries(conn: Any) -> tuple[list[dict[str, Any]], int]:
    """The summaries of the versions the summary is built from (one per document), and how many files they are."""
    chosen = store.summary_versions(conn)
    return [item for _, version in chosen for item in json.loads(version.summary)], len(chosen)


EMPTY = {
    "schema": "xltool/summary@1",
    "money_unit": "万元",
    "units": [],
    "totals": {"units": 0, "budget_adjusted": 0.0, "budget_executed": 0.0, "execution_rate": None},
    "grades": {},
    "unusable": [],
}


async def build_summary(desk: Desk, folder: Path, *, report: bool = False, timeout: float = 600.0) -> Summary:
    """The summary JSON and workbook of the chosen versions, and, when ``report``, the summary report (.docx)."""
    items, files = await desk.read(chosen_summaries)
    coll = await desk.read(desk.collection)
    json_out = folder / "summary.json"
    if not files:
        json_out.write_text(json.dumps(EMPTY, ensure_ascii=False), encoding="utf-8")
        return Summary(json_out, None, None)
    workbook, document = folder / "summary.xlsx", folder / "summary.docx"
    wanted = str(document) if report else None
    await desk.workers.run(
        worker.summary, items, files, coll.profile, str(workbook), str(json_out), wanted, timeout=timeout
    )
    return Summary(json_out, workbook, document if document.exists() else None)

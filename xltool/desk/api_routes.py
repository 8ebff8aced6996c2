"""The interface scripts use (docs/desk.md): a unit's uploads by its token, the office's summary by its key. The pages
sit on the same functions, so a script and a clerk get the same answer."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import store
from .app import Desk, desk_of, reports_of
from .security import digest, same
from .summary import build_summary
from .unit_pages import _remove, for_unit, receive_upload, send_version_file


@for_unit
async def upload(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> Response:
    status, result = await receive_upload(request, desk, unit_row, coll)
    if status != 201:
        return JSONResponse({"error": result}, status_code=status)
    row = await desk.read(store.version, unit_row.id, result)
    return JSONResponse(_answer(row), status_code=201)


def _answer(row: Any) -> dict[str, Any]:
    """The ``xltool/report@1`` object of ``validate --format json`` plus ``version``; a file holding several
    documents (projects) also lists every report under ``reports``."""
    reports = reports_of(row)
    out: dict[str, Any] = {**reports[0], "version": row.number}
    if len(reports) > 1:
        out["reports"] = reports
    return out


@for_unit
async def uploads(request: Request, desk: Desk, unit_row: Any, _coll: store.Collection) -> Response:
    rows = await desk.read(store.versions, unit_row.id)
    return JSONResponse(
        {
            "unit": {"code": unit_row.code, "name": unit_row.name, "state": unit_row.state},
            "versions": [
                {
                    "version": row.number,
                    "uploaded_at": store.utc(row.uploaded_at).isoformat(timespec="seconds"),
                    "filename": row.filename,
                    "size": row.size,
                    "sha256": row.sha256,
                    "valid": row.valid,
                    "errors": row.errors,
                    "warnings": row.warnings,
                    "total": row.total,
                    "grade": row.grade,
                    "submitted": row.submitted_at is not None,
                }
                for row in rows
            ],
        }
    )


@for_unit
async def upload_file(request: Request, desk: Desk, unit_row: Any, _coll: store.Collection) -> Response:
    return await send_version_file(request, desk, unit_row, request.path_params["number"], "file")


async def office_summary(request: Request) -> Response:
    desk = desk_of(request)
    given = request.headers.get("authorization", "")
    coll = await desk.read(desk.collection)
    if not given.startswith("Bearer ") or coll.api_key_hash is None or not same(digest(given[7:]), coll.api_key_hash):
        return JSONResponse({"error": "unauthorized"}, status_code=401, headers={"www-authenticate": "Bearer"})
    folder = tempfile.mkdtemp(prefix="desk-")
    try:
        built = await build_summary(desk, Path(folder))
        body = json.loads(built.json.read_text(encoding="utf-8"))
    finally:
        _remove(folder)
    return JSONResponse(body)


routes = [
    Route("/api/u/{token}/uploads", upload, methods=["POST"]),
    Route("/api/u/{token}/uploads", uploads, methods=["GET"]),
    Route("/api/u/{token}/uploads/{number:int}/file", upload_file),
    Route("/api/office/summary.json", office_summary),
]

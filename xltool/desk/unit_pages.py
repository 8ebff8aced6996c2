"""A unit's pages, reached by its private link ``/u/{token}`` (no account): the collection's template to download,
an upload that answers at once with every finding on the unit's own cells, the recomputed figures beside the ones it
wrote, 审核说明 for warnings, the annotated copy and the draft report, 送审 when nothing is wrong, and the office's
comments. Any token that is not a unit's own gets the same 404."""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from . import files, store, worker
from .app import Desk, address, desk_of, not_found, reports_of, stated_of, version_marks
from .security import same, unit_csrf
from .worker import TaskFailed

_FORM_NAMES = {"department": "部门整体支出绩效自评表", "project": "项目支出绩效自评表"}
#: What each form's downloaded file is called: the unit's code and the form, never a name a client chose.
_SUFFIX_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


async def _unit(request: Request) -> tuple[Desk, Any, store.Collection] | None:
    desk = desk_of(request)
    token = request.path_params.get("token", "")

    def find(conn: Any) -> tuple[Any, store.Collection] | None:
        row = store.unit_by_token(conn, token)
        return None if row is None else (row, desk.collection(conn))

    found = await desk.read(find)
    return None if found is None else (desk, found[0], found[1])


UnitHandler = Callable[[Request, Desk, Any, store.Collection], Awaitable[Response]]


def for_unit(handler: UnitHandler) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint of a unit's link: the handler gets the desk, the unit and the collection; any token that is not
    a unit's gets the one 404."""

    async def endpoint(request: Request) -> Response:
        found = await _unit(request)
        if found is None:
            return not_found(request)
        return await handler(request, *found)

    endpoint.__name__ = handler.__name__
    return endpoint


def _csrf_ok(desk: Desk, unit_row: Any, form: Any) -> bool:
    return same(str(form.get("csrf", "")), unit_csrf(desk.key, unit_row.token_hash))


@for_unit
async def page(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> Response:
    return await _render(request, desk, unit_row, coll, None, None)


@for_unit
async def version_page(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> Response:
    return await _render(request, desk, unit_row, coll, request.path_params["number"], None)


async def _render(
    request: Request,
    desk: Desk,
    unit_row: Any,
    coll: store.Collection,
    number: int | None,
    message: str | None,
    status: int = 200,
) -> Response:
    def gather(conn: Any) -> dict[str, Any]:
        rows = store.versions(conn, unit_row.id)
        shown = (
            next((v for v in rows if v.number == number), None) if number is not None else (rows[0] if rows else None)
        )
        return {
            "versions": rows,
            "shown": shown,
            "explained": store.explanations(conn, shown.id) if shown is not None else {},
            "decisions": store.decisions(conn, unit_row.id),
        }

    data = await desk.read(gather)
    if number is not None and data["shown"] is None:
        return not_found(request)
    shown = data["shown"]
    latest = data["versions"][0] if data["versions"] else None
    context = {
        "coll": coll,
        "unit": unit_row,
        "base": f"/u/{request.path_params['token']}",
        "csrf": unit_csrf(desk.key, unit_row.token_hash),
        "versions": data["versions"],
        "shown": shown,
        "is_latest": shown is not None and latest is not None and shown.number == latest.number,
        "documents": _documents(desk, shown) if shown is not None else [],
        "explained": data["explained"],
        "decisions": data["decisions"],
        "marks": version_marks(data["versions"], data["decisions"]),
        "forms": [(form, _FORM_NAMES.get(form, form)) for form in coll.forms],
        "message": message,
        "can_upload": unit_row.state in store.OPEN,
        "can_submit": unit_row.state in ("draft", "returned") and latest is not None and latest.errors == 0,
        "can_withdraw": unit_row.state == "submitted",
    }
    return desk.page(request, "unit.html", context, status)


def _documents(desk: Desk, version_row: Any) -> list[dict[str, Any]]:
    """Each document of a version as the page shows it: the computed figures beside the stated ones, the
    findings with the explanation of their codes."""
    out = []
    for report, stated in zip(reports_of(version_row), stated_of(version_row), strict=False):
        findings = []
        for f in report["findings"]:
            where = f"{f['sheet']}!{f['cell']}" if f.get("sheet") and f.get("cell") else (f.get("cell") or "")
            findings.append({**f, "where": where, "key": f"{f['code']}@{where}", "about": desk.explain.get(f["code"])})
        out.append({"report": report, "stated": stated, "findings": findings})
    return out


@for_unit
async def template(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> Response:
    form = request.path_params["form"]
    if form not in coll.forms:
        return not_found(request)
    unit = {"name": unit_row.name, "code": unit_row.code, "region": unit_row.region}
    folder = tempfile.mkdtemp(prefix="desk-")
    out = str(Path(folder) / "template.xlsx")
    try:
        await desk.workers.run(worker.template, form, coll.profile, coll.year, unit, out)
    except TaskFailed:
        return desk.page(request, "message.html", {"title": "暂时无法生成模板", "text": "请稍后再试。"}, 503)
    name = f"{unit_row.code}-{coll.year}-{_FORM_NAMES.get(form, form)}.xlsx"
    return _download(out, name, folder)


def _download(path: str, name: str, folder: str | None = None) -> Response:
    from starlette.background import BackgroundTask

    cleanup = BackgroundTask(_remove, folder) if folder else None
    media = _SUFFIX_TYPES.get(Path(path).suffix, "application/octet-stream")
    return FileResponse(path, media_type=media, filename=name, background=cleanup)


def _remove(folder: str) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


async def receive_upload(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> tuple[int, Any]:
    """Store and validate the file posted in field ``file``: (201, the new version's number) or (status, message)."""
    if not desk.upload_limiter.allow(f"unit:{unit_row.id}"):
        return 429, "上传过于频繁，请稍后再试。"
    async with request.form(max_files=1, max_fields=20, max_part_size=64 * 1024) as form:
        if request.url.path.startswith("/u/") and not _csrf_ok(desk, unit_row, form):
            return 403, "页面已过期，请刷新后重新上传。"
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return 400, "请选择要上传的文件。"
        if unit_row.state not in store.OPEN:
            return 409, "已送审或已通过的自评表不能再上传；如需修改，请先撤回送审（已通过的须由办公室退回）。"
        suffix = files.suffix_of(upload.filename)
        sha, size, path = await run_in_threadpool(files.store, desk.settings.data, upload.file, suffix)
        filename = Path(upload.filename.replace("\\", "/")).name
    try:
        reports, stated, summary = await desk.workers.run(worker.validate, str(path), coll.profile)
    except TaskFailed as failed:
        report, entry = _failed(path, failed)
        reports, stated, summary = [report], [{}], [entry]

    def record(conn: Any) -> int:
        number = store.add_version(
            conn,
            unit_row,
            filename=filename,
            suffix=suffix,
            size=size,
            sha256=sha,
            reports=reports,
            stated=stated,
            summary=summary,
            address=address(request),
        )
        store.log(
            conn,
            f"单位 {unit_row.code}",
            "upload",
            unit_code=unit_row.code,
            version=number,
            detail=f"{filename}，{size} 字节，sha256 {sha}，错误 {sum(r['counts']['error'] for r in reports)} 项",
            address=address(request),
        )
        return number

    return 201, await desk.write(record)


def _failed(path: Path, failed: TaskFailed) -> tuple[dict[str, Any], dict[str, Any]]:
    """A file that took too long (or killed its worker): its report and its summary entry, as for a file xltool
    cannot use (validate's JSON and consolidate's entry of the same unusable report)."""
    from xltool.consolidate import summarize_report
    from xltool.errors import UnusableWorkbook
    from xltool.validation import unusable_report

    key = "file.timeout" if failed.kind == "timeout" else "file.unreadable"
    params = {"path": path.name, "seconds": f"{failed.seconds:g}", "detail": "处理该文件的进程意外退出"}
    report = unusable_report(path, UnusableWorkbook(key, **params))
    return report.to_json("zh"), summarize_report(str(path), report, "zh")


@for_unit
async def upload(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> Response:
    status, result = await receive_upload(request, desk, unit_row, coll)
    if status != 201:
        return await _render(request, desk, unit_row, coll, None, str(result), status)
    return RedirectResponse(f"/u/{request.path_params['token']}/v/{result}#result", status_code=303)


@for_unit
async def explain(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> Response:
    number = request.path_params["number"]
    async with request.form(max_files=0, max_fields=10, max_part_size=16 * 1024) as form:
        if not _csrf_ok(desk, unit_row, form):
            return await _render(request, desk, unit_row, coll, number, "页面已过期，请刷新后再填写。", 403)
        key, words = str(form.get("finding", ""))[:300], str(form.get("text", "")).strip()[:2000]
    if not words:
        return await _render(request, desk, unit_row, coll, number, "审核说明不能为空。", 400)

    def record(conn: Any) -> bool:
        row = store.version(conn, unit_row.id, number)
        if row is None:
            return False
        keys = {f"{f['code']}@{f['sheet']}!{f['cell']}" if f.get("sheet") else f"{f['code']}@{f.get('cell') or ''}"
                for r in reports_of(row) for f in r["findings"] if f["severity"] == "warning"}  # fmt: skip
        if key not in keys:
            return False
        store.explain(conn, row.id, key, words)
        store.log(conn, f"单位 {unit_row.code}", "explain", unit_code=unit_row.code, version=number, detail=f"{key}：{words}",
                  address=address(request))  # fmt: skip
        return True

    if not await desk.write(record):
        return not_found(request)
    return RedirectResponse(f"/u/{request.path_params['token']}/v/{number}#findings", status_code=303)


@for_unit
async def submit(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> Response:
    return await _move(request, desk, unit_row, coll, "submit")


@for_unit
async def withdraw(request: Request, desk: Desk, unit_row: Any, coll: store.Collection) -> Response:
    return await _move(request, desk, unit_row, coll, "withdraw")


async def _move(request: Request, desk: Desk, unit_row: Any, coll: store.Collection, action: str) -> Response:
    async with request.form(max_files=0, max_fields=5, max_part_size=1024) as form:
        if not _csrf_ok(desk, unit_row, form):
            return await _render(request, desk, unit_row, coll, None, "页面已过期，请刷新后再操作。", 403)

    def move(conn: Any) -> str | None:
        row = store.unit_by_code(conn, unit_row.code)
        assert row is not None
        latest = store.latest(conn, row.id)
        if action == "submit":
            if row.state not in ("draft", "returned") or latest is None or latest.errors:
                return "只有没有错误的最新版本才能送审：请按提示修改后重新上传。"
            store.submit(conn, row, latest.number)
        else:
            if row.state != "submitted" or latest is None:
                return "当前没有待审的送审。"
            store.withdraw(conn, row, latest.number)
        store.log(conn, f"单位 {row.code}", action, unit_code=row.code, version=latest.number, address=address(request))
        return None

    refused = await desk.write(move)
    if refused:
        return await _render(request, desk, unit_row, coll, None, refused, 409)
    return RedirectResponse(f"/u/{request.path_params['token']}", status_code=303)


@for_unit
async def version_file(request: Request, desk: Desk, unit_row: Any, _coll: store.Collection) -> Response:
    return await send_version_file(request, desk, unit_row, request.path_params["number"], request.path_params["what"])


async def send_version_file(request: Request, desk: Desk, unit_row: Any, number: int, what: str) -> Response:
    """A version's uploaded bytes (unchanged), its annotated copy or its draft report: always named by the unit's
    code and the version, whatever the clerk's file was called."""
    coll = await desk.read(desk.collection)
    row = await desk.read(store.version, unit_row.id, number)
    if row is None or what not in ("file", "annotated", "report"):
        return not_found(request)
    stored = files.path_of(desk.settings.data, row.sha256, row.suffix)
    stem = f"{unit_row.code}-v{number}"
    if what == "file":
        return FileResponse(stored, media_type="application/octet-stream", filename=f"{stem}{row.suffix}")
    if row.errors and any(r.get("schema") and not r.get("form") for r in reports_of(row)):
        return desk.page(
            request, "message.html", {"title": "无法生成", "text": "该文件无法读取，没有标注副本和报告。"}, 409
        )
    folder = tempfile.mkdtemp(prefix="desk-")
    try:
        if what == "annotated":
            written = await desk.workers.run(worker.annotate, str(stored), coll.profile, folder)
            if written is None:
                raise TaskFailed("unreadable", 0)
            suffix = ".xlsx"
            name = f"{stem}-标注{suffix}" if not written.endswith("问题清单.xlsx") else f"{stem}-问题清单.xlsx"
            return _download(written, name, folder)
        done = await desk.workers.run(worker.report, str(stored), coll.profile, str(Path(folder) / "report.docx"))
    except TaskFailed:
        _remove(folder)
        return desk.page(request, "message.html", {"title": "暂时无法生成", "text": "请稍后再试。"}, 503)
    if len(done) == 1:
        return _download(done[0], f"{stem}-自评报告.docx", folder)
    import zipfile

    bundle = str(Path(folder) / "reports.zip")
    with zipfile.ZipFile(bundle, "w") as archive:
        for n, item in enumerate(done, 1):
            archive.write(item, f"{stem}-自评报告-{n}.docx")
    return FileResponse(bundle, media_type="application/zip", filename=f"{stem}-自评报告.zip")


routes = [
    Route("/u/{token}", page),
    Route("/u/{token}/template/{form}", template),
    Route("/u/{token}/upload", upload, methods=["POST"]),
    Route("/u/{token}/submit", submit, methods=["POST"]),
    Route("/u/{token}/withdraw", withdraw, methods=["POST"]),
    Route("/u/{token}/v/{number:int}", version_page),
    Route("/u/{token}/v/{number:int}/explain", explain, methods=["POST"]),
    Route("/u/{token}/v/{number:int}/{what}", version_file),
]

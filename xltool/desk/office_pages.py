"""The office's pages (password, session cookie, CSRF on every form): the board of every unit by region with its
state, counts and a progress bar against the deadline; a unit's versions, findings and files with 通过 / 退回; the
findings of all units by code; the summary (workbook, JSON, report) at any moment; charts; the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import store
from .app import BEIJING, Desk, address, desk_of, local_time, not_found, reports_of, version_marks
from .charts import grade_bars, rate_histogram
from .security import check_password, new_secret, same
from .summary import build_summary
from .unit_pages import _download, send_version_file

COOKIE = "desk_office"
LOGIN_COOKIE = "desk_login"


async def _office(request: Request) -> tuple[Desk, Any] | None:
    desk = desk_of(request)
    session = await desk.read(store.session, request.cookies.get(COOKIE))
    return None if session is None else (desk, session)


def _to_login(request: Request) -> Response:
    return RedirectResponse("/office/login", status_code=303)


OfficeHandler = Callable[[Request, Desk, Any], Awaitable[Response]]


def for_office(handler: OfficeHandler) -> Callable[[Request], Awaitable[Response]]:
    """An office page: the handler gets the desk and the session; without a session, the login page."""

    async def endpoint(request: Request) -> Response:
        found = await _office(request)
        if found is None:
            return _to_login(request)
        return await handler(request, *found)

    endpoint.__name__ = handler.__name__
    return endpoint


async def login_page(request: Request, message: str | None = None, status: int = 200) -> Response:
    desk = desk_of(request)
    nonce = new_secret()
    coll = await desk.read(desk.collection)
    response = desk.page(request, "login.html", {"coll": coll, "csrf": nonce, "message": message}, status)
    response.set_cookie(LOGIN_COOKIE, nonce, httponly=True, samesite="strict", secure=_secure(request), path="/office")
    return response


async def login(request: Request) -> Response:
    desk = desk_of(request)
    async with request.form(max_files=0, max_fields=5, max_part_size=4096) as form:
        nonce, password = str(form.get("csrf", "")), str(form.get("password", ""))
    if not nonce or not same(nonce, request.cookies.get(LOGIN_COOKIE, "")):
        return await login_page(request, "页面已过期，请重新登录。", 403)
    if not desk.login_limiter.allow(f"login:{address(request)}"):
        await desk.write(
            lambda c: store.log(c, "办公室", "login-refused", detail="尝试过于频繁", address=address(request))
        )
        return await login_page(request, "登录尝试过于频繁，请 15 分钟后再试。", 429)
    coll = await desk.read(desk.collection)
    if not check_password(password, coll.password_hash):
        await desk.write(lambda c: store.log(c, "办公室", "login-failed", address=address(request)))
        return await login_page(request, "密码不正确。", 403)
    session_id, csrf = new_secret(), new_secret()

    def open_it(conn: Any) -> None:
        store.open_session(conn, session_id, csrf, desk.settings.session_hours, address(request))
        store.log(conn, "办公室", "login", address=address(request))

    await desk.write(open_it)
    response = RedirectResponse("/office", status_code=303)
    response.set_cookie(
        COOKIE, session_id, httponly=True, samesite="strict", secure=_secure(request), path="/",
        max_age=desk.settings.session_hours * 3600,
    )  # fmt: skip
    response.delete_cookie(LOGIN_COOKIE, path="/office")
    return response


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


async def _checked(request: Request, fields: int = 10) -> tuple[Desk, Any, dict[str, str]] | Response:
    """An office form post: the session and its CSRF token checked; the form's fields."""
    found = await _office(request)
    if found is None:
        return _to_login(request)
    desk, session = found
    async with request.form(max_files=0, max_fields=fields, max_part_size=16 * 1024) as form:
        values = {k: str(v) for k, v in form.items()}
    if not same(values.get("csrf", ""), session.csrf):
        return desk.page(request, "message.html", {"title": "页面已过期", "text": "请返回刷新后再操作。"}, 403)
    return desk, session, values


async def logout(request: Request) -> Response:
    checked = await _checked(request)
    if isinstance(checked, Response):
        return checked
    desk, _, _ = checked

    def close(conn: Any) -> None:
        store.close_session(conn, request.cookies.get(COOKIE, ""))
        store.log(conn, "办公室", "logout", address=address(request))

    await desk.write(close)
    response = RedirectResponse("/office/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _tree(rows: list[Any]) -> list[dict[str, Any]]:
    """Units grouped by region path (重庆市/璧山区 → 重庆市 › 璧山区), each group with its counts by state."""
    groups: dict[str, dict[str, Any]] = {}
    for row in rows:
        region = row.region or "（未填地区）"
        group = groups.setdefault(
            region, {"region": region, "depth": region.count("/"), "units": [], "counts": Counter()}
        )
        group["units"].append(row)
        group["counts"][row.state] += 1
    return [groups[k] for k in sorted(groups)]


@for_office
async def board(request: Request, desk: Desk, session: Any) -> Response:

    def gather(conn: Any) -> dict[str, Any]:
        rows = store.units(conn)
        latest = {row.id: store.latest(conn, row.id) for row in rows}
        return {"coll": desk.collection(conn), "units": rows, "latest": latest}

    data = await desk.read(gather)
    counts = Counter(row.state for row in data["units"])
    total = len(data["units"])
    done = counts["submitted"] + counts["approved"]
    deadline = data["coll"].deadline
    days = (deadline - dt.datetime.now(BEIJING).date()).days if deadline else None
    chosen = [v for v in data["latest"].values() if v is not None]
    context = {
        "coll": data["coll"],
        "csrf": session.csrf,
        "tree": _tree(data["units"]),
        "latest": data["latest"],
        "counts": counts,
        "total": total,
        "done": done,
        "percent": round(100 * done / total) if total else 0,
        "days": days,
        "grades_svg": grade_bars(Counter(v.grade for v in chosen if v.grade)),
        "rates_svg": rate_histogram([v.execution_rate for v in chosen if v.execution_rate is not None]),
    }
    return desk.page(request, "office.html", context)


@for_office
async def unit_detail(request: Request, desk: Desk, session: Any) -> Response:
    code = request.path_params["code"]

    def gather(conn: Any) -> dict[str, Any] | None:
        row = store.unit_by_code(conn, code)
        if row is None:
            return None
        versions = store.versions(conn, row.id)
        return {
            "coll": desk.collection(conn),
            "unit": row,
            "versions": versions,
            "decisions": store.decisions(conn, row.id),
            "explained": {v.number: store.explanations(conn, v.id) for v in versions},
        }

    data = await desk.read(gather)
    if data is None:
        return not_found(request)
    shown_number = int(request.query_params.get("v") or (data["versions"][0].number if data["versions"] else 0))
    shown = next((v for v in data["versions"] if v.number == shown_number), None)
    from .unit_pages import _documents

    context = {
        **data,
        "csrf": session.csrf,
        "shown": shown,
        "documents": _documents(desk, shown) if shown is not None else [],
        "explained_shown": data["explained"].get(shown_number, {}),
        "marks": version_marks(data["versions"], data["decisions"]),
    }
    return desk.page(request, "office_unit.html", context)


async def decide(request: Request) -> Response:
    checked = await _checked(request)
    if isinstance(checked, Response):
        return checked
    desk, _, values = checked
    code, action = request.path_params["code"], values.get("action", "")
    comment = values.get("comment", "").strip()[:2000]
    if action not in ("approve", "return"):
        return not_found(request)
    if action == "return" and not comment:
        return desk.page(
            request, "message.html", {"title": "请填写退回意见", "text": "退回时须写明需要更正的内容。"}, 400
        )

    def apply(conn: Any) -> str | None:
        row = store.unit_by_code(conn, code)
        if row is None:
            return "none"
        chosen = store.submitted(conn, row.id)
        if chosen is None or row.state not in ("submitted", "approved"):
            return "只能审核已送审的自评表。"
        if action == "approve" and row.state == "approved":
            return "该单位已通过。"
        store.decide(conn, row, chosen, action, comment)
        store.log(
            conn, "办公室", action, unit_code=code, version=chosen.number, detail=comment, address=address(request)
        )
        return None

    refused = await desk.write(apply)
    if refused == "none":
        return not_found(request)
    if refused:
        return desk.page(request, "message.html", {"title": "无法操作", "text": refused}, 409)
    return RedirectResponse(f"/office/units/{quote(code, safe='')}", status_code=303)


@for_office
async def unit_file(request: Request, desk: Desk, _session: Any) -> Response:
    row = await desk.read(store.unit_by_code, request.path_params["code"])
    if row is None:
        return not_found(request)
    return await send_version_file(request, desk, row, request.path_params["number"], request.path_params["what"])


@for_office
async def findings(request: Request, desk: Desk, session: Any) -> Response:
    wanted = request.query_params.get("code", "")
    severity = request.query_params.get("severity", "")

    def gather(conn: Any) -> list[tuple[Any, Any]]:
        return [(row, store.latest(conn, row.id)) for row in store.units(conn)]

    rows: list[dict[str, Any]] = []
    by_code: Counter[str] = Counter()
    for unit_row, latest in await desk.read(gather):
        if latest is None:
            continue
        for report in reports_of(latest):
            for f in report["findings"]:
                by_code[f["code"]] += 1
                if (not wanted or f["code"] == wanted) and (not severity or f["severity"] == severity):
                    rows.append({"unit": unit_row, "version": latest.number, **f})
    context = {
        "coll": await desk.read(desk.collection),
        "csrf": session.csrf,
        "rows": rows[:2000],
        "more": max(0, len(rows) - 2000),
        "codes": sorted(by_code.items()),
        "wanted": wanted,
        "severity": severity,
        "explain": desk.explain,
    }
    return desk.page(request, "office_findings.html", context)


@for_office
async def summary(request: Request, desk: Desk, _session: Any) -> Response:
    what = request.url.path.rsplit("/", 1)[-1]
    folder = tempfile.mkdtemp(prefix="desk-")
    built = await build_summary(desk, Path(folder), report=what == "summary.docx")
    coll = await desk.read(desk.collection)
    await desk.write(lambda c: store.log(c, "办公室", "summary", detail=what, address=address(request)))
    name = f"{coll.office}-{coll.year}-汇总"
    if what == "summary.json":
        return _download(str(built.json), f"{name}.json", folder)
    if what == "summary.docx":
        if built.report is None:
            return desk.page(request, "message.html", {"title": "还没有可汇总的自评表", "text": "尚无单位上传。"}, 409)
        return _download(str(built.report), f"{name}报告.docx", folder)
    if built.workbook is None:
        return desk.page(request, "message.html", {"title": "还没有可汇总的自评表", "text": "尚无单位上传。"}, 409)
    return _download(str(built.workbook), f"{name}.xlsx", folder)


@for_office
async def audit_page(request: Request, desk: Desk, session: Any) -> Response:
    rows = await desk.read(store.audit_rows)
    coll = await desk.read(desk.collection)
    return desk.page(request, "office_audit.html", {"coll": coll, "csrf": session.csrf, "rows": rows[-500:][::-1]})


@for_office
async def audit_csv(request: Request, desk: Desk, _session: Any) -> Response:
    """The whole audit log as a CSV Excel opens (UTF-8 with a BOM; text that looks like a formula stays text)."""
    from xltool.io.xlsx_text import csv_text

    rows = await desk.read(store.audit_rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["时间（北京时间）", "操作者", "操作", "单位代码", "版本", "说明", "来源地址"])
    for row in rows:
        cells = [local_time(row.at, "%Y-%m-%d %H:%M:%S"), row.actor, row.action, row.unit_code or "",
                 row.version or "", row.detail, row.address or ""]  # fmt: skip
        writer.writerow([csv_text(str(cell)) for cell in cells])
    body = "\ufeff" + out.getvalue()  # Excel opens a CSV with a BOM as UTF-8
    return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": "attachment; filename*=UTF-8''audit.csv"})  # fmt: skip


routes = [
    Route("/office/login", login_page, methods=["GET"]),
    Route("/office/login", login, methods=["POST"]),
    Route("/office/logout", logout, methods=["POST"]),
    Route("/office", board),
    Route("/office/units/{code}", unit_detail),
    Route("/office/units/{code}/decide", decide, methods=["POST"]),
    Route("/office/units/{code}/v/{number:int}/{what}", unit_file),
    Route("/office/findings", findings),
    Route("/office/audit", audit_page),
    Route("/office/audit.csv", audit_csv),
    *(Route(f"/office/{what}", summary) for what in ("summary.xlsx", "summary.json", "summary.docx")),
]

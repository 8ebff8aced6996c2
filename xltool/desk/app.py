"""The desk as an ASGI app (Starlette on uvicorn): what every page shares — the data folder, the database, the
worker pool, the templates, the limits — and the routes of the unit's pages, the office's pages and the API."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from . import db, store
from .security import Guard, RateLimiter, load_key
from .worker import Workers

HERE = Path(__file__).parent


@dataclass
class Settings:
    """How a desk runs (``xltool serve``'s options)."""

    data: Path
    db_url: str | None = None
    max_upload: int = 20 * 1024 * 1024
    timeout: float = 60.0
    processes: int = 2
    uploads_per_window: int = 30
    upload_window: float = 600.0
    logins_per_window: int = 10
    login_window: float = 900.0
    session_hours: int = 12


@dataclass
class Desk:
    """Everything a request handler needs."""

    settings: Settings
    engine: Engine
    key: bytes
    workers: Workers
    templates: Jinja2Templates
    upload_limiter: RateLimiter
    login_limiter: RateLimiter
    explain: dict[str, dict[str, str]] = field(default_factory=dict)

    async def read(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(connection, *args)`` in a thread, read-only."""

        def call() -> Any:
            with self.engine.connect() as conn:
                return fn(conn, *args)

        return await run_in_threadpool(call)

    async def write(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(connection, *args)`` in a thread, in one transaction."""

        def call() -> Any:
            with self.engine.begin() as conn:
                return fn(conn, *args)

        return await run_in_threadpool(call)

    def collection(self, conn: Connection) -> store.Collection:
        found = store.collection(conn)
        if found is None:
            raise RuntimeError("the data folder holds no collection: run xltool desk init")
        return found

    def page(self, request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        return self.templates.TemplateResponse(request, name, context, status_code=status)


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def address(request: Request) -> str | None:
    return request.client.host if request.client else None


def not_found(request: Request) -> Response:
    """The one answer to anything a client may not see: the same for a wrong token, another unit's file, a
    version that does not exist."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "not found"}, status_code=404)
    return desk_of(request).page(request, "message.html", {"title": "找不到页面", "text": NOT_FOUND_TEXT}, 404)


NOT_FOUND_TEXT = "链接无效或已失效。请使用办公室发给本单位的链接；如链接已重新发放，请向办公室索取新链接。"


def explain_texts() -> dict[str, dict[str, str]]:
    """Each finding code's title and "when" (what ``xltool explain CODE`` prints), for the pages."""
    from xltool import api

    return {entry.code: {"title": entry.title["zh"], "when": entry.when["zh"]} for entry in api.explain()}


def healthz(request: Request) -> Response:
    return JSONResponse({"ok": True})


def create_app(settings: Settings) -> Guard:
    """The desk's ASGI app over the data folder of ``settings`` (its schema migrated to the newest)."""
    from . import api_routes, office_pages, unit_pages

    url = settings.db_url or db.sqlite_url(settings.data)
    engine = db.make_engine(url)
    db.migrate(engine)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.filters["pct"] = _pct
    templates.env.filters["num"] = _num
    templates.env.filters["local"] = local_time
    templates.env.globals["STATES"] = store.STATES
    routes = [
        Route("/healthz", healthz),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
        *unit_pages.routes,
        *office_pages.routes,
        *api_routes.routes,
    ]
    limit = settings.max_upload + 64 * 1024  # the file and the few form fields around it
    app = Starlette(
        routes=routes,
        exception_handlers={404: _not_found_handler, 413: _too_large_handler},
        lifespan=_lifespan,
        max_body_size=limit,
    )
    desk = Desk(
        settings,
        engine,
        load_key(settings.data),
        Workers(settings.processes, settings.timeout),
        templates,
        RateLimiter(settings.uploads_per_window, settings.upload_window),
        RateLimiter(settings.logins_per_window, settings.login_window),
        explain_texts(),
    )
    app.state.desk = desk
    # outermost, around Starlette's own body limit: a declared length over the limit is answered in Chinese
    guarded = Guard(app, limit, lambda path: _too_large(path, settings.max_upload))
    return guarded


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    yield
    app.state.desk.workers.close()


def _too_large_text(limit: int) -> str:
    return f"上传的文件超过 {limit / (1024 * 1024):g} MB 的上限。请删除无关的工作表或图片后另存，或联系办公室。"


def _too_large(path: str, limit: int) -> tuple[bytes, bytes]:
    """The 413 answer to an upload declared too large, before it is read: JSON for the API, a page for people."""
    text = _too_large_text(limit)
    if path.startswith("/api/"):
        return json.dumps({"error": text}, ensure_ascii=False).encode(), b"application/json"
    page = f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>文件太大</title>' \
           f'<link rel="stylesheet" href="/static/desk.css"></head><body><main><section class="panel">' \
           f"<h1>文件太大</h1><p>{text}</p></section></main></body></html>"  # fmt: skip
    return page.encode(), b"text/html; charset=utf-8"


async def _too_large_handler(request: Request, exc: Exception) -> Response:
    """A body with no declared length that grew past the limit while it was read."""
    text = _too_large_text(desk_of(request).settings.max_upload)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": text}, status_code=413)
    return desk_of(request).page(request, "message.html", {"title": "文件太大", "text": text}, 413)


async def _not_found_handler(request: Request, exc: Exception) -> Response:
    return not_found(request)


#: The desk's offices keep Beijing time (no daylight saving): stored times are UTC, shown and exported in it.
BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return store.utc(value).astimezone(BEIJING).strftime(fmt)


def _pct(value: Any, places: int = 2) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{places}f}%"


def _num(value: Any, places: int = 2) -> str:
    if value is None or value == "":
        return "—"
    text = f"{float(value):.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def version_marks(versions: list[Any], decisions: list[Any]) -> dict[int, str]:
    """What became of each version: 已通过 or 已退回 when the office's latest decision on it came after it was
    submitted, 已送审 while it waits, nothing when it was never submitted."""
    marks = {}
    for v in versions:
        last = next((d for d in decisions if d.number == v.number), None)  # decisions come newest first
        if last is not None and (v.submitted_at is None or store.utc(last.at) >= store.utc(v.submitted_at)):
            marks[v.number] = "已通过" if last.action == "approve" else "已退回"
        else:
            marks[v.number] = "已送审" if v.submitted_at else ""
    return marks


def reports_of(version_row: Any) -> list[dict[str, Any]]:
    return list(json.loads(version_row.reports))


def stated_of(version_row: Any) -> list[dict[str, Any]]:
    return list(json.loads(version_row.stated))

"""The collection desk's commands: ``xltool serve`` starts it; ``xltool desk`` sets a collection up (init,
add-units, links, revoke, reissue, key, password). The web stack is imported only here, when one of them runs."""

from __future__ import annotations

import datetime as dt
import ipaddress
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .i18n import TranslatedGroup
from .shell import App, DebugOpt, Lang, LangOpt, ProfileOpt, app, guard, say, use_profile

desk_app = App(
    cls=TranslatedGroup,
    name="desk",
    help="收集台的设置：建立本年度的收集、导入单位并生成各单位的专用链接、重新发放或停用链接、办公室的接口密钥。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(desk_app, name="desk")

DataOpt = Annotated[Path, typer.Option("--data", help="收集台的数据文件夹（数据库、上传的文件、密钥）")]
DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="数据库地址，默认为数据文件夹中的 SQLite；如 postgresql://用户:密码@主机/库名"),
]


class FormChoice(str, Enum):
    department = "department"
    project = "project"


@app.command()
def serve(
    data: DataOpt,
    host: Annotated[str, typer.Option("--host", help="监听地址；0.0.0.0 表示局域网内其他电脑也能访问")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8750,
    db: DbOpt = None,
    processes: Annotated[int | None, typer.Option("--processes", help="校验进程数（默认为 CPU 核数）")] = None,
    max_upload: Annotated[int, typer.Option("--max-upload-mb", help="单个上传文件的上限（MB）")] = 20,
    timeout: Annotated[float, typer.Option("--timeout", help="校验一个文件的时限（秒）")] = 60.0,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """启动收集台：各单位用浏览器打开自己的链接上传自评表，立即看到校验结果；办公室登录后查看进度、审核、下载汇总。"""

    def run() -> int:
        import os

        import uvicorn

        from ..desk.app import Settings, create_app
        from ..desk.setup import db_url, ensure_collection

        ensure_collection(data, db)
        if not _loopback(host):
            say(
                f"注意：收集台监听 {host}，同一网络中的其他电脑都能访问。请只在办公局域网内使用，"
                "并放在 HTTPS 反向代理（nginx、Caddy）之后；办公室密码和各单位链接请妥善保管。"
            )
        settings = Settings(
            data=data,
            db_url=db_url(data, db),
            max_upload=max_upload * 1024 * 1024,
            timeout=timeout,
            processes=processes or os.cpu_count() or 2,
        )
        say(f"收集台已启动：http://{host}:{port}/office （按 Ctrl+C 停止）")
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", proxy_headers=True)
        return 0

    guard(lang, debug, run)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@desk_app.command("init")
def init(
    data: DataOpt,
    office: Annotated[str, typer.Option("--office", help="收集单位名称，如 某区财政局")],
    year: Annotated[int, typer.Option("--year", help="自评年度")],
    form: Annotated[list[FormChoice], typer.Option("--form", help="表样：department 或 project，可重复")] = [  # noqa: B006
        FormChoice.department
    ],
    profile: ProfileOpt = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help="截止日期，如 2024-03-31")] = None,
    url: Annotated[
        str, typer.Option("--url", help="各单位链接的开头，即单位访问收集台的地址")
    ] = "http://127.0.0.1:8750",
    password_file: Annotated[
        Path | None, typer.Option("--password-file", help="从此文件读取办公室密码（默认自动生成并显示一次）")
    ] = None,
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """在数据文件夹中建立本年度的收集；显示一次办公室密码。"""

    def run() -> int:
        from ..desk import setup
        from ..errors import UsageError

        pid = use_profile(profile) or "national"
        chosen = None
        if password_file is not None:
            chosen = password_file.read_text(encoding="utf-8").strip()
            if len(chosen) < 8:
                raise UsageError("desk.password-short")
        try:
            when = dt.date.fromisoformat(deadline) if deadline else None
        except ValueError:
            raise UsageError("desk.bad-date", value=deadline) from None
        reference = pid if profile is None or pid == profile else str(Path(profile).resolve())
        made = setup.init(
            data,
            office=office,
            year=year,
            profile=reference,
            forms=[f.value for f in form],
            deadline=when,
            base_url=url,
            password=chosen,
            url=db,
        )
        say(f"已建立收集：{office} {year} 年度，数据文件夹 {data}")
        if password_file is None:
            say("办公室密码（只显示这一次，请妥善保存）：")
            typer.echo(made)
        return 0

    guard(lang, debug, run)


@desk_app.command("add-units")
def add_units(
    units: Annotated[
        Path, typer.Argument(help="单位名单 CSV：单位名称、单位代码、所属地区（如 重庆市/璧山区），可有联系人、电话")
    ],
    data: DataOpt,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="链接清单，默认为数据文件夹中的 links.csv")
    ] = None,
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """导入单位名单（再次导入同一单位代码则更新信息、保留原链接），写出各单位的专用链接清单。"""

    def run() -> int:
        from ..desk import setup

        done = setup.add_units(data, units, db)
        target = output or data / "links.csv"
        setup.write_links(target, setup.links(data, db))
        new = sum(1 for row in done if row.new)
        say(f"新增单位 {new} 个，更新 {len(done) - new} 个；链接清单：{target}")
        return 0

    guard(lang, debug, run)


@desk_app.command("links")
def links(
    data: DataOpt,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="写入此 CSV 文件（默认显示在屏幕上）")] = None,
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """再次列出各单位的专用链接。"""

    def run() -> int:
        from ..desk import setup

        rows = setup.links(data, db)
        if output is not None:
            setup.write_links(output, rows)
            say(f"链接清单：{output}")
        else:
            for row in rows:
                typer.echo(f"{row.code}\t{row.name}\t{row.link or '（已停用）'}")
        return 0

    guard(lang, debug, run)


@desk_app.command("revoke")
def revoke(
    code: Annotated[str, typer.Argument(help="单位代码")],
    data: DataOpt,
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """停用一个单位的链接（已上传的内容保留；可用 reissue 重新发放）。"""

    def run() -> int:
        from ..desk import setup

        setup.revoke(data, code, db)
        say(f"已停用单位 {code} 的链接")
        return 0

    guard(lang, debug, run)


@desk_app.command("reissue")
def reissue(
    code: Annotated[str, typer.Argument(help="单位代码")],
    data: DataOpt,
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """为一个单位重新发放链接（旧链接立即失效）。"""

    def run() -> int:
        from ..desk import setup

        row = setup.reissue(data, code, db)
        say(f"已为 {row.name}（{row.code}）重新发放链接，旧链接已失效：")
        typer.echo(row.link)
        return 0

    guard(lang, debug, run)


@desk_app.command("key")
def key(data: DataOpt, db: DbOpt = None, lang: LangOpt = Lang.zh, debug: DebugOpt = False) -> None:
    """生成办公室的接口密钥（GET /api/office/summary.json 用），旧密钥随即失效；只显示这一次。"""

    def run() -> int:
        from ..desk import setup

        typer.echo(setup.api_key(data, db))
        return 0

    guard(lang, debug, run)


@desk_app.command("password")
def password(
    data: DataOpt,
    password_file: Annotated[Path, typer.Option("--password-file", help="从此文件读取新的办公室密码")],
    db: DbOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """更换办公室密码。"""

    def run() -> int:
        from ..desk import setup
        from ..errors import UsageError

        chosen = password_file.read_text(encoding="utf-8").strip()
        if len(chosen) < 8:
            raise UsageError("desk.password-short")
        setup.set_password(data, chosen, db)
        say("已更换办公室密码")
        return 0

    guard(lang, debug, run)

"""What every command shares: the app, the common options, the language, and the guard that turns a failure
into one line on stderr and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import typer

from .. import __version__
from ..errors import XltoolError
from .i18n import TranslatedCommand, TranslatedGroup


class App(typer.Typer):
    """xltool's typer app: every command's help and usage errors speak the run's language (:mod:`.i18n`)."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", TranslatedCommand)
        return super().command(*args, **kwargs)


app = App(
    cls=TranslatedGroup,
    name="xltool",
    help="预算绩效自评工具：生成模板、填写、导出、校验、汇总、自评报告。",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Form(str, Enum):
    department = "department"
    project = "project"


LangOpt = Annotated[Lang, typer.Option("--lang", help="消息语言 zh（中文）或 en（English）")]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        help="地区口径：内置口径名（见 xltool profiles），或自己的口径文件（如 ./河南.yaml，可 extends 内置口径）",
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈")]
ForceOpt = Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖")]
IncludeErrorsOpt = Annotated[
    bool,
    typer.Option(
        "--include-errors",
        help="临时汇总：自评表有校验错误的单位也计入等次、平均分和图表（默认列为“待更正”，不计入）",
    ),
]


def say(text: str) -> None:
    typer.echo(text, err=True)


def guard(lang: Lang, debug: bool, action: Callable[[], int | None]) -> None:
    """Run a command body: known failures become one line on stderr and exit 2."""
    try:
        code = action() or 0
    except XltoolError as exc:
        if debug:
            raise
        say(exc.render(lang.value))
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:  # the reader of our output went away (`| head`): stop quietly
        import os

        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter from failing on exit
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        say("已中断" if lang is Lang.zh else "interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:  # an unexpected failure still gets one clear line, never a traceback
        if debug:
            raise
        from ..messages import render

        say(render("internal", lang.value, detail=f"{type(exc).__name__}: {exc}"))
        raise typer.Exit(2) from None
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xltool {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号")] = False,
    lang: Annotated[str, typer.Option("--lang", help="消息语言 zh（中文）或 en（English）")] = "zh",
) -> None:
    """预算绩效自评工具 xltool。"""
    del lang  # read from the command line before parsing, so that parse errors speak it too (see .i18n)


def use_profile(ref: str | None) -> str | None:
    """The id of the profile ``--profile`` names (a file is checked and registered), or None."""
    if not ref:
        return None
    from .. import api

    return api.use_profile(ref)

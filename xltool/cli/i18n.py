"""The command line's own words (help headings, usage errors, the --help option's text) in the user's language.

typer (which carries its own copy of click) words its help and usage errors in fixed English. xltool speaks
Chinese by default, so the help every command prints and the usage errors the parser raises are translated
here: help by :class:`TranslatedCommand` / :class:`TranslatedGroup`, usage errors by :func:`show_usage_error`.
``--lang en`` (or ``XLTOOL_LANG=en``) keeps them English. Wording this table does not know stays English rather
than failing.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from typer.core import TyperCommand, TyperGroup

#: the language of this run, decided from the command line before it is parsed (see :func:`language`)
CURRENT = {"lang": "zh"}

_HELP = (
    (re.compile(r"^Usage: ", re.M), "用法："),
    (re.compile(r"^Arguments:$", re.M), "参数："),
    (re.compile(r"^Options:$", re.M), "选项："),
    (re.compile(r"^Commands:$", re.M), "命令："),
    (re.compile(r"\[required\]"), "[必填]"),
    (re.compile(r"\[default: "), "[默认："),
    (re.compile(r"\[env var: "), "[环境变量："),
    (re.compile(r"Show this message and exit\."), "显示本帮助并退出。"),
)
_ERRORS = (
    (re.compile(r"^No such command '(.+?)'\.?(?: Did you mean (.+)\?)?$"), "没有名为 '{0}' 的命令{1:；是否要用 {}？}"),
    (re.compile(r"^No such option: (\S+?)\.?(?: Did you mean (.+)\?)?$"), "没有这个选项：{0}{1:；是否要用 {}？}"),
    (re.compile(r"^No such option: (\S+)\s+\(Possible options: (.+)\)$"), "没有这个选项：{0}（可能是：{1}）"),
    (re.compile(r"^Missing argument '(.+)'\.$"), "缺少参数 '{0}'。"),
    (re.compile(r"^Missing option '(.+)'\.(.*)$"), "缺少选项 '{0}'。{1}"),
    (re.compile(r"^Missing command\.$"), "缺少命令。"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), "选项 '{0}' 需要一个值。"),
    (re.compile(r"^Option '(.+)' requires (\d+) arguments\.$"), "选项 '{0}' 需要 {1} 个值。"),
    (re.compile(r"^Option '(.+)' does not take a value\.$"), "选项 '{0}' 不带值。"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), "多出了参数（{0}）"),
    (re.compile(r"^Invalid value for '(.+?)': (.+)$"), "'{0}' 的值无效：{1!v}"),
    (re.compile(r"^Invalid value: (.+)$"), "值无效：{0!v}"),
)
_VALUES = (
    (re.compile(r"^'(.*)' is not one of (.+)\.$"), "'{0}' 不是 {1} 之一。"),
    (re.compile(r"^'(.*)' is not '(.+)'\.$"), "'{0}' 不是 '{1}'。"),
    (re.compile(r"^'(.*)' is not a valid integer(?: range)?\.$"), "'{0}' 不是整数。"),
    (re.compile(r"^'(.*)' is not a valid float(?: range)?\.$"), "'{0}' 不是数字。"),
    (re.compile(r"^'(.*)' is not a valid boolean\..*$"), "'{0}' 不是是/否值。"),
    (re.compile(r"^(.+) is not in the range (.+)\.$"), "{0} 不在范围 {1} 内。"),
    (re.compile(r"^(File|Directory|Path) '(.+)' does not exist\.$"), "'{1}' 不存在。"),
)


class _Words:
    """``{n:…{}…}`` prints its inner text only when group n matched; ``{n!v}`` translates a value message."""

    def __init__(self, match: re.Match[str]):
        self.groups = match.groups()

    def render(self, template: str) -> str:
        def fill(m: re.Match[str]) -> str:
            index, spec = int(m[1]), m[3]
            value = self.groups[index] if index < len(self.groups) else None
            if m[2] == "v":
                return _translate(value or "", _VALUES)
            if spec is not None:
                return spec.replace("{}", value) if value else ""
            return value or ""

        return re.sub(r"\{(\d+)(?:!(v))?(?::((?:[^{}]|\{\})*))?\}", fill, template)


def _translate(text: str, table: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, template in table:
        match = pattern.match(text.strip())
        if match:
            return _Words(match).render(template)
    return text


def translate_help(text: str, lang: str | None = None) -> str:
    """A command's help text with click's English headings and notes in ``lang``."""
    if (lang or CURRENT["lang"]) == "en":
        return text
    for pattern, words in _HELP:
        text = pattern.sub(words, text)
    return text


def translate_error(message: str, lang: str | None = None) -> str:
    """A usage error's message in ``lang``."""
    return message if (lang or CURRENT["lang"]) == "en" else _translate(message, _ERRORS)


def show_usage_error(error: Any) -> None:
    """What typer prints for a usage error, in the run's language: the usage line, the hint, the message."""
    en = CURRENT["lang"] == "en"
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        usage = translate_help(ctx.get_usage())
        hint = f"Try '{ctx.command_path} --help' for help." if en else f"运行 '{ctx.command_path} --help' 查看帮助。"
        sys.stderr.write(f"{usage}\n{hint}\n\n")
    prefix = "Error: " if en else "错误："
    sys.stderr.write(prefix + translate_error(error.format_message()) + "\n")


class TranslatedCommand(TyperCommand):
    """A command whose help speaks the run's language."""

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))


class TranslatedGroup(TyperGroup):
    """The command group whose help speaks the run's language, and which shows usage errors in it."""

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        if kwargs.get("standalone_mode", True) is False:
            return super().main(args, *rest, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            code = super().main(args, *rest, **kwargs)
        except Exception as error:  # typer's own usage errors (its copy of click's ClickException)
            if not (hasattr(error, "format_message") and hasattr(error, "exit_code")):
                raise
            show_usage_error(error)
            sys.exit(error.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


def language(argv: Sequence[str]) -> str:
    """The language a command line asks for: ``--lang en`` / ``--lang=en`` anywhere, else ``XLTOOL_LANG``,
    else Chinese (read before the arguments are parsed, so parse errors speak it too)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "zh"
    return "en" if os.environ.get("XLTOOL_LANG", "").lower().startswith("en") else "zh"


def install(lang: str) -> None:
    """Speak ``lang`` (``zh`` or ``en``) in help and usage errors for the rest of this run."""
    CURRENT["lang"] = "en" if lang == "en" else "zh"

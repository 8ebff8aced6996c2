"""Output formats, registered by name per command: ``--format`` offers what is registered here, and a new format
is one function with :func:`output_format` on it.

A writer receives the command's result (what :mod:`xltool.api` returned), the language, and the stream to write
to (stdout); human text that is not the result goes to stderr, which the CLI owns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TextIO

Writer = Callable[[Any, str, TextIO], None]
FORMATS: dict[str, dict[str, Writer]] = {}


def output_format(command: str, name: str) -> Callable[[Writer], Writer]:
    """Register ``name`` as an output format of ``command``."""

    def register(writer: Writer) -> Writer:
        FORMATS.setdefault(command, {})[name] = writer
        return writer

    return register


def names(command: str) -> tuple[str, ...]:
    """The formats a command offers, the default first."""
    return tuple(FORMATS.get(command, {}))


def write(command: str, name: str, result: Any, lang: str, out: TextIO) -> None:
    FORMATS[command][name](result, lang, out)


def _json_line(value: Any, out: TextIO) -> None:
    out.write(json.dumps(value, ensure_ascii=False) + "\n")
    out.flush()


# ---------------------------------------------------------------------------------------------- validate


@output_format("validate", "text")
def _validate_text(report: Any, lang: str, out: TextIO) -> None:
    from .render import print_report

    print_report(report, lang)


@output_format("validate", "json")
def _validate_json(report: Any, lang: str, out: TextIO) -> None:
    _json_line(report.to_json(lang), out)


# ---------------------------------------------------------------------------------------------- export


@output_format("export", "json")
def _export_json(documents: list[dict[str, Any]], lang: str, out: TextIO) -> None:
    data = documents[0] if len(documents) == 1 else documents  # a form holding several projects gives a list
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@output_format("export", "yaml")
def _export_yaml(documents: list[dict[str, Any]], lang: str, out: TextIO) -> None:
    import yaml

    data = documents[0] if len(documents) == 1 else documents
    out.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


# ---------------------------------------------------------------------------------------------- lint-report


@output_format("lint-report", "text")
def _lint_text(result: dict[str, Any], lang: str, out: TextIO) -> None:
    from .linting import print_lint

    print_lint(result, lang)


@output_format("lint-report", "json")
def _lint_json(result: dict[str, Any], lang: str, out: TextIO) -> None:
    _json_line(result, out)


# ---------------------------------------------------------------------------------------------- explain


@output_format("explain", "text")
def _explain_text(codes: list[Any], lang: str, out: TextIO) -> None:
    from .explain import explain_text

    out.write("\n\n".join(explain_text(c, lang) for c in codes) + "\n")


@output_format("explain", "json")
def _explain_json(codes: list[Any], lang: str, out: TextIO) -> None:
    payload = [c.as_dict() for c in codes]
    out.write(json.dumps(payload if len(payload) != 1 else payload[0], ensure_ascii=False, indent=1) + "\n")


@output_format("explain", "markdown")
def _explain_markdown(codes: list[Any], lang: str, out: TextIO) -> None:
    from .explain import markdown

    out.write(markdown(codes) + "\n")


# ---------------------------------------------------------------------------------------------- profiles


@output_format("profiles", "text")
def _profiles_text(rows: list[dict[str, Any]], lang: str, out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table

    en = lang == "en"
    table = Table(
        *(
            ("profile", "name", "forms", "differs from national")
            if en
            else ("口径", "名称", "表样", "与全国通用口径的差别")
        )
    )
    for row in rows:
        base = "(base)" if en else "（基准）"
        diff = "；".join(row["differences"]) or (base if row["id"] == "national" else ("none" if en else "无"))
        table.add_row(row["id"], row["name"], "、".join(row["forms"]), diff)
    Console(file=out).print(table)


@output_format("profiles", "json")
def _profiles_json(rows: list[dict[str, Any]], lang: str, out: TextIO) -> None:
    out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")

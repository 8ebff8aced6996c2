"""The commands of the collecting office and of the reports: consolidate, report, lint-report, explain,
profiles."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .. import formats
from .shell import DebugOpt, ForceOpt, IncludeErrorsOpt, Lang, LangOpt, ProfileOpt, app, guard, say, use_profile


class TableFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


class Executor(str, Enum):
    local = "local"
    dask = "dask"
    serial = "serial"


@app.command()
def consolidate(
    inputs: Annotated[list[Path], typer.Argument(help="各单位的工作簿（文件或文件夹，递归查找 .xlsx）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="汇总工作簿 .xlsx")],
    json_path: Annotated[Path | None, typer.Option("--json", help="同时输出 JSON 汇总")] = None,
    executor: Annotated[
        Executor, typer.Option("--executor", help="local（本机多进程，默认）、dask（集群）或 serial（单进程）")
    ] = Executor.local,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786")
    ] = None,
    workers: Annotated[int | None, typer.Option("--workers", help="本机进程数（默认为 CPU 核数）")] = None,
    include_errors: IncludeErrorsOpt = False,
    profile: ProfileOpt = None,
    tables: Annotated[
        Path | None,
        typer.Option(
            "--tables", help="同时把单位、指标、问题、无法读取四张表写入此文件夹，供 Excel 透视表或 pandas 分析"
        ),
    ] = None,
    table_format: Annotated[
        TableFormat, typer.Option("--table-format", help="四张表的格式：csv（UTF-8 带 BOM，默认）、parquet 或 xlsx")
    ] = TableFormat.csv,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """把各单位的自评表汇总为一张汇总表（按地区分组小计、等次分布、指标对比、问题清单）。"""

    def run() -> int:
        from .. import api
        from ..consolidate import iter_inputs
        from ..render import progress

        pid = use_profile(profile)
        total = sum(1 for _ in iter_inputs(inputs))
        with progress(total, lang.value) as advance:

            def done(count: int) -> None:
                for _ in range(count):
                    advance()

            outline = api.consolidate(
                inputs,
                output,
                json_path=json_path,
                lang=lang.value,
                executor=executor.value,
                scheduler=scheduler,
                workers=workers,
                force=force,
                progress=done,
                include_errors=include_errors,
                profile=pid,
                tables=tables,
                table_format=table_format.value,
            )
        grades = ("，" if lang is Lang.zh else ", ").join(f"{g} {n}" for g, n in sorted(outline["grades"].items()))
        if lang is Lang.zh:
            say(
                f"已汇总 {outline['units']} 个单位（{grades or '无'}"
                + (f"；待更正 {outline['pending']}" if outline["pending"] else "")
                + f"），不可用文件 {outline['unusable']} 个，有错误的单位 {outline['invalid']} 个"
                + ("（临时计入等次）" if include_errors and outline["invalid"] else "")
                + f"，需要确认的冲突 {outline['conflicts']} 项：{output}"
            )
        else:
            say(
                f"consolidated {outline['units']} units ({grades or 'none'}"
                + (f"; pending correction {outline['pending']}" if outline["pending"] else "")
                + f"); {outline['unusable']} unusable files, {outline['invalid']} units with errors"
                + (" (counted provisionally)" if include_errors and outline["invalid"] else "")
                + f", {outline['conflicts']} conflicts: {output}"
            )
        if outline.get("tables"):
            say(("表格：" if lang is Lang.zh else "tables: ") + "、".join(outline["tables"]))
        if outline["unusable"]:
            return 2
        return 1 if outline["invalid"] else 0

    guard(lang, debug, run)


@app.command()
def report(
    inputs: Annotated[list[Path], typer.Argument(help="已填写的自评表；多个文件、文件夹或汇总表时生成汇总报告")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 .docx 或 .md")],
    consolidated: Annotated[bool, typer.Option("--consolidated", help="生成汇总报告（多个单位）")] = False,
    style_template: Annotated[
        Path | None, typer.Option("--style-template", help="使用自己的 Word 样式模板（.docx）")
    ] = None,
    include_errors: IncludeErrorsOpt = False,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """根据自评表生成自评报告（.docx / .md）；或根据多个单位生成汇总报告。"""

    def run() -> int:
        from .. import api

        written = api.write_reports(
            inputs,
            output,
            consolidated=consolidated,
            style_template=style_template,
            include_errors=include_errors,
            force=force,
            profile=use_profile(profile),
        )
        for target, project in written.reports:
            named = f"（{project}）" if project else ""
            if written.summary:
                say(f"已生成汇总报告：{target}" if lang is Lang.zh else f"summary report written: {target}")
            else:
                say(f"已生成自评报告：{target}{named}" if lang is Lang.zh else f"report written: {target}{named}")
        return written.worst

    guard(lang, debug, run)


LintFormat = Enum("LintFormat", {name: name for name in formats.names("lint-report")}, type=str)  # type: ignore[misc]
ExplainFormat = Enum("ExplainFormat", {name: name for name in formats.names("explain")}, type=str)  # type: ignore[misc]
ProfilesFormat = Enum("ProfilesFormat", {name: name for name in formats.names("profiles")}, type=str)  # type: ignore[misc]


@app.command("lint-report")
def lint_report(
    reports: Annotated[list[Path], typer.Argument(help="要检查的自评报告（.docx、.doc、PDF、网页 .html、.txt/.md）")],
    against: Annotated[Path | None, typer.Option("--against", help="与此自评表（.xlsx）核对")] = None,
    fmt: Annotated[LintFormat, typer.Option("--format", help="text 或 json（每个文件一行）")] = LintFormat("text"),  # noqa: B008
    profile: ProfileOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """检查自评报告文字中的数字是否自相矛盾（合计、比率、得分表、等次、人数），可与自评表核对。"""

    def run() -> int:
        from .. import api
        from ..errors import XltoolError
        from ..linting import unusable

        pid = use_profile(profile)
        worst = 0
        for path in reports:  # one file that cannot be read is reported and the others still checked
            try:
                result = api.lint_report(path, against=against, lang=lang.value, profile=pid)
            except XltoolError as exc:
                if debug:
                    raise
                say(exc.render(lang.value))
                if fmt.value == "json":
                    formats.write("lint-report", fmt.value, unusable(path, exc, lang.value), lang.value, sys.stdout)
                worst = 2
                continue
            formats.write("lint-report", fmt.value, result, lang.value, sys.stdout)
            worst = max(worst, 1 if result["counts"]["error"] else 0)
        return worst

    guard(lang, debug, run)


@app.command()
def explain(
    code: Annotated[str | None, typer.Argument(help="规则代码，如 sum.mismatch")] = None,
    every: Annotated[bool, typer.Option("--all", help="列出全部规则代码")] = False,
    fmt: Annotated[ExplainFormat, typer.Option("--format", help="text、json 或 markdown")] = ExplainFormat("text"),  # noqa: B008
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """说明一个规则代码（校验提示方括号中的代码）的含义：级别、何时报告、提示文字。"""

    def run() -> int:
        from .. import api
        from ..errors import UsageError

        if not every and not code:
            raise UsageError("explain.nothing")
        formats.write("explain", fmt.value, api.explain(None if every else code), lang.value, sys.stdout)
        return 0

    guard(lang, debug, run)


@app.command()
def profiles(
    fmt: Annotated[ProfilesFormat, typer.Option("--format", help="text 或 json")] = ProfilesFormat("text"),  # noqa: B008
    profile: ProfileOpt = None,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """列出各地区口径及其与全国通用口径的差别（--profile 文件：一并列出并检查）。"""

    def run() -> None:
        from .. import api

        use_profile(profile)
        formats.write("profiles", fmt.value, api.profiles(), lang.value, sys.stdout)

    guard(lang, debug, run)

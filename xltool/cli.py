"""The ``xltool`` command: parses arguments, calls :mod:`xltool.api`, renders, picks the exit code.

Exit codes (every command): 0 done with no error finding; 1 at least one error finding; 2 a usage error
or an input that cannot be used, reported as one line on stderr (a traceback only with ``--debug``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__
from .errors import XltoolError

app = typer.Typer(
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
DebugOpt = Annotated[bool, typer.Option("--debug", help="出错时显示完整的 Python 调用栈")]
ForceOpt = Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖")]
IncludeErrorsOpt = Annotated[
    bool,
    typer.Option(
        "--include-errors",
        help="临时汇总：自评表有校验错误的单位也计入等次、平均分和图表（默认列为“待更正”，不计入）",
    ),
]


def _say(text: str) -> None:
    typer.echo(text, err=True)


def _guard(lang: Lang, debug: bool, action: Callable[[], int | None]) -> None:
    """Run a command body: known failures become one line on stderr and exit 2."""
    try:
        code = action() or 0
    except XltoolError as exc:
        if debug:
            raise
        _say(exc.render(lang.value))
        raise typer.Exit(exc.exit_code) from None
    except BrokenPipeError:  # the reader of our output went away (`| head`): stop quietly
        import os

        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter from failing on exit
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _say("已中断" if lang is Lang.zh else "interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:  # an unexpected failure still gets one clear line, never a traceback
        if debug:
            raise
        from .messages import render

        _say(render("internal", lang.value, detail=f"{type(exc).__name__}: {exc}"))
        raise typer.Exit(2) from None
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xltool {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号")] = False,
) -> None:
    """预算绩效自评工具 xltool。"""


@app.command()
def template(
    form: Annotated[Form, typer.Option("--form", help="表样：department（部门整体）或 project（项目支出）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 .xlsx 文件")],
    profile: Annotated[str, typer.Option("--profile", help="地区口径，见 xltool profiles")] = "national",
    year: Annotated[int | None, typer.Option("--year", help="预填年度")] = None,
    password: Annotated[str | None, typer.Option("--password", help="工作表保护密码（默认无密码）")] = None,
    rows: Annotated[int, typer.Option("--rows", help="绩效指标行数（至少为口径默认值）")] = 0,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """生成空白自评表模板（.xlsx）。"""

    def run() -> None:
        from . import api

        api.make_template(form.value, profile, output, year=year, password=password, indicator_rows=rows, force=force)
        _say(f"已生成模板：{output}" if lang is Lang.zh else f"template written: {output}")

    _guard(lang, debug, run)


@app.command()
def fill(
    data: Annotated[Path, typer.Argument(help="评价数据文件（.json / .yaml）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 .xlsx 文件")],
    template_path: Annotated[Path | None, typer.Option("--template", help="填入已有的空白模板（否则新生成）")] = None,
    password: Annotated[str | None, typer.Option("--password", help="工作表保护密码（默认无密码）")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """把评价数据填入自评表，生成已填写的工作簿。"""

    def run() -> None:
        from . import api
        from .io.files import read_document

        api.fill(read_document(data), output, template=template_path, password=password, force=force)
        _say(f"已填写：{output}" if lang is Lang.zh else f"filled workbook written: {output}")

    _guard(lang, debug, run)


@app.command()
def export(
    workbook: Annotated[
        Path, typer.Argument(help="已填写的自评表：xltool 模板，或正式表样的 .xlsx / .xls / .ods / .docx")
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="输出 .json（默认打印到屏幕）")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """从工作簿读出评价数据（JSON）。"""

    def run() -> None:
        from . import api

        documents = api.export_all(workbook)  # a form holding several projects gives a list of documents
        data = documents[0] if len(documents) == 1 else documents
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            from .io.files import write_text

            write_text(output, text, force=force)
            _say(f"已导出：{output}" if lang is Lang.zh else f"exported: {output}")

    _guard(lang, debug, run)


@app.command("import")
def import_form(
    form_file: Annotated[Path, typer.Argument(help="正式表样的自评表（.xlsx / .xls / .ods / .docx）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 xltool 模板 .xlsx")],
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """把正式表样的自评表转入 xltool 模板（带公式和下拉框），并列出未能转入的内容。"""

    def run() -> None:
        from . import api
        from .core.labels import label

        for target, left in api.import_form(form_file, output, force=force):
            _say(f"已转入模板：{target}" if lang is Lang.zh else f"imported into the template: {target}")
            if left:
                _say(
                    "  以下内容模板中没有对应位置，未转入："
                    if lang is Lang.zh
                    else "  not carried over (no place in the template):"
                )
                for path, value in left:
                    computed = path in api.COMPUTED_IN_TEMPLATE
                    note = (
                        ("（模板按公式重新计算）" if lang is Lang.zh else " (the template computes it)")
                        if computed
                        else ""
                    )
                    _say(f"  - {label(path, lang.value)}：{value}{note}")

    _guard(lang, debug, run)


class Format(str, Enum):
    text = "text"
    json = "json"


@app.command()
def validate(
    inputs: Annotated[list[Path], typer.Argument(help="要校验的工作簿（可以是文件夹）")],
    fmt: Annotated[Format, typer.Option("--format", help="text（表格）或 json（每个文件一行）")] = Format.text,
    annotate_dir: Annotated[
        Path | None, typer.Option("--annotate", help="把标注了问题单元格和批注的副本写入此文件夹")
    ] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """校验已填写的自评表，重新计算全部得分，逐条指出问题所在单元格。"""

    def run() -> int:
        from .consolidate import collect_inputs
        from .errors import UsageError
        from .render import print_report, progress
        from .validation import validate_path

        files = collect_inputs(inputs)
        if not files:
            raise UsageError("cli.no-inputs")
        if annotate_dir is not None and not annotate_dir.is_dir():
            annotate_dir.mkdir(parents=True, exist_ok=True)
        worst = 0
        with progress(len(files), lang.value) as advance:
            for path in files:
                reports = validate_path(path)
                for report in reports:
                    if fmt is Format.json:
                        sys.stdout.write(json.dumps(report.to_json(lang.value), ensure_ascii=False) + "\n")
                        sys.stdout.flush()
                    else:
                        print_report(report, lang.value)
                    if report.unusable:  # the one line on stderr, whatever stdout holds
                        _say(report.unusable_message[lang.value])
                        worst = 2
                    elif not report.valid:
                        worst = max(worst, 1)
                if annotate_dir is not None and reports[0].workbook is not None:
                    from .render import annotate_reports

                    written = annotate_reports(reports, annotate_dir, lang.value, force)
                    official = reports[0].workbook.official
                    if written is not None and official is not None and official.format != "xlsx":
                        _say(
                            f"{path.name} 是 .{official.format} 文件，不直接改写：问题清单（含原文件中的位置）已写入 {written}"
                            if lang is Lang.zh
                            else f"{path.name} is an .{official.format} file and is not rewritten: "
                            f"the findings, with their places in it, are in {written}"
                        )
                advance()
        return worst

    _guard(lang, debug, run)


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
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """把各单位的自评表汇总为一张汇总表（按地区分组小计、等次分布、指标对比、问题清单）。"""

    def run() -> int:
        from .consolidate import consolidate as run_consolidate
        from .consolidate import iter_inputs
        from .render import progress

        total = sum(1 for _ in iter_inputs(inputs))
        with progress(total, lang.value) as advance:

            def done(count: int) -> None:
                for _ in range(count):
                    advance()

            outline = run_consolidate(
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
            )
        grades = ("，" if lang is Lang.zh else ", ").join(f"{g} {n}" for g, n in sorted(outline["grades"].items()))
        if lang is Lang.zh:
            _say(
                f"已汇总 {outline['units']} 个单位（{grades or '无'}"
                + (f"；待更正 {outline['pending']}" if outline["pending"] else "")
                + f"），不可用文件 {outline['unusable']} 个，有错误的单位 {outline['invalid']} 个"
                + ("（临时计入等次）" if include_errors and outline["invalid"] else "")
                + f"，需要确认的冲突 {outline['conflicts']} 项：{output}"
            )
        else:
            _say(
                f"consolidated {outline['units']} units ({grades or 'none'}"
                + (f"; pending correction {outline['pending']}" if outline["pending"] else "")
                + f"); {outline['unusable']} unusable files, {outline['invalid']} units with errors"
                + (" (counted provisionally)" if include_errors and outline["invalid"] else "")
                + f", {outline['conflicts']} conflicts: {output}"
            )
        if outline["unusable"]:
            return 2
        return 1 if outline["invalid"] else 0

    _guard(lang, debug, run)


@app.command()
def report(
    inputs: Annotated[list[Path], typer.Argument(help="已填写的自评表；多个文件、文件夹或汇总表时生成汇总报告")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 .docx 或 .md")],
    consolidated: Annotated[bool, typer.Option("--consolidated", help="生成汇总报告（多个单位）")] = False,
    style_template: Annotated[
        Path | None, typer.Option("--style-template", help="使用自己的 Word 样式模板（.docx）")
    ] = None,
    include_errors: IncludeErrorsOpt = False,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """根据自评表生成自评报告（.docx / .md）；或根据多个单位生成汇总报告。"""

    def run() -> int:
        from .reporting import is_summary_workbook, summary_report_for, unit_reports_for, write_report

        single = len(inputs) == 1 and inputs[0].is_file() and not consolidated
        if single and not is_summary_workbook(inputs[0]):
            documents = unit_reports_for(inputs[0])
            worst = 0
            for number, (document, errors, project) in enumerate(documents, 1):
                # a form holding several projects gives one report each: report-1.docx, report-2.docx…
                target = output if len(documents) == 1 else output.with_name(f"{output.stem}-{number}{output.suffix}")
                write_report(document, target, style_template=style_template, force=force)
                named = f"（{project}）" if project and len(documents) > 1 else ""
                _say(f"已生成自评报告：{target}{named}" if lang is Lang.zh else f"report written: {target}{named}")
                worst = max(worst, 1 if errors else 0)
            return worst
        document, invalid, unusable = summary_report_for(inputs, include_errors=include_errors)
        write_report(document, output, style_template=style_template, force=force)
        _say(f"已生成汇总报告：{output}" if lang is Lang.zh else f"summary report written: {output}")
        return 2 if unusable else (1 if invalid else 0)

    _guard(lang, debug, run)


@app.command("lint-report")
def lint_report(
    reports: Annotated[list[Path], typer.Argument(help="要检查的自评报告（.docx / .txt / .md）")],
    against: Annotated[Path | None, typer.Option("--against", help="与此自评表（.xlsx）核对")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text 或 json（每个文件一行）")] = Format.text,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """检查自评报告文字中的数字是否自相矛盾（合计、比率、得分表、等次、人数），可与自评表核对。"""

    def run() -> int:
        from .linting import lint_file, print_lint

        worst = 0
        for path in reports:
            result = lint_file(path, against, lang.value)
            if fmt is Format.json:
                sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            else:
                print_lint(result, lang.value)
            worst = max(worst, 1 if result["counts"]["error"] else 0)
        return worst

    _guard(lang, debug, run)


class ExplainFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def explain(
    code: Annotated[str | None, typer.Argument(help="规则代码，如 sum.mismatch")] = None,
    every: Annotated[bool, typer.Option("--all", help="列出全部规则代码")] = False,
    fmt: Annotated[ExplainFormat, typer.Option("--format", help="text、json 或 markdown")] = ExplainFormat.text,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """说明一个规则代码（校验提示方括号中的代码）的含义：级别、何时报告、提示文字。"""

    def run() -> int:
        from .core.registry import codes
        from .errors import UsageError
        from .explain import explain_json, explain_text, find_code, markdown

        if not every and not code:
            raise UsageError("explain.nothing")
        chosen = list(codes().values()) if every else [find_code(str(code))]
        if fmt is ExplainFormat.markdown:
            typer.echo(markdown() if every else explain_text(chosen[0], lang.value))
        elif fmt is ExplainFormat.json:
            payload = [explain_json(c) for c in chosen]
            typer.echo(json.dumps(payload if every else payload[0], ensure_ascii=False, indent=1))
        else:
            typer.echo("\n\n".join(explain_text(c, lang.value) for c in chosen))
        return 0

    _guard(lang, debug, run)


@app.command()
def profiles(
    fmt: Annotated[str, typer.Option("--format", help="text 或 json")] = "text",
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """列出各地区口径及其与全国通用口径的差别。"""

    def run() -> None:
        from .core.spec import load_profile, profile_differences, profile_ids

        base = load_profile("national")
        rows: list[dict[str, Any]] = []
        for pid in profile_ids():
            prof = load_profile(pid)
            rows.append(
                {
                    "id": prof.id,
                    "name": prof.name,
                    "forms": list(prof.forms),
                    "description": prof.description,
                    "differences": profile_differences(prof, base) if pid != "national" else [],
                }
            )
        if fmt == "json":
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        from rich.console import Console
        from rich.table import Table

        table = Table("口径", "名称", "表样", "与全国通用口径的差别")
        for row in rows:
            diff = "；".join(row["differences"]) or ("（基准）" if row["id"] == "national" else "无")
            table.add_row(row["id"], row["name"], "、".join(row["forms"]), diff)
        Console().print(table)

    _guard(lang, debug, run)


def main() -> None:
    """Console-script entry point."""
    from .console import tolerant_streams

    tolerant_streams()
    app()

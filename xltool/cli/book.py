"""The commands that make and read one unit's workbook: template, fill, export, import, validate."""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .. import formats
from .shell import DebugOpt, ForceOpt, Form, Lang, LangOpt, ProfileOpt, app, guard, say, use_profile

if TYPE_CHECKING:
    pass

ValidateFormat = Enum("ValidateFormat", {name: name for name in formats.names("validate")}, type=str)  # type: ignore[misc]
ExportFormat = Enum("ExportFormat", {name: name for name in formats.names("export")}, type=str)  # type: ignore[misc]


@app.command()
def template(
    form: Annotated[Form, typer.Option("--form", help="表样：department（部门整体）或 project（项目支出）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 .xlsx 文件")],
    profile: ProfileOpt = None,
    year: Annotated[int | None, typer.Option("--year", help="预填年度")] = None,
    password: Annotated[str | None, typer.Option("--password", help="工作表保护密码（默认无密码）")] = None,
    rows: Annotated[int, typer.Option("--rows", help="绩效指标行数（至少为口径默认值）")] = 0,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """生成空白自评表模板（.xlsx）。"""

    def run() -> None:
        from .. import api

        pid = use_profile(profile) or "national"
        api.make_template(form.value, pid, output, year=year, password=password, indicator_rows=rows, force=force)
        say(f"已生成模板：{output}" if lang is Lang.zh else f"template written: {output}")

    guard(lang, debug, run)


@app.command()
def fill(
    data: Annotated[Path, typer.Argument(help="评价数据文件（.json / .yaml）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 .xlsx 文件")],
    template_path: Annotated[Path | None, typer.Option("--template", help="填入已有的空白模板（否则新生成）")] = None,
    profile: ProfileOpt = None,
    password: Annotated[str | None, typer.Option("--password", help="工作表保护密码（默认无密码）")] = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """把评价数据填入自评表，生成已填写的工作簿（数据中没有写 profile 时按 --profile 的口径）。"""

    def run() -> None:
        from .. import api
        from ..io.files import read_document

        document = read_document(data)
        pid = use_profile(profile)
        if pid and not document.get("profile"):
            document["profile"] = pid
        api.fill(document, output, template=template_path, password=password, force=force)
        say(f"已填写：{output}" if lang is Lang.zh else f"filled workbook written: {output}")

    guard(lang, debug, run)


@app.command()
def export(
    workbook: Annotated[
        Path, typer.Argument(help="已填写的自评表：xltool 模板，或正式表样的 .xlsx / .xls / .ods / .docx")
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="输出文件（默认打印到屏幕）")] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json 或 yaml")] = ExportFormat("json"),  # noqa: B008
    profile: ProfileOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """从工作簿读出评价数据（JSON 或 YAML；一个文件里有几份自评表时为列表）。"""

    def run() -> None:
        from .. import api

        documents = api.export_all(workbook, use_profile(profile))
        if output is None:
            formats.write("export", fmt.value, documents, lang.value, sys.stdout)
            return
        from ..io.files import write_text

        buffer = io.StringIO()
        formats.write("export", fmt.value, documents, lang.value, buffer)
        write_text(output, buffer.getvalue(), force=force)
        say(f"已导出：{output}" if lang is Lang.zh else f"exported: {output}")

    guard(lang, debug, run)


@app.command("import")
def import_form(
    form_file: Annotated[Path, typer.Argument(help="正式表样的自评表（.xlsx / .xls / .ods / .docx）")],
    output: Annotated[Path, typer.Option("-o", "--output", help="输出的 xltool 模板 .xlsx")],
    profile: ProfileOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """把正式表样的自评表转入 xltool 模板（带公式和下拉框），并列出未能转入的内容。"""

    def run() -> None:
        from .. import api
        from ..core.labels import label

        for target, left in api.import_form(form_file, output, force=force, profile=use_profile(profile)):
            say(f"已转入模板：{target}" if lang is Lang.zh else f"imported into the template: {target}")
            if left:
                say(
                    "  以下内容模板中没有对应位置，未转入："
                    if lang is Lang.zh
                    else "  not carried over (no place in the template):"
                )
            for path, value in left:
                computed = path in api.COMPUTED_IN_TEMPLATE
                note = (
                    ("（模板按公式重新计算）" if lang is Lang.zh else " (the template computes it)") if computed else ""
                )
                say(f"  - {label(path, lang.value)}：{value}{note}")

    guard(lang, debug, run)


@app.command()
def validate(
    inputs: Annotated[list[Path], typer.Argument(help="要校验的工作簿（可以是文件夹）")],
    fmt: Annotated[
        ValidateFormat, typer.Option("--format", help="text（表格）或 json（每个文件一行）")
    ] = ValidateFormat(  # noqa: B008
        "text"
    ),
    annotate_dir: Annotated[
        Path | None, typer.Option("--annotate", help="把标注了问题单元格和批注的副本写入此文件夹")
    ] = None,
    profile: ProfileOpt = None,
    force: ForceOpt = False,
    lang: LangOpt = Lang.zh,
    debug: DebugOpt = False,
) -> None:
    """校验已填写的自评表，重新计算全部得分，逐条指出问题所在单元格（--profile：正式表样按此口径计分）。"""

    def run() -> int:
        from .. import api
        from ..consolidate import collect_inputs
        from ..errors import UsageError
        from ..render import progress

        pid = use_profile(profile)
        files = collect_inputs(inputs)
        if not files:
            raise UsageError("cli.no-inputs")
        if annotate_dir is not None and not annotate_dir.is_dir():
            annotate_dir.mkdir(parents=True, exist_ok=True)
        worst = 0
        with progress(len(files), lang.value) as advance:
            for path in files:
                reports = list(api.validate([path], profile=pid))
                for report in reports:
                    formats.write("validate", fmt.value, report, lang.value, sys.stdout)
                    if report.unusable:  # the one line on stderr, whatever stdout holds
                        say(report.unusable_message[lang.value])
                        worst = 2
                    elif not report.valid:
                        worst = max(worst, 1)
                if annotate_dir is not None:
                    _annotate(path, reports, annotate_dir, lang, force)
                advance()
        return worst

    guard(lang, debug, run)


def _annotate(path: Path, reports: list, folder: Path, lang: Lang, force: bool) -> None:
    """The marked copy of a validated file (or, for a form xltool does not rewrite, its findings list)."""
    if reports[0].workbook is None:
        return
    from ..render import annotate_reports

    written = annotate_reports(reports, folder, lang.value, force)
    official = reports[0].workbook.official
    if written is not None and official is not None and official.format != "xlsx":
        say(
            f"{path.name} 是 .{official.format} 文件，不直接改写：问题清单（含原文件中的位置）已写入 {written}"
            if lang is Lang.zh
            else f"{path.name} is an .{official.format} file and is not rewritten: "
            f"the findings, with their places in it, are in {written}"
        )

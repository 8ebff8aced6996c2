"""Every message xltool prints, Chinese first, English beside it.

Finding codes are declared in the registry (``specs/findings.yaml``, :mod:`xltool.core.registry`); this catalogue
holds the rest: usage and output errors, the details inside messages, and the words messages are made of.
Templates use ``str.format`` fields; a missing field renders as ``?`` rather than failing.
"""

from __future__ import annotations

import string
from typing import Any

from .core.registry import lookup

CATALOGUE: dict[str, tuple[str, str]] = {
    # files and usage
    "file.not-found": ("找不到文件：{path}", "file not found: {path}"),
    "detail.layout-partial": (
        "最接近“{family}”，但缺少 {missing}；表中找到的标签：{found}。如是新表样，可按 docs/layouts.md 增加一个表样文件",
        "closest to {family!r}, but {missing} is missing; labels found: {found}. "
        "A new layout can be added as one file (docs/layouts.md)",
    ),
    "detail.layout-excluded": (
        "像“{family}”，但又有该表样没有的 {missing}；表中找到的标签：{found}",
        "looks like {family!r} but also has {missing}, which that layout does not; labels found: {found}",
    ),
    "detail.layout-ambiguous": (
        "同样符合“{first}”和“{second}”两种表样，无法判断按哪种口径计分；表中找到的标签：{found}",
        "fits both {first!r} and {second!r} equally; cannot tell which rules to score by; labels found: {found}",
    ),
    "detail.layout-none": (
        "没有找到自评表的标签（如 项目名称、全年执行数、三级指标）；表中找到的标签：{found}。"
        "可以用 xltool template 生成模板填写",
        "none of a self-evaluation form's labels (项目名称, 全年执行数, 三级指标…) found; labels found: {found}. "
        "An xltool template can be made with xltool template",
    ),
    # the collection desk (xltool serve, xltool desk)
    "desk.no-collection": (
        "{data} 中还没有收集：请先运行 xltool desk init --data {data} …",
        "no collection in {data}: run xltool desk init --data {data} … first",
    ),
    "desk.exists": (
        "{data} 中已有收集，不再重复建立（如需新的年度，请另用一个数据文件夹）",
        "{data} already holds a collection (use another data folder for another year)",
    ),
    "desk.password-short": ("办公室密码至少 8 个字符", "the office password needs at least 8 characters"),
    "desk.bad-date": (
        "截止日期应写成 2024-03-31，实为“{value}”",
        "the deadline must read like 2024-03-31, not {value!r}",
    ),
    "desk.units-encoding": (
        "{path} 既不是 UTF-8 也不是 GBK 编码：请在 Excel 中另存为“CSV（逗号分隔）”",
        "{path} is neither UTF-8 nor GBK: save it from Excel as CSV (comma delimited)",
    ),
    "desk.units-empty": ("{path} 是空文件", "{path} is empty"),
    "desk.units-columns": (
        "{path} 缺少列：{missing}（第一行应为列名，找到的是：{found}）",
        "{path} lacks the columns {missing} (the first row must name the columns; found: {found})",
    ),
    "desk.units-row": ("{path} 第 {row} 行缺少单位名称或单位代码", "{path} row {row}: 单位名称 or 单位代码 is empty"),
    "desk.units-duplicate": (
        "{path} 第 {row} 行的单位代码 {code} 与前面的行重复",
        "{path} row {row}: the unit code {code} repeats an earlier row",
    ),
    "desk.no-unit": ("没有单位代码为 {code} 的单位", "no unit has the code {code}"),
    "output.exists": (
        "输出文件已存在：{path}（如需覆盖请加 --force）",
        "output already exists: {path} (use --force to overwrite)",
    ),
    "output.is-dir": ("输出路径是一个文件夹：{path}", "output path is a folder: {path}"),
    "output.no-dir": ("输出文件夹不存在：{path}", "output folder does not exist: {path}"),
    "document.syntax": ("{path} 格式错误：{detail}", "{path} is not valid JSON/YAML: {detail}"),
    "document.encoding": ("{path} 不是 UTF-8 编码的文本", "{path} is not UTF-8 text"),
    "document.not-mapping": (
        "{path} 的顶层应为键值表（form、unit、budget…）",
        "{path}: the top level must be a mapping (form, unit, budget…)",
    ),
    "document.bad-form": (
        "{path}：form 应为 department 或 project，实为 {value}",
        "{path}: form must be department or project, got {value}",
    ),
    "spec.error": ("表样或口径定义有误：\n{detail}", "form or profile definition is wrong:\n{detail}"),
    "profile.form": ("口径“{profile}”不提供“{form}”表样", "profile {profile} has no {form} form"),
    "fill.too-many-rows": (
        "{table} 有 {count} 行，超出所给模板的 {rows} 行；请不加 --template 直接生成，或换用行数更多的模板",
        "{table} has {count} rows, more than the {rows} rows of the given template; "
        "fill without --template or use a larger template",
    ),
    "fill.unknown-source": (
        "资金来源“{name}”不在本口径的资金来源中（{known}）",
        "fund source {name!r} is not one of this profile's ({known})",
    ),
    "fill.template-mismatch": (
        "模板 {path} 是“{found}”，与数据的“{expected}”不一致",
        "template {path} is for {found}, the data is for {expected}",
    ),
    "profile.unknown": (
        "没有名为“{profile}”的地区口径，可用：{known}",
        "no profile named {profile!r}; available: {known}",
    ),
    "detail.no-meta": (
        "没有模板标识（隐藏表 _xltool），请用 xltool template 生成的模板填写",
        "no template identity (hidden sheet _xltool); fill a template made by xltool template",
    ),
    "detail.bad-meta": ("模板标识不符", "the template identity is not xltool's"),
    "detail.newer": (
        "模板版本 {version} 比本程序支持的 {supported} 新，请升级 xltool",
        "template version {version} is newer than the supported {supported}; upgrade xltool",
    ),
    "detail.unknown-spec": (
        "模板的表样或口径“{name}”本程序不认识",
        "the template's form or profile {name!r} is unknown",
    ),
    "detail.missing-sheet": ("缺少工作表“{sheet}”", "sheet {sheet!r} is missing"),
    "detail.no-file": ("文件不存在", "no such file"),
    "detail.old-xls": (
        "这是旧版 .xls（或其他 Office 二进制）文件，请在 Excel/WPS 中另存为 .xlsx",
        "this is a legacy .xls (or other binary Office) file; save it as .xlsx in Excel/WPS",
    ),
    "detail.not-zip": (
        "不是 xltool 能读取的文件：自评表可读取 Excel/WPS 工作簿（.xlsx、.xlsm、.xls、.ods）和 Word 表格（.docx），"
        "自评报告另可读取 .doc、PDF、网页（.html）和文本（.txt）；请在 Excel/WPS 中打开后另存为 .xlsx",
        "not a file xltool reads: forms are read from Excel/WPS workbooks (.xlsx, .xlsm, .xls, .ods) and Word tables "
        "(.docx), reports also from .doc, PDF, web pages (.html) and text (.txt); open it in Excel/WPS and save it as "
        ".xlsx",
    ),
    "detail.text-file": (
        "这是文本文件（如 CSV），不是工作簿：请在 Excel/WPS 中打开后另存为 .xlsx（Excel 工作簿）",
        "this is a text file (such as CSV), not a workbook: open it in Excel/WPS and save it as .xlsx (Excel workbook)",
    ),
    "detail.image": (
        "这是图片（{kind}），不是表格：照片或扫描件无法读取，请报送在 Excel/WPS 中填写的自评表（.xlsx）",
        "this is a picture ({kind}), not a table: photos and scans cannot be read; send the form filled in "
        "Excel/WPS (.xlsx)",
    ),
    "detail.bad-zip": ("文件已损坏（{error}）", "the file is damaged ({error})"),
    "detail.no-document": (
        "压缩包中没有 Word 正文（word/document.xml）",
        "the package holds no document (word/document.xml)",
    ),
    "detail.no-workbook": ("压缩包中没有工作簿（xl/workbook.xml）", "the package holds no workbook (xl/workbook.xml)"),
    "detail.parts": ("{count} 个部件", "{count} parts"),
    "detail.unpacked": ("解压后 {count} 字节", "{count} bytes unpacked"),
    "detail.ratio": ("压缩比 {count}", "compression ratio {count}"),
    "detail.rows": ("单个工作表 {count} 行", "{count} rows in one sheet"),
    "detail.old-doc": (
        "这是旧版 Word 文档（.doc）：请在 Word/WPS 中另存为 .docx 后再试（自评表在 .docx 的表格里可以读取）",
        "this is a legacy Word document (.doc): save it as .docx in Word/WPS and retry (forms in .docx tables can be read)",
    ),
    "detail.et": (
        "这是 WPS 表格文件（.et），请在 WPS 中“另存为” Excel 工作簿（.xlsx）",
        "this is a WPS spreadsheet (.et); in WPS, save it as an Excel workbook (.xlsx)",
    ),
    "detail.empty": ("文件是空的（0 字节）", "the file is empty (0 bytes)"),
    "detail.pdf": (
        "这是 PDF 文件，不是工作簿；请报送 Excel/WPS 填写的自评表",
        "this is a PDF, not a workbook; send the form filled in Excel/WPS",
    ),
    "detail.bad-pdf": ("PDF 文件已损坏，无法读取（{error}）", "the PDF is damaged and cannot be read ({error})"),
    "detail.pdf-no-text": (
        "PDF 中没有文字，只有图片（扫描件）：请提供 Word 版，或先用 WPS/Acrobat 的文字识别（OCR）另存为带文字的 PDF",
        "the PDF holds images, no text (a scan): send the Word version, or run OCR in WPS/Acrobat and save a PDF "
        "with text",
    ),
    "detail.needs-office": (
        "这是 {kind} 文档：读取它需要安装 LibreOffice（免费，安装后重试；也可设 XLTOOL_SOFFICE 指向 soffice），"
        "或在 Word/WPS 中另存为 .docx 后再试",
        "this is a {kind} document: reading it needs LibreOffice (free; install it and retry, or point "
        "XLTOOL_SOFFICE at soffice), or save it as .docx in Word/WPS and retry",
    ),
    "detail.office-failed": (
        "LibreOffice 未能转换这份 {kind} 文档（{error}）：请在 Word/WPS 中另存为 .docx 后再试",
        "LibreOffice could not convert this {kind} document ({error}): save it as .docx in Word/WPS and retry",
    ),
    "detail.image-report": (
        "这是图片（{kind}），不是报告：照片或扫描件无法读取，请提供 Word 版或带文字的 PDF",
        "this is a picture ({kind}), not a report: photos and scans cannot be read; send the Word version or a PDF "
        "with text",
    ),
    "detail.not-a-report": (
        "不是 xltool 能读取的报告格式：可读取 Word（.docx、.doc、.wps、.rtf、.odt）、带文字的 PDF、网页（.html）"
        "和文本（.txt、.md）；请在 Word/WPS 中另存为 .docx 后再试",
        "not a report format xltool reads: Word (.docx, .doc, .wps, .rtf, .odt), PDF with text, web pages (.html) "
        "and text (.txt, .md) are read; save it as .docx in Word/WPS and retry",
    ),
    "detail.markup": (
        "这是网页或 XML 文本，不是工作簿；请在 Excel/WPS 中打开后另存为 .xlsx",
        "this is a web page or XML text, not a workbook; open it in Excel/WPS and save as .xlsx",
    ),
    "detail.ods": (
        "这是 OpenDocument 表格（.ods），请在 WPS/LibreOffice/Excel 中另存为 .xlsx",
        "this is an OpenDocument spreadsheet (.ods); save it as .xlsx in WPS, LibreOffice or Excel",
    ),
    "detail.odf": (
        "这是 OpenDocument 文档，不是工作簿",
        "this is an OpenDocument file, not a workbook",
    ),
    "detail.xlsb": (
        "这是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx",
        "this is an Excel binary workbook (.xlsb); save it as .xlsx in Excel",
    ),
    "detail.is-docx": ("这是 Word 文档（.docx），不是工作簿", "this is a Word document (.docx), not a workbook"),
    "detail.is-xlsx": ("这是工作簿（.xlsx），不是 Word 文档", "this is a workbook (.xlsx), not a Word document"),
    "detail.backslash": (
        "压缩包内的路径用了反斜杠，且找不到工作簿；请在 Excel/WPS 中打开后另存为 .xlsx",
        "the package's paths use backslashes and hold no workbook; open it in Excel/WPS and save as .xlsx",
    ),
    "detail.utf16": (
        "其中的 {part} 是 UTF-16 编码的 XML，无法读取；请在 Excel/WPS 中打开后另存为 .xlsx",
        "its part {part} is UTF-16 XML, which cannot be read; open it in Excel/WPS and save as .xlsx",
    ),
    "detail.entities": (
        "其中的 {part} 声明了 XML 实体（DOCTYPE），可能是恶意构造的文件，已拒绝读取",
        "its part {part} declares XML entities (DOCTYPE), as malicious files do; it was not read",
    ),
    "detail.odd-path": (
        "工作簿的部件不在标准位置（非 Excel/WPS 保存的文件）；请在 Excel/WPS 中打开后另存为 .xlsx",
        "the workbook's parts are not where spreadsheet programs put them; open it in Excel/WPS and save as .xlsx",
    ),
    "detail.macro-sheets": (
        "工作簿含有 Excel 4.0 宏表或对话框表，无法读取；请删除这些工作表后另存为 .xlsx",
        "the workbook holds Excel 4.0 macro or dialog sheets, which cannot be read; delete them and save as .xlsx",
    ),
    "detail.crashed": (
        "读取此文件时读取程序异常退出（文件可能经过恶意构造或严重损坏）；其他文件不受影响",
        "the reader ended abnormally on this file (it may be malicious or badly damaged); other files are not affected",
    ),
    "detail.damaged": (
        "文件内容不完整或已损坏（{part}），无法识别为工作簿；请在 Excel/WPS 中打开检查后另存为 .xlsx",
        "the content is incomplete or damaged ({part}: {error}) and is no workbook; open it in Excel/WPS, check it "
        "and save as .xlsx",
    ),
    "detail.part": (
        "其中的 {part} 解压后超过 {count} 字节",
        "its part {part} unpacks to more than {count} bytes",
    ),
    "detail.xml": ("文件中的 XML 无法安全解析（{error}）", "the XML inside cannot be parsed safely ({error})"),
    "cli.no-inputs": ("没有找到要处理的 .xlsx 文件", "no .xlsx files to process"),
    "frames.not-a-summary": (
        "{path} 不是 xltool consolidate --json 写出的汇总（xltool/summary@1）",
        "{path} is not a summary written by xltool consolidate --json (xltool/summary@1)",
    ),
    "frames.labels": ("列名只能是 en 或 zh，而不是 {labels}", "labels must be en or zh, not {labels}"),
    "frames.format": ("表格格式 {format} 不认识，可用：{known}", "unknown table format {format}; use one of {known}"),
    "frames.no-pyarrow": (
        '写 Parquet 需要 pyarrow：pip install "xltool[tables]"（或改用 --table-format csv / xlsx）',
        'Parquet needs pyarrow: pip install "xltool[tables]" (or use --table-format csv / xlsx)',
    ),
    # words inside findings
    "expect.number": ("数字", "a number"),
    "expect.money": ("金额（数字）", "an amount (a number)"),
    "expect.integer": ("整数", "a whole number"),
    "expect.rate": ("百分比或小数", "a percentage or a fraction"),
    "expect.deadline": (
        "完成时间（如“5月”“6月20日”）或是否按时完成（“已完成”“未完成”）",
        "when it was done (5月, 6月20日) or whether (已完成, 未完成)",
    ),
    "expect.year": ("2000–2100 之间的年度", "a year between 2000 and 2100"),
    "expect.kind": ("正向/反向/等于/定性之一", "one of 正向/反向/等于/定性"),
    "expect.bool": ("“是”或“否”", "是 or 否"),
    "expect.text": ("文字", "text"),
    "expect.list": ("列表", "a list"),
    "expect.mapping": ("键值表", "a mapping"),
    "expect.form": ("department 或 project", "department or project"),
    "expect.money_unit": ("“万元”或“元”", "万元 or 元"),
    "hint.truncated": ("（疑似直接截尾而未四舍五入）", " (looks truncated instead of rounded)"),
    "hint.none": ("", ""),
    "what.level1": ("一级指标", "level-1 name"),
    "what.level2": ("二级指标", "level-2 name"),
    "what.total": ("总分", "total score"),
    "what.adjusted": ("全年预算数", "adjusted budget"),
    "what.executed": ("全年执行数", "executed amount"),
    "rule.positive": (
        "正向指标：实际值÷目标值×分值，达到目标得满分",
        "positive: actual ÷ target × weight, full at target",
    ),
    "rule.negative": (
        "反向指标：不超过目标得满分，超过按目标值÷实际值×分值",
        "negative: full up to the target, else target ÷ actual × weight",
    ),
    "rule.coefficient": ("指标得分 = 指标权重 × 得分系数", "score = weight × coefficient"),
    "rule.equal": ("等于指标：达到目标值得满分", "equal: full when the target is met"),
    "rule.deadline": ("时限指标：在时限内完成得满分", "deadline: full when done by the deadline"),
    "bound.closed": ("之间（含）", " (inclusive)"),
    "bound.open": ("之间（不含上限）", " (upper bound excluded)"),
    "consolidate.no-dask": (
        "使用 --executor dask 需要先安装：pip install 'xltool[dask]'",
        "--executor dask needs: pip install 'xltool[dask]'",
    ),
    "consolidate.no-scheduler": (
        "--executor dask 需要 --scheduler 地址（如 tcp://10.0.0.5:8786）",
        "--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)",
    ),
    "explain.unknown": (
        "没有名为“{code}”的规则代码；相近的：{close}。xltool explain --all 列出全部",
        "no finding code {code!r}; close ones: {close}. xltool explain --all lists every code",
    ),
    "explain.nothing": (
        "请给出规则代码（如 xltool explain sum.mismatch），或加 --all 列出全部",
        "give a code (xltool explain sum.mismatch) or --all for every code",
    ),
    "report.format": ("报告只能输出为 .docx 或 .md：{path}", "a report is written as .docx or .md: {path}"),
    "internal": (
        "内部错误：{detail}（请加 --debug 查看详情并反馈）",
        "internal error: {detail} (rerun with --debug and report it)",
    ),
}


class _Lenient(string.Formatter):
    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key, "?") if isinstance(key, str) else super().get_value(key, args, kwargs)


def render_finding(finding: Any, lang: str = "zh", words: Any = None) -> str:
    """The message of a :class:`~xltool.core.findings.Finding` in ``lang``: field paths become the form's own
    labels (``words``, a :class:`~xltool.core.labels.FormWords`, names them as the unit's form does), sub-keys
    (``*_key``) their catalogue text."""
    from .core.labels import label

    params = dict(finding.params)
    name = params.pop("name", None)
    if finding.field or "label" not in params:
        params["label"] = label(
            finding.field, lang, name=name if str(finding.field or "").startswith("indicators") else None, words=words
        )
    row = params.pop("row_field", None)
    if row:
        params["row"] = label(row, lang, name=name, words=words)
    parts = params.pop("parts_fields", None)
    if parts:
        params["parts"] = (" + " if lang == "en" else "、").join(label(p, lang, words=words) for p in parts)
    for key in ("actual", "target"):
        params.setdefault(f"{key}_label", label(f"indicators.{key}", lang, words=words, bare=True))
    params["expected"] = _show(finding.expected)
    params["found"] = _show(finding.found)
    return render(finding.code, lang, variant=finding.variant, **params)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render(key: str, lang: str = "zh", variant: str | None = None, **params: Any) -> str:
    """The message for ``key`` (a finding code or a catalogue key) in ``lang`` (``zh`` or ``en``).

    A parameter named ``X_key`` is itself a catalogue key: it is rendered (with the same parameters) and
    passed as ``X``, so details inside a message speak the same language as the message.
    """
    for name, value in list(params.items()):
        if name.endswith("_key") and isinstance(value, str):
            params[name[:-4]] = render(value, lang, **{k: v for k, v in params.items() if not k.endswith("_key")})
    code = lookup(key)
    if code is not None:
        template = code.template(lang, variant)
    else:
        zh, en = CATALOGUE.get(key, (key, key))
        template = en if lang == "en" else zh
    return _Lenient().format(template, **params)

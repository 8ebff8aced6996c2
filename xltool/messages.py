"""One catalogue of every message xltool prints, keyed by a stable code, Chinese first, English beside it.

Templates use ``str.format`` fields; a missing field renders as ``?`` rather than failing.
"""

from __future__ import annotations

import string
from typing import Any

CATALOGUE: dict[str, tuple[str, str]] = {
    # files and usage
    "file.not-found": ("找不到文件：{path}", "file not found: {path}"),
    "file.unreadable": ("无法读取 {path}：{detail}", "cannot read {path}: {detail}"),
    "file.encrypted": (
        "{path} 已加密（设置了打开密码）：请用密码打开，取消密码后另存一份再试",
        "{path} is encrypted (password to open): open it with the password, remove the password, save a copy and retry",
    ),
    "file.too-large": ("{path} 超出大小限制（{limit}）", "{path} exceeds the size limit ({limit})"),
    "file.unknown-layout": (
        "{path} 不能识别为已知的自评表表样：{detail}",
        "{path} is not laid out as any known self-evaluation form: {detail}",
    ),
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
    "file.not-a-template": (
        "{path} 不是 xltool 模板生成的工作簿：{detail}",
        "{path} is not a workbook made from an xltool template: {detail}",
    ),
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
        "不是 .xlsx 文件（内容不是 Office Open XML 压缩包）",
        "not an .xlsx file (not an Office Open XML package)",
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
    "field.formula": (
        "{label}是公式，不是填写的数值；请改为直接填写数值（公式的缓存结果不被采用）",
        "{label} holds a formula, not a typed value; type the value (a formula's cached result is not used)",
    ),
    "cli.no-inputs": ("没有找到要处理的 .xlsx 文件", "no .xlsx files to process"),
    # findings (the code never changes; the wording may)
    "field.required": ("{label}未填写", "{label} is empty"),
    "field.type": ("{label}应填写{expect}，实际为“{found}”", "{label} must be {expect}, found “{found}”"),
    "field.normalized": (
        "{label}填写为“{found}”，已按 {expected} 理解",
        "{label} was typed as “{found}”, read as {expected}",
    ),
    "field.inferred": (
        "{label}未填写，已根据“{found}”推断为“{expected}”",
        "{label} is empty; inferred “{expected}” from “{found}”",
    ),
    "indicator.kind-conflict": (
        "{label}为“{kind}”，但年度指标值写作“{found}”，表示“{expected}”",
        "{label} is “{kind}” but the target “{found}” means “{expected}”",
    ),
    "indicator.tier": (
        "{label}“{found}”不是规定的定性档次（{tiers}）",
        "{label} “{found}” is not a qualitative tier ({tiers})",
    ),
    "count.mismatch": (
        "人数 {found} 与其中各项之和 {expected} 不符",
        "the head count {found} differs from the sum of its parts, {expected}",
    ),
    "change.mismatch": (
        "增减额 {found} 与两年金额之差 {expected} 不符",
        "the stated change {found} differs from the difference of the two amounts, {expected}",
    ),
    "against.mismatch": (
        "报告中的{label} {found} 与自评表的 {expected} 不符",
        "the report's {label} {found} differs from the workbook's {expected}",
    ),
    "sum.mismatch": (
        "{label} {found} 与{parts}之和 {expected} 不符（相差 {diff}）",
        "{label} {found} differs from the sum of {parts}, {expected} (by {diff})",
    ),
    "rate.mismatch": (
        "{label} {found} 与按金额计算的 {expected} 不符{hint}",
        "{label} {found} differs from {expected} computed from the amounts{hint}",
    ),
    "rate.over": (
        "全年执行数超过全年预算数（执行率 {rate}），预算执行率按 100% 计分",
        "executed exceeds the budget (rate {rate}); the execution score is capped at 100%",
    ),
    "weight.sum": (
        "分值合计 {found}（预算执行率 {execution} + 绩效指标 {indicators}），应为 {expected}",
        "weights add up to {found} (execution {execution} + indicators {indicators}); they must add up to {expected}",
    ),
    "weight.level1": (
        "{level1}分值合计 {found}，口径规定为 {expected}",
        "{level1} weights add up to {found}; the profile says {expected}",
    ),
    "weight.execution": (
        "预算执行率分值为 {found}，口径规定为 {expected}",
        "the execution-rate weight is {found}; the profile says {expected}",
    ),
    "indicator.level": (
        "{row}的{what}“{found}”不在本口径的指标体系中（可选：{expected}）",
        "{row}: {what} “{found}” is not in this profile's vocabulary ({expected})",
    ),
    "indicator.duplicate": (
        "{row}与第 {first} 项指标重复（一级、二级、三级指标相同）",
        "{row} repeats indicator {first} (same level 1, level 2 and name)",
    ),
    "score.exceeds-weight": (
        "{row}得分 {found} 超过分值 {expected}",
        "{row}: score {found} exceeds its weight {expected}",
    ),
    "score.execution-mismatch": (
        "预算执行率得分 {found} 与按执行率计算的 {expected} 不符（执行率 × 分值，执行率最高按 100% 计）",
        "budget execution score {found} differs from {expected} (rate × weight, the rate capped at 100%)",
    ),
    "form.money-unit": (
        "表上没有写明金额单位，按{unit}读取；请在资金栏标题写明（万元）或（元）",
        "the form does not state its money unit; read as {unit}. State (万元) or (元) in the money block's label",
    ),
    "form.unit-magnitude": (
        "金额单位写的是{unit}，但金额 {amount} 按{unit}看不合常理：请核对单位是否写错（未做换算）",
        "the money unit is {unit}, but the amount {amount} is implausible in {unit}: check the unit (nothing was converted)",
    ),
    "form.label-points": (
        "“{label}”标注 {points} 分，但其下各指标分值合计 {given} 分",
        "{label!r} is labelled {points} points, but its indicators' weights add up to {given}",
    ),
    "form.hidden": (
        "隐藏的行（{rows}）或列（{columns}）中有内容，已一并读取；请确认这些内容应当计入",
        "hidden rows ({rows}) or columns ({columns}) hold content, which was read; check it belongs in the form",
    ),
    "form.no-weights": (
        "本表样没有各指标的分值栏：各指标得分按所填计入，只核对得分合计，无法按规则复算",
        "this layout has no weight column: indicator scores are taken as given and only their total is checked",
    ),
    "score.mismatch": (
        "{row}得分 {found} 与按规则计算的 {expected} 不符（{rule}）",
        "{row}: score {found} differs from the rule score {expected} ({rule})",
    ),
    "score.out-of-band": (
        "{row}实际完成值为“{tier}”，得分应在 {low}–{high} 分{bound}，实际为 {found}",
        "{row} is “{tier}”: its score must lie in {low}–{high}{bound}, found {found}",
    ),
    "score.total-mismatch": (
        "{label} {found} 与重新计算的总分 {expected} 不符",
        "{label} {found} differs from the recomputed total {expected}",
    ),
    "grade.mismatch": (
        "{label}“{found}”与按总分 {total} 评定的“{expected}”不符",
        "{label} “{found}” differs from “{expected}”, the grade of the total {total}",
    ),
    "indicator.reason-missing": (
        "{row}未完全达成（得分 {score}，分值 {weight}），须填写偏差原因分析及改进措施",
        "{row} is not fully achieved ({score} of {weight}); a deviation reason is required",
    ),
    "indicator.zero-target": (
        "{row}年度指标值为 0，无法按比例计分，已按 {score} 分计；请核实指标值",
        "{row} has a target of 0 and cannot be scored proportionally; scored {score}, check the target",
    ),
    "indicator.over-achieved": (
        "{row}实际完成值 {found} 超过年度指标值 {expected} 的 {threshold} 以上，须说明原因",
        "{row}: actual {found} exceeds the target {expected} by {threshold} or more; explain why",
    ),
    "unit.suspect": (
        "{label} {found} 与同表其他金额相差悬殊，疑似按“{other}”填写（本表金额单位为{unit}）",
        "{label} {found} is out of scale with the other amounts: typed in {other}? (this form is in {unit})",
    ),
    "staff.over": (
        "实有人数 {found} 超过编制数 {expected}（在职人员控制率 {rate}）",
        "actual staff {found} exceeds the authorized {expected} (control rate {rate})",
    ),
    "budget.three-public-over": (
        "「三公」经费实际支出 {found} 超过预算数 {expected}",
        "three-public spending {found} exceeds its budget {expected}",
    ),
    "score.bonus-capped": (
        "加分合计 {found} 分，按上限 {expected} 分计入",
        "bonus points {found} count up to the cap of {expected}",
    ),
    "budget.reason-missing": (
        "预算执行率 {rate} 低于 {threshold}，须填写执行偏差原因",
        "the execution rate {rate} is below {threshold}: a deviation reason is required",
    ),
    "narrative.too-long": (
        "{label}共 {found} 字，超过 {expected} 字的限制",
        "{label} has {found} characters, more than the limit of {expected}",
    ),
    "explanation.unmatched": (
        "{label}“{found} {location}”没有对应的校验提示，请核对规则代码和单元格",
        "{label} “{found} {location}” matches no finding; check the code and the cell",
    ),
    "explanation.error": (
        "{label}试图说明一项错误（{found}）；错误须修改，不能以说明代替",
        "{label} tries to explain an error ({found}); errors must be fixed, not explained",
    ),
    "expect.number": ("数字", "a number"),
    "expect.money": ("金额（数字）", "an amount (a number)"),
    "expect.integer": ("整数", "a whole number"),
    "expect.rate": ("百分比或小数", "a percentage or a fraction"),
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
    "rule.positive": (
        "正向指标：实际值÷目标值×分值，达到目标得满分",
        "positive: actual ÷ target × weight, full at target",
    ),
    "rule.negative": (
        "反向指标：不超过目标得满分，超过按目标值÷实际值×分值",
        "negative: full up to the target, else target ÷ actual × weight",
    ),
    "rule.coefficient": ("指标得分 = 指标权重 × 得分系数", "score = weight × coefficient"),
    "indicator.coefficient-high": (
        "{row}得分系数 {found} 高于按完成情况计算的 {expected}，请核实或说明",
        "{row}: coefficient {found} is above {expected} that the completion supports; check or explain",
    ),
    "rule.equal": ("等于指标：达到目标值得满分", "equal: full when the target is met"),
    "bound.closed": ("之间（含）", " (inclusive)"),
    "bound.open": ("之间（不含上限）", " (upper bound excluded)"),
    "summary.duplicate-unit": (
        "单位“{unit}”出现在 {count} 个文件中，请确认保留哪一份",
        "unit {unit} appears in {count} files: decide which one counts",
    ),
    "summary.mixed-years": ("汇总的文件年度不一致：{values}", "the files are for different years: {values}"),
    "summary.mixed-forms": ("汇总的文件表样不一致：{values}", "the files use different forms: {values}"),
    "summary.mixed-profiles": (
        "汇总的文件口径不一致：{values}；总分与等次可比，指标对比只比较同口径",
        "the files use different profiles: {values}; totals and grades compare, indicators only within a profile",
    ),
    "consolidate.no-dask": (
        "使用 --executor dask 需要先安装：pip install 'xltool[dask]'",
        "--executor dask needs: pip install 'xltool[dask]'",
    ),
    "consolidate.no-scheduler": (
        "--executor dask 需要 --scheduler 地址（如 tcp://10.0.0.5:8786）",
        "--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)",
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


def render_finding(finding: Any, lang: str = "zh") -> str:
    """The message of a :class:`~xltool.core.findings.Finding` in ``lang``: field paths become the form's
    own labels, sub-keys (``*_key``) their catalogue text."""
    from .core.labels import label

    params = dict(finding.params)
    name = params.pop("name", None)
    params["label"] = label(
        finding.field, lang, name=name if str(finding.field or "").startswith("indicators") else None
    )
    row = params.pop("row_field", None)
    if row:
        params["row"] = label(row, lang, name=name)
    parts = params.pop("parts_fields", None)
    if parts:
        params["parts"] = (" + " if lang == "en" else "、").join(label(p, lang) for p in parts)
    params["expected"] = _show(finding.expected)
    params["found"] = _show(finding.found)
    return render(finding.code, lang, **params)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def render(key: str, lang: str = "zh", **params: Any) -> str:
    """The message for ``key`` in ``lang`` (``zh`` or ``en``).

    A parameter named ``X_key`` is itself a catalogue key: it is rendered (with the same parameters) and
    passed as ``X``, so details inside a message speak the same language as the message.
    """
    for name, value in list(params.items()):
        if name.endswith("_key") and isinstance(value, str):
            params[name[:-4]] = render(value, lang, **{k: v for k, v in params.items() if not k.endswith("_key")})
    zh, en = CATALOGUE.get(key, (key, key))
    return _Lenient().format(en if lang == "en" else zh, **params)

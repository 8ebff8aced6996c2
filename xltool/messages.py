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
        "{path} 已加密（设置了打开密码），请另存为不加密的 .xlsx 后再试",
        "{path} is encrypted (password to open); save an unencrypted .xlsx and retry",
    ),
    "file.too-large": ("{path} 超出大小限制（{limit}）", "{path} exceeds the size limit ({limit})"),
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
    "detail.no-workbook": ("压缩包中没有工作簿（xl/workbook.xml）", "the package holds no workbook (xl/workbook.xml)"),
    "detail.parts": ("{count} 个部件", "{count} parts"),
    "detail.unpacked": ("解压后 {count} 字节", "{count} bytes unpacked"),
    "detail.ratio": ("压缩比 {count}", "compression ratio {count}"),
    "cli.no-inputs": ("没有找到要处理的 .xlsx 文件", "no .xlsx files to process"),
    "internal": (
        "内部错误：{detail}（请加 --debug 查看详情并反馈）",
        "internal error: {detail} (rerun with --debug and report it)",
    ),
}


class _Lenient(string.Formatter):
    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        return kwargs.get(key, "?") if isinstance(key, str) else super().get_value(key, args, kwargs)


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

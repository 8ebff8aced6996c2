"""What every field path is called on the form, in Chinese and English, for messages.

The Chinese names are the national form's; :func:`form_words` takes a form's own (重庆's 全年完成值, 指标权重) so a
message names a column as the unit's sheet does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_FIELDS: dict[str, tuple[str, str]] = {
    "form": ("表样", "form"),
    "profile": ("口径", "profile"),
    "year": ("年度", "year"),
    "project_name": ("项目名称", "project name"),
    "project_code": ("项目编码", "project code"),
    "money_unit": ("金额单位", "money unit"),
    "unit": ("单位信息", "unit"),
    "unit.name": ("单位名称", "unit name"),
    "unit.code": ("单位代码", "unit code"),
    "unit.region": ("所属地区", "region"),
    "unit.contact": ("联系人", "contact"),
    "unit.phone": ("联系电话", "phone"),
    "unit.supervisor": ("主管部门", "supervising department"),
    "staff.authorized": ("编制数", "authorized staff"),
    "staff.actual": ("实有人数", "actual staff"),
    "budget.initial": ("年初预算数", "initial budget"),
    "budget.adjusted": ("全年预算数", "adjusted budget"),
    "budget.executed": ("全年执行数", "executed amount"),
    "budget.weight": ("预算执行率分值", "execution-rate weight"),
    "budget.basic.adjusted": ("基本支出全年预算数", "basic expenditure budget"),
    "budget.basic.executed": ("基本支出执行数", "basic expenditure executed"),
    "budget.basic.personnel": ("人员经费", "personnel expenditure"),
    "budget.basic.public": ("公用经费", "public expenditure"),
    "budget.project.adjusted": ("项目支出全年预算数", "project expenditure budget"),
    "budget.project.executed": ("项目支出执行数", "project expenditure executed"),
    "budget.three_public.budget": ("「三公」经费预算数", "three-public budget"),
    "budget.three_public.actual": ("「三公」经费实际支出数", "three-public actual"),
    "budget.three_public.last_year": ("上年「三公」经费实际支出数", "last year's three-public actual"),
    "narrative.functions": ("单位职能职责", "functions"),
    "narrative.conclusion": ("自评结论", "conclusion"),
    "budget.reason": ("执行偏差原因", "execution deviation reason"),
    "narrative.experience": ("主要经验及做法", "experience"),
    "narrative.problems": ("存在的问题", "problems"),
    "narrative.measures": ("改进措施及建议", "measures"),
    "narrative.other": ("其他需要说明的事项", "other remarks"),
    "goals.planned": ("预期目标", "planned goals"),
    "goals.achieved": ("实际完成情况", "achieved goals"),
    "stated.execution_rate": ("单位填报的执行率", "stated execution rate"),
    "stated.total_score": ("单位填报的总分", "stated total score"),
    "stated.grade": ("单位填报的等次", "stated grade"),
    "stated.execution_score": ("单位填报的预算执行率得分", "stated execution score"),
    "indicators": ("绩效指标", "performance indicators"),
    "tasks": ("年度主要任务", "annual tasks"),
    "categories": ("考核评分", "assessment categories"),
}
_ROW_FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "indicators": {
        "level1": ("一级指标", "level-1 indicator"),
        "level2": ("二级指标", "level-2 indicator"),
        "name": ("三级指标", "indicator name"),
        "kind": ("指标性质", "indicator kind"),
        "target": ("年度指标值", "target"),
        "actual": ("实际完成值", "actual value"),
        "unit": ("计量单位", "unit of measure"),
        "weight": ("分值", "weight"),
        "score": ("得分", "score"),
        "reason": ("偏差原因分析及改进措施", "deviation reason"),
        "applicable": ("是否适用", "applicable"),
        "target_initial": ("年初指标值", "initial target"),
        "coefficient": ("得分系数", "score coefficient"),
        "core": ("是否核心指标", "core indicator"),
    },
    "tasks": {
        "name": ("任务名称", "task name"),
        "content": ("主要内容", "content"),
        "budget": ("预算数", "budget"),
        "executed": ("执行数", "executed"),
    },
    "explanations": {
        "code": ("规则代码", "rule code"),
        "location": ("单元格或字段", "cell or field"),
        "reason": ("情况说明", "explanation"),
    },
    "deductions": {"reason": ("扣分事项", "deduction"), "points": ("扣分", "points")},
    "budget.sources": {
        "initial": ("年初预算数", "initial budget"),
        "adjusted": ("全年预算数", "adjusted budget"),
        "executed": ("全年执行数", "executed amount"),
    },
}
_ROW = re.compile(r"^(indicators|tasks|explanations|budget\.sources|deductions)\[(\d+)\](?:\.(\w+))?$")
_CATEGORY = re.compile(r"^categories\[(\d+)\]\.items\[(\d+)\](?:\.(\w+))?$")
_CATEGORY_FIELDS = {
    "name": ("考核内容", "item"),
    "max": ("满分", "maximum"),
    "score": ("得分", "points"),
    "applicable": ("是否适用", "applicable"),
    "note": ("得分说明", "note"),
}
_ROW_NOUN = {
    "indicators": ("第 {n} 项指标", "indicator {n}"),
    "tasks": ("第 {n} 项任务", "task {n}"),
    "explanations": ("审核说明第 {n} 行", "explanation row {n}"),
    "budget.sources": ("第 {n} 项资金来源", "fund source {n}"),
    "deductions": ("第 {n} 项扣分", "deduction {n}"),
}


@dataclass(frozen=True)
class FormWords:
    """A form's own Chinese names: ``fields`` by path, ``columns`` by table and column key."""

    fields: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)


_UNIT_SUFFIX = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


def _bare(text: str) -> str:
    """A label without its unit suffix and leading 其中： (指标权重（分） → 指标权重)."""
    text = _UNIT_SUFFIX.sub("", text.strip().lstrip("　"))
    return re.sub(r"^(其中|按支出性质分)[：:]", "", text).strip()


def form_words(form: Any) -> FormWords:
    """The names a :class:`~xltool.core.spec.FormSpec` gives its fields and columns."""
    fields = {f.path: _bare(f.label) for f in form.fields() if f.label}
    columns: dict[str, dict[str, str]] = {}
    for _sheet, block in form.blocks():
        if block.type == "indicators" and block.columns:
            columns["indicators"] = {c.field: _bare(c.label) for c in block.columns if c.field != "computed"}
    return FormWords(fields, columns)


def label(
    path: str | None, lang: str = "zh", name: str | None = None, words: FormWords | None = None, bare: bool = False
) -> str:
    """The form's name for a field path; a table row is named by its position (and ``name`` when given).
    ``words`` gives the unit's form's own Chinese names; ``bare`` names a table's column without a row."""
    if not path:
        return ""
    own = words if words is not None and lang != "en" else None
    if own is not None and path in own.fields:
        return own.fields[path]
    zh_en = _FIELDS.get(path)
    if zh_en:
        return zh_en[1] if lang == "en" else zh_en[0]
    if bare and "." in path:
        table, key = path.rsplit(".", 1)
        if own is not None and key in own.columns.get(table, {}):
            return own.columns[table][key]
        pair = _ROW_FIELDS.get(table, {}).get(key, (key, key))
        return pair[1] if lang == "en" else pair[0]
    category = _CATEGORY.match(path)
    if category:
        c, i, key = int(category[1]) + 1, int(category[2]) + 1, category[3]
        noun = f"category {c} item {i}" if lang == "en" else f"第 {c} 类考核第 {i} 项"
        if name:
            noun += f" “{name}”" if lang == "en" else f"“{name}”"
        if key:
            part = _CATEGORY_FIELDS.get(key, (key, key))
            noun += f" {part[1]}" if lang == "en" else f"的{part[0]}"
        return noun
    match = _ROW.match(path)
    if not match:
        return path
    table, index, key = match[1], int(match[2]), match[3]
    noun = _ROW_NOUN[table][1 if lang == "en" else 0].format(n=index + 1)
    if name:
        noun += f" “{name}”" if lang == "en" else f"“{name}”"
    if key:
        part = _ROW_FIELDS[table].get(key, (key, key))
        if own is not None and key in own.columns.get(table, {}):
            part = (own.columns[table][key], part[1])
        noun += f" {part[1]}" if lang == "en" else f"的{part[0]}"
    return noun

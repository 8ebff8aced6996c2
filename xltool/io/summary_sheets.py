"""The summary workbook's 指标对比 (indicators several units share), 问题清单 (every finding, filterable) and
不可用文件 sheets."""

from __future__ import annotations

import json
from typing import Any

import xlsxwriter

from ..core.findings import SEVERITY_WORDS
from .summary_base import FORMS, _Formats, _num, _sheet, _text
from .summary_columns import FINDINGS, FIRST, UNUSABLE
from .summary_store import NO_REGION, Conflict, SummaryStore


def _json_value(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def write_indicators(book: xlsxwriter.Workbook, f: _Formats, store: SummaryStore, note: str) -> None:
    """One block per shared indicator: a heading row with its 一级/二级 (and form/profile when the run mixes
    them), then each unit's target, actual, weight, score and score rate."""
    columns = ("三级指标 / 单位", "所属地区", "年度指标值", "实际完成值", "计量单位", "分值", "得分", "得分率")
    ws = _sheet(
        book,
        f,
        "指标对比",
        columns,
        (40, 22, 15, 15, 9, 8, 8, 9),
        title="共有指标对比",
        subtitle="多个单位填报的同名三级指标（同表样、同口径之间比较）" + (f"；{note}" if note else ""),
        landscape=False,
    )
    mixed = len({(form, profile) for form, profile in store.db.execute("SELECT DISTINCT form, profile FROM units")}) > 1
    group = f.subtotal(1)
    r, current = 3, None
    for (
        name,
        level1,
        level2,
        unit,
        region,
        target,
        actual,
        measure,
        weight,
        score,
        applicable,
        form,
        profile,
    ) in store.shared_indicators():
        key = (name, form, profile)
        if key != current:
            current = key
            where = "／".join(x for x in (level1, level2) if x)
            if mixed:
                where += f"（{FORMS.get(form, form)}，{profile}）"
            ws.merge_range(r, 0, r, len(columns) - 1, f"{name}　　{where}", group["text"])
            r += 1
        _text(ws, r, 0, f"　{unit}", f.text)
        _text(ws, r, 1, region or NO_REGION, f.text)
        _num(ws, r, 2, _json_value(target), f.center_wrap)
        _num(ws, r, 3, _json_value(actual), f.center_wrap)
        _text(ws, r, 4, measure, f.center)
        _num(ws, r, 5, weight, f.score)
        if applicable:
            _num(ws, r, 6, score, f.score)
            _num(ws, r, 7, score / weight if weight and score is not None else None, f.rate)
        else:
            ws.write_string(r, 6, "不适用", f.center)
            ws.write_blank(r, 7, None, f.rate)
        r += 1


def write_findings(
    book: xlsxwriter.Workbook, f: _Formats, store: SummaryStore, conflicts: list[Conflict], lang: str, note: str
) -> None:
    columns = FINDINGS.headers
    ws = _sheet(
        book,
        f,
        FINDINGS.name,
        columns,
        FINDINGS.widths,
        title="校验问题清单",
        subtitle="每个单位的每一条校验结果（可筛选）" + (f"；{note}" if note else ""),
        landscape=True,
    )
    r = FIRST
    rows: list[dict[str, str]] = []
    for conflict in conflicts:
        rows += [
            {
                "unit": "（汇总）",
                "file": file,
                "rule": conflict.code,
                "severity": "warning",
                "message": conflict.message(lang),
            }
            for file in conflict.files or ("",)
        ]
    for unit, code, file, rule, severity, sheet, cell, message, explained in store.findings():
        where = f"{sheet}!{cell}" if sheet and cell else ""
        rows.append(
            {
                "unit": unit,
                "code": code,
                "file": file,
                "rule": rule,
                "severity": severity,
                "place": where,
                "message": message,
                "explained": "是" if explained else "",
            }
        )
    for row in rows:
        severity = row["severity"]
        for column in FINDINGS.columns:
            value = (
                SEVERITY_WORDS["zh"].get(severity, severity) if column.key == "severity" else row.get(column.key, "")
            )
            style = f.wrap if column.key == "message" else f.text
            if column.key == "severity" and severity == "error":
                style = f.bad
            _text(ws, r, FINDINGS.col(column.key), value, style)
        r += 1
    if r > FIRST:
        ws.autofilter(FIRST - 1, 0, r - 1, len(columns) - 1)


def write_unusable(book: xlsxwriter.Workbook, f: _Formats, store: SummaryStore) -> None:
    ws = _sheet(
        book,
        f,
        UNUSABLE.name,
        UNUSABLE.headers,
        UNUSABLE.widths,
        title="无法使用的文件",
        subtitle="这些文件没有计入汇总，请联系报送单位重新报送",
        landscape=False,
    )
    r = FIRST
    for file, code, message in store.unusable_files():
        _text(ws, r, UNUSABLE.col("file"), file, f.text)
        _text(ws, r, UNUSABLE.col("code"), code, f.text)
        _text(ws, r, UNUSABLE.col("message"), message, f.wrap)
        r += 1

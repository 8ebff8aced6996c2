"""A person types into a blank template; the recalculated sheet shows exactly what ``validate`` computes.

Nothing of xltool touches the values: openpyxl writes what a person types (numbers where Excel keeps
numbers, and text: ``≥150``, ``92.1%``, ``１５０``, ``10分``, ``4,700,000.00``, ``否``) into the input cells of the
template ``xltool template`` hands out, LibreOffice recalculates every formula on load, and every computed
figure (rate, scores, weight total, total, 换算得分, grade, each row's 计算得分) is compared with the engine's.
Every shipped profile and form is typed into, in 万元 and in 元.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import lo_convert

from xltool import api
from xltool.core.layout import Layout, cached_layout
from xltool.core.scoring import Scores, score_document
from xltool.core.sheet_formulas import NEEDS_NUMBER
from xltool.core.spec import load_profile, profile_ids
from xltool.io.xlsx_reader import read_workbook

pytestmark = pytest.mark.libreoffice

CASES = [(p, f, unit) for p in profile_ids() for f in load_profile(p).forms for unit in ("万元", "元")]


def _scalars(layout: Layout, unit: str) -> dict[str, Any]:
    big = unit == "元"
    values: dict[str, Any] = {
        "unit.name": "江临市某区委网信办",
        "project_name": "网络安全运维",
        "year": 2023,
        "money_unit": unit,
        "budget.initial": 5_000_000 if big else 500,
        "budget.adjusted": "4,800,000.00" if big else 480,  # pasted text with separators
        "budget.executed": "470万元" if big else "470",  # an amount with its unit, a number as text
        "stated.execution_rate": "97.92%",
        "stated.total_score": "88分",
        "stated.grade": "良",
    }
    return {path: value for path, value in values.items() if path in layout.fields}


def _indicator_rows(layout: Layout) -> list[dict[str, Any]]:
    profile = layout.profile
    k, tiers = profile.kinds, [t.label for t in profile.tiers]
    if profile.indicator_scoring == "coefficient":  # 重庆: 定量/定性, direction in the value, 得分系数
        return [
            {
                "name": "舆情处置数",
                "kind": "定量",
                "target": "≥150",
                "actual": 160,
                "coefficient": "100%",
                "weight": 20,
            },
            {
                "name": "响应时长",
                "kind": "定量",
                "target": "≤2小时",
                "actual": "2.5",
                "coefficient": 0.8,
                "weight": "20",
            },
            {
                "name": "等保测评",
                "kind": "定量",
                "target": "１５０个",
                "actual": "120个",
                "coefficient": "76",
                "weight": 20,
            },
            {
                "name": "满意度",
                "kind": "定性",
                "target": "明显提升",
                "actual": tiers[1],
                "coefficient": "85％",
                "weight": 15,
            },
            {"name": "宣传", "kind": "定量", "target": "≥10场", "actual": 12, "coefficient": "约九成", "weight": 15},
        ]
    return [
        {"name": "舆情交办任务数", "target": "≥150", "actual": 160, "weight": 10},
        {"name": "通报处置率", "target": ">=90%", "actual": "92.1%", "weight": "10"},
        {"name": "响应时长", "target": "≤2小时", "actual": "2.5", "weight": 10, "reason": "人手不足"},
        {"name": "测评系统数", "target": "150个", "actual": "１５０", "weight": 10},
        {"name": "培训人次", "target": "≥150个", "actual": "120 ", "weight": 10, "reason": "疫情"},
        {"name": "覆盖率", "target": "92.1％", "actual": "90.5％", "weight": "10分", "reason": "新增"},
        {"name": "投诉件数", "kind": k["negative"], "target": "5", "actual": 8, "weight": 10, "reason": "x"},
        {
            "name": "群众满意度",
            "kind": k["qualitative"],
            "target": "明显提升",
            "actual": tiers[1],
            "weight": 10,
            "score": "7",
        },
        {"name": "不适用的指标", "target": "≥10", "actual": 5, "weight": 5, "applicable": "否"},
        {"name": "差错数", "target": "=0", "actual": 0, "weight": 5},
        {"name": "写不清的目标", "kind": k["positive"], "target": "一百五十", "actual": 140, "weight": "5"},
        {"name": "只有文字的完成值", "target": "≥20", "actual": "—", "weight": 5},
        # how units really write values: words before the figure, a direction after it, deadlines, a target
        # repeated as its own actual, a score without figures
        {"name": "约数", "kind": k["positive"], "target": "约150", "actual": 140, "weight": "5", "reason": "x"},
        {"name": "每亩补贴", "target": "每亩50元", "actual": "每亩45元", "weight": 5, "reason": "标准调整"},
        {"name": "故障率", "target": "5%以下", "actual": "4%", "weight": 5},
        {"name": "覆盖率", "target": "≥95%", "actual": "100%以上", "weight": 5},
        {"name": "完成时间", "target": "6月底前", "actual": "5月", "weight": 5},
        {
            "name": "竣工时间",
            "target": "2023年9月30日前",
            "actual": "10月15日",
            "weight": 5,
            "score": 3,
            "reason": "雨季",
        },
        {"name": "按时上报", "target": "按时完成", "actual": "已完成", "weight": 5},
        {"name": "环境改善", "target": "显著提升", "actual": "显著提升", "weight": 5, "score": "4.5"},
        {"name": "只填了得分", "weight": 5, "score": 4},
        {"name": "年内完工", "target": "2023年底之前", "actual": "达成预期指标", "weight": 5},
        {"name": "村容村貌", "kind": k["qualitative"], "target": "明显改善", "actual": "达到预期目标", "weight": 5},
    ]


def _category_rows() -> list[list[dict[str, Any]]]:
    return [
        [
            {"name": "贯彻落实情况", "max": 10, "applicable": "是", "score": "8分"},
            {"name": "不适用的子项", "max": "5", "applicable": "否", "score": 5},
            {"name": "超过满分的得分", "max": 6, "score": 9},
        ],
        [{"name": "预算编制", "max": "12", "score": "11.5"}],
    ]


def _type(path: Path, layout: Layout, unit: str) -> None:
    """Write raw values into the template's input cells, as typing does: no xltool code in between."""
    book = openpyxl.load_workbook(path)

    def put(sheet: str, row: int, col: int, value: Any) -> None:
        cell = book[sheet].cell(row + 1, col + 1)
        cell.value = value
        if cell.number_format == "@":  # a Text cell keeps what is typed as text: 150 and =0 alike
            cell.value, cell.data_type = str(value), "s"

    for field, value in _scalars(layout, unit).items():
        put(*layout.fields[field], value)
    if "indicators" in layout.tables:
        table = layout.tables["indicators"]
        for i, values in enumerate(_indicator_rows(layout)):
            for key, value in values.items():
                put(table.sheet, table.first_row + i, table.columns[key], value)
    for c, items in enumerate(_category_rows() if "categories[0].items" in layout.tables else []):
        table = layout.tables[f"categories[{c}].items"]
        for i, values in enumerate(items):
            for key, value in values.items():
                put(table.sheet, table.first_row + i, table.columns[key], value)
    if "deductions" in layout.tables:
        table = layout.tables["deductions"]
        put(table.sheet, table.first_row, table.columns["reason"], "资料报送不及时")
        put(table.sheet, table.first_row, table.columns["points"], "1.5")
    book.save(path)


def _engine(scores: Scores) -> dict[str, Any]:
    out: dict[str, Any] = {
        "execution_rate": scores.execution_rate,
        "execution_score": scores.execution_score,
        "total_score": scores.total,
        "normalized_score": scores.normalized,
        "grade": scores.grade,
    }
    if scores.categories is not None:
        cats = scores.categories
        out.update(category_max=cats.base_max, category_score=cats.base_score, deduction_total=cats.deductions)
        out["normalized_score"] = cats.converted
        del out["execution_rate"], out["execution_score"]
    else:
        out.update(indicator_score=scores.indicators, weight_total=scores.applicable_weight)
    return out


def _named(book: Any, name: str) -> Any:
    ((sheet, ref),) = book.defined_names[name].destinations
    return book[sheet][ref.replace("$", "").split(":")[0]].value


def _same(engine: Any, sheet: Any) -> bool:
    if engine is None:
        return sheet in (None, "")
    if isinstance(engine, str):
        return engine == sheet
    return isinstance(sheet, int | float) and abs(Decimal(str(sheet)) - engine) <= Decimal("0.000001")


def test_typing_into_every_template_shows_what_validate_computes(tmp_path):
    typed: list[tuple[Path, Layout]] = []
    for profile, form, unit in CASES:
        path = tmp_path / f"{profile}-{form}-{'yuan' if unit == '元' else 'wan'}.xlsx"
        api.make_template(form, profile, path)
        layout = cached_layout(form, profile)
        _type(path, layout, unit)
        typed.append((path, layout))
    outdir = tmp_path / "recalculated"
    outdir.mkdir()
    recalculated = lo_convert([p for p, _ in typed], "xlsx", outdir)
    problems = []
    for (path, layout), done in zip(typed, recalculated, strict=True):
        workbook = read_workbook(path)
        scores = score_document(workbook.document, layout.profile)
        book = openpyxl.load_workbook(done, data_only=True)
        for name, expected in _engine(scores).items():
            shown = _named(book, name)
            if not _same(expected, shown):
                problems.append(f"{path.name}: {name} sheet {shown!r} engine {expected!r}")
        if "indicators" in layout.tables:
            table = layout.tables["indicators"]
            sheet = book[table.sheet]
            for item in scores.items:
                shown = sheet.cell(table.first_row + item.index + 1, table.columns["computed"] + 1).value
                expected = item.score if item.applicable else None
                if shown == NEEDS_NUMBER:  # the sheet could not read a figure: it adds nothing, as in scoring
                    ok = item.score == 0 and item.problem in ("no-target", "no-actual", "no-weight", "no-coefficient")
                else:
                    ok = _same(expected, shown)
                if not ok:
                    problems.append(f"{path.name}: row {item.index + 1} sheet {shown!r} engine {expected!r}")
    assert not problems, "\n".join(problems)
    # the cases are not trivial: scores differ between rows, and the typed text was understood, not zeroed
    national = read_workbook(typed[0][0])
    assert score_document(national.document, national.layout.profile).indicators > 60


def test_unreadable_figures_are_marked_in_the_sheet(tmp_path):
    """A figure the live formulas cannot read shows 需填数字 in its row, never a silent score."""
    path = tmp_path / "t.xlsx"
    api.make_template("department", "national", path)
    layout = cached_layout("department", "national")
    _type(path, layout, "万元")
    outdir = tmp_path / "lo"
    outdir.mkdir()
    (done,) = lo_convert([path], "xlsx", outdir)
    sheet = openpyxl.load_workbook(done, data_only=True)["绩效指标"]
    table = layout.tables["indicators"]
    shown = [sheet.cell(table.first_row + i + 1, table.columns["computed"] + 1).value for i in range(23)]
    assert shown[10] == NEEDS_NUMBER  # 正向 with target 一百五十
    assert shown[11] == NEEDS_NUMBER  # actual written as —
    assert shown[8] in (None, "")  # 不适用
    assert shown[0] == 10 and shown[1] == 10  # ≥150 → 160; >=90% → 92.1%
    assert abs(shown[12] - 140 / 150 * 5) < 1e-9  # 约150: about 150
    assert abs(shown[13] - 4.5) < 1e-9  # 每亩45元 of 每亩50元
    assert shown[14] == 5 and shown[15] == 5  # 5%以下 is 反向, met by 4%; 100%以上 meets ≥95%
    assert shown[16] == 5 and shown[17] == 3  # 5月 is before 6月底前: met; 10月15日 after 9月30日前: the 3 typed
    assert shown[18] == 5 and abs(shown[19] - 4.5) < 1e-9  # 已完成 按时; 显著提升 for 显著提升: the top tier
    assert shown[20] == 4  # a score with no figures keeps the 4 typed
    assert shown[21] == 5  # 达成预期指标 meets 2023年底之前
    assert shown[22] == 4  # 达到预期目标 is the top tier; no score typed: the band's floor, 0.8 × 5

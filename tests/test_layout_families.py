"""Every layout family × every check that needs a column: a form without the column is never given an error for
it (docs/layouts.md, "What each family can be asked for"), and the new families read their real forms."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from support import run_xltool  # noqa: E402

from bench.real_forms import FORMS, build, forms, write_xlsx  # noqa: E402
from xltool.core.checks import check_document  # noqa: E402
from xltool.core.document import normalize  # noqa: E402
from xltool.core.families import DEPENDS, asked_table, declared, shipped_families  # noqa: E402
from xltool.core.layout import cached_layout  # noqa: E402
from xltool.core.official import Extracted  # noqa: E402
from xltool.core.scoring import score_document  # noqa: E402
from xltool.core.spec import load_profile  # noqa: E402
from xltool.io.form_reader import absent_notes, read_forms  # noqa: E402
from xltool.validation import validate_path  # noqa: E402

FAMILIES = shipped_families()
REAL = {form["id"]: form for form in forms(FORMS)}


def test_the_table_in_the_docs_is_the_families_as_declared():
    text = (ROOT / "docs" / "layouts.md").read_text(encoding="utf-8")
    between = text.split("<!-- asked-table -->\n", 1)[1].split("\n<!-- /asked-table -->", 1)[0]
    assert between == asked_table(FAMILIES)


def _asking_everything(form: str) -> dict:
    """A document that every requirement fires on: low execution, no reasons, rows short of their weight, a row
    without 指标性质 or target, a weight missing, a stated total."""
    return {
        "form": form,
        "unit": {"name": "某局"},
        "project_name": "某项目",
        "year": 2023,
        "budget": {"adjusted": 100, "executed": 50, "weight": 10},
        "stated": {"total_score": 99, "execution_rate": "50%", "execution_score": 5},
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "target": "≥100人", "actual": 60,
             "weight": 30, "score": 18},
            {"level1": "产出指标", "level2": "质量指标", "name": "合格率", "actual": 90, "weight": 20},
            {"level1": "效益指标", "level2": "社会效益指标", "name": "受益人数", "target": "≥50人", "actual": 20},
        ],
    }  # fmt: skip


@pytest.mark.parametrize("family", FAMILIES, ids=[f.id for f in FAMILIES])
def test_no_error_for_a_column_the_family_lacks(family):
    has = declared(family)
    columns = frozenset(c for c in has if c != "total")
    cells = {"stated.total_score": (".", 0, 0)} if "total" in has else {}
    read = Extracted(family, {}, cells, {}, [], None, columns, {})
    notes = absent_notes(read, family)
    profile = load_profile(family.profile)
    doc, more = normalize(_asking_everything(family.form), profile, official=True)
    scores = score_document(doc, profile, given_scores=family.weights_absent)
    layout = cached_layout(family.form, family.profile)
    findings = check_document(doc, more + notes, scores, profile, layout.form, official=True)
    errors = {(f.code, f.field) for f in findings if f.severity == "error"}
    lacking = [column for column in DEPENDS if column not in has]
    for column in lacking:
        for code in DEPENDS[column]:
            code = code.split("（")[0]
            if code == "field.required":
                field = {"indicators.weight": ".weight", "indicators.kind": ".kind"}[column]
                assert not any(c == code and (f or "").endswith(field) for c, f in errors), (family.id, column)
            else:
                assert not any(c == code for c, _ in errors), (family.id, column, code)
    if "indicators.reason" not in has and family.profile == "national":
        assert any(f.code == "indicator.reason-missing" and f.severity == "info" for f in findings)


def test_the_chongqing_form_without_a_reason_column_gets_infos_not_errors():
    """The Chongqing flat form (指标名称 … 得分系数 … 是否核心指标) has no reason column: indicators below their
    weight are said as infos naming what the form lacks, and the form passes."""
    (report,) = validate_path(ROOT / "examples" / "official" / "chongqing-department.docx")
    reasons = [f for f in report.findings if f.code == "indicator.reason-missing"]
    assert reasons and all(f.severity == "info" and f.variant == "no-column" for f in reasons)
    assert "本表样没有偏差原因栏" in report.message(reasons[0])
    assert report.valid


@pytest.mark.parametrize("holds_as", ["xlsx", "docx"])
def test_the_xiangcun_family_reads_its_real_form(tmp_path, holds_as):
    """衔接资金 绩效目标自评表: 分值 before 年度指标值, 全年实际值; its real mistakes found (weights 110, a 总分 that is not
    the sum of its own scores)."""
    form = {**REAL["y-sichuan-zhongjiang-2022-shuibiaochi"], "holds_as": holds_as}
    (wb,) = read_forms(build(form, tmp_path))
    assert wb.official is not None and wb.official.family.id == "xiangcun-project"
    doc = wb.document
    assert (doc.budget.adjusted, doc.budget.executed, len(doc.indicators)) == (20, 20, 9)
    assert [i.weight for i in doc.indicators][:3] == [10, 10, 20]
    assert doc.indicators[0].target == 266 and doc.indicators[0].actual == 266
    (report,) = validate_path(build(form, tmp_path))
    codes = {f.code for f in report.findings if f.severity == "error"}
    assert codes == {"weight.sum", "score.total-mismatch"}


def test_a_form_without_weight_or_score_columns_is_read_but_not_scored(tmp_path):
    """A 县级专项资金 form (年度指标值 / 全年完成值, no 分值, no 得分): money and indicators checked, no 总分 or 等次."""
    path = build(REAL["t-hunan-hengshan-2020-chubeiliang"], tmp_path)
    (report,) = validate_path(path)
    assert not report.scored and report.valid
    assert report.to_json()["score"] == {
        "execution_rate": 1.0,
        "execution_score": None,
        "indicators": None,
        "total": None,
        "normalized": None,
        "grade": None,
    }
    result = run_xltool("validate", str(path))
    assert "不计分" in result.stdout and "总分" not in result.stdout.split("执行率")[-1]
    summary = tmp_path / "s.json"
    run_xltool("consolidate", str(path), "-o", str(tmp_path / "s.xlsx"), "--json", str(summary))
    (unit,) = json.loads(summary.read_text(encoding="utf-8"))["units"]
    assert (unit["total_score"], unit["grade"], unit["budget_adjusted"]) == (None, None, 194.9)


def test_a_project_form_without_an_implementing_unit_takes_its_supervisor(tmp_path):
    form = REAL["x-anhui-suixi-2019-linshijiuzhu"]
    (report,) = validate_path(build(form, tmp_path))
    assert report.workbook is not None
    assert (report.workbook.document.unit.name, report.workbook.document.unit.code) == ("濉溪县民政局", "155")
    (inferred,) = [f for f in report.findings if f.code == "field.inferred" and f.field == "unit.name"]
    assert inferred.variant == "supervisor"
    assert not any(f.code == "field.required" and f.field == "unit.name" for f in report.findings)


def test_a_total_row_figure_under_the_weight_column_is_not_the_stated_total(tmp_path):
    """Sichuan's 合计 | 100 stands under 权重: the weights' total, not a 总分 (the form leaves its scores empty)."""
    (report,) = validate_path(build(REAL["t-sichuan-qingshen-2023-gongzixing"], tmp_path))
    assert report.workbook is not None and report.workbook.document.stated is not None
    assert report.workbook.document.stated.total_score is None
    assert not any(f.code == "score.total-mismatch" for f in report.findings)


def test_a_group_header_does_not_widen_the_column_under_it(tmp_path):
    """年度指标值 spans 指标性质 | 指标值 | 度量单位: a row with an empty 指标性质 does not take its 指标值 for it."""
    rows = [
        ["项目支出绩效自评表"],
        ["（2022年度）"],
        ["项目名称", "某项目"],
        ["主管部门", "某局", None, None, None, "实施单位", "某局"],
        ["项目资金（万元）", None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        [None, "年度资金总额", None, 10, 10, 10, 10, "100%", 10],
        ["绩效指标", None, None, "年度指标值", None, None, "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
        ["产出指标", "数量指标", "人数", "≧", 735, "人次", 735, 50, 50],
        ["效益指标", "社会效益指标", "效果", None, "有效", None, "有效", 40, 40],
        ["总分", None, None, None, None, None, None, 100, 100],
    ]
    merges = ["D7:F7"]
    path = tmp_path / "f.xlsx"
    write_xlsx({"sheets": [{"name": "自评表", "rows": rows, "merges": merges}]}, path)
    (report,) = validate_path(path)
    assert report.workbook is not None
    first, second = report.workbook.document.indicators
    assert (first.kind, first.target) == ("positive", 735)
    assert (second.kind, second.target, second.actual) == ("qualitative", "有效", "达成年度指标")
    assert report.valid, [report.message(f) for f in report.findings if f.severity == "error"]


#: The 财政部 转移支付区域绩效自评表 as a county fills it: no 分值, no 得分 (a deadline met early, a quality word as the
#: actual, amounts with their 中央/地方 rows).
NATIONAL_TRANSFER = {
    "sheets": [
        {
            "name": "区域绩效自评表",
            "above": ["附件2"],
            "rows": [
                ["转移支付区域绩效自评表"],
                ["（2022年度）"],
                ["转移支付（项目）名称", "农村综合改革转移支付"],
                ["中央主管部门", "财政部"],
                ["地方主管部门", "某县财政局", None, None, "资金使用单位", "某县农业农村局"],
                ["资金投入情况（万元）", None, None, "全年预算数（A）", "全年执行数（B）", "执行率（B/A）"],
                [None, "年度资金总额", None, 500, 480, "96%"],
                [None, "其中：中央财政资金", None, 400, 390, "97.5%"],
                [None, "地方资金", None, 100, 90, "90%"],
                [None, "其他资金", None, None, None, None],
                ["年度总体目标", "预期目标", None, None, "目标实际完成情况"],
                [None, "目标1：完成美丽乡村建设10个", None, None, "完成美丽乡村建设10个"],
                ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值", "未完成原因和改进措施"],
                [None, "产出指标", "数量指标", "建设村数", "≥10个", "10个"],
                [None, None, "质量指标", "验收合格率", "100%", "100%"],
                [None, None, "时效指标", "完成时间", "2022年12月底之前", "2022年11月"],
                [None, "效益指标", "社会效益指标", "村容村貌", "明显改善", "达到预期目标"],
                [None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%"],
                ["说明", "请在此处简要说明中央巡视、各级审计和财政监督中发现的问题及其所涉及的金额，如没有请填无。"],
            ],
            "merges": ["A1:G1", "A2:G2", "B3:G3", "B4:G4", "B5:D5", "F5:G5", "A6:C6", "A7:A10", "B7:C7", "B8:C8",
                       "B9:C9", "B10:C10", "A11:A12", "B11:D11", "E11:G11", "B12:D12", "E12:G12", "A13:A18",
                       "B14:B16", "B19:G19"],
        }
    ]
}  # fmt: skip


@pytest.mark.parametrize("holds_as", ["xlsx", "docx"])
def test_the_national_transfer_form_is_read_and_checked_but_not_scored(tmp_path, holds_as):
    form = {**NATIONAL_TRANSFER, "id": "national-transfer", "holds_as": holds_as}
    (report,) = validate_path(build(form, tmp_path))
    assert report.workbook is not None and report.workbook.official is not None
    assert report.workbook.official.family.id == "national-transfer"
    doc = report.workbook.document
    assert (doc.project_name, doc.unit.name, doc.unit.supervisor, doc.year) == (
        "农村综合改革转移支付",
        "某县农业农村局",
        "某县财政局",
        2022,
    )
    assert (doc.budget.adjusted, doc.budget.executed, len(doc.indicators)) == (500, 480, 5)
    assert [s.name for s in doc.budget.sources][:2] == ["中央财政资金", "地方资金"]
    assert not report.scored and report.valid, [report.message(f) for f in report.findings if f.severity == "error"]
    assert not any(f.code in ("form.no-weights", "weight.sum", "score.total-mismatch") for f in report.findings)
    deadline = next(f for f in report.findings if f.code == "indicator.deadline")
    assert deadline.variant == "met"


def test_a_wrong_rate_on_the_national_transfer_form_is_found(tmp_path):
    sheet = NATIONAL_TRANSFER["sheets"][0]
    rows = [list(r) for r in sheet["rows"]]
    rows[6][5] = "97%"  # 480 ÷ 500 = 96%
    form = {"id": "t", "sheets": [{**sheet, "rows": rows}]}
    (report,) = validate_path(build(form, tmp_path))
    assert {(f.code, f.cell) for f in report.findings if f.severity == "error"} == {("rate.mismatch", "F7")}


def test_the_sichuan_transfer_form_reads_its_amounts_from_label_value_pairs(tmp_path):
    """四川 区域绩效自评表: 年度金额 | 208万元 … 合计 | 109.8万元, 权重 written 20%, 得分合计: read, scored by its own
    weights (no 执行率 points), and a weight total of 105% found."""
    real = REAL["t-sichuan-xianji-nd-puhuijinrong"]
    (report,) = validate_path(build(real, tmp_path))
    assert report.workbook is not None and report.workbook.official is not None
    assert report.workbook.official.family.id == "sichuan-transfer"
    doc = report.workbook.document
    assert (doc.budget.adjusted, doc.budget.executed, doc.money_unit) == (208, 109.8, "万元")
    assert [i.weight for i in doc.indicators] == [20, 20, 10, 10, 10, 10, 10, 5, 5]
    assert report.scores is not None and report.scores.total == 100
    assert report.valid, [report.message(f) for f in report.findings if f.severity == "error"]
    (year,) = [f for f in report.findings if f.code == "field.required" and f.field == "year"]
    assert year.severity == "warning" and year.variant == "no-year"
    sheet = real["sheets"][0]
    rows = [list(r) for r in sheet["rows"]]
    rows[14][6] = "10%"  # 5% → 10%: the weights now add up to 105, and the row's 5 is no longer its full score
    (wrong,) = validate_path(build({**real, "sheets": [{**sheet, "rows": rows}]}, tmp_path))
    errors = {(f.code, f.cell) for f in wrong.findings if f.severity == "error"}
    assert errors == {("weight.sum", "G7"), ("score.mismatch", "H15")}  # G7: the 权重 header, no total stands

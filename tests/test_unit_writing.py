"""Values as units really write them on their official forms: each is read as the unit means it, said as an info
on its cell, and never becomes a false error (docs/layouts.md, "How values are read")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.real_forms import write_xlsx  # noqa: E402
from xltool.core import deadlines  # noqa: E402
from xltool.core.document import normalize  # noqa: E402
from xltool.core.spec import load_profile  # noqa: E402
from xltool.validation import Report, validate_path  # noqa: E402

HEAD: list[list[Any]] = [
    ["项目支出绩效自评表"],
    ["（2022年度）"],
    ["项目名称", "某项目"],
    ["主管部门", "某局", None, None, "实施单位", "某局"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 100, 100, 100, 10, "100%", 10],
    [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ],
]


def _form(tmp_path: Path, rows: list[list[Any]], total: Any) -> Report:
    path = tmp_path / "form.xlsx"
    body = [[None, "产出指标", "数量指标", *row] for row in rows]
    write_xlsx(
        {"sheets": [{"name": "自评表", "rows": [*HEAD, *body, ["总分", None, None, None, None, None, 100, total]]}]},
        path,
    )
    (report,) = validate_path(path)
    return report


def _on(report: Report, row: int) -> set[tuple[str, str]]:
    """(code, severity) of the findings on one indicator row (0-based)."""
    return {(f.code, f.severity) for f in report.findings if (f.field or "").startswith(f"indicators[{row}]")}


def test_deadlines_are_met_or_not_never_a_ratio_of_months(tmp_path):
    report = _form(
        tmp_path,
        [
            ["完成时间", "6月底前", "5月", 30, 30],
            ["竣工", "2022年9月30日前", "10月15日", 30, 20, "雨季停工"],
            ["上报", "按时完成", "已完成", 30, 30],
        ],
        90,
    )
    assert report.valid, [report.message(f) for f in report.findings if f.severity == "error"]
    assert ("indicator.deadline", "info") in _on(report, 0)
    assert report.scores is not None and [float(i.score) for i in report.scores.items] == [30, 20, 30]


def test_words_around_a_figure_and_a_comparator_in_the_actual(tmp_path):
    report = _form(
        tmp_path,
        [
            ["每亩补贴", "每亩200元", "每亩200元", 30, 30],
            ["受益人数", "100人以上", "≥100人", 30, 30],
            ["故障率", "5%以内", "2%", 20, 20],
            ["覆盖率", "≥95%", "100%以上", 10, 10],
        ],
        100,
    )
    assert report.valid, [report.message(f) for f in report.findings if f.severity == "error"]
    doc = report.workbook.document if report.workbook else None
    assert doc is not None
    assert [(i.target, i.actual, i.kind) for i in doc.indicators] == [
        (200, 200, "positive"),
        (100, 100, "positive"),
        (5, 2, "negative"),
        (95, 100, "positive"),
    ]
    assert ("field.normalized", "info") in _on(report, 1)  # ≥100人 read as 100, and said so


def test_the_units_own_score_settles_a_direction_nothing_states(tmp_path):
    """故障率 5% / 2% scored in full: 反向, as the unit's score says (the 正向 rule would give 8 of 20)."""
    report = _form(tmp_path, [["设备故障率", "5%", "2%", 20, 20], ["培训人次", "100", "80", 70, 56]], 86)
    assert report.workbook is not None
    assert [i.kind for i in report.workbook.document.indicators] == ["negative", "positive"]
    (note,) = [f for f in report.findings if f.code == "field.inferred" and f.field == "indicators[0].kind"]
    assert note.variant == "score" and "按单位所填得分" in report.message(note)
    assert not any(f.code == "score.mismatch" for f in report.findings)


def test_a_coefficient_settles_it_too():
    profile = load_profile("chongqing")
    raw = {
        "form": "department",
        "indicators": [
            {"name": "投诉率", "kind": "定量", "target": "5%", "actual": "2%", "coefficient": "100%", "weight": 10}
        ],
    }
    doc, notes = normalize(raw, profile, official=True)
    assert doc.indicators[0].kind == "negative"
    assert any(n.path == "indicators[0].kind" and n.expect == "score" for n in notes)
    template, _ = normalize(raw, profile)  # in the template the unit chooses 反向 itself: nothing is assumed
    assert template.indicators[0].kind == "positive"


def test_a_scored_row_without_figures_keeps_its_score(tmp_path):
    report = _form(tmp_path, [["工程质量合格", None, None, 50, 50], ["人数", "≥10人", "12人", 40, 40]], 100)
    assert report.valid
    assert ("indicator.values-missing", "warning") in _on(report, 0)
    assert not any(f.code == "score.total-mismatch" for f in report.findings)
    assert report.scores is not None and float(report.scores.total) == 100


def test_the_stated_total_is_the_sum_of_the_forms_own_scores(tmp_path):
    """A 总分 that adds the form's own scores is right, even where a row score is wrong (said on the row); one that
    does not is wrong, with the sum of the form's own figures as the expected value."""
    rows = [["人数", "≥100人", "80人", 50, 50, "x"], ["次数", "≥10次", "10次", 40, 40]]
    right = _form(tmp_path, rows, 100)
    assert {f.code for f in right.findings if f.severity == "error"} == {"score.mismatch"}
    wrong = _form(tmp_path, rows, 90)
    (total,) = [f for f in wrong.findings if f.code == "score.total-mismatch"]
    assert (total.expected, total.found, total.variant) == (100, 90, "own")


def test_deadline_reading():
    assert deadlines.target_deadline("6月底前") == 631
    assert deadlines.target_deadline("2023年6月30日前完成") == 630
    assert deadlines.target_deadline("年底前") == 1231
    assert deadlines.target_deadline("按时完成") == "word"
    assert deadlines.target_deadline("≤6个月") is None and deadlines.target_deadline(6) is None
    assert deadlines.met("6月底前", "5月") is True
    assert deadlines.met("6月15日前", "6月20日") is False
    assert deadlines.met("按时", "未按时完成") is False
    assert deadlines.met("按时", "5月") is None  # a date against "on time": the actual does not say
    assert deadlines.target_deadline("2022年底之前") == 1231 and deadlines.target_deadline("6月30日以前") == 630
    assert deadlines.target_deadline("按时限完成") == "word"
    assert deadlines.met("2022年底之前", "达成预期指标") is True
    assert deadlines.met("年底前", "基本完成") is None  # "mostly" says neither when nor whether


def test_words_of_reaching_a_target_and_a_printed_slot_left_unused(tmp_path):
    """达成预期指标 / 达到预期目标 are the top tier of a 定性 row; 基本完成 is not; a 二级 slot with nothing but a 0 under
    得分 is no indicator; a weight written 20% is 20."""
    report = _form(
        tmp_path,
        [
            ["能力提升", "能力提升", "达成预期指标", 30, 30],
            ["村容村貌", "明显改善", "达到预期目标", "20%", 20],
            ["按时完工", "2022年底之前", "达成预期指标", 40, 40],
            [None, None, None, None, 0],
        ],
        100,
    )
    assert report.valid, [report.message(f) for f in report.findings if f.severity == "error"]
    doc = report.workbook.document if report.workbook else None
    assert doc is not None and len(doc.indicators) == 3
    assert [i.actual for i in doc.indicators[:2]] == ["达成年度指标", "达成年度指标"]
    assert doc.indicators[1].weight == 20 and doc.indicators[2].kind == "deadline"
    # 基本完成 is no tier: where the unit entered its score, its own words stand beside it (an info, the score kept);
    # where it did not, nothing says what the row earns and the unit is asked to choose a tier
    mostly = _form(
        tmp_path, [["能力提升", "能力提升", "基本完成", 45, 40], ["覆盖", "显著", "基本完成", 45, None]], 100
    )
    assert ("indicator.tier", "info") in _on(mostly, 0) and ("indicator.tier", "error") in _on(mostly, 1)
    assert mostly.scores is not None and float(mostly.scores.items[0].score) == 40


def test_every_template_formula_fits_in_a_cell(tmp_path):
    """Excel and WPS refuse a formula longer than 8,192 characters: every live formula of every template fits."""
    import openpyxl

    from xltool import api
    from xltool.core.spec import profile_ids

    for profile in profile_ids():
        for form in load_profile(profile).forms:
            path = tmp_path / f"{profile}-{form}.xlsx"
            api.make_template(form, profile, path)
            book = openpyxl.load_workbook(path)
            longest = max(
                len(c.value) for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)
            )
            assert longest <= 8192, (profile, form, longest)


def test_a_stated_rate_is_right_at_the_precision_it_is_written_with(tmp_path):
    """94 ÷ 650 = 14.46 %: a fraction written 0.1 (a cell format showing one decimal) is that rate at its precision;
    10% written as a percentage is whole per cent, and wrong; so is a truncated 14.46% → 14.4%."""

    def rate(stated: Any) -> set[tuple[str, str]]:
        rows = [list(r) for r in HEAD]
        rows[5] = [None, "年度资金总额", 650, 650, 94, 10, stated, 1.45]
        path = tmp_path / "rate.xlsx"
        body = [[None, "产出指标", "数量指标", "人数", "≥10人", "10人", 90, 90]]
        write_xlsx({"sheets": [{"name": "自评表", "rows": [*rows, *body]}]}, path)
        (report,) = validate_path(path)
        return {(f.code, f.severity) for f in report.findings if f.field == "stated.execution_rate"}

    assert ("rate.mismatch", "error") not in rate(0.1)
    assert ("rate.mismatch", "error") in rate("10%")
    assert ("rate.mismatch", "error") in rate("14.4%")
    assert ("rate.mismatch", "error") not in rate("14.5%")


def test_points_of_a_block_label_against_its_level1_labels(tmp_path):
    """湖北: 年度绩效目标（80分） over 产出指标（60分） and 效益指标（40分）: the labels contradict each other."""
    rows = [
        ["2020年某项目绩效自评表"],
        ["项目名称", "某项目"],
        ["预算执行情况(万元)(20分)", None, None, "预算数(A)", "执行数(B)", "执行率(B/A)", "得分(20分*执行率)"],
        ["年度财政资金总额", None, None, 100, 100, "100%", 20],
        ["年度绩效目标(80分)", "一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
        [None, "产出指标(60分)", "数量指标", "企业数", 3, 3, 60],
        [None, "效益指标(40分)", "社会效益指标", "带动就业", 10, 10, 40],
        ["总分", None, None, None, None, None, 120],
    ]
    path = tmp_path / "hubei.xlsx"
    write_xlsx({"sheets": [{"name": "自评表", "rows": rows, "merges": ["A5:A7"]}]}, path)
    (report,) = validate_path(path)
    (points,) = [f for f in report.findings if f.code == "form.label-points"]
    assert (points.cell, points.variant, points.params["given"]) == ("A5", "levels", 100)

"""A profile's own words: messages name columns as the unit's sheet does, 定量 rows are read as 重庆 writes them."""

from __future__ import annotations

import openpyxl

from tests.test_profiles import valid_document
from xltool import api
from xltool.core.spec import load_profile
from xltool.validation import validate_file


def _chongqing(tmp_path, **cells):
    path = tmp_path / "c.xlsx"
    api.fill(valid_document("chongqing", "department"), path)
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book["绩效指标"][ref] = value
    book.save(path)
    return validate_file(path)


def test_a_quantity_row_without_its_target_asks_for_the_target(tmp_path):
    """重庆 writes 定量 in 指标性质 and the direction in the target: an empty target is what is missing."""
    report = _chongqing(tmp_path, E4=None, D4=None)
    found = {(f.code, f.cell): report.message(f) for f in report.findings}
    assert ("field.required", "E4") in found
    assert ("field.required", "C4") not in found
    assert "指标性质" not in "".join(found.values())
    assert "调整指标值未填写" in found[("field.required", "E4")]  # the column's own name, not 年度指标值


def test_a_quantity_row_with_a_target_in_words_is_not_read_as_qualitative(tmp_path):
    report = _chongqing(tmp_path, E4="较上年有所提高")
    found = {(f.code, f.cell) for f in report.findings}
    assert ("field.type", "E4") in found
    assert ("field.inferred", "C4") not in found  # not silently turned into 定性


def test_messages_use_the_profiles_column_names(tmp_path):
    """A qualitative score outside its band: 重庆's column is 全年完成值 and 指标得分, not 实际完成值."""
    worst = load_profile("chongqing").tiers[-1].label
    report = _chongqing(tmp_path, F6=worst, G6=0.95, I6=None)
    (band,) = [f for f in report.findings if f.code == "score.out-of-band"]
    message = report.message(band)
    assert "全年完成值" in message and "实际完成值" not in message
    english = report.message(band, "en")
    assert "全年完成值" not in english and "must lie in" in english


def _help(pid: str, form: str = "department") -> str:
    from xltool.core.layout.blocks.help import help_lines
    from xltool.core.spec import load_form

    profile = load_profile(pid)
    return "\n".join(help_lines(load_form(profile.form_spec_id(form)), profile))


def test_the_help_sheet_of_a_category_sheet_explains_that_sheet():
    """河北's 考核 sheet has no 预算执行率, no indicators, no 分值: its 填表说明 says how its own total is made."""
    text = _help("hebei-kaohe")
    assert "预算执行率" not in text and "指标性质" not in text and "偏差原因" not in text
    assert "，，" not in text and "0 分，" not in text
    assert "换算得分" in text and "不超过 5 分" in text and "扣分事项" in text


def test_the_help_sheet_of_chongqing_speaks_its_columns():
    text = _help("chongqing")
    assert "全年完成值" in text and "调整指标值" in text and "指标权重 × 得分系数" in text and "定量" in text
    assert "实际完成值" not in text and "年度指标值" not in text and "一级指标" not in text


def test_the_help_sheet_follows_the_profile_numbers():
    national, sichuan = _help("national"), _help("sichuan", "project")
    assert "产出指标50分" in national and "预算执行率 10 分" in national and "80%–100%" in national
    assert "执行率低于 90% 时须填写执行偏差原因" in sichuan and "不超过 200 字" in sichuan
    assert "执行率低于" not in national

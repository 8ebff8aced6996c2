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

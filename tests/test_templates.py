"""Templates: generated from the spec, recognisable, protected, print-ready; the published ones match."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from support import xlsx_content

from xltool import api
from xltool.core.layout import META_SHEET

ROOT = Path(__file__).resolve().parent.parent
FORMS = ("department", "project")


@pytest.mark.parametrize("form", FORMS)
def test_published_template_equals_what_xltool_generates(tmp_path, form):
    generated = tmp_path / "t.xlsx"
    api.make_template(form, "national", generated)
    assert xlsx_content(ROOT / "templates" / f"{form}-national.xlsx") == xlsx_content(generated)


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "department.xlsx"
    api.make_template("department", "national", path, year=2023)
    return openpyxl.load_workbook(path)


def test_official_labels_in_order(book):
    main = [str(c.value) for row in book["自评表"].iter_rows() for c in row if isinstance(c.value, str)]
    flat = " ".join(main)
    for label in (
        "部门（单位）名称",
        "联系人",
        "联系电话",
        "编制数",
        "实有人数",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
        "年度资金总额",
        "基本支出",
        "人员经费",
        "公用经费",
        "项目支出",
        "预期目标",
        "实际完成情况",
    ):
        assert label in flat, label
    assert flat.index("年度资金总额") < flat.index("预期目标")
    header = [c.value for c in book["绩效指标"][3]]
    assert header[:10] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标性质",
        "年度指标值",
        "实际完成值",
        "计量单位",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    assert [c.value for c in book["年度主要任务"][3]][1:5] == ["任务名称", "主要内容", "预算数", "执行数"]


def test_room_for_30_indicators_and_20_tasks_with_prepared_levels(book):
    names = book.defined_names
    ind = names["tbl_indicators"].attr_text
    task = names["tbl_tasks"].attr_text
    first, last = (int(x.split("$")[-1]) for x in ind.split("!")[1].split(":"))
    assert last - first + 1 >= 30
    first, last = (int(x.split("$")[-1]) for x in task.split("!")[1].split(":"))
    assert last - first + 1 >= 20
    ws = book["绩效指标"]
    assert [ws.cell(r, 1).value for r in (4, 20, 31)] == ["产出指标", "效益指标", "满意度指标"]


def test_required_names_point_at_formulas(book):
    for name in ("execution_rate", "execution_score", "total_score", "grade"):
        dest = list(book.defined_names[name].destinations)
        assert len(dest) == 1
        sheet, ref = dest[0]
        assert str(book[sheet][ref.replace("$", "")].value).startswith("="), name


def test_inputs_unlocked_formulas_locked_sheets_protected(book):
    for ws in book.worksheets:
        if ws.title == META_SHEET:
            assert ws.sheet_state == "veryHidden"
        assert ws.protection.sheet, ws.title
    main = book["自评表"]
    dest = dict(book.defined_names["in_budget_adjusted"].destinations)
    assert main[dest["自评表"].replace("$", "")].protection.locked is False
    rate = dict(book.defined_names["execution_rate"].destinations)["自评表"].replace("$", "")
    assert main[rate].protection.locked is True


def test_dropdowns_and_numeric_checks(book):
    ws = book["绩效指标"]
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert {"lst_level1", "lst_level2", "lst_kinds", "lst_tiers", "lst_yesno"} <= lists
    tiers = next(dv for dv in ws.data_validations.dataValidation if dv.formula1 == "lst_tiers")
    assert not tiers.showErrorMessage  # numbers are allowed in 实际完成值 of quantitative rows
    numeric = [dv for dv in book["自评表"].data_validations.dataValidation if dv.type == "decimal"]
    assert numeric and all(dv.promptTitle for dv in numeric)
    main_lists = {dv.formula1 for dv in book["自评表"].data_validations.dataValidation if dv.type == "list"}
    assert "lst_money_units" in main_lists


def test_print_setup(book):
    for ws in book.worksheets:
        if ws.title == META_SHEET:
            continue
        setup = ws.page_setup
        assert setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0  # one page wide (1 is the OOXML default)
    assert book["绩效指标"].page_setup.orientation == "landscape"
    assert book["绩效指标"].print_title_rows == "$1:$3"
    assert book["绩效指标"].freeze_panes == "D4"


def test_identity_recorded(book):
    meta = {r[0].value: r[1].value for r in book[META_SHEET].iter_rows(max_col=2) if r[0].value}
    assert meta["template_id"] == "xltool" and meta["form"] == "department" and meta["profile"] == "national"
    assert meta["template_version"] == "1"
    assert book.properties.title == "部门整体支出绩效自评表"


def test_cjk_font(book):
    cell = book["自评表"]["A1"]
    assert cell.font.name in ("黑体", "宋体")
    assert book["自评表"]["A3"].font.name == "宋体"


def test_help_sheet_speaks_the_profile_numbers(book):
    text = "\n".join(str(c.value) for row in book["填表说明"].iter_rows() for c in row if c.value)
    assert "产出指标50分" in text and "预算执行率 10 分" in text and "80%–100%" in text


def test_password_is_optional(tmp_path):
    path = tmp_path / "pw.xlsx"
    api.make_template("project", "national", path, password="s3cret")
    assert openpyxl.load_workbook(path)["自评表"].protection.password


def test_every_name_a_formula_uses_is_defined_in_every_profile():
    """A formula naming a range that its workbook does not define shows #NAME? after any recalculation."""
    import re

    from xltool.core.layout import cached_layout
    from xltool.core.spec import load_profile, profile_ids

    token = re.compile(r"\b([A-Za-z_][A-Za-z0-9_.]*)\b(?!\s*\()")
    cell_ref = re.compile(r"^\$?[A-Z]{1,3}\$?\d+$|^[A-Z]{1,3}$|^TRUE$|^FALSE$")
    checked = 0
    for pid in profile_ids():
        for form in load_profile(pid).forms:
            layout = cached_layout(form, pid)
            defined = set(layout.names) | set(layout.lists)
            for sheet in layout.sheets:
                for cell in sheet.cells:
                    if cell.kind != "formula":
                        continue
                    code = re.sub(r'"[^"]*"', '""', cell.value)  # text inside quotes is no name
                    code = re.sub(r"'[^']*'!", "", code)  # nor a sheet name
                    used = {t for t in token.findall(code) if not cell_ref.match(t.replace("$", ""))}
                    missing = used - defined
                    assert not missing, (pid, form, sheet.name, cell.row, cell.col, missing)
                    checked += len(used)
    assert checked > 100

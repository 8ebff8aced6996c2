"""export(fill(D)) gives back D, and the reader copes with workbooks people really produce."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import assume, given, settings
from support import documents

from xltool import api
from xltool.core.layout import a1

ROOT = Path(__file__).resolve().parent.parent


def canonical(doc: dict) -> dict:
    return api.load_document(doc)[0].to_dict()


def fill_and_export(doc: dict, path: Path, **kw) -> dict:
    api.fill(doc, path, force=True, **kw)
    return api.export(path)


@given(documents())
@settings(max_examples=60)
def test_export_of_fill_gives_the_document_back(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("rt") / "filled.xlsx"
    assert fill_and_export(doc, path) == canonical(doc)


@given(documents())
@settings(max_examples=15)
def test_filling_a_given_blank_template_round_trips(tmp_path_factory, doc):
    assume(len(doc.get("tasks", [])) <= 20)  # a blank template has 20 task rows; more is refused (tested below)
    folder = tmp_path_factory.mktemp("tpl")
    blank = folder / "blank.xlsx"
    api.make_template(doc["form"], "national", blank, indicator_rows=40)
    before = blank.read_bytes()
    assert fill_and_export(doc, folder / "filled.xlsx", template=blank) == canonical(doc)
    assert blank.read_bytes() == before  # the template itself is never touched


def test_every_example_round_trips(tmp_path, examples):
    assert len(examples) >= 6
    for path in examples:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert fill_and_export(doc, tmp_path / f"{path.stem}.xlsx") == canonical(doc), path.name


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    doc = {
        "unit": {"name": '=HYPERLINK("http://x","点我")', "contact": "+86 123", "phone": "@SUM(1)"},
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": "-1+1", "target": 1, "actual": 1, "weight": 10}
        ],
    }
    path = tmp_path / "f.xlsx"
    api.fill(doc, path)
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for c in cells:
        if c.value.startswith(("=HYPERLINK", "+86", "@SUM", "-1+1")):
            assert c.data_type == "s", c.coordinate
    assert api.export(path)["unit"]["name"] == doc["unit"]["name"]


def _typed(path: Path, values: dict[str, object]) -> None:
    """Type values into a workbook as a person would (openpyxl re-saves it without cached formula values)."""
    book = openpyxl.load_workbook(path)
    layout = api.layout_for("department", "national")
    for field, value in values.items():
        if field in layout.fields:
            sheet, row, col = layout.fields[field]
        else:
            table, rest = field.split("[", 1)
            index, key = rest.split("].")
            t = layout.tables[table]
            sheet, row, col = t.sheet, t.first_row + int(index), t.columns[key]
        book[sheet][a1(row, col)] = value
    book.save(path)


def test_messy_spellings_are_understood_and_noted(tmp_path):
    path = tmp_path / "messy.xlsx"
    api.make_template("department", "national", path, year=2023)
    _typed(
        path,
        {
            "unit.name": "  某区委网信办 ",
            "budget.adjusted": "806.77万元",
            "budget.executed": "６,０００",
            "indicators[0].name": "舆情任务数",
            "indicators[0].target": "≥50个",
            "indicators[0].actual": "60 ",
            "indicators[0].weight": "10分",
            "indicators[0].score": "８ ",
            "indicators[1].name": "满意度",
            "indicators[1].kind": "定性",
            "indicators[1].target": "明显提升",
            "indicators[1].actual": "达成预期指标",
            "indicators[1].weight": 10,
            "stated.execution_rate": "89.46％",
            "budget.basic.executed": "—",
        },
    )
    wb = api.read(path)
    doc = wb.document.to_dict()
    assert doc["unit"]["name"] == "某区委网信办"
    assert doc["budget"]["adjusted"] == 806.77 and doc["budget"]["executed"] == 6000
    first = doc["indicators"][0]
    assert (first["kind"], first["target"], first["unit"], first["actual"], first["weight"], first["score"]) == (
        "positive",
        50,
        "个",
        60,
        10,
        8,
    )
    assert doc["indicators"][1]["actual"] == "达成年度指标"
    assert doc["stated"]["execution_rate"] == pytest.approx(0.8946)
    noted = {(n.path, n.code) for n in wb.notes}
    assert {
        ("budget.adjusted", "normalized"),
        ("budget.executed", "normalized"),
        ("indicators[0].score", "normalized"),
        ("indicators[1].actual", "normalized"),
        ("stated.execution_rate", "normalized"),
    } <= noted
    assert wb.where("indicators[0].score") == ("绩效指标", "I4")


def test_text_where_a_number_belongs_is_kept_and_noted(tmp_path):
    path = tmp_path / "bad.xlsx"
    api.make_template("department", "national", path)
    _typed(
        path,
        {
            "budget.adjusted": "约八百万",
            "indicators[0].name": "x",
            "indicators[0].target": 5,
            "indicators[0].actual": "很多",
            "indicators[0].weight": 5,
        },
    )
    wb = api.read(path)
    assert wb.document.budget.adjusted == "约八百万"
    assert {("budget.adjusted", "type"), ("indicators[0].actual", "type")} <= {(n.path, n.code) for n in wb.notes}


def test_merged_level_cells_carry_down(tmp_path):
    path = tmp_path / "merged.xlsx"
    doc = {
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": f"n{i}", "target": 1, "actual": 1, "weight": 5}
            for i in range(4)
        ]
    }
    api.fill(doc, path)
    book = openpyxl.load_workbook(path)
    ws = book["绩效指标"]
    ws.protection.sheet = False
    for col in ("A", "B"):
        for row in (5, 6, 7):
            ws[f"{col}{row}"] = None
        ws.merge_cells(f"{col}4:{col}7")
    book.save(path)
    back = api.export(path)
    assert [(i["level1"], i["level2"]) for i in back["indicators"]] == [("产出指标", "数量指标")] * 4


def test_resaved_by_openpyxl_reads_the_same(tmp_path, examples):
    src = tmp_path / "a.xlsx"
    doc = yaml.safe_load(examples[0].read_text(encoding="utf-8"))
    api.fill(doc, src)
    resaved = tmp_path / "b.xlsx"
    openpyxl.load_workbook(src).save(resaved)
    assert api.export(resaved) == api.export(src)


def test_fill_refuses_more_rows_than_a_given_template(tmp_path):
    blank = tmp_path / "blank.xlsx"
    api.make_template("department", "national", blank)
    doc = {"indicators": [{"name": f"n{i}", "target": 1, "actual": 1, "weight": 1} for i in range(31)]}
    from xltool.errors import UsageError

    with pytest.raises(UsageError) as err:
        api.fill(doc, tmp_path / "out.xlsx", template=blank)
    assert err.value.key == "fill.too-many-rows"
    assert not (tmp_path / "out.xlsx").exists()


def test_fill_grows_the_table_when_generating(tmp_path):
    doc = {"indicators": [{"name": f"n{i}", "target": 1, "actual": 1, "weight": 1} for i in range(45)]}
    path = tmp_path / "big.xlsx"
    assert len(fill_and_export(doc, path)["indicators"]) == 45


def test_not_a_template_is_refused(tmp_path):
    plain = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    book.save(plain)
    from xltool.errors import UnusableWorkbook

    with pytest.raises(UnusableWorkbook) as err:
        api.export(plain)
    assert err.value.key == "file.unknown-layout"  # neither the template nor an official layout
    assert "项目名称" in err.value.render("zh")  # the labels it found are named


def test_newer_template_version_is_refused(tmp_path):
    path = tmp_path / "future.xlsx"
    api.make_template("project", "national", path)
    book = openpyxl.load_workbook(path)
    meta = book["_xltool"]
    for row in meta.iter_rows(max_col=2):
        if row[0].value == "template_version":
            row[1].value = "99"
    book.save(path)
    from xltool.errors import UnusableWorkbook

    with pytest.raises(UnusableWorkbook) as err:
        api.export(path)
    assert err.value.key == "file.not-a-template" and "99" in err.value.render("en")


def test_copy_keeps_working_when_renamed(tmp_path, examples):
    src = tmp_path / "x.xlsx"
    api.fill(yaml.safe_load(examples[0].read_text(encoding="utf-8")), src)
    dst = tmp_path / "改名后的文件.xlsx"
    shutil.copy(src, dst)
    assert api.export(dst) == api.export(src)


_X14 = (
    b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>_xltool!$D$2:$D$4</xm:f></x14:formula1>'
    b"<xm:sqref>A40</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


@pytest.mark.filterwarnings("ignore:Data Validation extension is not supported")  # openpyxl, reading it back here
def test_fill_into_a_template_keeps_everything_it_had_and_caches_every_result(tmp_path):
    """A template a user's Excel has saved (an x14 dropdown, a comment, conditional formats) keeps all of it when
    xltool fills it, byte for byte outside the cells it fills; every formula carries its computed result."""
    import zipfile

    from openpyxl.comments import Comment

    from xltool.core.layout import cached_layout
    from xltool.core.results import formula_results

    blank = tmp_path / "blank.xlsx"
    api.make_template("department", "national", blank)
    users = tmp_path / "users.xlsx"
    book = openpyxl.load_workbook(blank)
    book["绩效指标"]["L40"].comment = Comment("本行由单位自行添加说明", "张三")
    book.save(users)
    with zipfile.ZipFile(users) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    sheet = next(n for n, d in parts.items() if n.startswith("xl/worksheets/sheet") and b"<legacyDrawing" in d)
    parts[sheet] = parts[sheet].replace(b"</worksheet>", _X14 + b"</worksheet>")
    parts["customXml/item9.xml"] = b"<?xml version='1.0'?><data>kept</data>"
    with zipfile.ZipFile(users, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    doc = yaml.safe_load((ROOT / "examples" / "donghu.yaml").read_text(encoding="utf-8"))
    out = tmp_path / "filled.xlsx"
    api.fill(doc, out, template=users)
    with zipfile.ZipFile(out) as filled:
        after = {info.filename: filled.read(info) for info in filled.infolist()}
    assert set(parts) <= set(after) and set(after) - set(parts) <= {"xl/sharedStrings.xml"}  # added if it had none
    edited = {n for n in parts if after[n] != parts[n]}
    assert edited <= {n for n in parts if n.startswith("xl/worksheets/")} | {
        "xl/sharedStrings.xml",
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
    }
    assert _X14 in after[sheet] and b"conditionalFormatting" in after[sheet]
    assert any(n.startswith("xl/comments") for n in after)
    assert api.export(out) == api.export(_fresh(doc, tmp_path))
    # every formula the layout put there carries the engine's value
    document, _ = api.load_document(doc)
    layout = cached_layout("department", "national", indicators=len(document.indicators))
    results = formula_results(document, layout)
    values = openpyxl.load_workbook(out, data_only=True)
    checked = 0
    for sheet_layout in layout.sheets:
        for cell in sheet_layout.cells:
            if not (cell.result and isinstance(cell.value, str) and cell.value.startswith("=")):
                continue
            expected = results.get(cell.result)
            shown = values[sheet_layout.name][a1(cell.row, cell.col)].value
            if expected in (None, ""):
                assert shown in (None, ""), (cell.result, shown)
            else:
                assert shown == (pytest.approx(expected) if isinstance(expected, float) else expected), (
                    cell.result,
                    shown,
                    expected,
                )
                checked += 1
    assert checked > 150  # the scores, checks, task rates, indicator scores and helper cells
    # the annotated copy of that workbook keeps all of it too, and adds its marks beside the user's own comment
    from xltool.render import annotate_report
    from xltool.validation import validate_file

    doc["indicators"][0]["score"] = 99  # a finding on the 绩效指标 sheet, which has the user's comment
    api.fill(doc, out, template=users, force=True)
    report = validate_file(out)
    annotated = tmp_path / "annotated.xlsx"
    annotate_report(report, annotated, "zh", False)
    with zipfile.ZipFile(annotated) as copy:
        marked = {info.filename: copy.read(info) for info in copy.infolist()}
    assert _X14 in marked[sheet] and marked["customXml/item9.xml"] == parts["customXml/item9.xml"]
    book = openpyxl.load_workbook(annotated)
    notes = {
        (ws.title, c.coordinate): c.comment.text for ws in book for row in ws.iter_rows() for c in row if c.comment
    }
    assert notes[("绩效指标", "L40")] == "本行由单位自行添加说明"
    flagged = {(f.sheet, f.cell) for f in report.findings if f.sheet and not f.explained}
    assert flagged and flagged <= set(notes)
    assert all(book[s][c].fill.fgColor.rgb in ("FFFFC7CE", "FFFFEB9C", "FFDDEBF7") for s, c in flagged)
    cached = openpyxl.load_workbook(annotated, data_only=True)
    ((title, ref),) = cached.defined_names["total_score"].destinations
    assert cached[title][ref.replace("$", "")].value == pytest.approx(float(report.scores.total))


def _fresh(doc: dict, folder: Path) -> Path:
    path = folder / "fresh.xlsx"
    api.fill(doc, path)
    return path

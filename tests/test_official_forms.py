"""Official forms as units hold them: every layout family read from .xlsx, .xls, .ods and .docx, findings on the
user's own cells, the commands downstream, and the limits of docs/security.md for the new formats."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from support import lo_convert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.formgen import FAMILIES, Canvas, compared, expected, make, same, write_docx, write_xlsx  # noqa: E402
from xltool.core.families import parse_family, shipped_families  # noqa: E402
from xltool.core.grid import label_key  # noqa: E402
from xltool.core.spec import SpecError  # noqa: E402
from xltool.errors import UnusableWorkbook  # noqa: E402
from xltool.io.form_reader import read_forms  # noqa: E402
from xltool.validation import validate_path  # noqa: E402

XLTOOL = [sys.executable, "-m", "xltool"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*XLTOOL, *args], capture_output=True, text=True, encoding="utf-8", check=False)


def _misread(path: Path, family: str, seed: int, **overrides: object) -> list[str]:
    _, contents, variant = make(family, seed, **overrides)
    workbooks = read_forms(path)
    assert len(workbooks) == len(contents)
    bad = []
    for wb, content in zip(workbooks, contents, strict=True):
        assert wb.official is not None and wb.official.family.id == family
        want = expected(family, content, variant)
        got = compared(wb.document.to_dict(), want)
        bad += [f"{k}: {got[k]!r} != {want[k]!r}" for k in want if not same(got[k], want[k])]
    return bad


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_family_is_read_field_for_field_from_xlsx_and_word(tmp_path, family, seed):
    canvas, _, _ = make(family, seed)
    write_xlsx(canvas, tmp_path / "form.xlsx")
    write_docx(canvas, tmp_path / "form.docx")
    assert _misread(tmp_path / "form.xlsx", family, seed) == []
    assert _misread(tmp_path / "form.docx", family, seed) == []


def test_libreoffice_xls_ods_and_resaved_word_give_the_same_documents(tmp_path):
    """Real clients: LibreOffice saves the .xlsx forms as .xls and .ods, and re-saves the Word forms."""
    xlsx, docx = [], []
    (tmp_path / "w").mkdir()
    for family in FAMILIES:
        canvas, _, _ = make(family, 7, merged_levels=True, hidden=True)
        write_xlsx(canvas, tmp_path / f"{family}.xlsx")
        write_docx(canvas, tmp_path / "w" / f"{family}.docx")
        xlsx.append(tmp_path / f"{family}.xlsx")
        docx.append(tmp_path / "w" / f"{family}.docx")
    outputs = lo_convert(xlsx, "xls", tmp_path / "xls") + lo_convert(xlsx, "ods", tmp_path / "ods")
    outputs += lo_convert(docx, "docx:MS Word 2007 XML", tmp_path / "lo")
    for path in outputs:
        family = path.stem
        assert _misread(path, family, 7, merged_levels=True, hidden=True) == [], path.name
        original = read_forms(tmp_path / f"{family}.xlsx")[0].document.to_dict()
        assert read_forms(path)[0].document.to_dict() == original, path.name


def test_labels_are_compared_after_normalisation():
    assert label_key("年 初\n预 算 数").key == "年初预算数"
    assert label_key("其中：本年财政拨款").key == "本年财政拨款"
    assert label_key("项目资金（万元）") == label_key("项目资金(万元)")
    assert label_key("项目资金（万元）").unit == "万元"
    assert label_key("产出指标（50分）").points == 50 and label_key("产出指标（50分）").key == "产出指标"
    assert label_key("年初预算数(A)").letter == "A" and label_key("执行率(B/A)").key == "执行率"
    assert label_key("支出实现率（%）⑥=⑤/④").key == "支出实现率"
    assert label_key("①中央及省级财政资金").key == "中央及省级财政资金"
    assert label_key("部门（单位）名称：").key == "部门(单位)名称"  # a middle bracket is part of the label


def _national(tmp_path: Path, **overrides: object) -> tuple[Path, Canvas]:
    canvas, _, _ = make("national-project", 3, projects=1, yuan=False, text_numbers=False, offset=(0, 0), **overrides)
    path = tmp_path / "form.xlsx"
    write_xlsx(canvas, path)
    return path, canvas


def _cell(path: Path, text: str) -> str:
    ws = openpyxl.load_workbook(path).active
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.coordinate
    raise AssertionError(text)


def test_findings_point_at_the_users_own_cells(tmp_path):
    path, _ = _national(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    rate_cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.endswith("%"))
    rate_cell.value = "99.99%"
    wb.save(path)
    (report,) = validate_path(path)
    (finding,) = [f for f in report.findings if f.code == "rate.mismatch"]
    assert (finding.sheet, finding.cell) == ("自评表", rate_cell.coordinate)
    word = tmp_path / "form.docx"
    canvas, _, _ = make("national-project", 3, projects=1)
    write_docx(canvas, word)
    (report,) = validate_path(word)
    assert report.workbook is not None and report.workbook.official is not None
    located = [f for f in report.findings if f.sheet]
    assert located and all(f.sheet == "表1" and f.cell.startswith("第") and "列" in f.cell for f in located)


def test_several_projects_on_one_sheet_give_one_json_line_each(tmp_path):
    canvas, contents, _ = make("sichuan-project", 4, projects=2)
    path = tmp_path / "two.xlsx"
    write_xlsx(canvas, path)
    result = run("validate", "--format", "json", str(path))
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["project"] for line in lines] == [c["project"] for c in contents]
    assert all(line["file"] == str(path) and line["layout"] == "sichuan-project" for line in lines)
    assert [line["document"] for line in lines] == [1, 2] and {line["profile"] for line in lines} == {"sichuan"}


def test_no_form_or_an_ambiguous_one_is_exit_2_with_one_line(tmp_path):
    path = tmp_path / "list.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话", "三级指标"])
    book.save(path)
    result = run("validate", str(path))
    assert result.returncode == 2
    assert "不能识别为已知的自评表表样" in result.stderr and "三级指标" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    form, _ = _national(tmp_path)
    (national,) = [f for f in shipped_families() if f.id == "national-project"]
    twin = parse_family({**_raw("national-project"), "id": "twin", "name": "另一表样"}, "twin.yaml")
    with pytest.raises(UnusableWorkbook) as info:
        read_forms(form, families=(national, twin))
    assert info.value.key == "file.unknown-layout" and "另一表样" in info.value.render("zh")


def _raw(family: str) -> dict:
    import yaml

    return yaml.safe_load((ROOT / "xltool" / "specs" / "layouts" / f"{family}.yaml").read_text(encoding="utf-8"))


def test_a_family_file_reports_every_mistake_by_path():
    raw = _raw("national-project")
    raw["profile"] = "atlantis"
    raw["money"]["columns"]["budget"] = ["预算"]
    del raw["indicators"]["columns"]["name"]
    with pytest.raises(SpecError) as info:
        parse_family(raw, "bad.yaml")
    text = str(info.value)
    assert "profile" in text and "money.columns.budget" in text and "indicators.columns.name" in text


def test_scoring_follows_the_family_profile(tmp_path):
    for family, profile in (
        ("sichuan-project", "sichuan"),
        ("hubei-project", "hubei"),
        ("chongqing-department", "chongqing"),
    ):
        canvas, _, _ = make(family, 2, projects=1)
        write_xlsx(canvas, tmp_path / f"{family}.xlsx")
        (report,) = validate_path(tmp_path / f"{family}.xlsx")
        assert report.workbook is not None and report.workbook.document.profile == profile
        assert report.scores is not None
    (hubei,) = validate_path(tmp_path / "hubei-project.xlsx")
    assert any(f.code == "form.no-weights" for f in hubei.findings)
    assert not any(f.code in ("weight.sum", "field.required") for f in hubei.findings)


def test_stated_figures_on_the_form_are_checked(tmp_path):
    canvas, contents, _ = make("national-project", 5, projects=1, text_numbers=False, yuan=False)
    total = contents[0]["total"]
    for key, value in list(canvas.cells.items()):
        if value == total:
            canvas.cells[key] = round(total + 3, 2)
        if value == contents[0]["exec_score"]:
            canvas.cells[key] = 9.99 if value != 9.99 else 1.0
    write_xlsx(canvas, tmp_path / "f.xlsx")
    (report,) = validate_path(tmp_path / "f.xlsx")
    codes = {f.code for f in report.findings}
    assert {"score.total-mismatch", "score.execution-mismatch"} <= codes


def test_units_in_labels_are_cross_checked_never_converted(tmp_path):
    canvas, contents, _ = make("fujian-department", 1, yuan=False)
    for key, value in list(canvas.cells.items()):
        if isinstance(value, float) and value > 100:
            canvas.cells[key] = round(value * 10000, 2)  # 元 values under the 万元 label, as FJ prints them
    write_xlsx(canvas, tmp_path / "fj.xlsx")
    (report,) = validate_path(tmp_path / "fj.xlsx")
    doc = report.workbook.document  # type: ignore[union-attr]
    assert doc.money_unit == "万元" and doc.budget.adjusted == round(contents[0]["adjusted"] * 10000, 2)
    (finding,) = [f for f in report.findings if f.code == "form.unit-magnitude"]
    assert finding.sheet == "自评表" and finding.cell


def test_placeholders_codes_hidden_rows_and_label_points(tmp_path):
    canvas, contents, _ = make("national-project", 11, projects=1, placeholders=True, hidden=True, label_variant=1)
    # a hidden row that holds a real indicator is read, and said
    canvas.hidden_rows.add(next(r for (r, c), v in canvas.cells.items() if v == contents[0]["indicators"][0]["name"]))
    write_xlsx(canvas, tmp_path / "f.xlsx")
    (report,) = validate_path(tmp_path / "f.xlsx")
    doc = report.workbook.document  # type: ignore[union-attr]
    assert len(doc.indicators) == len(contents[0]["indicators"])  # 指标N …… rows ignored
    assert doc.unit.supervisor == "江临市委网信办"  # 219-江临市委网信办: the code split off
    codes = {f.code for f in report.findings}
    assert "form.hidden" in codes
    assert "form.label-points" not in codes  # the points in the labels match the weights given


def test_label_points_that_disagree_with_the_weights_are_said(tmp_path):
    canvas, contents, _ = make("national-project", 11, projects=1, label_variant=1, merged_levels=True)
    weights = sum(i["weight"] for i in contents[0]["indicators"] if i["level1"] == "产出指标")
    for key, value in list(canvas.cells.items()):
        if isinstance(value, str) and value.startswith("产出指标（"):
            canvas.cells[key] = f"产出指标（{weights + 5}分）"  # HB4: labels whose points do not add up
            where = key
    write_xlsx(canvas, tmp_path / "f.xlsx")
    (report,) = validate_path(tmp_path / "f.xlsx")
    (finding,) = [f for f in report.findings if f.code == "form.label-points"]
    assert finding.params["points"] == weights + 5 and finding.params["given"] == weights
    assert finding.cell == openpyxl.utils.get_column_letter(where[1] + 1) + str(where[0] + 1)


def test_folder_of_templates_and_official_forms_consolidates(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for family, seed in (("national-project", 1), ("sichuan-project", 2), ("national-department", 3)):
        canvas, _, _ = make(family, seed, projects=1)
        write_xlsx(canvas, tmp_path / f"{family}.xlsx")
        lo_convert([tmp_path / f"{family}.xlsx"], "xls" if seed % 2 else "ods", folder)
    canvas, _, _ = make("chongqing-department", 1)
    write_docx(canvas, folder / "cq.docx")
    assert run("fill", str(ROOT / "examples" / "donghu.yaml"), "-o", str(folder / "donghu.xlsx")).returncode == 0
    result = run("consolidate", str(folder), "-o", str(tmp_path / "sum.xlsx"), "--json", str(tmp_path / "sum.json"))
    assert result.returncode in (0, 1), result.stderr
    summary = json.loads((tmp_path / "sum.json").read_text(encoding="utf-8"))
    assert len(summary["units"]) == 5 and summary["unusable"] == []


def test_import_moves_a_form_into_the_template_and_lists_what_stayed_behind(tmp_path):
    canvas, _, _ = make("sichuan-project", 6, projects=1)
    write_xlsx(canvas, tmp_path / "sc.xlsx")
    result = run("import", str(tmp_path / "sc.xlsx"), "-o", str(tmp_path / "t.xlsx"))
    assert result.returncode == 0, result.stderr
    assert "项目编码" in result.stderr and "预算执行率得分" in result.stderr
    imported = validate_path(tmp_path / "t.xlsx")[0]
    original = validate_path(tmp_path / "sc.xlsx")[0]
    assert imported.workbook is not None and imported.workbook.official is None  # xltool's own template now
    assert imported.scores is not None and original.scores is not None
    assert imported.scores.total == original.scores.total and imported.scores.grade == original.scores.grade
    assert "_xltool" in openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames


def test_annotate_marks_an_official_xlsx_and_lists_findings_for_other_formats(tmp_path):
    path, _ = _national(tmp_path)
    canvas, _, _ = make("hubei-project", 2)
    write_docx(canvas, tmp_path / "hb.docx")
    out = tmp_path / "marked"
    result = run("validate", "--annotate", str(out), str(path), str(tmp_path / "hb.docx"))
    assert result.returncode in (0, 1)
    marked = openpyxl.load_workbook(out / "form.xlsx")
    assert any(cell.comment for row in marked.active.iter_rows() for cell in row)
    assert marked.sheetnames == openpyxl.load_workbook(path).sheetnames  # the user's own workbook, marked
    listing = openpyxl.load_workbook(out / "hb.docx.问题清单.xlsx").active
    assert listing["B3"].value == "表1" and "问题清单" in result.stderr


def test_new_formats_keep_the_limits(tmp_path, monkeypatch):
    monkeypatch.setenv("XLTOOL_MAX_ROWS", "500")
    ods = tmp_path / "bomb.ods"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    result = run("validate", str(ods))
    assert result.returncode == 2 and "超出大小限制" in result.stderr
    docx = tmp_path / "entity.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><w:document/>')
    result = run("validate", str(docx))
    assert result.returncode == 2 and "实体" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    ole = tmp_path / "locked.xls"
    ole.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 600
    )
    result = run("validate", str(ole))
    assert result.returncode == 2 and "已加密" in result.stderr
    before = ods.read_bytes()
    run("validate", str(ods))
    assert ods.read_bytes() == before


def test_a_word_form_with_real_merges_is_walked_by_grid_column(tmp_path):
    """python-docx repeats a merged cell's text at every grid position; the walker sees one cell and its span."""
    from xltool.io.grids import docx_grids
    from xltool.io.safety import Limits

    canvas, _, _ = make("national-project", 0, merged_levels=True, spaced=False)
    write_docx(canvas, tmp_path / "f.docx")
    (grid,) = docx_grids(tmp_path / "f.docx", (tmp_path / "f.docx").read_bytes(), Limits())
    assert grid.table and grid.context[0].startswith("附件")
    top = min(r for r, _ in canvas.cells)
    for r1, c1, r2, c2 in canvas.merges:
        assert (r1 - top, c1, r2 - top, c2) in grid.merged
        if (r2, c2) != (r1, c1):
            assert grid.own(r2 - top, c2) is None and grid.value(r2 - top, c2) == grid.own(r1 - top, c1)


def test_old_doc_gets_a_message_naming_what_to_do(tmp_path):
    doc = tmp_path / "form.doc"
    doc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 600
    )
    result = run("validate", str(doc))
    assert result.returncode == 2 and "另存为 .docx" in result.stderr
    assert io.StringIO(result.stderr).read().count("\n") == 1


def test_an_xls_with_a_far_cell_is_refused_before_calamine_allocates_it(tmp_path):
    """One value at IV65536 of a 6 KB .xls made python-calamine allocate 1.6 GB; the BIFF walk refuses it."""
    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    book.active["IV65536"] = 1
    book.save(tmp_path / "far.xlsx")
    (xls,) = lo_convert([tmp_path / "far.xlsx"], "xls", tmp_path / "out")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (600 << 20, 600 << 20));"
            f"from xltool.cli import main; sys.argv = ['xltool', 'validate', {str(xls)!r}]; main()",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 2 and "超出大小限制" in result.stderr


def test_a_word_table_regridded_by_libreoffice_is_read_under_its_headers(tmp_path):
    """LibreOffice re-saves a two-row-header Word form with new grid columns: a row's 得分 then stands one
    column right of where its header starts, inside the header's span."""
    canvas, _, variant = make("national-project", 3)
    assert variant.label_variant % 4 == 3  # the two-row header (年度指标值 over 指标性质/指标值/度量单位)
    (tmp_path / "in").mkdir()
    write_docx(canvas, tmp_path / "in" / "national-project.docx")
    (resaved,) = lo_convert([tmp_path / "in" / "national-project.docx"], "docx:MS Word 2007 XML", tmp_path / "lo")
    assert _misread(resaved, "national-project", 3) == []

"""LibreOffice as the real spreadsheet client: files open, print, and compute what the Python engine computes."""

from __future__ import annotations

import random
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import python_calamine
import yaml
from support import cjk_fonts, lo_convert, soffice, system_tool

from xltool import api
from xltool.core.cells import to_cells
from xltool.core.results import formula_results
from xltool.core.scoring import score_document
from xltool.io.xlsx_reader import defined_names
from xltool.io.xlsx_writer import write_workbook

pytestmark = pytest.mark.libreoffice
ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("execution_rate", "execution_score", "total_score", "normalized_score", "grade")


def varied_documents(count: int) -> list[dict]:
    """Documents that exercise every rule: each kind, zero targets and actuals, qualitative tiers with and
    without an entered score, not-applicable rows, over- and under-execution, no budget at all."""
    rng = random.Random(20231)
    tiers = ["达成年度指标", "部分达成年度指标并具有一定效果", "未达成年度指标且效果较差", "达成预期指标", "不知道"]
    docs = []
    for n in range(count):
        indicators = []
        for i in range(rng.randint(1, 14)):
            kind = rng.choice(["positive", "negative", "equal", "qualitative", None])
            ind: dict = {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": f"指标{i}",
                "weight": rng.choice([0, 2, 5, 7.5, 10, 12]),
                "applicable": rng.random() > 0.15,
            }
            if kind == "qualitative":
                ind.update(kind=kind, target="明显提升", actual=rng.choice(tiers))
                if rng.random() > 0.4:
                    ind["score"] = round(rng.uniform(0, 12), 2)
            else:
                ind.update(target=rng.choice([0, 1, 5, 50, 99.5, 100]), actual=rng.choice([0, 0.5, 3, 5, 48, 100, 130]))
                if kind:
                    ind["kind"] = kind
            indicators.append(ind)
        adjusted = rng.choice([0, 100, 747.98, 3702450.0])
        executed = round(adjusted * rng.choice([0, 0.66, 0.8946, 1, 1.2]), 2)
        docs.append(
            {
                "form": rng.choice(["department", "project"]),
                "money_unit": rng.choice(["万元", "元"]),
                "year": 2023,
                "unit": {"name": f"单位{n}"},
                "budget": {"adjusted": adjusted, "executed": executed, "weight": rng.choice([10, 20])},
                "indicators": indicators,
            }
        )
    return docs


def _poisoned(results: dict) -> dict:
    return {k: (-12345.0 if isinstance(v, float) else "X") for k, v in results.items()}


def _named_values(path: Path, names: dict) -> dict:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    grids: dict = {}
    out = {}
    for name in OUTPUTS:
        if name not in names:  # a category sheet has no execution rate
            continue
        sheet, row, col, _, _ = names[name]
        if sheet not in grids:
            grids[sheet] = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        out[name] = grids[sheet][row][col]
    return out


def test_formula_parity_with_libreoffice(tmp_path):
    """LibreOffice, forced to recalculate on load, computes from the template's formulas the same 执行率,
    执行率得分, 总分, 换算得分 and 等次 as the Python engine. The files carry deliberately wrong cached values,
    so agreement can only come from LibreOffice's own arithmetic."""
    from test_profiles import CASES, valid_document

    docs = varied_documents(30) + [
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.yaml"))
    ]
    docs += [valid_document(pid, form) for pid, form in CASES]  # every profile's own formulas (重庆: 权重 × 系数)
    coefficient = valid_document("chongqing", "department")
    coefficient["indicators"][0]["coefficient"] = 76  # typed as a percentage
    docs.append(coefficient)
    files, expected = [], []
    for i, data in enumerate(docs):
        doc, _ = api.load_document(data)
        layout = api.layout_for(doc.form, doc.profile, indicators=len(doc.indicators))
        path = tmp_path / f"doc{i:02d}.xlsx"
        write_workbook(layout, path, to_cells(doc, layout), results=_poisoned(formula_results(doc, layout)))
        files.append(path)
        scores = score_document(doc, layout.profile)
        expected.append(scores)
    out = tmp_path / "recalculated"
    out.mkdir()
    converted = lo_convert(files, "xlsx", out)
    checked = 0
    for path, result, scores in zip(files, converted, expected, strict=True):
        names = defined_names(zipfile.ZipFile(path))
        got = _named_values(result, names)
        want = {
            "execution_rate": scores.execution_rate,
            "execution_score": scores.execution_score,
            "total_score": scores.total,
            "normalized_score": scores.normalized,
        }
        if scores.categories is not None:  # 河北: 换算得分 and the total after bonus and deductions
            want = {"total_score": scores.total, "normalized_score": scores.categories.converted}
        for key, value in want.items():
            if value is None:
                assert got[key] == "", (path.name, key, got[key])
            else:
                assert abs(Decimal(str(got[key])) - value) <= Decimal("0.005"), (path.name, key, got[key], value)
        assert got["grade"] == scores.grade, (path.name, got["grade"], scores.grade)
        checked += 1
    assert checked == len(docs)


def test_templates_and_filled_workbooks_open_and_print(tmp_path):
    files = []
    for form in ("department", "project"):
        path = tmp_path / f"template-{form}.xlsx"
        api.make_template(form, "national", path, year=2023)
        files.append(path)
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        path = tmp_path / f"{example.stem}.xlsx"
        api.fill(yaml.safe_load(example.read_text(encoding="utf-8")), path)
        files.append(path)
    pdfs = lo_convert(files, "pdf", tmp_path, recalc=False)
    for pdf in pdfs:
        data = pdf.read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        assert data.startswith(b"%PDF") and pages >= 4, (pdf.name, pages)  # every sheet printed


def test_resaved_by_libreoffice_reads_the_same(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    files = []
    for example in ("beicheng", "xishan", "project-donghu-dengbao"):
        path = src / f"{example}.xlsx"
        api.fill(yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text(encoding="utf-8")), path)
        files.append(path)
    out = tmp_path / "resaved"
    out.mkdir()
    for original, resaved in zip(files, lo_convert(files, "xlsx", out), strict=True):
        assert api.export(resaved) == api.export(original), original.name


def test_annotated_copies_open_in_libreoffice(tmp_path):
    from xltool.render import annotate_report
    from xltool.validation import validate_file

    src = tmp_path / "beicheng.xlsx"
    api.fill(yaml.safe_load((ROOT / "examples" / "beicheng.yaml").read_text(encoding="utf-8")), src)
    report = validate_file(src)
    target = tmp_path / "annotated" / "beicheng.xlsx"
    target.parent.mkdir()
    annotate_report(report, target, "zh", force=False)
    (pdf,) = lo_convert([target], "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    resaved_dir = tmp_path / "resaved"
    resaved_dir.mkdir()
    (resaved,) = lo_convert([target], "xlsx", resaved_dir)
    assert api.export(resaved) == api.export(src)  # highlighting and comments change no value


def test_summary_opens_prints_and_recalculates_to_the_same_figures(tmp_path):
    """The summary's SUBTOTAL and COUNTIFS formulas, recomputed by LibreOffice, give the JSON's totals."""
    import json

    from xltool.consolidate import consolidate

    folder = tmp_path / "units"
    folder.mkdir()
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        api.fill(yaml.safe_load(example.read_text(encoding="utf-8")), folder / f"{example.stem}.xlsx")
    summary = tmp_path / "summary.xlsx"
    consolidate([folder], summary, json_path=tmp_path / "summary.json", executor="serial")
    data = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    (pdf,) = lo_convert([summary], "pdf", tmp_path, recalc=False)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) >= 5
    out = tmp_path / "recalculated"
    out.mkdir()
    (recalculated,) = lo_convert([summary], "xlsx", out)
    book = python_calamine.CalamineWorkbook.from_path(str(recalculated))
    units = book.get_sheet_by_name("汇总表").to_python(skip_empty_area=False)
    total = next(row for row in units if row[0] == "合　计")
    assert total[6] == pytest.approx(data["totals"]["budget_adjusted"], abs=0.005)
    assert total[7] == pytest.approx(data["totals"]["budget_executed"], abs=0.005)
    assert total[8] == pytest.approx(data["totals"]["execution_rate"], abs=0.00005)
    scores = [u["total_score"] for u in data["units"] if u["counted"]]  # units with errors: 待更正, not averaged
    assert len(scores) < len(data["units"])
    assert total[9] == pytest.approx(sum(scores) / len(scores), abs=0.005)
    grades = book.get_sheet_by_name("等次分布").to_python(skip_empty_area=False)
    header, everything = grades[2], grades[3]
    assert everything[0] == "全部" and everything[1] == len(data["units"])
    for col, label in enumerate(header):
        if label in data["grades"]:
            assert everything[col] == data["grades"][label], label
        if label == "待更正":
            assert everything[col] == len(data["pending"])
        if label == "平均分":
            assert everything[col] == pytest.approx(sum(scores) / len(scores), abs=0.005)


def test_reports_open_in_libreoffice_writer(tmp_path):
    from xltool.reporting import summary_report_for, unit_report_for, write_report

    files = []
    for name in ("donghu", "beicheng", "project-donghu-dengbao"):
        book = tmp_path / f"{name}.xlsx"
        api.fill(yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8")), book)
        report, _ = unit_report_for(book)
        write_report(report, tmp_path / f"{name}.docx")
        files.append(tmp_path / f"{name}.docx")
    summary, _, _ = summary_report_for([tmp_path / "donghu.xlsx", tmp_path / "beicheng.xlsx"])
    write_report(summary, tmp_path / "summary.docx")
    files.append(tmp_path / "summary.docx")
    out = tmp_path / "pdf"
    out.mkdir()
    for pdf in lo_convert(files, "pdf", out, recalc=False):
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
        assert pages >= (1 if pdf.stem == "summary" else 4), (pdf.name, pages)


_FONT_ALIASES = {  # the serif-looking fonts a report names → a serif face, 黑体 → a sans face
    "方正小标宋简体": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC",
    "楷体_GB2312": "Noto Serif CJK SC",
    "仿宋_GB2312": "Noto Serif CJK SC",
}


def test_rendered_report_uses_the_fonts_it_names(tmp_path):
    """No theme font (Calibri, a Japanese Gothic) replaces the fonts the styles name: with each name mapped to
    its own face, the rendered PDF holds exactly those faces (pdffonts)."""
    import subprocess

    from xltool.reporting import unit_report_for, write_report

    soffice()
    pdffonts = system_tool("pdffonts", "poppler-utils")
    cjk_fonts()
    aliases = "".join(
        f"<alias binding='same'><family>{name}</family><prefer><family>{face}</family></prefer></alias>"
        for name, face in _FONT_ALIASES.items()
    )
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f"<?xml version='1.0'?><fontconfig><include ignore_missing='yes'>/etc/fonts/fonts.conf</include>{aliases}"
        "</fontconfig>",
        encoding="utf-8",
    )
    book = tmp_path / "donghu.xlsx"
    api.fill(yaml.safe_load((ROOT / "examples" / "donghu.yaml").read_text(encoding="utf-8")), book)
    report, _ = unit_report_for(book)
    write_report(report, tmp_path / "donghu.docx")
    out = tmp_path / "pdf"
    out.mkdir()
    (pdf,) = lo_convert([tmp_path / "donghu.docx"], "pdf", out, recalc=False, env={"FONTCONFIG_FILE": str(conf)})
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout
    faces = {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:] if line.strip()}
    # the body (仿宋) in the serif face and the 一级标题 (黑体) in the sans one: only the names the styles give lead
    # there; a theme font would be a Gothic (sans) for all Chinese text and Calibri (DejaVu Sans here) for Latin
    assert any(face.startswith("NotoSerifCJK") for face in faces), faces
    assert any(face.startswith("NotoSansCJK") for face in faces), faces
    assert not any(face.startswith(("DejaVuSans", "Carlito", "Calibri")) for face in faces), faces

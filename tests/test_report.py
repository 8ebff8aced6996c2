"""report: the narrative self-evaluation report, written from the workbook."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from xltool import api
from xltool.core.figures import money, pct, points
from xltool.core.narrative import Heading, Paragraph
from xltool.reporting import summary_report_for, unit_report_for, write_report
from xltool.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent


def example(name: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))


def filled(tmp_path: Path, name: str, doc: dict | None = None) -> Path:
    path = tmp_path / f"{name}.xlsx"
    api.fill(doc or example(name), path, force=True)
    return path


def test_every_figure_of_the_workbook_is_in_the_text(tmp_path):
    path = filled(tmp_path, "donghu")
    report, errors = unit_report_for(path)
    text = report.text()
    result = validate_file(path)
    doc, scores = result.workbook.document, result.scores
    assert errors == 0
    for amount in (
        doc.budget.initial,
        doc.budget.adjusted,
        doc.budget.executed,
        doc.budget.basic.executed,
        doc.budget.basic.personnel,
        doc.budget.basic.public,
        doc.budget.project.executed,
        doc.budget.three_public.actual,
    ):
        assert money(amount) in text, amount
    assert pct(scores.execution_rate) in text and f"总得分{points(scores.total)}分" in text
    assert f"等次为“{scores.grade}”" in text
    table = next(
        b for b in report.blocks if not isinstance(b, Heading | Paragraph) and b.caption == "表1　指标得分情况"
    )
    for ind, item, row in zip(doc.indicators, scores.items, table.rows, strict=False):
        assert row[2] == ind.name and row[3] == points(item.weight) and row[4] == points(item.score)
    assert table.rows[-1][0] == "合计" and table.rows[-1][4] == points(scores.total)
    for task in doc.tasks:
        assert task.name in text and money(task.budget, suffix=False) in text


def test_money_in_yuan_is_reported_in_wan(tmp_path):
    report, _ = unit_report_for(filled(tmp_path, "xishan"))
    assert "全年预算数为370.25万元" in report.text()  # 3,702,450.00 元


def test_headings_are_numbered_without_gaps_and_never_empty(tmp_path):
    doc = example("nanan")
    for key in ("tasks", "staff"):
        doc.pop(key, None)
    doc["narrative"] = {"experience": "经验一\n经验二"}
    report, _ = unit_report_for(filled(tmp_path, "nanan", doc))
    text = report.text()
    assert "年度主要任务" not in text and "0项" not in text and "编制数" not in text
    level1 = [b.text for b in report.blocks if isinstance(b, Heading) and b.level == 1]
    numbers = [t.split("、")[0] for t in level1 if "、" in t]
    assert numbers == ["一", "二", "三", "四", "五", "六"]
    for i, block in enumerate(report.blocks[:-1]):
        if isinstance(block, Heading):
            assert not (isinstance(report.blocks[i + 1], Heading) and report.blocks[i + 1].level <= block.level), block
    placeholders = [r.text for b in report.blocks if isinstance(b, Paragraph) for r in b.runs if r.placeholder]
    assert "【请填写：存在的问题】" in placeholders and "【请填写：改进措施及建议】" in placeholders
    assert "经验二" in text and "【请填写：主要经验及做法】" not in placeholders


def test_open_problems_are_appended(tmp_path):
    report, errors = unit_report_for(filled(tmp_path, "beicheng"))
    assert errors == 10
    appendix = [b for b in report.blocks if isinstance(b, Heading) and b.text.startswith("附")]
    assert appendix and report.blocks[-1].rows[0][1] == "自评表!E7"


def test_not_applicable_rows_and_normalized_score(tmp_path):
    report, _ = unit_report_for(filled(tmp_path, "nanan"))
    text = report.text()
    assert "1项指标不适用" in text and "换算得分为99.87分" in text and "不适用" in text


def _east_asia(style) -> str | None:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_docx_is_a_proper_chinese_document(tmp_path):
    report, _ = unit_report_for(filled(tmp_path, "donghu"))
    out = tmp_path / "r.docx"
    write_report(report, out)
    d = docx.Document(str(out))
    assert _east_asia(d.styles["Normal"]) == "仿宋_GB2312"
    assert _east_asia(d.styles["Title"]) == "方正小标宋简体"
    assert _east_asia(d.styles["Heading 1"]) == "黑体" and _east_asia(d.styles["Heading 2"]) == "楷体_GB2312"
    section = d.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.top_margin.cm, 1) == 3.7
    footer = section.footer._element.xml
    assert "PAGE" in footer
    assert d.paragraphs[0].text == report.title and d.paragraphs[0].style.name == "Title"
    table = d.tables[0]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "一、基本情况"


def test_placeholders_are_highlighted_and_control_characters_removed(tmp_path):
    doc = example("gaoxin")
    doc["narrative"] = {"functions": "职能\x07职责\x00说明", "problems": None}
    report, _ = unit_report_for(filled(tmp_path, "gaoxin", doc))
    out = tmp_path / "r.docx"
    write_report(report, out)
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert "职能职责说明" in texts
    marked = [r for p in d.paragraphs for r in p.runs if r.font.highlight_color is not None]
    assert marked and all(r.text.startswith("【请填写") for r in marked)


def test_user_style_template_is_respected(tmp_path):
    own = docx.Document()
    own.styles["Normal"].font.size = docx.shared.Pt(12)
    own.add_paragraph("模板里原有的内容")
    template = tmp_path / "mine.docx"
    own.save(str(template))
    report, _ = unit_report_for(filled(tmp_path, "donghu"))
    out = tmp_path / "r.docx"
    write_report(report, out, style_template=template)
    d = docx.Document(str(out))
    assert d.styles["Normal"].font.size == docx.shared.Pt(12)
    assert "模板里原有的内容" not in [p.text for p in d.paragraphs]
    assert d.paragraphs[0].text == report.title


def test_markdown(tmp_path):
    report, _ = unit_report_for(filled(tmp_path, "donghu"))
    out = tmp_path / "r.md"
    write_report(report, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# ") and "## 一、基本情况" in text and "| 一级指标 | 二级指标 |" in text


def test_summary_report_from_workbooks_and_from_the_summary_agree(tmp_path):
    from xltool.consolidate import consolidate

    folder = tmp_path / "units"
    folder.mkdir()
    for name in ("donghu", "xishan", "nanan", "beicheng", "gaoxin"):
        api.fill(example(name), folder / f"{name}.xlsx")
    (folder / "broken.xlsx").write_text("x", encoding="utf-8")
    direct, invalid, unusable = summary_report_for([folder])
    consolidate([folder], tmp_path / "s.xlsx", executor="serial")
    via_summary, invalid2, unusable2 = summary_report_for([tmp_path / "s.xlsx"])
    assert (invalid, unusable) == (invalid2, unusable2) == (1, 1)
    text = direct.text()
    assert direct.title == "临江省江临市2023年度预算绩效自评汇总报告"
    assert "本次汇总5个单位" in text and "另有1个文件无法读取" in text
    # 北城区's workbook has errors (total 106.95): 待更正, named with its errors, and out of grades and extremes
    assert "“优”的3个、“中”的1个" in text and "1个单位的自评表存在校验错误，列为“待更正”" in text
    assert "北城区" in text.split("待更正单位")[2].split("自评等次分布")[0]  # in the table of units to correct
    assert "106.95" not in text and "最高" in text and "自评表有校验错误）" not in text
    assert "高新区" in text.split("重点关注单位")[1]  # the unit below 良
    assert "指标重复（1个单位）" in text
    for phrase in ("本次汇总5个单位", "“优”的3个、“中”的1个", "全年预算数合计", "平均得分", "列为“待更正”"):
        assert phrase in via_summary.text(), phrase
    provisional, _, _ = summary_report_for([folder], include_errors=True)
    assert provisional.title.endswith("（临时汇总）") and "“优”的4个、“中”的1个" in provisional.text()
    figures = re.findall(r"合计([\d.,]+)万元", text)
    assert figures and figures == re.findall(r"合计([\d.,]+)万元", via_summary.text())


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xltool", *args], capture_output=True, text=True, check=False)


def test_report_command(tmp_path):
    good, bad = filled(tmp_path, "donghu"), filled(tmp_path, "beicheng")
    assert cli("report", str(good), "-o", str(tmp_path / "a.docx")).returncode == 0
    assert cli("report", str(bad), "-o", str(tmp_path / "b.docx")).returncode == 1
    assert (tmp_path / "b.docx").exists()
    broken = tmp_path / "x.xlsx"
    broken.write_text("no", encoding="utf-8")
    result = cli("report", str(broken), "-o", str(tmp_path / "c.docx"))
    assert result.returncode == 2 and "Traceback" not in result.stderr and not (tmp_path / "c.docx").exists()
    wrong = cli("report", str(good), "-o", str(tmp_path / "d.pdf"))
    assert wrong.returncode == 2 and ".docx" in wrong.stderr
    summary = cli("report", str(good), str(bad), "-o", str(tmp_path / "s.md"))
    assert summary.returncode == 1 and "汇总报告" in summary.stderr


@pytest.mark.parametrize("name", ["donghu", "project-donghu-dengbao"])
def test_both_forms(tmp_path, name):
    report, _ = unit_report_for(filled(tmp_path, name))
    assert report.title.endswith("自评报告")
    if name.startswith("project"):
        assert report.title.startswith("东湖区政务信息系统网络安全等级保护测评项目") and report.subtitle


def test_a_summary_with_a_column_added_by_hand_still_reads(tmp_path):
    """The report finds the summary's columns by their declared headers, not their positions: an office that
    inserts a 备注 column before 单位名称 and saves the summary still gets the same report."""
    import openpyxl

    from xltool.consolidate import consolidate
    from xltool.io.summary_columns import UNITS

    folder = tmp_path / "units"
    folder.mkdir()
    for name in ("donghu", "xishan", "gaoxin"):
        api.fill(example(name), folder / f"{name}.xlsx")
    consolidate([folder], tmp_path / "s.xlsx", executor="serial")
    before, _, _ = summary_report_for([tmp_path / "s.xlsx"])
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    sheet = book[UNITS.name]
    assert [c.value for c in sheet[3]] == list(UNITS.headers)
    sheet.insert_cols(2)
    sheet.cell(3, 2, "备注")
    book.save(tmp_path / "moved.xlsx")
    after, _, _ = summary_report_for([tmp_path / "moved.xlsx"])
    assert after.text() == before.text()
    assert "本次汇总3个单位" in after.text()

"""lint-report: the figures of a narrative report checked against each other and against the workbook."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml

from xltool import api
from xltool.core.lint import ReportText, lint_text
from xltool.core.narrative import to_markdown
from xltool.core.spec import load_profile
from xltool.linting import lint_file
from xltool.reporting import unit_report_for, write_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "data" / "reports"
NATIONAL = load_profile("national")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xltool", *args], capture_output=True, text=True, check=False)


def codes(path: Path, against: Path | None = None) -> list[str]:
    return sorted(f["code"] for f in lint_file(path, against)["findings"])


def lint(*paragraphs: str, tables: list[list[list[str]]] | None = None) -> list[str]:
    return sorted(f.code for f in lint_text(ReportText(list(paragraphs), tables or []), NATIONAL))


def filled(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.xlsx"
    api.fill(yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8")), path, force=True)
    return path


def test_the_chongqing_report_has_a_duplicated_indicator_weights_over_100_and_a_total_that_is_not_its_sum():
    found = lint_file(REPORTS / "report-chongqing-bishan-2022.txt")["findings"]
    assert sorted({f["code"] for f in found}) == ["indicator.duplicate", "score.total-mismatch", "weight.sum"]
    weight = next(f for f in found if f["code"] == "weight.sum")
    assert weight["found"] != weight["expected"] == "100"
    duplicate = next(f for f in found if f["code"] == "indicator.duplicate")
    assert duplicate["table"] is not None and duplicate["row"] and duplicate["found"] in duplicate["message"]


def test_the_hunan_report_counts_ten_staff_whose_parts_make_eleven():
    (finding,) = lint_file(REPORTS / "report-hunan-lengshuitan-2021.txt")["findings"]
    assert finding["code"] == "count.mismatch"
    assert finding["expected"] == "11" or "11" in finding["message"]
    assert "其中" in finding["sentence"]


@pytest.mark.parametrize("name", ["donghu", "xishan", "nanan", "gaoxin", "project-donghu-dengbao"])
def test_the_reports_xltool_writes_are_consistent_in_markdown_and_word(tmp_path, name):
    book = filled(tmp_path, name)
    report, _ = unit_report_for(book)
    md = tmp_path / f"{name}.md"
    md.write_text(to_markdown(report), encoding="utf-8")
    word = tmp_path / f"{name}.docx"
    write_report(report, word)
    assert codes(md) == []
    assert codes(word) == []
    assert codes(word, against=book) == []


def test_a_report_is_checked_against_the_workbook_it_claims_to_describe(tmp_path):
    donghu, xishan = filled(tmp_path, "donghu"), filled(tmp_path, "xishan")
    report, _ = unit_report_for(donghu)
    md = tmp_path / "donghu.md"
    md.write_text(to_markdown(report), encoding="utf-8")
    assert codes(md, against=donghu) == []
    assert codes(md, against=xishan)  # the other unit's total and money are not these


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("单位在职人数12名，其中领导职数4人，科员9人。", ["count.mismatch"]),
        ("单位在职人数13名，其中领导职数4人，科员9人。", []),
        ("单位在职人数12名，其中领导职数2人，科员8人。", []),  # two kinds named: others may be left unnamed
        ("“三公”经费2.41万元，较2022年2.87万元增加0.30万元。", ["change.mismatch"]),
        ("“三公”经费2.41万元，较2022年2.87万元减少0.46万元。", []),
        ("全年基本支出265.10万元，其中：工资福利支出231.60万元，一般商品和服务支出23.50万元。", ["sum.mismatch"]),
        ("全年基本支出255.10万元，其中：工资福利支出231.60万元，一般商品和服务支出23.50万元。", []),
        ("全年预算数100.00万元，全年执行数91.00万元，预算执行率为93.00%。", ["rate.mismatch"]),
        ("全年预算数100.00万元，全年执行数91.00万元，预算执行率为91.00%。", []),
        ("自评总得分88.5分，自评等次为“优”。", ["grade.mismatch"]),
        ("自评总得分91.5分，自评等次为“优”。", []),
    ],
)
def test_each_rule_fires_on_its_error_and_stays_silent_on_the_corrected_sentence(sentence, expected):
    assert lint(sentence) == expected


def test_a_rate_rounded_from_amounts_shown_rounded_is_not_an_error():
    # 64.23 / 68.00 = 94.456… → 94.46%; the shown amounts are themselves rounded to 0.01 万元
    assert lint("全年预算数68.00万元，全年执行数64.23万元，预算执行率为94.46%。") == []
    assert lint("全年预算数68.00万元，全年执行数64.23万元，预算执行率为94.5%。") == []


def test_the_score_table_rules_read_rows_and_the_stated_total():
    header = ["一级指标", "二级指标", "三级指标", "分值", "得分", "得分率"]
    rows = [
        ["产出指标", "数量指标", "办结数", "40", "40", "100.00%"],
        ["效益指标", "社会效益指标", "安全意识", "30", "27", "90.00%"],
        ["满意度指标", "满意度指标", "服务对象满意度", "20", "20", "100.00%"],
        ["预算执行率", "", "", "10", "9", "90.00%"],
        ["合计", "", "", "100", "96", ""],
    ]
    assert lint("自评总得分96分，自评等次为“优”。", tables=[[header, *rows]]) == []
    assert lint("自评总得分93分，自评等次为“优”。", tables=[[header, *rows]]) == ["score.total-mismatch"]
    duplicated = [header, *rows[:2], rows[1], *rows[2:]]
    assert lint(tables=[duplicated]) == ["indicator.duplicate", "weight.sum"]
    wrong_rate = [header, rows[0], [*rows[1][:5], "80.00%"], *rows[2:]]
    assert lint(tables=[wrong_rate]) == ["rate.mismatch"]


def test_the_cli_prints_json_per_file_and_exits_1_on_an_inconsistency(tmp_path):
    clean = tmp_path / "clean.txt"
    clean.write_text("自评总得分91.5分，自评等次为“优”。\n", encoding="utf-8")
    done = run("lint-report", str(REPORTS / "report-hunan-lengshuitan-2021.txt"), str(clean), "--format", "json")
    assert done.returncode == 1, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["schema"] == "xltool/report-lint@1" and not first["valid"]
    assert second["valid"] and second["findings"] == [] and second["counts"]["error"] == 0
    assert run("lint-report", str(clean)).returncode == 0


def test_the_text_output_names_the_paragraph_and_quotes_the_sentence():
    done = run("lint-report", str(REPORTS / "report-hunan-lengshuitan-2021.txt"))
    assert done.returncode == 1
    assert "count.mismatch" in done.stdout and "段" in done.stdout and "其中" in done.stdout


def test_a_gb18030_report_is_read_and_bad_input_is_a_located_message(tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("单位在职人数12名，其中领导职数4人，科员9人。".encode("gb18030"))
    assert codes(legacy) == ["count.mismatch"]
    missing = run("lint-report", str(tmp_path / "nowhere.docx"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr + missing.stdout
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a word file")
    done = run("lint-report", str(broken))
    assert done.returncode == 2 and "broken.docx" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_tables_in_a_word_report_are_read_as_tables(tmp_path):
    path = tmp_path / "table.docx"
    document = docx.Document()
    document.add_paragraph("自评总得分50分，自评等次为“差”。")
    table = document.add_table(rows=5, cols=4)
    for r, row in enumerate(
        [
            ["三级指标", "分值", "得分", "得分率"],
            ["甲", "50", "25", "50.00%"],
            ["乙", "30", "15", "50.00%"],
            ["丙", "20", "10", "50.00%"],
            ["合计", "100", "50", ""],
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.save(str(path))
    assert codes(path) == []
    table.cell(2, 2).text = "25"
    document.save(str(path))
    assert codes(path) == ["rate.mismatch", "score.total-mismatch"]


def test_a_word_report_with_an_entity_bomb_is_refused_before_python_docx_parses_it(tmp_path):
    import zipfile

    good = tmp_path / "good.docx"
    docx.Document().save(str(good))
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bomb, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>', 1
                )
            target.writestr(item, data)
    done = run("lint-report", str(bomb))
    assert done.returncode == 2 and "bomb.docx" in done.stderr and "Traceback" not in done.stderr
    assert run("lint-report", str(good)).returncode == 0


def test_a_count_stated_twice_differently_is_found_but_not_one_of_another_year():
    assert lint("单位在职人数10名。", "本单位在职人数11人，均参与绩效管理。") == ["count.mismatch"]
    assert lint("单位在职人数10名。", "在职人数10人。") == []
    assert lint("单位在职人数10名。", "2021年在职人数11人。") == []
    assert lint("全年共实施3个项目。", "共安排4个项目。") == ["count.mismatch"]
    assert lint("全年共实施3个项目。", "上年共实施4个项目。") == []

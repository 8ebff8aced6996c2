"""validate: every finding code, triggered from a real workbook, at its exact cell."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from xltool import api
from xltool.core.checks import check_document
from xltool.core.layout import a1
from xltool.core.scoring import round_half_up, score_document
from xltool.core.spec import load_profile
from xltool.io.safety import Limits
from xltool.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent
P = load_profile("national")


def base() -> dict:
    return yaml.safe_load((ROOT / "examples" / "donghu.yaml").read_text(encoding="utf-8"))


def cell_of(path: str, form: str = "department") -> tuple[str, str]:
    layout = api.layout_for(form, "national")
    loc = layout.location(path)
    assert loc is not None, path
    return loc


def run(doc: dict, tmp_path: Path, typed: dict | None = None) -> set[tuple[str, str | None, str | None]]:
    path = tmp_path / "wb.xlsx"
    api.fill(doc, path, force=True)
    if typed:
        book = openpyxl.load_workbook(path)
        for field, value in typed.items():
            sheet, ref = cell_of(field, doc.get("form", "department"))
            book[sheet][ref] = value
        book.save(path)
    report = validate_file(path)
    return {(f.code, f.sheet, f.cell) for f in report.findings}


def codes(found: set) -> set[str]:
    return {code for code, _, _ in found}


def test_a_clean_document_has_no_findings(tmp_path):
    assert run(base(), tmp_path) == set()


def test_examples_get_the_findings_their_mistakes_deserve_and_nothing_else(tmp_path):
    for name in ("donghu", "xishan", "nanan", "gaoxin", "project-donghu-dengbao"):
        doc = yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert run(doc, tmp_path) == set(), name
    doc = yaml.safe_load((ROOT / "examples" / "beicheng.yaml").read_text(encoding="utf-8"))
    assert run(doc, tmp_path) == {
        ("staff.over", "自评表", "E7"),
        ("sum.mismatch", "自评表", "D10"),
        ("unit.suspect", "自评表", "C21"),
        ("rate.mismatch", "自评表", "D27"),
        ("weight.sum", "自评表", "B30"),
        ("weight.level1", "绩效指标", "A4"),  # the duplicated row's block, named beside the wrong total
        ("weight.level1", "绩效指标", "A12"),
        ("score.total-mismatch", "自评表", "D31"),
        ("score.mismatch", "绩效指标", "I5"),
        ("indicator.reason-missing", "绩效指标", "J5"),
        ("indicator.duplicate", "绩效指标", "C7"),
        ("score.mismatch", "绩效指标", "I9"),
        ("indicator.reason-missing", "绩效指标", "J9"),
        ("score.exceeds-weight", "绩效指标", "I16"),
    }


# --- one test per code, from a real workbook ------------------------------------------------------


def test_field_required(tmp_path):
    doc = base()
    del doc["unit"]["name"]
    doc["indicators"][2].pop("actual")
    doc["indicators"][2].pop("score", None)
    found = run(doc, tmp_path)
    assert ("field.required", *cell_of("unit.name")) in found
    assert ("field.required", *cell_of("indicators[2].actual")) in found


def test_a_score_without_its_figures_is_kept_and_the_empty_cells_named(tmp_path):
    """A row the unit scored but left without 实际完成值: one finding on the empty cell, the score counted."""
    doc = base()
    doc["indicators"][2].pop("actual")
    doc["indicators"][2]["score"] = 5
    found = run(doc, tmp_path)
    assert ("indicator.values-missing", *cell_of("indicators[2].actual")) in found
    assert not any(code == "field.required" and cell == cell_of("indicators[2].actual")[1] for code, _, cell in found)


def test_field_type_and_normalized(tmp_path):
    found = run(
        base(),
        tmp_path,
        {"budget.executed": "约四百七十八万", "indicators[0].score": "８ ", "staff.authorized": "12人"},
    )
    assert ("field.type", *cell_of("budget.executed")) in found
    assert ("field.normalized", *cell_of("indicators[0].score")) in found
    assert ("field.normalized", *cell_of("staff.authorized")) in found
    assert "field.required" not in codes(found)  # a value that is there but not understood is not "empty"


def test_money_in_the_wrong_unit_word_is_converted_with_a_warning(tmp_path):
    doc = base()
    report_path = tmp_path / "x.xlsx"
    api.fill(doc, report_path)
    book = openpyxl.load_workbook(report_path)
    sheet, ref = cell_of("budget.three_public.actual")
    book[sheet][ref] = "24100元"
    book.save(report_path)
    report = validate_file(report_path)
    normalized = [f for f in report.findings if f.code == "field.normalized"]
    assert [(f.severity, f.cell, f.expected) for f in normalized] == [("warning", ref, 2.41)]


def test_field_inferred_and_kind_conflict(tmp_path):
    found = run(
        base(), tmp_path, {"indicators[0].kind": None, "indicators[0].target": "≥100件", "indicators[1].target": "≤8"}
    )
    assert ("field.inferred", *cell_of("indicators[0].kind")) in found
    assert ("indicator.kind-conflict", *cell_of("indicators[1].kind")) in found


def test_sum_mismatch_everywhere(tmp_path):
    doc = base()
    doc["budget"]["basic"]["personnel"] = 200.0  # 基本 ≠ 人员 + 公用
    doc["budget"]["sources"][0]["executed"] = 400.0  # sources ≠ total
    doc["tasks"][0]["executed"] = 500.0  # tasks exceed 项目支出 (warning)
    found = run(doc, tmp_path)
    assert ("sum.mismatch", *cell_of("budget.basic.executed")) in found
    assert ("sum.mismatch", *cell_of("budget.executed")) in found
    assert ("sum.mismatch", *cell_of("budget.project.executed")) in found


def test_rate_mismatch_at_the_stated_precision(tmp_path):
    doc = base()  # computed 98.4824…%
    doc["stated"]["execution_rate"] = "98.5%"  # stated with one decimal: 98.5 is right
    assert "rate.mismatch" not in codes(run(doc, tmp_path))
    doc["stated"]["execution_rate"] = "98.49%"
    assert ("rate.mismatch", *cell_of("stated.execution_rate")) in run(doc, tmp_path)


def test_rate_over(tmp_path):
    doc = base()
    doc["budget"]["executed"] = 500.0
    assert ("rate.over", *cell_of("budget.executed")) in run(doc, tmp_path)


def test_weight_sum_level1_and_execution(tmp_path):
    doc = base()
    doc["indicators"][0]["weight"] = 18  # 产出 60, total 110
    found = run(doc, tmp_path)
    assert ("weight.sum", "自评表", "B30") in found
    doc = base()
    doc["indicators"][0]["weight"] = 18
    doc["indicators"][7]["weight"] = 0  # 效益 20: total back to 100, blocks off
    assert ("weight.level1", *cell_of("indicators[0].level1")) in run(doc, tmp_path)
    doc = base()
    doc["budget"]["weight"] = 20
    doc["indicators"][0]["weight"] = 0
    doc["indicators"][1]["weight"] = 0
    doc["indicators"][2]["weight"] = 4
    assert ("weight.execution", *cell_of("budget.weight")) in run(doc, tmp_path)


def test_satisfaction_weight_may_move(tmp_path):
    doc = base()
    doc["indicators"] = [i for i in doc["indicators"] if i["level1"] != "满意度指标"]
    doc["indicators"][0]["weight"] = 18  # the satisfaction 10 moved into 产出
    doc["stated"] = {}
    assert not {"weight.sum", "weight.level1"} & codes(run(doc, tmp_path))


def test_score_codes(tmp_path):
    doc = base()
    doc["indicators"][0]["score"] = 9  # exceeds 8
    doc["indicators"][1]["actual"] = 6  # rule 6/8*8 = 6, entered 8 stays
    doc["indicators"][1]["reason"] = "两个系统推迟测评"
    doc["indicators"][7]["actual"] = "部分达成年度指标并具有一定效果"
    doc["indicators"][7]["score"] = 9  # band 6–8
    doc["indicators"][7]["reason"] = "宣传覆盖面不足"
    found = run(doc, tmp_path)
    assert ("score.exceeds-weight", *cell_of("indicators[0].score")) in found
    assert ("score.mismatch", *cell_of("indicators[1].score")) in found
    assert ("score.out-of-band", *cell_of("indicators[7].score")) in found
    assert ("score.mismatch", *cell_of("indicators[0].score")) not in found  # one finding per wrong score


def test_qualitative_upper_bound_is_exclusive_below_the_top_tier(tmp_path):
    doc = base()
    doc["indicators"][7].update(actual="部分达成年度指标并具有一定效果", score=8, reason="部分达成")
    assert ("score.out-of-band", *cell_of("indicators[7].score")) in run(doc, tmp_path)
    doc["indicators"][7]["score"] = 7.99
    assert "score.out-of-band" not in codes(run(doc, tmp_path))


def test_total_and_grade(tmp_path):
    doc = base()
    doc["stated"].update(total_score=95, grade="良")
    found = run(doc, tmp_path)
    assert ("score.total-mismatch", *cell_of("stated.total_score")) in found
    assert ("grade.mismatch", *cell_of("stated.grade")) in found


def test_grade_spelled_the_long_way_is_the_same_grade(tmp_path):
    doc = base()
    doc["stated"]["grade"] = "优秀"
    assert "grade.mismatch" not in codes(run(doc, tmp_path))


def test_duplicate_and_reason_missing(tmp_path):
    doc = base()
    doc["indicators"].append(copy.deepcopy(doc["indicators"][3]))
    doc["indicators"][-1]["weight"] = 0
    doc["indicators"][4]["actual"] = 1.5  # 反向: 1/1.5*6 = 4
    doc["indicators"][4]["score"] = 4
    found = run(doc, tmp_path)
    assert ("indicator.duplicate", *cell_of("indicators[11].name")) in found
    assert ("indicator.reason-missing", *cell_of("indicators[4].reason")) in found


def test_zero_target_level_and_tier(tmp_path):
    doc = base()
    doc["indicators"][0].update(target=0, score=8)
    doc["indicators"][1]["level2"] = "经济效益指标"  # not under 产出指标
    found = run(doc, tmp_path, {"indicators[8].actual": "效果很好"})
    assert ("indicator.zero-target", *cell_of("indicators[0].target")) in found
    assert ("indicator.level", *cell_of("indicators[1].level2")) in found
    assert ("indicator.tier", *cell_of("indicators[8].actual")) in found


def test_over_achievement_is_a_profile_option():
    doc, notes = api.load_document(
        {
            **base(),
            "indicators": [
                {
                    "level1": "产出指标",
                    "level2": "数量指标",
                    "name": "x",
                    "kind": "正向",
                    "target": 100,
                    "actual": 140,
                    "weight": 10,
                }
            ],
        }
    )
    strict = dataclasses.replace(P, over_achievement=Decimal("0.3"))
    found = {
        f.code
        for f in check_document(
            doc, notes, score_document(doc, strict), strict, api.layout_for("department", "national").form
        )
    }
    assert "indicator.over-achieved" in found
    assert "indicator.over-achieved" not in {
        f.code
        for f in check_document(doc, notes, score_document(doc, P), P, api.layout_for("department", "national").form)
    }


def test_unit_suspect(tmp_path):
    doc = base()
    doc["budget"]["three_public"]["actual"] = 24100  # 元 in a 万元 form
    assert ("unit.suspect", *cell_of("budget.three_public.actual")) in run(doc, tmp_path)
    doc = base()
    doc["money_unit"] = "元"  # the whole form typed in 万元 but labelled 元
    doc.pop("stated")
    assert ("unit.suspect", *cell_of("budget.adjusted")) in run(doc, tmp_path)
    doc = base()
    doc["budget"]["basic"]["executed"] = 2651000  # one amount in 元
    assert ("unit.suspect", *cell_of("budget.basic.executed")) in run(doc, tmp_path)


def test_staff_and_three_public(tmp_path):
    doc = base()
    doc["staff"]["actual"] = 13
    doc["budget"]["three_public"]["actual"] = 3.5
    found = run(doc, tmp_path)
    assert ("staff.over", *cell_of("staff.actual")) in found
    assert ("budget.three-public-over", *cell_of("budget.three_public.actual")) in found


# --- explanations -----------------------------------------------------------------------------------


def test_explained_warnings_are_listed_but_not_counted(tmp_path):
    doc = base()
    doc["staff"]["actual"] = 13
    doc["stated"]["total_score"] = 90
    doc["explanations"] = [
        {"code": "staff.over", "location": "自评表!E7", "reason": "年中接收军转干部 2 名，编制调整在办理中"},
        {"code": "score.total-mismatch", "location": "stated.total_score", "reason": "按上级口径"},
        {"code": "unit.suspect", "location": "自评表!C21", "reason": "无此问题"},
    ]
    path = tmp_path / "x.xlsx"
    api.fill(doc, path)
    report = validate_file(path)
    by_code = {f.code: f for f in report.findings}
    assert by_code["staff.over"].explained and "军转" in (by_code["staff.over"].explanation or "")
    assert not by_code["score.total-mismatch"].explained  # errors cannot be explained away
    assert by_code["explanation.error"].cell is not None
    assert by_code["explanation.unmatched"].sheet == "审核说明"
    assert report.counts == {"error": 1, "warning": 1, "info": 1}  # total mismatch; unmatched; explanation.error


# --- files that cannot be used ----------------------------------------------------------------------


def test_unusable_files(tmp_path):
    csv = tmp_path / "a.xlsx"
    csv.write_text("a,b\n1,2\n", encoding="utf-8")
    enc = tmp_path / "b.xlsx"
    enc.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512
    )
    plain = tmp_path / "c.xlsx"
    openpyxl.Workbook().save(plain)
    big = tmp_path / "d.xlsx"
    api.fill(base(), big)
    assert validate_file(csv).unusable == "file.unreadable"
    assert validate_file(enc).unusable == "file.encrypted"
    # a workbook that is neither xltool's template nor an official form (docs/layouts.md)
    assert validate_file(plain).unusable == "file.unknown-layout"
    assert validate_file(big, Limits(max_file_bytes=1000)).unusable == "file.too-large"
    report = validate_file(plain).to_json("en")
    assert report["valid"] is False and report["findings"][0]["code"] == "file.unknown-layout"
    assert "xltool" in report["findings"][0]["message"]


# --- the command ------------------------------------------------------------------------------------


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xltool", *args], capture_output=True, text=True, check=False)


def test_json_output_follows_the_contract(tmp_path):
    good, bad, broken = tmp_path / "good.xlsx", tmp_path / "bad.xlsx", tmp_path / "broken.xlsx"
    api.fill(base(), good)
    api.fill(yaml.safe_load((ROOT / "examples" / "beicheng.yaml").read_text(encoding="utf-8")), bad)
    broken.write_bytes(b"not a workbook")
    result = cli("validate", str(good), str(bad), str(broken), "--format", "json")
    assert result.returncode == 2  # an unusable input
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(bad), str(broken)]
    keys = {"schema", "file", "form", "profile", "unit", "year", "valid", "score", "findings", "counts"}
    finding_keys = {"code", "severity", "sheet", "cell", "field", "message", "expected", "found"}
    for line in lines:
        assert set(line) == keys and line["schema"] == "xltool/report@1"
        assert set(line["counts"]) == {"error", "warning", "info"}
        for finding in line["findings"]:
            assert finding_keys <= set(finding)
    assert lines[0]["valid"] is True and set(lines[0]["score"]) == {
        "execution_rate",
        "execution_score",
        "indicators",
        "total",
        "normalized",
        "grade",
    }
    assert lines[1]["valid"] is False and lines[1]["counts"]["error"] == 10
    assert lines[2]["valid"] is False and lines[2]["score"] is None
    assert "另存为 .xlsx" in result.stderr
    assert cli("validate", str(good), str(bad), "--format", "json").returncode == 1
    assert cli("validate", str(good)).returncode == 0


def test_text_output_and_english(tmp_path):
    bad = tmp_path / "bad.xlsx"
    api.fill(yaml.safe_load((ROOT / "examples" / "beicheng.yaml").read_text(encoding="utf-8")), bad)
    zh = cli("validate", str(bad))
    assert "绩效指标!C7" in zh.stdout and "重复" in zh.stdout and "未通过" in zh.stdout
    assert "\x1b[" not in zh.stdout  # no colours when not on a terminal
    en = cli("validate", str(bad), "--lang", "en")
    assert "repeats indicator 1" in en.stdout and "not valid" in en.stdout


def test_annotate_writes_copies_and_never_touches_the_original(tmp_path):
    bad = tmp_path / "in" / "bad.xlsx"
    bad.parent.mkdir()
    api.fill(yaml.safe_load((ROOT / "examples" / "beicheng.yaml").read_text(encoding="utf-8")), bad)
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    out = tmp_path / "annotated"
    assert cli("validate", str(bad.parent), "--annotate", str(out)).returncode == 1
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before
    book = openpyxl.load_workbook(out / "bad.xlsx")
    cell = book["绩效指标"]["C7"]
    assert cell.comment is not None and "indicator.duplicate" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    again = cli("validate", str(bad), "--annotate", str(out))
    assert again.returncode == 2 and "--force" in again.stderr


def test_folders_are_searched_and_lock_files_skipped(tmp_path):
    api.fill(base(), tmp_path / "a.xlsx")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    sub = tmp_path / "sub"
    sub.mkdir()
    api.fill(base(), sub / "b.xlsx")
    result = cli("validate", str(tmp_path), "--format", "json")
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2


# --- a document built to be valid gives no error ------------------------------------------------------


@st.composite
def valid_documents(draw) -> dict:
    indicators = []
    for block in P.level1:
        count = draw(st.integers(1, 4))
        weights = [int(block.weight) // count] * count
        weights[0] += int(block.weight) - sum(weights)
        for k, weight in enumerate(weights):
            kind = draw(st.sampled_from(["positive", "negative", "equal", "qualitative"]))
            ind = {
                "level1": block.name,
                "level2": draw(st.sampled_from(block.level2)),
                "name": f"{block.name}{k}",
                "kind": kind,
                "weight": weight,
            }
            if kind == "qualitative":
                tier = draw(st.sampled_from(P.tiers))
                ind.update(target="明显提升", actual=tier.label)
            else:
                ind.update(target=draw(st.integers(1, 500)), actual=draw(st.integers(0, 600)))
            indicators.append(ind)
    adjusted = draw(st.decimals(100, 100000, places=2))
    executed = round_half_up(adjusted * draw(st.decimals("0.3", "1.2", places=3)), 2)
    basic = round_half_up(executed * Decimal("0.6"), 2)
    doc = {
        "form": "department",
        "year": 2023,
        "unit": {"name": "某单位"},
        "staff": {"authorized": 10, "actual": 9},
        "budget": {
            "initial": float(adjusted),
            "adjusted": float(adjusted),
            "executed": float(executed),
            "basic": {
                "adjusted": float(round_half_up(adjusted * Decimal("0.6"), 2)),
                "executed": float(basic),
                "personnel": float(basic - 1),
                "public": 1.0,
            },
            "project": {
                "adjusted": float(adjusted - round_half_up(adjusted * Decimal("0.6"), 2)),
                "executed": float(executed - basic),
            },
        },
        "indicators": indicators,
    }
    parsed, _ = api.load_document(doc)
    scores = score_document(parsed, P)
    for ind, item in zip(indicators, scores.items, strict=True):
        if item.band is not None:
            low, _ = item.band
            ind["score"] = float(round_half_up(low, 2))
        else:
            ind["score"] = float(round_half_up(item.score, 2))
        if item.score < item.weight or (item.band and Decimal(str(ind["score"])) < item.weight):
            ind["reason"] = "原因及改进措施"
    parsed, _ = api.load_document(doc)
    scores = score_document(parsed, P)
    doc["stated"] = {
        "execution_rate": f"{round_half_up(scores.execution_rate * 100, 2)}%",
        "total_score": float(round_half_up(scores.total, 2)),
        "grade": scores.grade,
    }
    return doc


@given(valid_documents())
@settings(max_examples=30)
def test_a_document_built_to_be_valid_gives_no_error(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("valid") / "v.xlsx"
    api.fill(doc, path)
    report = validate_file(path)
    errors = [(f.code, f.field, f.found, f.expected) for f in report.findings if f.severity == "error"]
    assert errors == []


def test_find_cells_by_layout_helper_is_consistent():
    layout = api.layout_for("department", "national")
    sheet, row, col = layout.fields["budget.executed"]
    assert cell_of("budget.executed") == (sheet, a1(row, col))

"""Regional profiles: each one's template, round trip, validation, consolidation and report."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xltool import api
from xltool.consolidate import consolidate
from xltool.core.scoring import round_half_up, score_document
from xltool.core.spec import SpecError, load_profile, load_profile_file, profile_ids
from xltool.reporting import unit_report_for
from xltool.validation import validate_file


def valid_document(pid: str, form: str) -> dict:
    """A document that satisfies every rule of profile ``pid``, built from the profile's own numbers."""
    prof = load_profile(pid)
    if prof.indicator_scoring == "categories":  # a 考核 sheet (河北): items with their maxima, bonus, deductions
        categories = [
            {
                "items": [
                    {"name": f"{cat.name}子项一", "max": 5, "score": 4, "note": "资料不全扣1分"},
                    {"name": f"{cat.name}子项二", "max": 3, "applicable": False},
                ]
            }
            for cat in prof.categories
        ]
        doc = {
            "form": form,
            "profile": pid,
            "year": 2023,
            "unit": {"name": f"{prof.name}某单位", "code": f"{pid}-1"},
            "categories": categories,
            "deductions": [{"reason": "决算公开不及时", "points": 1}],
        }
        parsed, _ = api.load_document(doc)
        scores = score_document(parsed, prof)
        doc["stated"] = {"total_score": float(round_half_up(scores.total, 2)), "grade": scores.grade}
        return doc
    k = prof.kinds
    indicators = []
    if not prof.level1:  # a flat list scored 指标权重 × 得分系数 (重庆)
        share = (prof.total_weight - prof.execution_weight) / 3
        indicators = [
            {
                "name": "数量指标一",
                "kind": "定量",
                "target_initial": "≥100",
                "target": "≥100",
                "actual": 80,
                "unit": "件",
                "weight": float(share),
                "coefficient": 0.8,
                "core": True,
                "reason": "部分任务顺延至下年",
            },
            {
                "name": "时效指标二",
                "kind": "定量",
                "target": "≤5",
                "actual": 4,
                "unit": "天",
                "weight": float(share),
                "coefficient": 1,
                "core": False,
            },
            {
                "name": "效果指标三",
                "kind": "定性",
                "target": "明显提升",
                "actual": prof.tiers[1].label,
                "weight": float(share),
                "coefficient": 0.7,
                "reason": "效果有待提升",
            },
        ]
    for block in prof.level1:
        half = block.weight / 2
        indicators.append(
            {
                "level1": block.name,
                "level2": block.level2[0],
                "name": f"{block.name}数量",
                "kind": k["positive"],
                "target": 100,
                "actual": 80,
                "unit": "件",
                "weight": float(half),
                "reason": "部分任务顺延至下年",
            }
        )
        indicators.append(
            {
                "level1": block.name,
                "level2": block.level2[-1],
                "name": f"{block.name}定性",
                "kind": k["qualitative"],
                "target": "明显提升",
                "actual": prof.tiers[1].label,
                "weight": float(block.weight - half),
                "reason": "效果有待提升",
            }
        )
    doc = {
        "form": form,
        "profile": pid,
        "year": 2023,
        "unit": {"name": f"{prof.name}某单位", "code": f"{pid}-1", "region": ["某省", "某市"]},
        "budget": {
            "initial": 100,
            "adjusted": 100,
            "executed": 95,
            "sources": [{"name": prof.fund_sources[0], "initial": 100, "adjusted": 100, "executed": 95}],
        },
        "indicators": indicators,
    }
    if form == "project":
        doc["project_name"] = "某项目"
    parsed, _ = api.load_document(doc)
    scores = score_document(parsed, prof)
    for ind, item in zip(indicators, scores.items, strict=True):
        ind["score"] = float(round_half_up(item.score, 2))
    doc["stated"] = {
        "execution_rate": "95.00%",
        "total_score": float(round_half_up(scores.total, 2)),
        "grade": scores.grade,
    }
    return doc


CASES = [(pid, form) for pid in profile_ids() for form in load_profile(pid).forms]


def test_every_profile_is_shipped_with_its_forms():
    assert {"national", "hubei", "guangdong", "sichuan"} <= set(profile_ids())
    assert len(CASES) >= 8


@pytest.mark.parametrize(("pid", "form"), CASES)
def test_profile_template_round_trip_and_clean_validation(tmp_path, pid, form):
    template = tmp_path / "t.xlsx"
    api.make_template(form, pid, template)
    assert openpyxl.load_workbook(template)["_xltool"]["B3"].value == pid
    doc = valid_document(pid, form)
    filled = tmp_path / "f.xlsx"
    api.fill(doc, filled)
    assert api.export(filled) == api.load_document(doc)[0].to_dict()
    report = validate_file(filled)
    assert [(f.code, f.field) for f in report.findings if f.severity != "info"] == []
    text, _ = unit_report_for(filled)
    assert text.title.endswith("自评报告")


def test_hubei_weights_and_bands(tmp_path):
    prof = load_profile("hubei")
    assert prof.execution_weight == 20 and sum(b.weight for b in prof.level1) == 80
    doc = valid_document("hubei", "department")
    doc["indicators"][1]["score"] = (
        doc["indicators"][1]["weight"] * 0.55
    )  # inside 50–80% under hubei, outside nationally
    path = tmp_path / "h.xlsx"
    api.fill(doc, path)
    assert "score.out-of-band" not in {f.code for f in validate_file(path).findings}
    doc["profile"] = "national"
    doc["budget"]["weight"] = 20
    national = tmp_path / "n.xlsx"
    api.fill(doc, national)
    assert "score.out-of-band" in {f.code for f in validate_file(national).findings}


def test_guangdong_grades(tmp_path):
    doc = valid_document("guangdong", "department")
    assert doc["stated"]["grade"] in ("优秀", "良好", "中", "差")
    path = tmp_path / "g.xlsx"
    api.fill(doc, path)
    book = openpyxl.load_workbook(path)
    labels = [c.value for row in book["_xltool"].iter_rows() for c in row if c.value in ("优秀", "良好")]
    assert labels  # the grade dropdown and the grade formula speak the profile's labels
    doc["stated"]["grade"] = "良"  # the short spelling of 良好 is the same grade only if the total says so
    api.fill(doc, path, force=True)
    found = {f.code for f in validate_file(path).findings}
    assert ("grade.mismatch" in found) == (valid_document("guangdong", "department")["stated"]["grade"] != "良好")


def test_sichuan_kinds_sources_reason_and_limits(tmp_path):
    template = tmp_path / "t.xlsx"
    api.make_template("department", "sichuan", template)
    book = openpyxl.load_workbook(template)
    labels = [c.value for row in book["自评表"].iter_rows() for c in row if isinstance(c.value, str)]
    for source in ("财政资金", "财政专户管理资金", "单位资金", "其他资金"):
        assert any(label.endswith(source) for label in labels), source
    kinds = [c.value for row in book["_xltool"].iter_rows() for c in row]
    assert "≥" in kinds and "≤" in kinds
    doc = valid_document("sichuan", "department")
    doc["budget"]["executed"] = 85
    doc["budget"]["sources"][0]["executed"] = 85
    doc["stated"] = {}
    doc["narrative"] = {"problems": "问题" * 101}
    path = tmp_path / "s.xlsx"
    api.fill(doc, path)
    found = {(f.code, f.field) for f in validate_file(path).findings}
    assert ("budget.reason-missing", "budget.reason") in found
    assert ("narrative.too-long", "narrative.problems") in found
    doc["budget"]["reason"] = "部分采购项目延期至下年实施"
    doc["narrative"]["problems"] = "问题" * 100
    api.fill(doc, path, force=True)
    assert not {"budget.reason-missing", "narrative.too-long"} & {f.code for f in validate_file(path).findings}


def test_consolidating_units_of_different_profiles(tmp_path):
    folder = tmp_path / "units"
    folder.mkdir()
    for pid in ("national", "guangdong", "hubei", "chongqing", "hebei-kaohe"):
        api.fill(valid_document(pid, "department"), folder / f"{pid}.xlsx")
    second = valid_document("national", "department")
    second["unit"].update(code="national-2", name="另一单位")
    api.fill(second, folder / "national-2.xlsx")
    consolidate([folder], tmp_path / "s.xlsx", json_path=tmp_path / "s.json", executor="serial")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert sum(data["grades"].values()) == 6 and set(data["grades"]) == {"优", "良", "中", "差"}
    kaohe = next(u for u in data["units"] if u["profile"] == "hebei-kaohe")
    assert kaohe["execution_rate"] is None and kaohe["total_score"] == 83.0
    assert {c["code"] for c in data["conflicts"]} == {"summary.mixed-profiles"}
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    rows = [r[0] for r in book["指标对比"].iter_rows(min_row=4, values_only=True) if r[0]]
    headings = [r for r in rows if not r.startswith("　")]
    assert headings and all(h.endswith("（部门整体，national）") for h in headings)  # like with like, and said so
    assert {r.strip("　") for r in rows if r.startswith("　")} == {"全国通用某单位", "另一单位"}


def test_a_broken_profile_file_is_rejected_with_every_path(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\nextends: national\nname: 坏口径\nexecution: {weight: 十}\n"
        "grades:\n  - {label: 优, min: 90}\n  - {label: 差, min: 10}\nnarrative_limits: {poem: 20}\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as err:
        load_profile_file(path)
    paths = {p.split(":")[0] for p in err.value.problems}
    assert {"execution.weight", "grades", "narrative_limits.poem"} <= paths
    assert str(path) in str(err.value)


def test_the_worked_example_of_the_docs_loads(tmp_path):
    docs = (Path(__file__).resolve().parent.parent / "docs" / "profiles.md").read_text(encoding="utf-8")
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "jianglin.yaml"
    path.write_text(example, encoding="utf-8")
    prof = load_profile_file(path)
    assert prof.execution_weight == 15 and prof.execution_reason_below == Decimal("0.85")
    assert [g.label for g in prof.grades] == ["优秀", "良好", "合格", "不合格"]


def test_chongqing_flat_list_scored_by_coefficient(tmp_path):
    template = tmp_path / "t.xlsx"
    api.make_template("department", "chongqing", template)
    header = [c.value for c in openpyxl.load_workbook(template)["绩效指标"][3]]
    assert header[:11] == [
        "指标名称",
        "计量单位",
        "指标性质",
        "年初指标值",
        "调整指标值",
        "全年完成值",
        "得分系数（%）",
        "指标权重（分）",
        "指标得分（分）",
        "是否核心指标",
        "偏差原因及改进措施",
    ]
    doc = valid_document("chongqing", "department")
    path = tmp_path / "c.xlsx"
    api.fill(doc, path)
    sheet = openpyxl.load_workbook(path)["绩效指标"]
    assert (sheet["C4"].value, sheet["E4"].value, sheet["E5"].value) == ("定量", "≥100", "≤5")  # direction in the value
    report = validate_file(path)
    assert report.valid and float(report.scores.items[0].score) == pytest.approx(24)  # 30 × 80%
    # 76 typed into the 得分系数 column means 76%; a score that is not 权重 × 系数 is a mismatch; a coefficient above
    # the completion is a warning
    book = openpyxl.load_workbook(path)
    book["绩效指标"]["G4"] = 76
    book["绩效指标"]["G5"] = 1
    book["绩效指标"]["F5"] = 8  # 8 days against ≤5: the rule gives 5/8
    book.save(path)
    found = {(f.code, f.cell) for f in validate_file(path).findings}
    assert ("field.normalized", "G4") in found and ("score.mismatch", "I4") in found
    assert ("indicator.coefficient-high", "G5") in found


def test_hebei_category_sheet(tmp_path):
    doc = valid_document("hebei-kaohe", "department")
    path = tmp_path / "k.xlsx"
    api.fill(doc, path)
    report = validate_file(path)
    assert report.valid and report.findings == []
    cats = report.scores.categories
    # 8 regular categories, each 4 of 5 applicable points: 32/40 → 80; bonus 4 (cap 5); minus 1 deduction
    assert (cats.base_max, cats.base_score, cats.converted, cats.bonus, cats.deductions) == (40, 32, 80, 4, 1)
    assert report.scores.total == 83 and report.scores.grade == "良"
    assert report.to_json()["score"]["normalized"] == 80.0
    doc["categories"][0]["items"][0]["score"] = 6  # above its 满分 of 5
    doc["categories"][8]["items"].append({"name": "另一项创新", "max": 5, "score": 5})  # bonus 9, capped at 5
    doc["deductions"].append({"points": 2})  # a deduction without its reason
    api.fill(doc, path, force=True)
    found = {(f.code, f.field) for f in validate_file(path).findings}
    assert ("score.exceeds-weight", "categories[0].items[0].score") in found
    assert ("score.bonus-capped", "categories") in found
    assert ("field.required", "deductions[1].reason") in found
    text, _ = unit_report_for(path)
    assert "表1　考核得分情况" in text.text() and "换算得分" in text.text()
    # a unit that earns every applicable point converts to 100 whatever its raw total
    perfect = valid_document("hebei-kaohe", "department")
    for cat in perfect["categories"]:
        cat["items"][0]["score"] = 5
    perfect["deductions"] = []
    perfect.pop("stated")
    api.fill(perfect, path, force=True)
    scores = validate_file(path).scores
    assert scores.categories.converted == 100 and scores.total == 105

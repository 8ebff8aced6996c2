"""An office's own profile from a file (``--profile ./河南.yaml``, extending a shipped one) works for every
command without touching the installed package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parent.parent

HENAN = """\
id: henan
extends: national
name: 河南
description: 河南省口径（示例）：预算执行率 20 分。
execution: {weight: 20}
level1:
  - {name: 产出指标, weight: 40, level2: [数量指标, 质量指标, 时效指标, 成本指标]}
  - {name: 效益指标, weight: 30, level2: [经济效益指标, 社会效益指标, 生态效益指标, 可持续影响指标]}
  - {name: 满意度指标, weight: 10, level2: [服务对象满意度指标]}
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xltool", *args], capture_output=True, text=True, check=False, cwd=cwd)


def _henan(tmp_path: Path) -> Path:
    path = tmp_path / "河南.yaml"
    path.write_text(HENAN, encoding="utf-8")
    return path


def _document(tmp_path: Path) -> Path:
    """The donghu example rescaled to 河南's weights (execution 20, indicators 80), without a profile key."""
    doc = yaml.safe_load((ROOT / "examples" / "donghu.yaml").read_text(encoding="utf-8"))
    doc.pop("profile", None)
    doc.pop("stated", None)
    doc["budget"]["weight"] = 20
    weights = [ind["weight"] for ind in doc["indicators"]]
    scale = 80 / sum(weights)
    for ind in doc["indicators"]:
        ind["weight"] = round(ind["weight"] * scale)
        ind.pop("score", None)
    doc["indicators"][-1]["weight"] = 80 - sum(i["weight"] for i in doc["indicators"][:-1])
    path = tmp_path / "henan-unit.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_every_command_takes_a_profile_file(tmp_path):
    profile = _henan(tmp_path)
    template = run("template", "--form", "department", "--profile", str(profile), "-o", "t.xlsx", cwd=tmp_path)
    assert template.returncode == 0, template.stderr
    help_text = "\n".join(
        str(c.value)
        for row in openpyxl.load_workbook(tmp_path / "t.xlsx")["填表说明"].iter_rows()
        for c in row
        if c.value
    )
    assert "（河南口径）" in help_text and "预算执行率 20 分" in help_text and "产出指标40分" in help_text

    filled = run("fill", str(_document(tmp_path)), "--profile", str(profile), "-o", "u.xlsx", cwd=tmp_path)
    assert filled.returncode == 0, filled.stderr
    checked = run("validate", "u.xlsx", "--profile", str(profile), "--format", "json", cwd=tmp_path)
    line = json.loads(checked.stdout)
    assert line["profile"] == "henan", checked.stderr
    assert not [f for f in line["findings"] if f["code"] in ("weight.sum", "weight.execution")], line["findings"]
    assert line["score"]["execution_score"] <= 20

    # without the file, the workbook names a profile this installation does not know: one line, exit 2
    unknown = run("validate", "u.xlsx", cwd=tmp_path)
    assert unknown.returncode == 2 and "henan" in unknown.stderr and "Traceback" not in unknown.stderr

    exported = run("export", "u.xlsx", "--profile", str(profile), "--format", "yaml", cwd=tmp_path)
    assert exported.returncode == 0 and yaml.safe_load(exported.stdout)["profile"] == "henan"

    summary = run(
        "consolidate", "u.xlsx", "t.xlsx", "--profile", str(profile), "-o", "s.xlsx", "--json", "s.json", cwd=tmp_path
    )
    assert summary.returncode in (0, 1), summary.stderr
    units = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["units"]
    assert {u["profile"] for u in units} == {"henan"}

    report = run("report", "u.xlsx", "--profile", str(profile), "-o", "r.md", cwd=tmp_path)
    assert report.returncode in (0, 1) and (tmp_path / "r.md").exists(), report.stderr
    lint = run("lint-report", "r.md", "--against", "u.xlsx", "--profile", str(profile), cwd=tmp_path)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    listing = run("profiles", "--profile", str(profile), "--format", "json", cwd=tmp_path)
    henan = next(p for p in json.loads(listing.stdout) if p["id"] == "henan")
    assert "预算执行率 20 分" in henan["differences"]


def test_an_official_form_is_scored_by_the_given_profile(tmp_path):
    form = ROOT / "examples" / "official" / "national-project.xlsx"
    profile = _henan(tmp_path)
    national = json.loads(run("validate", str(form), "--format", "json", cwd=tmp_path).stdout.splitlines()[0])
    henan = json.loads(
        run("validate", str(form), "--profile", str(profile), "--format", "json", cwd=tmp_path).stdout.splitlines()[0]
    )
    assert national["profile"] == "national" and henan["profile"] == "henan"
    codes = {f["code"] for f in henan["findings"]}
    assert "weight.execution" in codes or "weight.level1" in codes  # the form's 10 + 50/30/10 is not 河南's


def test_a_profile_file_may_extend_another_file_and_name_its_own_form(tmp_path):
    _henan(tmp_path)
    (tmp_path / "forms").mkdir()
    form = yaml.safe_load((ROOT / "xltool" / "specs" / "forms" / "department.yaml").read_text(encoding="utf-8"))
    form["title"] = "郑州市部门整体支出绩效自评表"
    (tmp_path / "forms" / "zz.yaml").write_text(yaml.safe_dump(form, allow_unicode=True), encoding="utf-8")
    (tmp_path / "郑州.yaml").write_text(
        "id: zhengzhou\nextends: ./河南.yaml\nname: 郑州\nform_specs: {department: forms/zz.yaml}\n", encoding="utf-8"
    )
    made = run("template", "--form", "department", "--profile", "郑州.yaml", "-o", "z.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    sheet = openpyxl.load_workbook(tmp_path / "z.xlsx")["自评表"]
    assert sheet["A1"].value == "郑州市部门整体支出绩效自评表"
    listing = json.loads(run("profiles", "--profile", "郑州.yaml", "--format", "json", cwd=tmp_path).stdout)
    assert "预算执行率 20 分" in next(p for p in listing if p["id"] == "zhengzhou")["differences"]


def test_a_broken_profile_file_is_reported_by_path_in_one_message(tmp_path):
    (tmp_path / "bad.yaml").write_text(
        "id: bad\nextends: national\nexecution: {weight: 十}\nnarrative_limits: {poem: 20}\n", encoding="utf-8"
    )
    result = run("template", "--form", "department", "--profile", "bad.yaml", "-o", "t.xlsx", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "execution.weight" in result.stderr and "narrative_limits.poem" in result.stderr
    shadow = tmp_path / "mine.yaml"
    shadow.write_text("id: national\nname: 改过的全国口径\n", encoding="utf-8")
    result = run("template", "--form", "department", "--profile", "mine.yaml", "-o", "t.xlsx", cwd=tmp_path)
    assert result.returncode == 2 and "内置口径" in result.stderr
    missing = run("validate", "x.xlsx", "--profile", "nowhere.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere.yaml" in missing.stderr

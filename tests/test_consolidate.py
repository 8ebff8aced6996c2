"""consolidate: many workbooks into one summary workbook and JSON."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from xltool import api
from xltool.consolidate import collect_inputs, consolidate

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = ("donghu", "xishan", "nanan", "beicheng", "gaoxin")


def example(name: str) -> dict:
    return yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def units_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("units")
    for name in DEPARTMENTS:
        api.fill(example(name), folder / f"{name}.xlsx")
    (folder / "坏文件.xlsx").write_text("这不是工作簿", encoding="utf-8")
    (folder / "~$donghu.xlsx").write_bytes(b"office lock file")
    return folder


@pytest.fixture(scope="module")
def summary(units_dir, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("summary")
    outline = consolidate([units_dir], out / "summary.xlsx", json_path=out / "summary.json", executor="serial")
    return out, outline


def test_json_follows_the_contract(summary):
    out, outline = summary
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert {"schema", "money_unit", "units", "totals", "grades", "unusable"} <= set(data)
    assert data["schema"] == "xltool/summary@1" and data["money_unit"] == "万元"
    unit_keys = {
        "file",
        "unit",
        "code",
        "region",
        "year",
        "form",
        "budget_adjusted",
        "budget_executed",
        "execution_rate",
        "total_score",
        "grade",
        "errors",
        "warnings",
        "valid",
    }
    assert all(unit_keys <= set(u) for u in data["units"])
    assert len(data["units"]) == 5 and data["totals"]["units"] == 5
    assert data["unusable"] == [
        {
            "file": str(Path(data["unusable"][0]["file"])),
            "code": "file.unreadable",
            "message": data["unusable"][0]["message"],
        }
    ]
    assert "坏文件" in data["unusable"][0]["file"]
    # 北城区's workbook has errors: 待更正, listed but kept out of the grade counts until corrected
    assert sum(data["grades"].values()) == 4 and set(data["grades"]) >= {"优", "良", "中", "差"}
    assert [p["unit"] for p in data["pending"]] == [u["unit"] for u in data["units"] if not u["valid"]]
    assert data["pending"][0]["errors"] == 10 and data["include_errors"] is False
    assert [u["counted"] for u in data["units"]] == [u["valid"] for u in data["units"]]
    assert outline["units"] == 5 and outline["unusable"] == 1 and outline["invalid"] == 1 and outline["pending"] == 1


def test_money_is_converted_to_wan_and_totals_add_up(summary):
    out, _ = summary
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    xishan = next(u for u in data["units"] if "西山区" in u["unit"])
    assert xishan["budget_adjusted"] == pytest.approx(370.245)  # filled in 元: 3,702,450.00
    assert data["totals"]["budget_adjusted"] == pytest.approx(sum(u["budget_adjusted"] for u in data["units"]))
    rate = data["totals"]["budget_executed"] / data["totals"]["budget_adjusted"]
    assert data["totals"]["execution_rate"] == pytest.approx(rate)
    beicheng = next(u for u in data["units"] if "北城区" in u["unit"])
    assert (beicheng["valid"], beicheng["errors"], beicheng["warnings"]) == (False, 10, 4)


def test_summary_workbook_groups_by_region_with_live_subtotals(summary):
    out, _ = summary
    book = openpyxl.load_workbook(out / "summary.xlsx")
    assert book.sheetnames == ["汇总表", "等次分布", "指标对比", "问题清单", "不可用文件"]
    ws = book["汇总表"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    labels = [r[0] for r in rows if isinstance(r[0], str)]
    assert labels[-3:] == ["江临市 小计", "临江省 小计", "合　计"]
    assert sum(1 for r in rows if isinstance(r[0], int)) == 5
    total = rows[-1]
    assert total[6].startswith("=SUBTOTAL(9,G4:G") and total[9].startswith("=IFERROR(SUBTOTAL(1,")
    pending = next(r for r in rows if isinstance(r[1], str) and "北城区" in r[1])
    assert (pending[9], pending[10], pending[13]) == (None, "待更正", "待更正（10 个错误）")
    assert "1 个单位自评表有校验错误" in ws["A2"].value
    district = next(r for r in rows if r[0] == "东湖区 小计")
    assert district[6] == "=SUBTOTAL(9,G4:G4)"


def test_other_sheets(summary):
    out, _ = summary
    book = openpyxl.load_workbook(out / "summary.xlsx")
    grades = book["等次分布"]
    assert grades["A4"].value == "全部" and "COUNTIFS" in grades["C4"].value
    assert grades._charts and len(grades._charts) == 2
    blocks: dict[str, list[tuple]] = {}
    heading = None
    for row in book["指标对比"].iter_rows(min_row=4, values_only=True):
        if row[0] and not row[0].startswith("　"):
            heading = row[0].split("　　")[0]
            blocks[heading] = []
        elif row[0]:
            blocks[heading].append(row)
    assert set(blocks) >= {"全年网络舆情交办任务办结数", "服务对象满意度"}
    satisfaction = blocks["服务对象满意度"]
    assert len({r[0] for r in satisfaction}) == 5  # one row per district
    assert all(r[7] == pytest.approx(r[6] / r[5]) for r in satisfaction)  # 得分率 = 得分 / 分值
    problems = list(book["问题清单"].iter_rows(min_row=4, values_only=True))
    assert sum(1 for r in problems if r[3] == "indicator.duplicate") == 1
    assert book["问题清单"].auto_filter.ref
    assert book["不可用文件"]["B4"].value == "file.unreadable"


def test_lock_files_are_ignored(units_dir):
    names = {p.name for p in collect_inputs([units_dir])}
    assert "~$donghu.xlsx" not in names and len(names) == 6


def test_conflicts_are_findings_not_silent_choices(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    api.fill(example("donghu"), folder / "a.xlsx")
    shutil.copy(folder / "a.xlsx", folder / "a-copy.xlsx")
    other = example("nanan")
    other["year"] = 2022
    other["stated"].pop("grade")
    api.fill(other, folder / "b.xlsx")
    consolidate([folder], tmp_path / "s.xlsx", json_path=tmp_path / "s.json", executor="serial")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    codes = {c["code"]: c for c in data["conflicts"]}
    assert set(codes) == {"summary.duplicate-unit", "summary.mixed-years"}
    assert len(codes["summary.duplicate-unit"]["files"]) == 2
    problems = [
        r for r in openpyxl.load_workbook(tmp_path / "s.xlsx")["问题清单"].iter_rows(min_row=4, values_only=True)
    ]
    assert any(r[3] == "summary.duplicate-unit" for r in problems)


def test_text_from_units_is_never_a_formula(tmp_path):
    doc = example("donghu")
    doc["unit"]["name"] = '=HYPERLINK("http://evil.example","点我")'
    doc["unit"]["region"] = ["+临江省", "@江临市"]
    doc["indicators"][0]["name"] = "-1+2"
    api.fill(doc, tmp_path / "a.xlsx")
    other = copy.deepcopy(doc)
    other["unit"]["code"] = "X-2"
    api.fill(other, tmp_path / "b.xlsx")
    consolidate([tmp_path / "a.xlsx", tmp_path / "b.xlsx"], tmp_path / "s.xlsx", executor="serial")
    book = openpyxl.load_workbook(tmp_path / "s.xlsx")
    texts = [
        c
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(("=HYPERLINK", "+临江省", "@江临市", "-1+2"))
    ]
    assert texts and all(c.data_type == "s" for c in texts)


def test_executors_agree(units_dir, tmp_path):
    results = {}
    for name in ("serial", "local"):
        consolidate(
            [units_dir], tmp_path / f"{name}.xlsx", json_path=tmp_path / f"{name}.json", executor=name, workers=2
        )
        results[name] = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
    assert results["serial"] == results["local"]


def test_dask_executor_against_a_local_cluster(units_dir, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        consolidate(
            [units_dir],
            tmp_path / "d.xlsx",
            json_path=tmp_path / "d.json",
            executor="dask",
            scheduler=cluster.scheduler_address,
        )
    consolidate([units_dir], tmp_path / "s.xlsx", json_path=tmp_path / "s.json", executor="serial")
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8")) == json.loads(
        (tmp_path / "s.json").read_text(encoding="utf-8")
    )


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xltool", *args], capture_output=True, text=True, check=False)


def test_command_exit_codes_and_inputs_untouched(units_dir, tmp_path):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in units_dir.iterdir()}
    result = cli("consolidate", str(units_dir), "-o", str(tmp_path / "s.xlsx"))
    assert result.returncode == 2 and "不可用文件 1 个" in result.stderr  # one unusable file
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in units_dir.iterdir()} == before
    again = cli("consolidate", str(units_dir / "beicheng.xlsx"), "-o", str(tmp_path / "s.xlsx"))
    assert again.returncode == 2 and "--force" in again.stderr
    with_errors = cli(
        "consolidate",
        str(units_dir / "beicheng.xlsx"),
        str(units_dir / "donghu.xlsx"),
        "-o",
        str(tmp_path / "s.xlsx"),
        "--force",
    )
    assert with_errors.returncode == 1
    clean = cli("consolidate", str(units_dir / "donghu.xlsx"), "-o", str(tmp_path / "c.xlsx"), "--lang", "en")
    assert clean.returncode == 0 and "consolidated 1 units" in clean.stderr
    nothing = cli("consolidate", str(tmp_path / "empty-dir-that-does-not-exist"), "-o", str(tmp_path / "x.xlsx"))
    assert nothing.returncode == 2 and "Traceback" not in nothing.stderr
    no_scheduler = cli(
        "consolidate", str(units_dir / "donghu.xlsx"), "-o", str(tmp_path / "y.xlsx"), "--executor", "dask"
    )
    assert no_scheduler.returncode == 2 and "--scheduler" in no_scheduler.stderr


def _aborting_batch(paths: list[str], lang: str) -> list[dict]:
    """A reader that aborts the whole process on one file, as a native library can on a malformed file."""
    import os

    from xltool.consolidate import summarize_batch

    if any(Path(p).name.startswith("abort") for p in paths):
        os.abort()
    return summarize_batch(paths, lang)


def test_a_file_that_kills_its_process_does_not_end_the_run(tmp_path):
    from xltool.consolidate import run_local

    paths = []
    for i, name in enumerate(("donghu", "xishan", "nanan", "gaoxin", "beicheng")):
        paths.append(tmp_path / f"u{i}.xlsx")
        api.fill(yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8")), paths[-1])
    killer = tmp_path / "abort.xlsx"
    killer.write_bytes(paths[0].read_bytes())
    order = [str(p) for p in (*paths[:2], killer, *paths[2:])]
    results = [item for batch in run_local(order, "zh", workers=2, batch=2, task=_aborting_batch) for item in batch]
    assert sorted(r["file"] for r in results) == sorted(order)
    (bad,) = [r for r in results if r.get("unusable")]
    assert bad["file"] == str(killer) and "异常退出" in bad["message"]


def test_summary_uses_shared_strings_and_charts_carry_their_data(summary, tmp_path, monkeypatch, units_dir):
    """Inline strings show blank in some readers and older WPS builds refused such files: a summary of up to
    SHARED_STRINGS_MAX_UNITS units has a shared-strings table, and its charts carry their values and text
    categories; a larger one is streamed row by row (inline strings) so that memory stays flat."""
    import re
    import zipfile

    from xltool.io import summary_writer

    out, _ = summary
    with zipfile.ZipFile(out / "summary.xlsx") as package:
        names = package.namelist()
        sheets = b"".join(package.read(n) for n in names if n.startswith("xl/worksheets/sheet"))
        charts = [package.read(n) for n in names if n.startswith("xl/charts/chart")]
    assert "xl/sharedStrings.xml" in names and b"inlineStr" not in sheets
    assert charts and all(b"<c:numCache>" in c for c in charts)
    grade_chart = next(c for c in charts if "各地区".encode() in c)
    assert re.search(rb"<c:cat>.*?<c:strCache>.*?<c:v>[^<]+</c:v>", grade_chart, re.S)  # region names as text
    monkeypatch.setattr(summary_writer, "SHARED_STRINGS_MAX_UNITS", 2)
    big = tmp_path / "big.xlsx"
    consolidate([units_dir], big, executor="serial")
    with zipfile.ZipFile(big) as package:
        assert b"inlineStr" in b"".join(package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/"))

"""The collected forms as pandas tables (``xltool.frames``) and as files (``consolidate --tables``): the same figures
as ``validate --format json`` and ``consolidate``, proper dtypes, Chinese labels, nothing dropped, and pandas
imported by nothing else."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from support import run_xltool as run

import xltool
from xltool import api

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("units")
    for example in EXAMPLES:
        api.fill(yaml.safe_load(example.read_text(encoding="utf-8")), out / f"{example.stem}.xlsx")
    (out / "坏文件.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return out


@pytest.fixture(scope="module")
def tables(folder: Path):
    return xltool.frames([folder], workers=1)


def _validated(folder: Path) -> dict[str, dict]:
    done = run("validate", str(folder), "--format", "json")
    return {Path(line["file"]).name: line for line in map(json.loads, done.stdout.splitlines())}


def test_one_row_per_document_with_the_figures_validate_gives(folder, tables):
    validated = _validated(folder)
    units = tables.units
    assert len(units) == len(EXAMPLES)  # every readable document, none dropped
    for row in units.itertuples():
        line = validated[Path(row.file).name]
        assert row.unit == line["unit"] and row.year == line["year"] and row.form == line["form"]
        assert row.valid == line["valid"]
        assert row.errors == line["counts"]["error"] and row.warnings == line["counts"]["warning"]
        score = line["score"]
        assert row.total == pytest.approx(score["total"], abs=0.005)
        assert (pd.isna(row.normalized) and score["normalized"] is None) or row.normalized == pytest.approx(
            score["normalized"], abs=0.005
        )
        graded = score["normalized"] if score["normalized"] is not None else score["total"]
        assert row.total_score == pytest.approx(graded, abs=0.005)
        assert row.grade == line["score"]["grade"]
        # validate shows the rate to 4 decimals, the tables keep the summary's 6: the same figure
        assert row.execution_rate == pytest.approx(line["score"]["execution_rate"], abs=5e-5)
    assert str(units["grade"].dtype) == "category" and list(units["grade"].cat.categories) == ["优", "良", "中", "差"]
    assert units["grade"].cat.ordered
    assert str(units["year"].dtype) == "Int64" and str(units["errors"].dtype) == "Int64"
    assert str(units["valid"].dtype) == "boolean" and str(units["budget_adjusted"].dtype) == "float64"
    assert {"region_1", "region_2", "region_3"} <= set(units.columns)
    assert set(units["region_1"]) == {"临江省"}


def test_every_finding_of_validate_is_a_row(folder, tables):
    validated = _validated(folder)
    for name, line in validated.items():
        if line["findings"] and line["valid"] is not None and line.get("score") is not None:
            rows = tables.findings[tables.findings["file"].map(lambda f: Path(f).name) == name]
            mine = Counter(zip(rows["code"], rows["severity"], rows["sheet"], rows["cell"], strict=True))
            theirs = Counter((f["code"], f["severity"], f["sheet"], f["cell"]) for f in line["findings"])
            assert mine == theirs, name
    assert str(tables.findings["code"].dtype) == "category"
    assert list(tables.findings["severity"].cat.categories) == ["error", "warning", "info"]


def test_every_indicator_of_every_document_is_a_row(folder, tables):
    for example in EXAMPLES:
        exported = api.export(folder / f"{example.stem}.xlsx")
        named = [i for i in exported["indicators"] if i.get("name")]
        rows = tables.indicators[tables.indicators["file"].map(lambda f: Path(f).name) == f"{example.stem}.xlsx"]
        assert list(rows["name"]) == [i["name"] for i in named], example.stem
    assert str(tables.indicators["score"].dtype) == "Float64" and str(tables.indicators["kind"].dtype) == "category"


def test_a_file_that_cannot_be_read_is_listed_not_dropped(tables):
    (row,) = tables.unusable.itertuples()
    assert row.file.endswith("坏文件.xlsx") and row.code == "file.unreadable" and "图片" in row.message


def test_chinese_column_labels(folder):
    zh = xltool.frames([folder], labels="zh", workers=1)
    assert {"单位", "地区1", "总分", "等次", "错误数"} <= set(zh.units.columns)
    assert {"三级指标", "指标值", "实际完成值", "分值", "得分"} <= set(zh.indicators.columns)
    assert {"级别", "单元格", "说明"} <= set(zh.findings.columns)


def test_from_a_summary_json_made_by_consolidate(folder, tables, tmp_path):
    summary = tmp_path / "summary.json"
    done = run("consolidate", str(folder), "-o", str(tmp_path / "s.xlsx"), "--json", str(summary))
    assert done.returncode == 2  # the picture among the workbooks
    again = xltool.frames(summary)
    by_file = dict(zip(tables.units["file"], tables.units["total_score"], strict=True))
    assert {f: by_file[f] for f in again.units["file"]} == dict(
        zip(again.units["file"], again.units["total_score"], strict=True)
    )
    assert sorted(again.units["unit"]) == sorted(tables.units["unit"])
    assert len(again.unusable) == 1 and again.indicators.empty and again.notes


def test_consolidate_writes_the_tables_excel_and_pandas_open(folder, tables, tmp_path):
    out = tmp_path / "tables"
    done = run("consolidate", str(folder), "-o", str(tmp_path / "s.xlsx"), "--tables", str(out))
    assert done.returncode == 2 and "units.csv" in done.stderr
    raw = (out / "units.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel opens it as UTF-8, in Chinese
    read = pd.read_csv(out / "units.csv", encoding="utf-8-sig")
    assert list(read["total_score"]) == pytest.approx(list(tables.units["total_score"]))
    assert len(pd.read_csv(out / "findings.csv", encoding="utf-8-sig")) == len(tables.findings)
    done = run("consolidate", str(folder), "-o", str(tmp_path / "s2.xlsx"), "--tables", str(out), "--table-format",
               "xlsx")  # fmt: skip
    book = openpyxl.load_workbook(out / "tables.xlsx")
    assert book.sheetnames == ["units", "indicators", "findings", "unusable"]
    units = book["units"]  # ready to filter and read: header frozen, columns as wide as their longest value
    assert units.freeze_panes == "A2" and units.auto_filter.ref.startswith("A1:")
    header = [cell.value for cell in units[1]]
    unit = openpyxl.utils.get_column_letter(header.index("unit") + 1)
    longest = max(len(str(cell.value)) for cell in units[unit][1:])
    assert units.column_dimensions[unit].width >= 2 * longest  # Chinese names, each character two wide
    done = run("consolidate", str(folder), "-o", str(tmp_path / "s3.xlsx"), "--tables", str(out), "--table-format",
               "parquet")  # fmt: skip
    assert len(pd.read_parquet(out / "indicators.parquet")) == len(tables.indicators)


def test_a_table_format_that_cannot_be_written_stops_the_run_before_any_file_is_read(folder, tmp_path, monkeypatch):
    from xltool.consolidate import consolidate
    from xltool.errors import UsageError

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # pyarrow not installed
    read: list[str] = []
    monkeypatch.setattr("xltool.consolidate.summarize_file", lambda path, *a, **k: read.append(path) or [])
    for fmt, key in (("parquet", "frames.no-pyarrow"), ("ods", "frames.format")):
        with pytest.raises(UsageError) as raised:
            consolidate([folder], tmp_path / "s.xlsx", tables=tmp_path / "t", table_format=fmt, executor="local")
        assert raised.value.key == key
    assert not read and not (tmp_path / "s.xlsx").exists() and not (tmp_path / "t").exists()


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from xltool.dataframes import from_summaries, write_tables

    item = {"file": "a.xlsx", "unit": '=HYPERLINK("x")', "indicators": [], "findings": [], "region": []}
    built = from_summaries([item])
    (units, *_) = write_tables(built, tmp_path, "csv")
    assert "'=HYPERLINK" in units.read_text(encoding="utf-8-sig")
    (book,) = write_tables(built, tmp_path, "xlsx")
    cell = openpyxl.load_workbook(book)["units"]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_pandas_is_imported_by_nothing_but_the_tables(folder):
    probe = (
        "import sys, xltool.cli; from xltool import api; list(api.validate([__import__('pathlib').Path(sys.argv[1])]));"
        "print('pandas' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(folder)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_worked_analysis_runs_on_the_examples(tmp_path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "analysis.py"), "--chart", str(tmp_path / "chart.png")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for heading in ("1. Grades by region", "2. Indicators", "3. Most common findings", "4. Execution rate"):
        assert heading in done.stdout
    assert "东湖区" in done.stdout and "correlation:" in done.stdout
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # the one chart, drawn

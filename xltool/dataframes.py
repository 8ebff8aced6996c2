"""The collected forms as pandas tables, for the people who analyse them: ``xltool.frames(inputs)``.

Four DataFrames, one row per thing:

- ``units``: one row per document (a form holding two projects gives two): file, unit, code, the region levels as
  columns, year, form, project, profile, money in 万元, the execution rate, the total (``total``, and
  ``normalized`` where rows do not apply: 换算得分), the total the grade is given by (``total_score``, as
  ``consolidate`` shows it), the grade, the error and warning counts, whether it is valid;
- ``indicators``: one row per indicator of every document: the document's keys, its levels, name, kind, target
  and actual as written, measure unit, weight, score, whether it applies, and the reason the unit gave;
- ``findings``: one row per finding: the document's keys, code, severity, sheet, cell, field, expected, found
  and the message;
- ``unusable``: one row per file that could not be read, with the reason.

The figures are the ones ``validate --format json`` and ``consolidate`` give (both come from the same summary of
each document). pandas is imported here only, so no other command starts slower for it.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

#: the grades from best to worst: an ordered category, so that sorting and comparing them means something
GRADES = ["优", "良", "中", "差"]
SEVERITIES = ["error", "warning", "info"]
KEYS = ["file", "unit", "project"]  # what names a document in every table

UNITS = [
    *KEYS, "code", "year", "form", "profile", "budget_adjusted", "budget_executed", "execution_rate", "total",
    "normalized", "total_score", "grade", "scored", "errors", "warnings", "valid",
]  # fmt: skip
INDICATORS = [
    *KEYS, "level1", "level2", "name", "kind", "target", "actual", "measure_unit", "weight", "score", "applicable",
    "reason",
]  # fmt: skip
FINDINGS = [*KEYS, "code", "severity", "sheet", "cell", "field", "expected", "found", "message"]
UNUSABLE = ["file", "code", "message"]

#: each column's dtype: text as pandas' string, codes and kinds as categories, counts as nullable integers
UNIT_TYPES = {
    "file": "string", "unit": "string", "project": "string", "code": "string", "year": "Int64", "form": "category",
    "profile": "category", "budget_adjusted": "float64", "budget_executed": "float64", "execution_rate": "float64",
    "total": "float64", "normalized": "float64", "total_score": "float64", "scored": "boolean", "errors": "Int64",
    "warnings": "Int64", "valid": "boolean",
}  # fmt: skip
INDICATOR_TYPES = {
    "file": "string", "unit": "string", "project": "string", "level1": "string", "level2": "string",
    "name": "string", "kind": "category", "target": "string", "actual": "string", "measure_unit": "string",
    "weight": "float64", "score": "Float64", "applicable": "boolean", "reason": "string",
}  # fmt: skip
FINDING_TYPES = {
    "file": "string", "unit": "string", "project": "string", "code": "category", "sheet": "string", "cell": "string",
    "field": "string", "expected": "string", "found": "string", "message": "string",
}  # fmt: skip

#: the Chinese column labels (``labels="zh"``); region levels become 地区1, 地区2…
ZH = {
    "file": "文件", "unit": "单位", "project": "项目", "code": "代码", "year": "年度", "form": "表样", "profile": "口径",
    "budget_adjusted": "全年预算数（万元）", "budget_executed": "全年执行数（万元）", "execution_rate": "预算执行率",
    "total": "总分（未换算）", "normalized": "换算得分", "total_score": "总分", "grade": "等次", "scored": "计分", "errors": "错误数", "warnings": "警告数", "valid": "通过校验",
    "level1": "一级指标", "level2": "二级指标", "name": "三级指标", "kind": "指标性质", "target": "指标值",
    "actual": "实际完成值", "measure_unit": "计量单位", "weight": "分值", "score": "得分", "applicable": "适用",
    "reason": "偏差原因", "severity": "级别", "sheet": "工作表", "cell": "单元格", "field": "字段", "expected": "应为",
    "found": "所填", "message": "说明",
}  # fmt: skip


@dataclass
class Frames:
    """The four tables, and ``notes``: what a source could not give (a summary JSON holds no indicators)."""

    units: pd.DataFrame
    indicators: pd.DataFrame
    findings: pd.DataFrame
    unusable: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "units": self.units,
            "indicators": self.indicators,
            "findings": self.findings,
            "unusable": self.unusable,
        }


def frames(
    inputs: Path | str | Iterable[Path | str],
    profile: str | None = None,
    *,
    labels: str = "en",
    lang: str = "zh",
    workers: int | None = None,
) -> Frames:
    """The tables of ``inputs``: files and folders of forms (read and scored as ``consolidate`` does, in worker
    processes), or one summary JSON written by ``consolidate --json`` (units and unusable files only: it holds no
    indicators or findings). ``labels="zh"`` gives the columns Chinese names; ``lang`` is the messages' language."""
    paths = [Path(inputs)] if isinstance(inputs, (str, Path)) else [Path(p) for p in inputs]
    if len(paths) == 1 and paths[0].suffix.lower() == ".json" and paths[0].is_file():
        built = _from_summary_json(paths[0])
    else:
        from .consolidate import iter_inputs, summaries

        count = sum(1 for _ in iter_inputs(paths))
        if not count:
            raise UsageError("cli.no-inputs")
        built = from_summaries(summaries(iter_inputs(paths), lang, workers=workers, count=count, profile=profile))
    return _labelled(built, labels)


def from_summaries(items: Iterable[dict[str, Any]]) -> Frames:
    """The tables from the summaries ``consolidate`` takes of each document (:func:`consolidate.summarize_report`)."""
    units: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    unusable: list[dict[str, Any]] = []
    for item in sorted(items, key=lambda i: (i["file"], i.get("project_name") or "")):
        if item.get("unusable"):
            unusable.append({"file": item["file"], "code": item["unusable"], "message": item.get("message", "")})
            continue
        key = {"file": item["file"], "unit": item["unit"], "project": item.get("project_name")}
        units.append(
            {
                **key,
                **{k: item.get(k) for k in UNITS[len(KEYS) :]},
                "region": list(item.get("region") or []),
                "scored": item.get("scored", True),
            }
        )
        for ind in item.get("indicators", []):
            indicators.append(
                {
                    **key,
                    **{k: ind.get(k) for k in ("level1", "level2", "name", "kind", "weight", "score", "applicable")},
                    "target": _text(ind.get("target")),
                    "actual": _text(ind.get("actual")),
                    "measure_unit": ind.get("unit"),
                    "reason": ind.get("reason"),
                }
            )
        for f in item.get("findings", []):
            findings.append(
                {
                    **key,
                    **{k: f.get(k) for k in ("code", "severity", "sheet", "cell", "field", "message")},
                    "expected": _text(f.get("expected")),
                    "found": _text(f.get("found")),
                }
            )
    return _build(units, indicators, findings, unusable, [])


def _from_summary_json(path: Path) -> Frames:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError("file.unreadable", path=str(path), detail=str(exc)) from None
    if not isinstance(data, dict) or data.get("schema") != "xltool/summary@1":
        raise UsageError("frames.not-a-summary", path=str(path))
    units = [
        {**u, "project": u.get("project"), "region": list(u.get("region") or []), "scored": u.get("grade") is not None}
        for u in data.get("units", [])
    ]
    unusable = [dict(u) for u in data.get("unusable", [])]
    notes = [f"{path}: a summary JSON holds no indicators or findings; read the forms themselves for those"]
    return _build(units, [], [], unusable, notes)


def _text(value: object) -> str | None:
    """A target, an actual or an expected value as the form shows it (numbers without a trailing .0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _build(
    units: list[dict[str, Any]],
    indicators: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    unusable: list[dict[str, Any]],
    notes: list[str],
) -> Frames:
    import pandas as pd

    depth = max((len(u["region"]) for u in units), default=0)
    regions = [f"region_{k + 1}" for k in range(depth)]
    rows = [
        {**{k: u.get(k) for k in UNITS if k not in ("code",)}, "code": u.get("code"), **_levels(u["region"], regions)}
        for u in units
    ]
    unit_columns = [*KEYS, "code", *regions, *UNITS[4:]]
    table = pd.DataFrame(rows, columns=unit_columns)
    table = table.astype({**UNIT_TYPES, **dict.fromkeys(regions, "string")})
    table["grade"] = pd.Categorical(table["grade"], categories=GRADES, ordered=True)
    ind = pd.DataFrame(indicators, columns=INDICATORS).astype(INDICATOR_TYPES)
    found = pd.DataFrame(findings, columns=FINDINGS).astype(FINDING_TYPES)
    found["severity"] = pd.Categorical(found["severity"], categories=SEVERITIES, ordered=True)
    bad = pd.DataFrame(unusable, columns=UNUSABLE).astype({"file": "string", "code": "category", "message": "string"})
    return Frames(table, ind, found, bad, notes)


def _levels(region: list[str], columns: list[str]) -> dict[str, str | None]:
    return {name: (region[k] if k < len(region) else None) for k, name in enumerate(columns)}


def _labelled(built: Frames, labels: str) -> Frames:
    if labels == "en":
        return built
    if labels != "zh":
        raise UsageError("frames.labels", labels=labels)

    def zh(column: str) -> str:
        if column.startswith("region_"):
            return f"地区{column.removeprefix('region_')}"
        return ZH.get(column, column)

    return Frames(
        units=built.units.rename(columns=zh),
        indicators=built.indicators.rename(columns=zh),
        findings=built.findings.rename(columns=zh),
        unusable=built.unusable.rename(columns=zh),
        notes=built.notes,
    )


# ---------------------------------------------------------------------------------------------- as files

TABLE_FORMATS = ("csv", "parquet", "xlsx")


def check_table_format(fmt: str) -> None:
    """A table format that can be written here: one of :data:`TABLE_FORMATS`, and pyarrow installed for Parquet
    (``consolidate --tables`` asks before it reads a file, not after)."""
    if fmt not in TABLE_FORMATS:
        raise UsageError("frames.format", format=fmt, known="、".join(TABLE_FORMATS))
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise UsageError("frames.no-pyarrow") from None


def write_tables(built: Frames, folder: Path, fmt: str = "csv") -> list[Path]:
    """The four tables as files in ``folder``: CSV in UTF-8 with a BOM (Excel opens it in Chinese; text that looks
    like a formula is quoted as text), Parquet (pyarrow), or one workbook with a sheet each. Written atomically."""
    from .io.files import atomic_output

    check_table_format(fmt)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if fmt == "xlsx":
        target = folder / "tables.xlsx"
        with atomic_output(target, force=True) as tmp:
            _write_workbook(built, tmp)
        return [target]
    for name, table in built.tables().items():
        target = folder / f"{name}.{fmt}"
        with atomic_output(target, force=True) as tmp:
            if fmt == "csv":
                _safe_text(table).to_csv(tmp, index=False, encoding="utf-8-sig")
            else:
                table.to_parquet(tmp, index=False)
        written.append(target)
    return written


def _safe_text(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that Excel would run as a formula (=, +, -, @ at the start), quoted as text."""
    from .io.xlsx_text import csv_text

    out = table.copy()
    for column in out.columns:
        if str(out[column].dtype) in ("string", "object", "category"):
            out[column] = out[column].astype("string").map(csv_text, na_action="ignore")
    return out


def _write_workbook(built: Frames, path: Path) -> None:
    import pandas as pd

    # xlsxwriter keeps every string a string: a unit's “=A1” stays text
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for name, table in built.tables().items():
            table.to_excel(writer, sheet_name=name, index=False)
            _tidy_sheet(writer.sheets[name], table)


def _tidy_sheet(sheet: Any, table: pd.DataFrame) -> None:
    """What an analyst does first in Excel, done: the header row frozen and filtered, each column as wide as its
    header or its longest value (CJK characters counted double; at most 60, so a long reason stays one line)."""
    rows, columns = table.shape
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, rows, columns - 1)
    for i, column in enumerate(table.columns):
        texts = [str(column), *(str(v) for v in table[column].head(2000).dropna())]
        width = max((_display_width(t) for t in texts), default=8)
        sheet.set_column(i, i, min(max(width + 2, 6), 60))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:200])

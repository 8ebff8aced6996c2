"""An on-disk store of per-unit summaries (stdlib sqlite3), so consolidation memory stays flat.

Results are inserted as they arrive from the workers; the summary workbook and JSON are then written by
streaming ordered queries out of the store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NO_REGION = "（未填地区）"

_SCHEMA = """
CREATE TABLE units (
    id INTEGER PRIMARY KEY, file TEXT, unit TEXT, code TEXT, region TEXT, year INTEGER, form TEXT, project TEXT,
    profile TEXT,
    money_unit TEXT, adjusted REAL, executed REAL, rate REAL, total REAL, grade TEXT, errors INTEGER,
    warnings INTEGER, valid INTEGER);
CREATE TABLE indicators (
    unit_id INTEGER, name TEXT, level1 TEXT, level2 TEXT, kind TEXT, target TEXT, actual TEXT, measure TEXT,
    weight REAL, score REAL, applicable INTEGER);
CREATE TABLE findings (
    unit_id INTEGER, code TEXT, severity TEXT, sheet TEXT, cell TEXT, message TEXT, explained INTEGER);
CREATE TABLE unusable (file TEXT, code TEXT, message TEXT);
"""


@dataclass(frozen=True)
class Conflict:
    """Something about the set of units that needs a person's decision (``summary.*`` codes)."""

    code: str
    params: dict[str, Any]
    files: tuple[str, ...] = ()

    def message(self, lang: str = "zh") -> str:
        from ..messages import render

        return render(self.code, lang, **self.params)


class SummaryStore:
    def __init__(self, folder: Path):
        self.db = sqlite3.connect(str(folder / "summary.sqlite3"))
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)

    def close(self) -> None:
        self.db.close()

    def add(self, item: dict[str, Any]) -> None:
        if item.get("unusable"):
            self.db.execute("INSERT INTO unusable VALUES (?,?,?)", (item["file"], item["unusable"], item["message"]))
            return
        cur = self.db.execute(
            "INSERT INTO units (file, unit, code, region, year, form, project, profile, money_unit, adjusted, executed,"
            " rate, total, grade, errors, warnings, valid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                item["file"],
                item["unit"],
                item["code"],
                "/".join(item["region"]),
                item["year"],
                item["form"],
                item["project_name"] or "",
                item["profile"],
                item["money_unit"],
                item["budget_adjusted"],
                item["budget_executed"],
                item["execution_rate"],
                item["total_score"],
                item["grade"],
                item["errors"],
                item["warnings"],
                int(item["valid"]),
            ),
        )
        uid = cur.lastrowid
        self.db.executemany(
            "INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    uid,
                    i["name"],
                    i["level1"],
                    i["level2"],
                    i["kind"],
                    json.dumps(i["target"], ensure_ascii=False),
                    json.dumps(i["actual"], ensure_ascii=False),
                    i["unit"],
                    i["weight"],
                    i["score"],
                    int(i["applicable"]),
                )
                for i in item["indicators"]
            ],
        )
        self.db.executemany(
            "INSERT INTO findings VALUES (?,?,?,?,?,?,?)",
            [
                (uid, f["code"], f["severity"], f["sheet"], f["cell"], f["message"], int(f["explained"]))
                for f in item["findings"]
            ],
        )

    def commit(self) -> None:
        self.db.commit()

    # --- reading back ----------------------------------------------------------------------------

    def units(self) -> Iterator[sqlite3.Row]:
        """Units in region order (units without a region last), then by name and file."""
        self.db.row_factory = sqlite3.Row
        return self.db.execute("SELECT * FROM units ORDER BY region = '', region, unit, file")

    def count(self, table: str = "units") -> int:
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def totals(self) -> tuple[int, float, float]:
        n, adjusted, executed = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(adjusted), 0), COALESCE(SUM(executed), 0) FROM units"
        ).fetchone()
        return int(n), float(adjusted), float(executed)

    def grades(self, include_errors: bool = False) -> dict[str, int]:
        """Units by grade: those whose workbook has errors only when ``include_errors`` (else they are pending)."""
        where = " WHERE grade IS NOT NULL" + ("" if include_errors else " AND valid = 1")  # no grade: no scores
        return {g: int(n) for g, n in self.db.execute(f"SELECT grade, COUNT(*) FROM units{where} GROUP BY grade")}

    def count_invalid(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM units WHERE valid = 0").fetchone()[0])

    def pending(self) -> Iterator[tuple[str, str, int]]:
        """(file, unit, errors) of every unit whose workbook still has errors."""
        return self.db.execute("SELECT file, unit, errors FROM units WHERE valid = 0 ORDER BY region, unit, file")

    def findings(self) -> Iterator[tuple[Any, ...]]:
        return self.db.execute(
            "SELECT u.unit, u.code, u.file, f.code, f.severity, f.sheet, f.cell, f.message, f.explained "
            "FROM findings f JOIN units u ON u.id = f.unit_id ORDER BY u.region = '', u.region, u.unit, u.file, f.rowid"
        )

    def unusable_files(self) -> Iterator[tuple[str, str, str]]:
        return self.db.execute("SELECT file, code, message FROM unusable ORDER BY file")

    def shared_indicators(self) -> Iterator[tuple[Any, ...]]:
        """Indicators (same 三级 name, form and profile) that at least two units report, like with like."""
        return self.db.execute(
            "WITH shared AS (SELECT i.name, u.form, u.profile FROM indicators i JOIN units u ON u.id = i.unit_id "
            "  GROUP BY i.name, u.form, u.profile HAVING COUNT(DISTINCT i.unit_id) >= 2) "
            "SELECT i.name, i.level1, i.level2, u.unit, u.region, i.target, i.actual, i.measure, i.weight, i.score, "
            "  i.applicable, u.form, u.profile "
            "FROM indicators i JOIN units u ON u.id = i.unit_id "
            "JOIN shared s ON s.name = i.name AND s.form = u.form AND s.profile = u.profile "
            "ORDER BY u.form, u.profile, i.name, u.region, u.unit"
        )

    def conflicts(self) -> list[Conflict]:
        """The same unit twice (by code, else by name and year), mixed years, forms or profiles."""
        out: list[Conflict] = []
        # one submission = one unit (by code, else by name), one year, one form, one project
        for unit, year, files in self.db.execute(
            "SELECT CASE WHEN code IS NOT NULL AND code != '' THEN code ELSE unit END AS who, year, "
            "GROUP_CONCAT(file, char(10)) FROM units GROUP BY who, year, form, project HAVING COUNT(*) > 1"
        ):
            names = tuple(files.split("\n"))
            out.append(
                Conflict("summary.duplicate-unit", {"unit": f"{unit} {year or ''}".strip(), "count": len(names)}, names)
            )
        for column, code in (
            ("year", "summary.mixed-years"),
            ("form", "summary.mixed-forms"),
            ("profile", "summary.mixed-profiles"),
        ):
            values = [
                row[0]
                for row in self.db.execute(
                    f"SELECT {column}, COUNT(*) FROM units GROUP BY {column} ORDER BY COUNT(*) DESC"
                )
            ]
            if len(values) > 1:
                out.append(Conflict(code, {"values": "、".join("—" if v is None else str(v) for v in values)}))
        return out

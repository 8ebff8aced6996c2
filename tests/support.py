"""Helpers shared by the tests: LibreOffice as a real client, xlsx content comparison, document strategies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import openpyxl
import pytest
from hypothesis import strategies as st

from xltool.core.spec import load_profile

# ---------------------------------------------------------------------------------------------- LibreOffice

_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def run_xltool(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m xltool ARGS`` as a user runs it, with ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "xltool", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )


def missing(what: str, package: str) -> NoReturn:
    """A program from the system's packages is absent: the test skips naming the package (``tools/system-packages``
    installs it when it may), or fails where XLTOOL_REQUIRE_SOFFICE=1 (CI, where everything must run)."""
    if os.environ.get("XLTOOL_REQUIRE_SOFFICE") == "1":
        pytest.fail(f"{what} is required here but not installed ({package})")
    pytest.skip(f"{what} is not installed: apt-get install {package} (or run tools/system-packages)")


def soffice() -> str:
    """The soffice binary; without one the test is skipped, or fails when XLTOOL_REQUIRE_SOFFICE=1 (CI)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    missing("LibreOffice (soffice)", "libreoffice-calc-nogui libreoffice-writer-nogui")


def system_tool(name: str, package: str) -> str:
    """A command-line program from the system's packages (``pdffonts`` from poppler-utils…)."""
    found = shutil.which(name)
    if found:
        return found
    missing(name, package)


def cjk_fonts() -> None:
    """The Noto CJK faces the rendering tests map the report's Chinese fonts to."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        missing("fc-list", "fontconfig")
    listing = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    if "Noto Serif CJK SC" not in listing or "Noto Sans CJK SC" not in listing:
        missing("the Noto CJK fonts", "fonts-noto-cjk")


def lo_convert(
    files: list[Path],
    fmt: str,
    outdir: Path,
    *,
    recalc: bool = True,
    timeout: int = 240,
    env: dict[str, str] | None = None,
    infilter: str | None = None,
) -> list[Path]:
    """Convert ``files`` with a headless LibreOffice in a throwaway user profile.

    With ``recalc`` the profile makes Calc recalculate every formula on load ("Recalculation on file load:
    always"), so what comes out is LibreOffice's own arithmetic, not the cached values in the file.
    """
    binary = soffice()
    with tempfile.TemporaryDirectory(prefix="xltool-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        if recalc:
            (user / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
        cmd = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        result = subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, check=False, env={**os.environ, **(env or {})}
        )
    ext = fmt.split(":")[0]
    outputs = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [p for p in outputs if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout}\n{result.stderr}"
    return outputs


# ---------------------------------------------------------------------------------------------- xlsx content


def xlsx_content(path: Path) -> dict[str, Any]:
    """Everything that makes a workbook what it is, by content: values, formulas, types, merges, validations,
    conditional formats, names, protection, print setup, sheet states. Never compares bytes."""
    book = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": book.sheetnames, "names": {}}
    for name, dn in book.defined_names.items():
        out["names"][name] = dn.attr_text
    for ws in book.worksheets:
        cells = {
            c.coordinate: (c.value, c.data_type, c.protection.locked, c.number_format)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or not c.protection.locked
        }
        out[ws.title] = {
            "state": ws.sheet_state,
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted(
                (str(v.sqref), v.type, v.formula1, v.formula2, v.showErrorMessage)
                for v in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(rng.sqref), tuple(r.formula or ())) for rng in ws.conditional_formatting for r in rng.rules
            ),
            "protected": ws.protection.sheet,
            "print": (
                ws.page_setup.paperSize,
                ws.page_setup.orientation,
                ws.page_setup.fitToWidth,
                ws.print_title_rows,
                ws.freeze_panes,
            ),
            "widths": {k: round(v.width, 2) for k, v in ws.column_dimensions.items() if v.width},
        }
    return out


# ---------------------------------------------------------------------------------------------- documents

PROFILE = load_profile("national")
_WORDS = ["网络", "安全", "舆情", "测评", "宣传", "满意度", "平台", "系统", "培训", "监测", "数据", "中心"]
_TEXT_ALPHABET = st.sampled_from(
    list("网络安全舆情测评宣传满意度平台系统培训监测数据中心ABCxyz0123456789（）、，=+-@%#")
)


def _text(min_size: int = 1, max_size: int = 24) -> st.SearchStrategy[str]:
    return st.text(_TEXT_ALPHABET, min_size=min_size, max_size=max_size).filter(lambda s: s.strip() == s and s)


def _money(max_value: int = 10_000_000) -> st.SearchStrategy[float]:
    return st.decimals(0, max_value, places=2, allow_nan=False).map(float)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def indicators(draw: Any) -> dict[str, Any]:
    block = draw(st.sampled_from(PROFILE.level1))
    kind = draw(st.sampled_from(["positive", "negative", "equal", "qualitative"]))
    ind: dict[str, Any] = {"level1": block.name, "level2": draw(st.sampled_from(block.level2)), "name": draw(_text())}
    ind["kind"] = kind
    if kind == "qualitative":
        ind["target"] = draw(st.sampled_from(["明显提升", "持续增强", "基本建立", "有效保障"]))
        ind["actual"] = draw(_optional(st.sampled_from([t.label for t in PROFILE.tiers])))
    else:
        ind["target"] = draw(st.decimals(0, 10_000, places=2).map(float))
        ind["actual"] = draw(_optional(st.decimals(0, 10_000, places=2).map(float)))
        ind["unit"] = draw(_optional(st.sampled_from(["件", "个", "%", "小时", "万元", "场"])))
    ind["weight"] = draw(st.integers(0, 20))
    ind["score"] = draw(_optional(st.decimals(0, 20, places=2).map(float)))
    ind["reason"] = draw(_optional(_text(max_size=60)))
    ind["applicable"] = draw(st.booleans())
    return ind


@st.composite
def documents(draw: Any) -> dict[str, Any]:
    """Evaluation documents as a unit might write them: any mix of optional parts, 元 or 万元, qualitative
    rows, not-applicable rows, and text that starts with = + - @."""
    form = draw(st.sampled_from(["department", "project"]))
    doc: dict[str, Any] = {"form": form, "profile": "national", "money_unit": draw(st.sampled_from(["万元", "元"]))}
    doc["year"] = draw(_optional(st.integers(2000, 2100)))
    unit: dict[str, Any] = {"name": draw(_text())}
    for key in ("code", "contact", "phone"):
        unit[key] = draw(_optional(_text(max_size=12)))
    unit["region"] = draw(st.lists(st.sampled_from(["临江省", "江临市", "东湖区", "西山区"]), max_size=3))
    if form == "project":
        doc["project_name"] = draw(_text())
        unit["supervisor"] = draw(_optional(_text()))
    doc["unit"] = {k: v for k, v in unit.items() if v not in (None, [])}
    budget: dict[str, Any] = {
        "initial": draw(_optional(_money())),
        "adjusted": draw(_optional(_money())),
        "executed": draw(_optional(_money())),
        "weight": draw(st.integers(0, 20)),
    }
    names = draw(st.lists(st.sampled_from(PROFILE.fund_sources), unique=True, max_size=3))
    budget["sources"] = [
        {
            "name": n,
            "initial": draw(_optional(_money())),
            "adjusted": draw(_money()),
            "executed": draw(_optional(_money())),
        }
        for n in PROFILE.fund_sources
        if n in names
    ]
    if form == "department":
        if draw(st.booleans()):
            budget["basic"] = {
                "adjusted": draw(_money()),
                "executed": draw(_money()),
                "personnel": draw(_optional(_money())),
                "public": draw(_optional(_money())),
            }
            budget["project"] = {"adjusted": draw(_money()), "executed": draw(_optional(_money()))}
        if draw(st.booleans()):
            budget["three_public"] = {
                "budget": draw(_money(100_000)),
                "actual": draw(_money(100_000)),
                "last_year": draw(_optional(_money(100_000))),
            }
        doc["staff"] = {"authorized": draw(st.integers(0, 200)), "actual": draw(_optional(st.integers(0, 200)))}
        doc["tasks"] = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "name": _text(),
                        "content": _optional(_text(max_size=80)),
                        "budget": _optional(_money()),
                        "executed": _optional(_money()),
                    }
                ),
                max_size=24,
            )
        )
    doc["budget"] = budget
    doc["indicators"] = draw(st.lists(indicators(), max_size=34))
    if draw(st.booleans()):
        doc["goals"] = {"planned": draw(_text(max_size=120)), "achieved": draw(_optional(_text(max_size=120)))}
    if draw(st.booleans()):
        doc["stated"] = {
            "execution_rate": draw(_optional(st.decimals(0, "1.5", places=4).map(float))),
            "total_score": draw(_optional(st.decimals(0, 100, places=2).map(float))),
            "grade": draw(_optional(st.sampled_from([g.label for g in PROFILE.grades]))),
        }
    if draw(st.booleans()):
        doc["narrative"] = {
            k: draw(_optional(_text(max_size=200))) for k in ("functions", "experience", "problems", "measures")
        }
    doc["explanations"] = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "code": st.sampled_from(["unit.suspect", "weight.level1"]),
                    "location": _text(max_size=16),
                    "reason": _text(max_size=60),
                }
            ),
            max_size=3,
        )
    )
    return doc


def die_in_worker(*_args: object) -> None:
    """A task that kills the worker process running it (the desk's tests: a file that crashes its worker)."""
    os._exit(70)


def sleep_in_worker(*_args: object) -> None:
    """A task that takes far longer than any time limit a test sets (the desk's tests: a file that never ends)."""
    import time

    time.sleep(600)

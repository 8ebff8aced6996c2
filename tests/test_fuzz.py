"""Fuzzing: mutated workbooks (package bytes, sheet XML, cell values) never crash xltool.

CI runs a bounded number of examples; a longer run: ``XLTOOL_FUZZ_EXAMPLES=2000 .venv/bin/pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from xltool import api
from xltool.errors import XltoolError
from xltool.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("XLTOOL_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def valid(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("fuzz") / "valid.xlsx"
    api.fill(yaml.safe_load((ROOT / "examples" / "beicheng.yaml").read_text(encoding="utf-8")), path)
    return path.read_bytes()


def survives(data: bytes, folder: Path) -> None:
    """The guarantees for any input: validate answers with a report, export answers or refuses cleanly."""
    path = folder / "mutant.xlsx"
    path.write_bytes(data)
    report = validate_file(path)
    assert report.to_json()["schema"] == "xltool/report@1"
    assert report.valid == (report.unusable is None and report.counts["error"] == 0)
    try:
        api.export(path)
    except XltoolError as exc:
        assert exc.exit_code == 2 and exc.render("zh")
    assert path.read_bytes() == data  # never modified


@given(flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=20))
@FUZZ
def test_flipped_bytes_in_the_package(valid, tmp_path_factory, flips):
    data = bytearray(valid)
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    survives(bytes(data), tmp_path_factory.mktemp("bytes"))


@given(
    part=st.sampled_from(
        [
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
            "xl/worksheets/sheet3.xml",
            "xl/worksheets/sheet7.xml",
            "xl/styles.xml",
            "[Content_Types].xml",
        ]
    ),
    start=st.floats(0, 1),
    cut=st.integers(0, 400),
    insert=st.binary(max_size=200),
)
@FUZZ
def test_mutated_xml_parts(valid, tmp_path_factory, part, start, cut, insert):
    source = zipfile.ZipFile(io.BytesIO(valid))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                at = int(start * len(content))
                content = content[:at] + insert + content[at + cut :]
            target.writestr(info.filename, content)
    survives(out.getvalue(), tmp_path_factory.mktemp("xml"))


cell_values = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=60),
    st.sampled_from(["=1/0", "=A1", "—", "１０分", "89.46％", "≥", "是", "否", "定性", "#REF!"]),
)


@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["自评表", "绩效指标", "年度主要任务", "审核说明"]),
            st.integers(1, 40),
            st.integers(1, 12),
            cell_values,
        ),
        min_size=1,
        max_size=25,
    )
)
@FUZZ
def test_any_values_typed_anywhere(valid, tmp_path_factory, edits):
    folder = tmp_path_factory.mktemp("cells")
    book = openpyxl.load_workbook(io.BytesIO(valid))
    for sheet, row, col, value in edits:
        cell = book[sheet].cell(row, col)
        if type(cell).__name__ == "MergedCell":
            continue
        try:
            cell.value = value
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some texts itself
            continue
    buffer = io.BytesIO()
    book.save(buffer)
    survives(buffer.getvalue(), folder)

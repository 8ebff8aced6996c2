"""Hostile and broken input: nothing crashes, nothing is lost, nothing gets in (docs/security.md)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent / "data" / "hostile"))
from make_corpus import build

from xltool import api
from xltool.errors import UnusableWorkbook
from xltool.io.files import atomic_output
from xltool.validation import validate_file

ROOT = Path(__file__).resolve().parent.parent
SECONDS, MEGABYTES = 10, 500
EXPECTED = {
    "not-a-zip.xlsx": "file.unreadable",
    "csv-renamed.xlsx": "file.unreadable",
    "truncated.xlsx": "file.unreadable",
    "empty.xlsx": "file.unreadable",
    "encrypted.xlsx": "file.encrypted",
    "legacy.xls": "file.unreadable",
    "zip-bomb.xlsx": "file.too-large",
    "billion-laughs.xlsx": "file.unreadable",
    "external-entity.xlsx": "file.unreadable",
    "million-rows.xlsx": "file.too-large",
    "sheet-deleted.xlsx": "file.not-a-template",
    "sheet-renamed.xlsx": "file.not-a-template",
    "meta-removed.xlsx": "file.not-a-template",
    "future-version.xlsx": "file.not-a-template",
}
READABLE = {
    "macro.xlsm",
    "sheet-hidden.xlsx",
    "formulas-in-inputs.xlsx",
    "long-text.xlsx",
    "formula-injection.xlsx",
    "control-characters.xlsx",
    "stray-cell-xfd.xlsx",
    "stray-cell-az.xlsx",
    "stray-cell-meta.xlsx",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    made = build(folder)
    (folder / "_valid.xlsx").unlink()
    assert set(made) == set(EXPECTED) | READABLE
    return folder


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: runs a command as its child and writes the peak memory of that child (and its workers) to a file: the peak of
#: this command alone, not of every process the test session started before it
_MEASURED = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[2:]).returncode\n"
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
    "sys.exit(code)\n"
)


def run(*args: str, peak: Path | None = None) -> tuple[subprocess.CompletedProcess[str], float]:
    start = time.perf_counter()
    command = [sys.executable, "-m", "xltool", *args]
    if peak is not None:
        command = [sys.executable, "-c", _MEASURED, str(peak), *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS * 3, check=False)
    return result, time.perf_counter() - start


def test_every_command_answers_every_file_in_time_with_a_defined_code(corpus, tmp_path):
    before = {p.name: digest(p) for p in corpus.iterdir()}
    slowest = 0.0
    peak_mb = 0.0
    peak = tmp_path / "peak"
    for path in sorted(corpus.iterdir()):
        for args in (
            ["validate", str(path), "--format", "json"],
            ["export", str(path)],
            ["report", str(path), "-o", str(tmp_path / f"{path.stem}.docx")],
            ["consolidate", str(path), "-o", str(tmp_path / f"{path.stem}-summary.xlsx")],
        ):
            result, seconds = run(*args, peak=peak)
            slowest = max(slowest, seconds)
            peak_mb = max(peak_mb, int(peak.read_text()) / 1024)
            where = f"{args[0]} {path.name}"
            assert result.returncode in (0, 1, 2), (where, result.returncode, result.stderr[-500:])
            assert "Traceback" not in result.stderr, where
            if result.returncode == 2:
                assert len(result.stderr.strip().splitlines()) == 1, (where, result.stderr)
            assert seconds < SECONDS, (where, seconds)
    assert peak_mb < MEGABYTES, peak_mb
    assert {p.name: digest(p) for p in corpus.iterdir()} == before  # no input modified, moved or deleted
    assert not list(tmp_path.glob(".*.tmp"))  # no half-written output left behind


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_each_unusable_file_gets_its_code(corpus, name, code):
    report = validate_file(corpus / name)
    assert report.unusable == code and not report.valid
    assert report.to_json()["findings"][0]["code"] == code


def test_readable_oddities(corpus):
    assert validate_file(corpus / "sheet-hidden.xlsx").valid
    assert validate_file(corpus / "macro.xlsm").valid  # values are read; the VBA project is never run
    formulas = validate_file(corpus / "formulas-in-inputs.xlsx")
    assert {(f.code, f.cell) for f in formulas.findings} >= {("field.formula", "D10"), ("field.formula", "F4")}
    assert formulas.workbook.document.budget.executed is None  # the cached result is not trusted
    long_text = validate_file(corpus / "long-text.xlsx").workbook.document
    assert len(long_text.narrative.conclusion or "") == 100_000  # 文字说明!B4: 自评结论
    clean = validate_file(corpus / "control-characters.xlsx").workbook.document
    assert clean.unit.name == "东湖区[31m网信办"  # control and invisible characters removed


def test_a_folder_of_hostile_files_consolidates_the_good_ones(corpus, tmp_path):
    result, _ = run("consolidate", str(corpus), "-o", str(tmp_path / "s.xlsx"), "--json", str(tmp_path / "s.json"))
    assert result.returncode == 2
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert {Path(u["file"]).name for u in data["unusable"]} == set(EXPECTED)  # the .xls is reported, not skipped
    assert len(data["units"]) == len(READABLE)


def _cells(path: Path):
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_texts_from_units_are_stored_as_strings_in_every_output(corpus, tmp_path):
    source = corpus / "formula-injection.xlsx"
    run("validate", str(source), "--annotate", str(tmp_path / "annotated"))
    run("consolidate", str(source), "-o", str(tmp_path / "s.xlsx"))
    run("export", str(source), "-o", str(tmp_path / "d.json"))
    run("fill", str(tmp_path / "d.json"), "-o", str(tmp_path / "refilled.xlsx"))
    for output in (tmp_path / "annotated" / source.name, tmp_path / "s.xlsx", tmp_path / "refilled.xlsx"):
        risky = [
            c
            for c in _cells(output)
            if isinstance(c.value, str) and c.value.startswith(("=cmd", "=HYPERLINK", "+1+1", "@SUM", "-2+3"))
        ]
        assert risky, output.name
        assert all(c.data_type == "s" for c in risky), output.name


def test_reports_hold_no_control_characters(corpus, tmp_path):
    out = tmp_path / "r.docx"
    result, _ = run("report", str(corpus / "control-characters.xlsx"), "-o", str(out))
    assert result.returncode == 0
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "东湖区" in text and not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)


def test_entity_attacks_are_refused_by_the_xml_parser(corpus):
    import zipfile

    from xltool.io.xlsx_reader import defined_names

    for name in ("billion-laughs.xlsx", "external-entity.xlsx"):
        with pytest.raises(UnusableWorkbook) as err, zipfile.ZipFile(corpus / name) as package:
            defined_names(package)
        assert "EntitiesForbidden" in err.value.render("en")
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # openpyxl (annotate, fill --template) parses through defusedxml too


def test_an_interrupted_write_leaves_nothing(tmp_path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError), atomic_output(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert not target.exists() and list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_output(target, force=True) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert target.read_bytes() == b"old"


def test_limits_are_configurable(corpus, monkeypatch):
    from xltool.io.safety import Limits

    monkeypatch.setenv("XLTOOL_MAX_ROWS", "2000000")
    monkeypatch.setenv("XLTOOL_MAX_FILE_MB", "0.01")
    limits = Limits.from_env()
    assert limits.max_rows == 2_000_000 and limits.max_file_bytes == int(0.01 * 1024 * 1024)
    assert validate_file(corpus / "formula-injection.xlsx", limits).unusable == "file.too-large"


def _formula_like_text_without_quote_prefix(path: Path) -> tuple[int, list[str]]:
    """(how many formula-like text cells, those of them without quotePrefix) in every sheet of ``path``."""
    import openpyxl

    from xltool.io.xlsx_text import formula_like

    book = openpyxl.load_workbook(path)
    seen, bare = 0, []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "s" and isinstance(cell.value, str) and formula_like(cell.value):
                    seen += 1
                    if not cell.quotePrefix:
                        bare.append(f"{ws.title}!{cell.coordinate} {cell.value!r}")
    return seen, bare


def test_formula_like_text_keeps_quote_prefix_in_every_written_workbook(tmp_path):
    """=HYPERLINK(...) typed as a unit name stays text after F2 + Enter: quotePrefix on every such cell that
    xltool writes, in filled workbooks (new and into a template), templates, annotated copies and summaries."""
    import yaml

    from xltool.consolidate import consolidate
    from xltool.render import annotate_report

    doc = yaml.safe_load((ROOT / "examples" / "beicheng.yaml").read_text(encoding="utf-8"))
    doc["unit"]["name"] = '=HYPERLINK("http://example.invalid","点此")'
    doc["unit"]["contact"] = "@张三"
    doc["indicators"][0]["name"] = "+1 指标"
    doc["indicators"][1]["reason"] = "-因故未完成"
    fresh, into, blank = tmp_path / "fresh.xlsx", tmp_path / "into.xlsx", tmp_path / "blank.xlsx"
    api.fill(doc, fresh)
    api.make_template("department", "national", blank)
    api.fill(doc, into, template=blank)
    annotated = tmp_path / "annotated.xlsx"
    report = validate_file(fresh)
    annotate_report(report, annotated, "zh", False)
    summary = tmp_path / "summary.xlsx"
    consolidate([fresh], summary)
    for path in (fresh, into, blank, annotated, summary):
        seen, bare = _formula_like_text_without_quote_prefix(path)
        assert seen >= (1 if path == blank else 2), (path.name, seen)
        assert not bare, (path.name, bare)


def test_one_oversized_part_is_refused_before_any_parser_reads_it(tmp_path, monkeypatch):
    """A shared-strings part that unpacks far larger than any form needs is refused from the zip directory,
    even when the file, the total and the compression ratio are within their limits."""
    import os
    import zipfile

    valid = tmp_path / "valid.xlsx"
    api.fill(yaml.safe_load((ROOT / "examples" / "donghu.yaml").read_text(encoding="utf-8")), valid)
    noise = os.urandom(1_500_000).hex().encode()  # 3 MB that does not compress much
    big = tmp_path / "big-strings.xlsx"
    with zipfile.ZipFile(valid) as old, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"</sst>", b"<si><t>" + noise + b"</t></si></sst>")
            new.writestr(info.filename, data)
    assert validate_file(big).unusable is None  # within the default limits: read
    monkeypatch.setenv("XLTOOL_MAX_PART_MB", "2")
    report = validate_file(big)
    assert report.unusable == "file.too-large" and "sharedStrings" in report.unusable_message["zh"]


def test_an_annotated_copy_never_carries_a_vba_project(corpus, tmp_path):
    import zipfile

    from xltool.render import annotate_report

    report = validate_file(corpus / "macro.xlsm")
    assert report.unusable is None
    copy = tmp_path / "macro.xlsm"
    annotate_report(report, copy, "zh", False)
    with zipfile.ZipFile(copy) as package:
        names = package.namelist()
        listed = package.read("[Content_Types].xml") + b"".join(package.read(n) for n in names if n.endswith(".rels"))
    assert not any("vbaProject" in n for n in names) and b"vbaProject" not in listed
    assert validate_file(copy).unusable is None


def test_cells_past_the_column_limit_are_cut_off_before_reading():
    """ZZ20000 is 702 × 20,000 cells from A1 (14 million): past the column limit, so it is cut off like XFD1048576."""
    from xltool.io.safety import Limits, beyond_rectangle, within_rectangle

    limits = Limits()
    sheet = (
        b'<worksheet><dimension ref="A1:ZZ20000"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="20000"><c r="IV20000"><v>2</v></c><c r="ZZ20000"><v>3</v></c></row></sheetData></worksheet>'
    )
    assert beyond_rectangle(sheet, limits)
    kept = within_rectangle(sheet, limits)
    assert b"ZZ20000" not in kept and b'r="IV20000"' in kept and b'r="A1"' in kept and b"<dimension" not in kept
    assert not beyond_rectangle(kept, limits)


def _merge_attack(source: Path, target: Path, stray: bool) -> None:
    """``source`` with a merged range over the whole sheet, given 500 times (ranges may not overlap: a damaged or
    hostile sheet), and optionally a value at IV20000, the farthest cell the limits read."""
    import zipfile

    with zipfile.ZipFile(source) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    name = next(n for n in parts if n.startswith("xl/worksheets/sheet"))
    xml = parts[name]
    merges = b'<mergeCell ref="A1:XFD1048576"/>' * 500
    if b"<mergeCells" in xml:
        xml = xml.replace(b'<mergeCell ref="', merges + b'<mergeCell ref="', 1)
    else:
        xml = xml.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>", 1)
    if stray:
        xml = xml.replace(
            b"</sheetData>", b'<row r="20000"><c r="IV20000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for part, data in parts.items():
            out.writestr(part, xml if part == name else data)


_ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="表1"><table:table-row>'
    '<table:table-cell table:number-rows-spanned="1048576" table:number-columns-spanned="16384"'
    ' office:value-type="string"><text:p>项目名称</text:p></table:table-cell></table:table-row>'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>全年执行数</text:p></table:table-cell>'
    "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
)


def test_a_merged_range_over_the_whole_sheet_is_never_expanded_cell_by_cell(tmp_path):
    """One ``A1:XFD1048576`` range is 17 billion cells: an official form, a template and an .ods holding such
    ranges are read within the time and memory limits and answered with a defined code."""
    import zipfile

    sys.path.insert(0, str(ROOT))
    from bench.formgen import make, write_xlsx

    official = tmp_path / "official.xlsx"
    write_xlsx(make("central-project-2016", 0)[0], official)
    template = tmp_path / "template.xlsx"
    api.fill(yaml.safe_load((ROOT / "examples" / "donghu.yaml").read_text(encoding="utf-8")), template)
    files = []
    for source, stray in ((official, False), (official, True), (template, False), (template, True)):
        files.append(tmp_path / f"merged-{source.stem}{'-stray' if stray else ''}.xlsx")
        _merge_attack(source, files[-1], stray)
    ods = tmp_path / "merged.ods"
    with zipfile.ZipFile(ods, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", _ODS_CONTENT, zipfile.ZIP_DEFLATED)
    files.append(ods)
    peak = tmp_path / "peak"
    for path in files:
        result, seconds = run("validate", str(path), "--format", "json", peak=peak)
        assert result.returncode in (0, 1, 2), (path.name, result.stderr[-500:])
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, (path.name, result.stderr[-300:])
        assert seconds < SECONDS, (path.name, seconds)
        assert int(peak.read_text()) / 1024 < MEGABYTES, path.name

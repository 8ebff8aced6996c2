"""One report, the same findings whatever format carries it.

Every report of the development set (tests/data/reports, text as published) is saved by LibreOffice as .docx,
.doc, .pdf and .html, the way a unit's copy reaches the office, and each copy must give the findings of the text:
the same codes at the same paragraphs and table rows. A PDF keeps no paragraph marks (a paragraph whose last line
is full runs on into the next), so there a finding is placed by its sentence instead of its paragraph number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import lo_convert, soffice

from xltool.linting import lint_file

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "tests" / "data" / "reports"
LABELS = {e["file"]: e for e in json.loads((REPORTS / "labels.json").read_text(encoding="utf-8"))}
DEV = sorted(p for p in REPORTS.glob("*.txt") if LABELS[p.name]["split"] == "dev")
FORMATS = ("docx", "doc", "html", "pdf")
UTF8_TEXT = "Text (encoded):UTF8,LF,,,"


def _placed(path: Path, by_sentence: bool) -> list[str]:
    out = []
    for f in lint_file(path)["findings"]:
        where = re.sub(r"\s+", "", f["sentence"] or "") if by_sentence else f["paragraph"]
        out.append(str((f["code"], where, f["table"], f["row"])))
    return sorted(out)


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    soffice()
    folder = tmp_path_factory.mktemp("formats")
    from concurrent.futures import ThreadPoolExecutor

    def convert(fmt: str) -> list[Path]:
        return lo_convert(DEV, fmt, folder / fmt, recalc=False, infilter=UTF8_TEXT, timeout=900)

    for fmt in FORMATS:
        (folder / fmt).mkdir()
    with ThreadPoolExecutor(len(FORMATS)) as pool:  # one LibreOffice each, in profiles of their own
        return dict(zip(FORMATS, pool.map(convert, FORMATS), strict=True))


def test_the_development_set_is_the_whole_of_what_is_converted():
    assert len(DEV) >= 25 and all(LABELS[p.name].get("source") for p in DEV)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_findings_of_the_text(copies, fmt):
    from concurrent.futures import ThreadPoolExecutor

    by_sentence = fmt == "pdf"
    differ = []
    total = 0
    with ThreadPoolExecutor(4) as pool:  # a .doc is read through LibreOffice, one process a file
        texts = list(pool.map(lambda p: _placed(p, by_sentence), DEV))
        got_all = list(pool.map(lambda p: _placed(p, by_sentence), copies[fmt]))
    for text, expected, got in zip(DEV, texts, got_all, strict=True):
        total += len(expected)
        if expected != got:
            differ.append(f"{text.name}: text {expected} / .{fmt} {got}")
    assert not differ, "\n".join(differ)
    assert total >= 8  # the labelled inconsistencies of the set at least


def test_the_seed_report_saved_by_libreoffice_keeps_its_table(copies):
    """The Bishan report as .doc and .docx: its score table (typed as tab-led lines) is read, with the duplicated
    row, the 110 weights and the wrong 总分."""
    index = [p.name for p in DEV].index("report-chongqing-bishan-2022.txt")
    for fmt in FORMATS:
        codes = {f["code"] for f in lint_file(copies[fmt][index])["findings"]}
        assert codes == {"indicator.duplicate", "weight.sum", "score.total-mismatch"}, fmt
    pdf = lint_file(copies["pdf"][index])["findings"]
    assert all(f["page"] for f in pdf if f["paragraph"] is not None)


def test_a_pdf_set_as_official_documents_are_keeps_its_paragraphs(tmp_path):
    """A report typeset the way 公文 are (三号 16 pt, justified, every paragraph set in by two characters, page
    numbers at the foot) and printed to PDF: its paragraphs come back whole, headings included, and a sum slip in
    one of them is found on its page."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    soffice()
    body = [
        "一、基本情况",
        "本单位严格执行各项财务制度，加强预算管理，规范资金使用，确保资金安全，全年未发生违规使用资金的情况。" * 3,
        "（一）预算及支出情况",
        "2023年收入合计594.95万元，其中财政拨款收入593.31万元，其他收入1.64万元。",
        "支出合计596.25万元，其中基本支出453万元，项目支出153.25万元。",
        *["本部门围绕年度工作目标，统筹推进各项任务，重点工作均按计划完成，服务对象满意度较高。" * 2] * 12,
        "二、绩效目标完成情况",
    ]
    document = docx.Document()
    for text in body:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Pt(32)
        for run in paragraph.runs:
            run.font.size = Pt(16)
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("- 1 -")
    (pdf,) = lo_convert([_saved(document, tmp_path / "公文.docx")], "pdf", tmp_path, recalc=False)
    from xltool.io.report_text import read_report

    read = read_report(pdf)
    assert [re.sub(r"\s+", "", p) for p in read.paragraphs] == [re.sub(r"\s+", "", p) for p in body]
    assert read.tables == []
    (finding,) = lint_file(pdf)["findings"]
    assert finding["code"] == "sum.mismatch" and finding["paragraph"] == 4 and finding["page"] == 1


def _saved(document: object, path: Path) -> Path:
    document.save(str(path))  # type: ignore[attr-defined]
    return path


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (bytes(range(256)) * 8, [".docx", ".doc", "PDF", ".html", ".txt", "另存为 .docx"]),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, ["图片（JPEG）", "Word 版"]),
    ],
)
def test_a_file_no_reader_understands_names_what_is_read_and_what_to_save_it_as(tmp_path, content, needles):
    from support import run_xltool

    path = tmp_path / "自评报告.docx"
    path.write_bytes(content)
    done = run_xltool("lint-report", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    for needle in needles:
        assert needle in done.stderr


def test_pdfs_read_from_several_threads_at_once(copies):
    """PDFium is not thread-safe: a script (or a server) reading PDFs from threads gets each read whole, never a
    crash (the reads take turns)."""
    from concurrent.futures import ThreadPoolExecutor

    from xltool.io.report_text import read_report

    pdfs = copies["pdf"][:12] * 3
    alone = [read_report(p).paragraphs for p in pdfs]
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(lambda p: read_report(p).paragraphs, pdfs))
    assert together == alone

"""Reports in the formats they are published in, beyond .docx and text: PDF with a text layer (pypdfium2), web
pages saved from a government site (tables included), and the formats only an office suite reads (.doc, .wps,
.rtf, .odt) through LibreOffice headless when it is installed.

pypdfium2 binds PDFium, the PDF engine of Chromium: maintained by Google and fuzzed continuously against hostile
files, it ships as one self-contained wheel for Windows, macOS and Linux with no other dependency, and extracts
CJK text in reading order a hundred times faster than the pure-Python pdfminer behind pdfplumber. Its text is what
a reader copies from the page; the layout tables of pdfplumber are not needed, as the rules read tables written
as text.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..core.lint import ReportText
from ..errors import UsageError
from .report_lines import Line, Table, assemble, line

MAX_PDF_PAGES = 2000
MAX_TEXT_CHARS = 20_000_000  # characters taken from a PDF or a page: far above any report
OFFICE_TIMEOUT = 180  # seconds for LibreOffice to convert one document

_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[章节部分])"
)
_PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,4}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页.*$")


@dataclass
class _PdfLine:
    """A line of a PDF page where it stands: its text, left and right edges, baseline and height (of its
    font's boxes), and the width of its first character."""

    text: str
    page: int
    left: float
    right: float
    bottom: float
    height: float
    first: float


_OPENING = "“‘（(《〈【〔「『"
_CLOSING = "”’）)》〉】〕」』，。、；：？！,.;:?!%…—"
_WESTERN = re.compile(r"[!-~]+")


def _first_word(text: str, boxes: list[tuple[float, float, float, float]]) -> float:
    """The width of what a line had to take as a whole from the one before: its first word (a Chinese
    character, or a run of Western characters such as “2020” or “594.95”) with the opening marks before it and
    the closing marks after it (a line never ends on “ nor starts with ”，。)."""
    n = len(text) - len(text.lstrip(_OPENING))
    western = _WESTERN.match(text, n)
    n = western.end() if western else n + 1
    n += len(text[n:]) - len(text[n:].lstrip(_CLOSING))
    last = boxes[min(max(n, 1), len(boxes)) - 1]
    return last[2] - boxes[0][0]


def _lines_of_page(textpage: Any, number: int) -> list[_PdfLine]:
    """The lines of a page's text layer with their boxes (PDFium's loose, font-sized boxes)."""
    text = textpage.get_text_range()
    if len(text) != textpage.count_chars():  # characters beyond the BMP: no boxes to place them by
        return [_PdfLine(t.strip(), number, 0.0, 0.0, 0.0, 0.0, 0.0) for t in re.split(r"\r\n|\r|\n", text)]
    out: list[_PdfLine] = []
    start = 0
    for end in [m.start() for m in re.finditer(r"\r\n|\r|\n", text)] + [len(text)]:
        boxes = [textpage.get_charbox(i, loose=True) for i in range(start, end) if not text[i].isspace()]
        if boxes:
            out.append(
                _PdfLine(
                    text[start:end].strip(),
                    number,
                    min(b[0] for b in boxes),
                    max(b[2] for b in boxes),
                    min(b[1] for b in boxes),
                    statistics.median(b[3] - b[1] for b in boxes),
                    _first_word(text[start:end].lstrip(), boxes),
                )
            )
        start = end + (2 if text[end : end + 2] == "\r\n" else 1)
    return out


def _page_number(ln: _PdfLine, ends: set[int], centre: float, right: float, em: float) -> bool:
    """A page number (“- 3 -”, “第3页”): the first or last line of its page (``ends``: their ids), centred or at
    the right edge — a cell holding 10 is neither."""
    if not _PAGE_NUMBER.match(ln.text) or id(ln) not in ends:
        return False
    if not ln.height:
        return True
    return abs((ln.left + ln.right) / 2 - centre) < 3 * em or ln.right >= right - em


def _pdf_items(lines: list[_PdfLine]) -> list[Line]:
    """A PDF's lines as the lines of text they were typed as.

    The text's left edge is where most lines start. A line set in by 2.5 em or more (a tab) is a cell of a table
    saved as text; one set in less is a paragraph's first line (首行缩进). A wider gap than the usual line
    spacing is a blank line. A line continues the one before (a wrap) when that one reached the right edge —
    it had no room for this line's first word — and this one is not set in, nor a heading after a finished
    sentence; otherwise it opens a paragraph. Page numbers (“- 3 -”) are dropped."""
    placed = [ln for ln in lines if ln.height > 0]
    if not placed:
        return [Line(ln.text, page=ln.page) for ln in lines if ln.text and not _PAGE_NUMBER.match(ln.text)]
    em = statistics.median(ln.height for ln in placed)
    margin = Counter(round(ln.left) for ln in placed).most_common(1)[0][0]
    # the right edge: where most full lines end (a few hang a punctuation mark or a long word beyond it)
    widest = max(ln.right for ln in placed)
    full = sorted(ln.right for ln in placed if ln.right >= widest - 4 * em)
    right = full[(len(full) - 1) * 3 // 4]
    centre = (margin + right) / 2
    firsts: dict[int, _PdfLine] = {}
    lasts: dict[int, _PdfLine] = {}
    for ln in lines:
        if ln.text:
            firsts.setdefault(ln.page, ln)
            lasts[ln.page] = ln
    ends = {id(ln) for ln in [*firsts.values(), *lasts.values()]}
    lines = [ln for ln in lines if ln.text and not _page_number(ln, ends, centre, right, em)]
    pitches = [a.bottom - b.bottom for a, b in pairwise(lines) if a.page == b.page and a.bottom > b.bottom]
    pitch = statistics.median(pitches) if pitches else 0.0
    items: list[Line] = []
    current: _PdfLine | None = None
    current_indented = False
    text = ""
    last: _PdfLine | None = None
    for ln in lines:
        em = ln.height or 1.0
        inset = (ln.left - margin) / em if ln.height else 0.0
        gap = last is not None and last.page == ln.page and pitch and last.bottom - ln.bottom > 1.6 * pitch
        wrapped = (
            last is not None
            and current is not None
            and not gap
            and inset < 0.5
            and right - last.right < ln.first + 0.2 * em
            and not (_HEADING.match(ln.text) and text[-1:] in "。！？!?")
        )
        if wrapped:
            # a Western word at either side of the break was set apart by a space (or the layout's own spacing)
            western = (text[-1:].isascii() and text[-1:].isalnum()) or (ln.text[0].isascii() and ln.text[0].isalnum())
            joiner = " " if western else ""
            text += joiner + ln.text
        else:
            if current is not None:
                items.append(Line(text, indented=current_indented, page=current.page))
            if gap:
                items.append(Line("", page=ln.page))
            current, text = ln, ln.text
            current_indented = inset >= 2.5
        last = ln
    if current is not None:
        items.append(Line(text, indented=current_indented, page=current.page))
    return items


#: PDFium is not thread-safe, not even across documents (pypdfium2's documentation): one PDF at a time per process
_PDFIUM = threading.Lock()


def read_pdf(path: Path, data: bytes) -> ReportText:
    """A PDF's text layer, paragraph by paragraph, each with its page. A PDF with no text (a scan) is refused
    with what to do instead."""
    with _PDFIUM:
        lines = _pdf_lines(path, data)
    if sum(len(ln.text) for ln in lines) < 10:
        raise UsageError("file.unreadable", path=str(path), detail_key="detail.pdf-no-text")
    return assemble(_pdf_items(lines))


def _pdf_lines(path: Path, data: bytes) -> list[_PdfLine]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UsageError("file.encrypted", path=str(path)) from None
        raise UsageError("file.unreadable", path=str(path), detail_key="detail.bad-pdf", error=str(exc)) from None
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise UsageError("file.too-large", path=str(path), limit=f"{MAX_PDF_PAGES} pages")
        lines: list[_PdfLine] = []
        taken = 0
        for number in range(len(pdf)):
            page = pdf[number]
            textpage = page.get_textpage()
            try:
                taken += textpage.count_chars()
                if taken > MAX_TEXT_CHARS:
                    raise UsageError("file.too-large", path=str(path), limit=f"{MAX_TEXT_CHARS} characters of text")
                lines += _lines_of_page(textpage, number + 1)
            finally:
                textpage.close()
                page.close()
    except pdfium.PdfiumError as exc:
        raise UsageError("file.unreadable", path=str(path), detail_key="detail.bad-pdf", error=str(exc)) from None
    finally:
        pdf.close()
    return lines


# ---------------------------------------------------------------------------------------------- web pages

_BLOCKS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre", "dd",
    "dt", "ul", "ol", "hr", "caption", "title",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "select", "option"}


class _Page(HTMLParser):
    """Lines from block elements (an empty one a blank line), the lines of a ``<pre>`` block as they stand (tabs
    and blank lines are its layout), and every table as rows of cell texts (nested tables as their own)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Line | Table] = []
        self._text: list[str] = []
        self._skip = 0
        self._pre = 0
        self._tables: list[Table] = []
        self._cells: list[list[str] | None] = []

    def _flush(self, block: bool = False) -> None:
        raw = "".join(self._text)
        self._text = []
        cell = self._cells[-1] if self._cells else None
        if self._pre and cell is None and not self._tables:
            self.items.extend(line(t) for t in raw.splitlines())
            return
        text = re.sub(r"[ \t\r\n\xa0]+", " ", raw).strip()
        if cell is not None:
            if text:
                cell.append(text)
        elif not self._tables and (text or block):
            self.items.append(Line(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "pre":
            self._flush()
            self._pre += 1
        elif tag == "table":
            self._flush()
            self._tables.append([])
            self._cells.append(None)
        elif tag == "tr" and self._tables:
            self._flush()
            self._tables[-1].append([])
        elif tag in ("td", "th") and self._tables:
            self._flush()
            if not self._tables[-1]:
                self._tables[-1].append([])
            self._cells[-1] = []
        elif tag == "br" and self._pre:
            self._text.append("\n")
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "pre":
            self._flush()
            self._pre = max(0, self._pre - 1)
        elif tag in ("td", "th") and self._tables:
            self._flush()
            cell = self._cells[-1] or []
            self._tables[-1][-1].append(" ".join(cell))
            self._cells[-1] = None
        elif tag == "table" and self._tables:
            self._flush()
            table = [row for row in self._tables.pop() if any(c.strip() for c in row)]
            self._cells.pop()
            if table:
                self.items.append(table)
        elif tag in _BLOCKS:
            self._flush(block=tag == "p")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    def result(self) -> ReportText:
        self._flush()
        return assemble(self.items)


def read_html(text: str) -> ReportText:
    page = _Page()
    page.feed(text)
    page.close()
    return page.result()


def html_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first bytes (``<meta charset=gbk>``), if any."""
    head = data[:4096].decode("ascii", errors="ignore")
    match = re.search(r"""charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", head, re.IGNORECASE)
    if not match:
        return None
    name = match[1].lower()
    return "gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name


# ---------------------------------------------------------------------------------------------- office suite


def soffice_binary() -> str | None:
    """LibreOffice's soffice: ``XLTOOL_SOFFICE``, then the PATH, then where the Windows installer puts it."""
    named = os.environ.get("XLTOOL_SOFFICE")
    if named:
        return named if Path(named).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for root in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        if root and (Path(root) / "LibreOffice" / "program" / "soffice.exe").is_file():
            return str(Path(root) / "LibreOffice" / "program" / "soffice.exe")
    return None


def convert_to_docx(path: Path, data: bytes, kind: str) -> bytes:
    """The document converted to .docx by LibreOffice headless, in a throwaway profile and folder (the input is
    copied there first: LibreOffice never opens the user's file in place). ``kind`` names the format in messages."""
    binary = soffice_binary()
    if binary is None:
        raise UsageError("file.unreadable", path=str(path), detail_key="detail.needs-office", kind=kind)
    with tempfile.TemporaryDirectory(prefix="xltool-office-") as work:
        folder = Path(work)
        source = folder / f"report{path.suffix.lower() or '.doc'}"
        source.write_bytes(data)
        out = folder / "out"
        command = [
            binary,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=OFFICE_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise UsageError(
                "file.unreadable", path=str(path), detail_key="detail.office-failed", kind=kind, error=str(exc)
            ) from None
        converted = out / "report.docx"
        if not converted.is_file():
            raise UsageError(
                "file.unreadable", path=str(path), detail_key="detail.office-failed", kind=kind, error="no output"
            )
        return converted.read_bytes()

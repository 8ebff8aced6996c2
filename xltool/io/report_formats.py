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
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from ..core.lint import ReportText
from ..errors import UsageError

MAX_PDF_PAGES = 2000
MAX_TEXT_CHARS = 20_000_000  # characters taken from a PDF or a page: far above any report
OFFICE_TIMEOUT = 180  # seconds for LibreOffice to convert one document

_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+[章节部分])"
)
_PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,4}\s*[-—–]?\s*$|^\s*第\s*\d+\s*页.*$")
_SENTENCE_END = "。！？!?"


def _paragraphs_of_page(text: str) -> list[str]:
    """A PDF page's lines joined back into paragraphs: a line ends its paragraph after 。！？, when it is a heading
    itself or when the next line opens one (一、 (一) 1.); page numbers (“-3-”) are dropped."""
    out: list[str] = []
    current = ""
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line or _PAGE_NUMBER.match(line):
            continue
        heading = bool(_HEADING.match(current)) and len(current) <= 40 and current[-1] not in "，,、；;："
        if current and (current[-1] in _SENTENCE_END or _HEADING.match(line) or heading):
            out.append(current)
            current = ""
        joiner = " " if current and current[-1].isascii() and current[-1].isalnum() and line[0].isascii() else ""
        current += joiner + line
    if current:
        out.append(current)
    return out


def read_pdf(path: Path, data: bytes) -> ReportText:
    """A PDF's text layer, paragraph by paragraph, each with its page. A PDF with no text (a scan) is refused
    with what to do instead."""
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
        paragraphs: list[str] = []
        pages: list[int] = []
        taken = 0
        for number in range(len(pdf)):
            page = pdf[number]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            taken += len(text)
            if taken > MAX_TEXT_CHARS:
                raise UsageError("file.too-large", path=str(path), limit=f"{MAX_TEXT_CHARS} characters of text")
            for paragraph in _paragraphs_of_page(text):
                paragraphs.append(paragraph)
                pages.append(number + 1)
    except pdfium.PdfiumError as exc:
        raise UsageError("file.unreadable", path=str(path), detail_key="detail.bad-pdf", error=str(exc)) from None
    finally:
        pdf.close()
    if sum(len(p.strip()) for p in paragraphs) < 10:
        raise UsageError("file.unreadable", path=str(path), detail_key="detail.pdf-no-text")
    return ReportText(paragraphs, [], pages)


# ---------------------------------------------------------------------------------------------- web pages

_BLOCKS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote", "pre", "dd",
    "dt", "ul", "ol", "hr", "caption", "title",
}  # fmt: skip
_SKIP = {"script", "style", "noscript", "template", "head", "svg", "select", "option"}


class _Page(HTMLParser):
    """Paragraphs from block elements, and every table as rows of cell texts (nested tables as their own)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._text: list[str] = []
        self._skip = 0
        self._tables: list[list[list[str]]] = []
        self._cells: list[list[str] | None] = []

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n\xa0]+", " ", "".join(self._text)).strip()
        self._text = []
        if not text:
            return
        cell = self._cells[-1] if self._cells else None
        if cell is not None:
            cell.append(text)
        elif not self._tables:
            self.paragraphs.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
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
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
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
                self.tables.append(table)
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    def result(self) -> ReportText:
        self._flush()
        return ReportText(self.paragraphs, self.tables)


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

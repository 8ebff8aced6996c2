"""Reading a narrative report's text and tables: .docx, text (.txt/.md in UTF-8, UTF-16 or GB18030), and through
:mod:`.report_formats` PDF, web pages and what only an office suite reads (.doc, .wps, .rtf, .odt).

The format is told by the content, not the name: a .doc renamed .docx, a PDF saved as .txt and a web page saved
as .doc are each read as what they are."""

from __future__ import annotations

from pathlib import Path

from ..core.lint import ReportText
from ..errors import UsageError
from .report_formats import convert_to_docx, html_charset, read_html, read_pdf
from .report_lines import Line, Table, assemble, line, plain_text
from .safety import OLE_SIGNATURE, ZIP_SIGNATURE, Limits, image_kind, open_package, parse_xml

MAX_REPORT_BYTES = 20 * 1024 * 1024


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _DocxText:
    """A streaming parser target over ``word/document.xml``: paragraphs outside tables as lines (a leading
    ``w:tab`` and empty paragraphs kept: a table saved as text and opened in Word is such lines), and every table
    as rows of cell texts (a cell's paragraphs joined by line breaks; nested tables as their own tables). One pass,
    no tree: linear in the size of the document."""

    def __init__(self) -> None:
        self.items: list[Line | Table] = []  # body paragraphs as lines (tabs and empty ones kept), tables
        self._stack: list[list[list[str]]] = []  # open tables (innermost last)
        self._cells: list[list[str] | None] = []  # the paragraphs of the open cell of each open table
        self._text: list[str] = []
        self._in_text = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_W}t":
            self._in_text = True
        elif tag == f"{_W}p":
            self._text = []
        elif tag == f"{_W}tab":
            self._text.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            self._text.append("\n")
        elif tag == f"{_W}tbl":
            self._stack.append([])
            self._cells.append(None)
        elif tag == f"{_W}tr" and self._stack:
            self._stack[-1].append([])
        elif tag == f"{_W}tc" and self._stack:
            self._cells[-1] = []

    def end(self, tag: str) -> None:
        if tag == f"{_W}t":
            self._in_text = False
        elif tag == f"{_W}p":
            text = "".join(self._text)
            cell = self._cells[-1] if self._cells else None
            if cell is not None:
                cell.append(text.strip())
            else:
                self.items.append(line(text))
            self._text = []
        elif tag == f"{_W}tc" and self._stack:
            cell = self._cells[-1] or []
            if self._stack[-1]:
                self._stack[-1][-1].append("\n".join(p for p in cell if p))
            self._cells[-1] = None
        elif tag == f"{_W}tbl" and self._stack:
            self.items.append(self._stack.pop())
            self._cells.pop()

    def data(self, text: str) -> None:
        if self._in_text:
            self._text.append(text)

    def close(self) -> ReportText:
        return assemble(self.items)


def _docx(path: Path, data: bytes) -> ReportText:
    """A .docx report's paragraphs and tables, from one streaming defusedxml parse of its document part."""
    import zipfile
    import zlib

    limits = Limits.from_env()
    with open_package(path, data, limits, "word/document.xml", "detail.no-document") as package:
        try:
            xml = package.read("word/document.xml")
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
            raise UsageError("file.unreadable", path=str(path), detail_key="detail.bad-zip", error=str(exc)) from None
    result: ReportText = parse_xml(xml, _DocxText(), path)
    return result


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    declared = html_charset(data) if _looks_like_html(data) else None
    for encoding in [e for e in (declared, "utf-8-sig", "gb18030") if e]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start >= len(data) - 3:  # a copy cut off inside its last character
                return data[: exc.start].decode(encoding)
        except LookupError:
            continue
    raise UsageError("document.encoding", path=str(path))


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lower()
    return any(tag in head for tag in (b"<html", b"<!doctype html", b"<body", b"<meta", b"<table", b"<div", b"<p>"))


_OFFICE_ONLY = {".doc": "Word 97–2003 (.doc)", ".wps": "WPS 文字 (.wps)", ".rtf": "RTF", ".odt": "OpenDocument (.odt)"}


def read_report(path: Path) -> ReportText:
    """The paragraphs and tables of a report file, whatever format it is in."""
    if not path.is_file():
        raise UsageError("file.not-found", path=str(path))
    if path.stat().st_size > MAX_REPORT_BYTES:
        raise UsageError("file.too-large", path=str(path), limit=f"{MAX_REPORT_BYTES} B")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError("file.unreadable", path=str(path), detail=exc.strerror or str(exc)) from None
    if not data.strip():
        raise UsageError("file.unreadable", path=str(path), detail_key="detail.empty")
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF"):
        return read_pdf(path, data)
    if data.startswith(OLE_SIGNATURE):
        directory = data[: 4 * 1024 * 1024]
        if "EncryptedPackage".encode("utf-16-le") in directory:
            raise UsageError("file.encrypted", path=str(path))
        if "WordDocument".encode("utf-16-le") not in directory:  # an .xls or .et workbook, not a document
            raise UsageError("file.unreadable", path=str(path), detail_key="detail.not-a-report")
        return _docx(path, convert_to_docx(path, data, _OFFICE_ONLY.get(suffix, "Word 97–2003 (.doc)")))
    if data.startswith(b"{\\rtf"):
        return _docx(path, convert_to_docx(path, data, "RTF"))
    if data.startswith(ZIP_SIGNATURE):
        if b"opendocument.text" in data[:200]:
            return _docx(path, convert_to_docx(path, data, _OFFICE_ONLY[".odt"]))
        return _docx(path, data)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = image_kind(data)
        if kind:
            raise UsageError("file.unreadable", path=str(path), detail_key="detail.image-report", kind=kind)
        raise UsageError("file.unreadable", path=str(path), detail_key="detail.not-a-report")
    text = _decode(path, data)
    if suffix in (".html", ".htm", ".shtml", ".mht") or _looks_like_html(data):
        return read_html(text)
    return plain_text(text)

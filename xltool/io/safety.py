"""Limits checked before a workbook is parsed: size, what kind of file it really is, zip bombs.

A workbook is read from disk once (:func:`read_package`); every later step works on those bytes, so the
input file is only ever opened for reading.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import TreeBuilder
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..errors import UnusableWorkbook

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    """How much an untrusted workbook may hold before xltool refuses to parse it.

    Each can be set in the environment: ``XLTOOL_MAX_FILE_MB``, ``XLTOOL_MAX_UNPACKED_MB``, ``XLTOOL_MAX_RATIO``,
    ``XLTOOL_MAX_ENTRIES``, ``XLTOOL_MAX_ROWS``, ``XLTOOL_MAX_PART_MB``, ``XLTOOL_MAX_COLUMNS``.
    """

    max_file_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 300 * 1024 * 1024
    max_ratio: int = 200
    max_entries: int = 5000
    max_rows: int = 20000  # rows in any one sheet, and the last row a cell is read from
    max_part_bytes: int = 64 * 1024 * 1024  # one part unpacked (a sheet, the shared strings)
    max_columns: int = 256  # the last column a cell is read from (IV)

    @classmethod
    def from_env(cls) -> Limits:
        def read(name: str, default: int, scale: int = 1) -> int:
            value = os.environ.get(name, "").strip()
            return int(float(value) * scale) if value.replace(".", "", 1).isdigit() else default

        base = cls()
        mb = 1024 * 1024
        return cls(
            max_file_bytes=read("XLTOOL_MAX_FILE_MB", base.max_file_bytes, mb),
            max_unpacked_bytes=read("XLTOOL_MAX_UNPACKED_MB", base.max_unpacked_bytes, mb),
            max_ratio=read("XLTOOL_MAX_RATIO", base.max_ratio),
            max_entries=read("XLTOOL_MAX_ENTRIES", base.max_entries),
            max_rows=read("XLTOOL_MAX_ROWS", base.max_rows),
            max_part_bytes=read("XLTOOL_MAX_PART_MB", base.max_part_bytes, mb),
            max_columns=read("XLTOOL_MAX_COLUMNS", base.max_columns),
        )


def read_package(path: Path, limits: Limits) -> bytes:
    """The bytes of ``path`` after checking it exists and is within the size limit."""
    if not path.is_file():
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.no-file")
    if path.stat().st_size > limits.max_file_bytes:
        raise UnusableWorkbook("file.too-large", path=str(path), limit=f"{limits.max_file_bytes} B")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UnusableWorkbook("file.unreadable", path=str(path), detail=exc.strerror or str(exc)) from None


@contextlib.contextmanager
def open_package(
    path: Path, data: bytes, limits: Limits, main_part: str = "xl/workbook.xml", missing_key: str = "detail.no-workbook"
) -> Iterator[zipfile.ZipFile]:
    """The bytes of a workbook (or, with ``main_part``, another OOXML document) as a zip package, after checking
    they are one and stay within ``limits``."""
    head = data[:8]
    if head == OLE_SIGNATURE:
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key=_ole_kind(path, data))
    if head[:4] != ZIP_SIGNATURE:
        raise UnusableWorkbook(
            "file.unreadable", path=str(path), detail_key=_not_zip_kind(path, data), kind=image_kind(data) or ""
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.bad-zip", error=str(exc)) from None
    with package:
        infos = package.infolist()
        if len(infos) > limits.max_entries:
            raise UnusableWorkbook("file.too-large", path=str(path), limit_key="detail.parts", count=limits.max_entries)
        unpacked = sum(info.file_size for info in infos)
        packed = sum(info.compress_size for info in infos) or 1
        if unpacked > limits.max_unpacked_bytes:
            raise UnusableWorkbook(
                "file.too-large", path=str(path), limit_key="detail.unpacked", count=limits.max_unpacked_bytes
            )
        if unpacked / packed > limits.max_ratio and unpacked > 10 * 1024 * 1024:
            raise UnusableWorkbook("file.too-large", path=str(path), limit_key="detail.ratio", count=limits.max_ratio)
        if main_part not in package.namelist():
            raise UnusableWorkbook("file.unreadable", path=str(path), detail_key=_zip_kind(package, missing_key))
        largest = max(infos, key=lambda info: info.file_size, default=None)
        if largest is not None and largest.file_size > limits.max_part_bytes:
            raise UnusableWorkbook(
                "file.too-large",
                path=str(path),
                limit_key="detail.part",
                part=largest.filename,
                count=limits.max_part_bytes,
            )
        _check_xml_heads(package, data, infos, path)
        if main_part == "xl/workbook.xml" and any(
            info.filename.startswith(("xl/macrosheets/", "xl/dialogsheets/")) for info in infos
        ):
            raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.macro-sheets")
        for info in infos:
            # every row takes at least 6 bytes (<row/>): a smaller sheet cannot pass the limit and is not read
            if info.filename.startswith("xl/worksheets/") and info.file_size > 6 * limits.max_rows:
                _check_rows(package, info, path, limits)
        yield package


def _ole_kind(path: Path, data: bytes) -> str:
    """What an OLE (Office 97–2003 container) file is, for a message that names it."""
    directory = data[: 4 * 1024 * 1024]
    if "EncryptedPackage".encode("utf-16-le") in directory:
        raise UnusableWorkbook("file.encrypted", path=str(path))
    if "WordDocument".encode("utf-16-le") in directory:
        return "detail.old-doc"
    if path.suffix.lower() == ".et":
        return "detail.et"
    return "detail.old-xls"


def _not_zip_kind(path: Path, data: bytes) -> str:
    head = data[:512].lstrip()
    if not data:
        return "detail.empty"
    if head.startswith(b"%PDF"):
        return "detail.pdf"
    if head[:5].lower() in (b"<html", b"<!doc") or head.startswith(b"<?xml"):
        return "detail.markup"
    if image_kind(data):
        return "detail.image"
    if b"\x00" not in data[:4096] and _decodes(data[:4096]):
        return "detail.text-file"
    return "detail.not-zip"


_IMAGES = (
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def image_kind(data: bytes) -> str | None:
    """The picture format a file is in (a photo or scan of a paper form), if it is one."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    return next((name for magic, name in _IMAGES if data.startswith(magic)), None)


def _decodes(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 3:  # cut inside the last character
                return True
    return False


def _zip_kind(package: zipfile.ZipFile, missing_key: str) -> str:
    """Why a zip package holds no main part: another format, named, or none known."""
    names = set(package.namelist())
    if "mimetype" in names:
        mimetype = package.read("mimetype")[:100]
        if b"opendocument.spreadsheet" in mimetype:
            return "detail.ods"
        if b"opendocument" in mimetype:
            return "detail.odf"
    if "xl/workbook.bin" in names:
        return "detail.xlsb"
    if "word/document.xml" in names:
        return "detail.is-docx"
    if "xl/workbook.xml" in names:
        return "detail.is-xlsx"
    if any("\\" in name for name in names):
        return "detail.backslash"
    lowered = {name.lower() for name in names}
    if "_rels/.rels" in names and (
        b"workbook.xml" in package.read("_rels/.rels").lower() or "xl/workbook.xml" in lowered
    ):
        return "detail.odd-path"  # a workbook, but not where spreadsheet programs put it
    return missing_key


#: Parts whose first bytes are checked where they are decompressed anyway (worksheets: :func:`bounded_sheets`), or
#: that no reader of xltool's parses (themes, document properties).
_CHECKED_LATER = ("xl/worksheets/", "xl/theme/", "docProps/", "word/theme/")


def _check_xml_heads(package: zipfile.ZipFile, data: bytes, infos: list[zipfile.ZipInfo], path: Path) -> None:
    """Refuse, before any parser sees them, XML parts that declare entities (billion laughs, external entities)
    or are not UTF-8 (UTF-16 parts, which the readers cannot take): only the first bytes of each are read."""
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")) or info.file_size == 0:
            continue
        if info.filename.startswith(_CHECKED_LATER):
            continue
        head = _head(data, info)
        if head is None:
            try:
                with package.open(info) as stream:
                    head = stream.read(1024)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
                raise UnusableWorkbook(
                    "file.unreadable", path=str(path), detail_key="detail.bad-zip", error=str(exc)
                ) from None
        _check_head(head, info.filename, path)


def _head(data: bytes, info: zipfile.ZipInfo, size: int = 1024) -> bytes | None:
    """The first ``size`` bytes of a stored or deflated part, inflated straight from the package bytes (opening a
    part through zipfile costs as much as reading a small one whole, and a package has a dozen); None for
    anything else (encrypted, another method, a damaged header), which zipfile then reads and judges."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    start = info.header_offset
    if data[start : start + 4] != ZIP_SIGNATURE or len(data) < start + 30:
        return None
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    body = start + 30 + name_length + extra_length
    chunk = data[body : body + min(info.compress_size, 4 * size + 64)]
    if info.compress_type == zipfile.ZIP_STORED:
        head = chunk[:size]
    else:
        try:
            head = zlib.decompressobj(-15).decompress(chunk, size)
        except zlib.error:
            return None
    return head if len(head) >= min(size, info.file_size) else None


def _check_head(head: bytes, part: str, path: Path) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00")):
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.utf16", part=part)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.entities", part=part)


def repair_backslashes(data: bytes) -> bytes:
    """A package whose part names use backslashes (``xl\\workbook.xml``, as some Windows exporters write them)
    with forward slashes, as the format requires; other bytes are returned as they are."""
    if data[:4] != ZIP_SIGNATURE:
        return data
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            if not any("\\" in info.filename for info in infos) or len(infos) > 5000:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed:
                for info in infos:
                    fixed.writestr(info.filename.replace("\\", "/"), package.read(info))
            return out.getvalue()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, KeyError, ValueError):
        return data  # the package checks will say what is wrong


def _check_rows(package: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limits: Limits) -> None:
    """Count a sheet's rows by streaming its XML (nothing is parsed or kept), before any parser sees it."""
    rows = 0
    tail = b""
    try:
        with package.open(info) as stream:
            while chunk := stream.read(1 << 20):
                block = tail + chunk
                rows += block.count(b"<row ") + block.count(b"<row>")
                tail = block[-5:]
                rows -= tail.count(b"<row ") + tail.count(b"<row>")
                if rows > limits.max_rows:
                    raise UnusableWorkbook(
                        "file.too-large", path=str(path), limit_key="detail.rows", count=limits.max_rows
                    )
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.bad-zip", error=str(exc)) from None


def parse_xml(data: bytes, target: Any, path: Path) -> Any:
    """Parse XML with defusedxml (entity declarations and external references are refused). ``target``
    receives ``start(tag, attrs)``, ``end(tag)`` and, if it has one, ``data(text)``, with names as ElementTree
    writes them (``{namespace}name``), and its ``close()`` is returned; None builds a tree. Unsafe or broken XML
    is ``file.unreadable``."""
    if target is None:
        target = TreeBuilder()
    names: dict[str, str] = {}

    def name(raw: str) -> str:
        fixed = names.get(raw)
        if fixed is None:
            fixed = names[raw] = "{" + raw if "}" in raw else raw
        return fixed

    def start(tag: str, attrs: dict[str, str]) -> None:
        target.start(name(tag), {name(key): value for key, value in attrs.items()} if attrs else {})

    def end(tag: str) -> None:
        target.end(name(tag))

    stream_xml(data, start, end, path, getattr(target, "data", None))
    return target.close() if hasattr(target, "close") else None


def stream_xml(data: bytes, start: Any, end: Any, path: Path, text: Any = None) -> None:
    """Stream XML through defusedxml's parser (entity declarations and external references refused), calling
    ``start(tag, attrs)``, ``end(tag)`` and ``text(chars)`` straight from expat: no tree and no work in between.
    Tags and attribute names are ``namespace}name`` (no leading brace); ``attrs`` is a dict; a run of text comes
    whole. Unsafe or broken XML is ``file.unreadable``."""
    expat = DefusedXMLParser().parser  # defusedxml's refusals are handlers on this expat parser
    expat.ordered_attributes = False
    expat.buffer_text = True
    expat.StartElementHandler = start
    expat.EndElementHandler = end
    expat.CharacterDataHandler = text
    expat.DefaultHandlerExpand = None
    try:
        expat.Parse(data, True)
    except (DefusedXmlException, ExpatError) as exc:
        raise UnusableWorkbook(
            "file.unreadable", path=str(path), detail_key="detail.xml", error=type(exc).__name__
        ) from None


_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\br=\"(\d+)\"")
_CELL_REF = re.compile(rb"<c\b[^>]*?\br=\"([A-Z]+)(\d+)\"")
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")


def _col_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


#: A row number of five digits or more, or a column from IA (235) on: where the exact check starts.
_FAR = re.compile(rb' r="(?:[A-Z]{3,}[0-9]|[I-Z][A-Z][0-9]|[A-Z]{0,2}[0-9]{5,})')


def beyond_rectangle(xml: bytes, limits: Limits) -> bool:
    """True when a sheet holds a cell (or row) past ``max_rows`` × ``max_columns``: a reader would allocate the
    whole rectangle from A1 to it (a single value typed at XFD1048576 is 17 billion cells)."""
    if _FAR.search(xml) is None and limits.max_rows >= 9999 and limits.max_columns >= 234:
        return False  # nothing beyond row 9999 or column HZ: one scan in C
    if any(int(n) > limits.max_rows for n in _ROW_NUMBER.findall(xml)):
        return True
    return any(
        _col_number(col) > limits.max_columns or int(row) > limits.max_rows for col, row in _CELL_REF.findall(xml)
    )


def within_rectangle(xml: bytes, limits: Limits) -> bytes:
    """The sheet XML without the rows and cells past ``max_rows`` × ``max_columns`` (and without its
    ``<dimension>``, which would still name the old range): what remains is all a form can occupy."""

    def row(match: re.Match[bytes]) -> bytes:
        number = re.search(rb"\br=\"(\d+)\"", match[1] or match[0])
        if number and int(number[1]) > limits.max_rows:
            return b""
        if match[1] is None:  # <row .../>
            return match[0]
        return match[1] + _CELL_ELEMENT.sub(cell, match[2]) + match[3]

    def cell(match: re.Match[bytes]) -> bytes:
        ref = re.search(rb"\br=\"([A-Z]+)(\d+)\"", match[0])
        if ref and (_col_number(ref[1]) > limits.max_columns or int(ref[2]) > limits.max_rows):
            return b""
        return match[0]

    xml = _DIMENSION.sub(b"", xml, count=1)
    return _ROW_ELEMENT.sub(row, xml)


_ROW_ELEMENT = re.compile(rb"(<row\b[^>]*?(?<!/)>)(.*?)(</row>)|<row\b[^>]*/>", re.S)
_CELL_ELEMENT = re.compile(rb"<c\b[^>]*?/>|<c\b[^>]*?>.*?</c>", re.S)


def bounded_sheets(
    package: zipfile.ZipFile, data: bytes, parts: list[str], limits: Limits, path: Path = Path("?")
) -> tuple[bytes, dict[str, bytes]]:
    """Each sheet part's XML, decompressed once, with cells past the form's possible rectangle cut off; and the
    package bytes to hand to a reader (rebuilt only when a sheet had to be cut)."""
    sheets: dict[str, bytes] = {}
    cut = False
    for part in parts:
        try:
            xml = package.read(part)
        except KeyError:
            continue
        _check_head(xml[:1024], part, path)
        if beyond_rectangle(xml, limits):
            xml, cut = within_rectangle(xml, limits), True
        sheets[part] = xml
    if not cut:
        return data, sheets
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for info in package.infolist():
            rebuilt.writestr(info.filename, sheets.get(info.filename) or package.read(info))
    return out.getvalue(), sheets

"""Limits checked before a workbook is parsed: size, what kind of file it really is, zip bombs.

A workbook is read from disk once (:func:`read_package`); every later step works on those bytes, so the
input file is only ever opened for reading.
"""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ..errors import UnusableWorkbook

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    """How much an untrusted workbook may hold before xltool refuses to parse it.

    Each can be set in the environment: ``XLTOOL_MAX_FILE_MB``, ``XLTOOL_MAX_UNPACKED_MB``, ``XLTOOL_MAX_RATIO``,
    ``XLTOOL_MAX_ENTRIES``, ``XLTOOL_MAX_ROWS``.
    """

    max_file_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 300 * 1024 * 1024
    max_ratio: int = 200
    max_entries: int = 5000
    max_rows: int = 20000  # rows in any one sheet

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
        if "EncryptedPackage".encode("utf-16-le") in data[: 4 * 1024 * 1024]:
            raise UnusableWorkbook("file.encrypted", path=str(path))
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.old-xls")
    if head[:4] != ZIP_SIGNATURE:
        raise UnusableWorkbook("file.unreadable", path=str(path), detail_key="detail.not-zip")
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
            raise UnusableWorkbook("file.unreadable", path=str(path), detail_key=missing_key)
        for info in infos:
            # every row takes at least 6 bytes (<row/>): a smaller sheet cannot pass the limit and is not read
            if info.filename.startswith("xl/worksheets/") and info.file_size > 6 * limits.max_rows:
                _check_rows(package, info, path, limits)
        yield package


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
    """Parse XML with defusedxml (entity declarations and external references are refused); ``target`` receives
    the events (None builds a tree). Unsafe or broken XML is ``file.unreadable``."""
    parser = DefusedXMLParser(target=target)
    try:
        parser.feed(data)
        return parser.close()
    except (DefusedXmlException, ParseError) as exc:
        raise UnusableWorkbook(
            "file.unreadable", path=str(path), detail_key="detail.xml", error=type(exc).__name__
        ) from None

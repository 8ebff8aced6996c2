"""Reading a narrative report's text and tables from .docx, .txt or .md."""

from __future__ import annotations

import re
from pathlib import Path

from ..core.report_lint import ReportText
from ..errors import UsageError
from .safety import Limits, open_package, parse_xml, read_package

MAX_REPORT_BYTES = 20 * 1024 * 1024


def _plain_text(text: str) -> ReportText:
    """Text exported from Word (tables as runs of tab-led cell lines, rows split by blank lines) or Markdown
    (``| a | b |`` rows)."""
    paragraphs: list[str] = []
    tables: list[list[list[str]]] = []
    table: list[list[str]] = []
    row: list[str] = []
    lines = text.splitlines()
    for line in [*lines, ""]:
        if line.startswith("\t") and line.strip():
            row.append(line.strip())
            continue
        if line.strip().startswith("|") and line.strip().endswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                table.append(cells)
            continue
        if row:
            table.append(row)
            row = []
        if not line.strip():
            continue
        if table:
            tables.append(table)
            table = []
        cleaned = re.sub(r"\[bookmark: [^\]]*\]", "", line).strip()
        if cleaned:
            paragraphs.append(cleaned)
    if table:
        tables.append(table)
    return ReportText(paragraphs, tables)


def read_report(path: Path) -> ReportText:
    """The paragraphs and tables of a report file."""
    if not path.is_file():
        raise UsageError("file.not-found", path=str(path))
    if path.stat().st_size > MAX_REPORT_BYTES:
        raise UsageError("file.too-large", path=str(path), limit=f"{MAX_REPORT_BYTES} B")
    if path.suffix.lower() == ".docx":
        import io

        import docx

        limits = Limits.from_env()
        data = read_package(path, limits)
        with open_package(path, data, limits, "word/document.xml", "detail.no-document") as package:
            for info in package.infolist():  # entity declarations and external references are refused
                if info.filename.endswith((".xml", ".rels")):
                    parse_xml(package.read(info), None, path)
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises many types for a damaged package
            raise UsageError("file.unreadable", path=str(path), detail=type(exc).__name__) from None
        paragraphs = [p.text.strip() for p in document.paragraphs if p.text.strip()]
        tables = [[[cell.text.strip() for cell in row.cells] for row in table.rows] for table in document.tables]
        return ReportText(paragraphs, tables)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = path.read_text(encoding="gb18030")  # reports saved from Chinese Windows tools
        except UnicodeDecodeError:
            raise UsageError("document.encoding", path=str(path)) from None
    return _plain_text(text)

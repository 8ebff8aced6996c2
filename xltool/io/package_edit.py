"""Editing a user's workbook in place of re-saving it: only the parts that change are rewritten.

A spreadsheet library that loads and saves a workbook keeps only what it understands: openpyxl drops Excel 2010
data validations and conditional formats (``x14`` extensions), slicers, sparklines, images and more, with no
more than a Python warning. xltool never re-saves a user's workbook: it rewrites the few cells it fills (their
values, and the cached results of the formulas that depend on them) and the parts those edits need (shared
strings, a cell format), and copies every other part and every other byte of the changed parts as it was.

Edits are made on the XML text of a part, located by the cell reference; values are escaped; nothing here
evaluates or expands anything the file holds.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from .safety import Limits, open_package, read_package
from .xlsx_text import formula_like

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SST_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_XF = re.compile(rb"<xf\b[^>]*?(?:/>|>.*?</xf>)", re.S)


def _cell_pattern(ref: str) -> re.Pattern[bytes]:
    return re.compile(rb'<c r="' + ref.encode() + rb'"(?=[\s/>])[^>]*?(?:/>|>.*?</c>)', re.S)


def _number(value: float | int) -> bytes:
    return repr(float(value)).removesuffix(".0").encode() if isinstance(value, float) else str(value).encode()


def _text_xml(text: str) -> bytes:
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    clean = "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)
    return f"<t{space}>{escape(clean)}</t>".encode()


@dataclass
class WorkbookPackage:
    """The parts of a workbook package, read once and bounded by :class:`Limits`; edited parts are replaced
    and everything else is written back unchanged by :meth:`save`."""

    path: Path
    parts: dict[str, bytes]
    order: list[str]
    changed: set[str] = field(default_factory=set)
    _strings: list[bytes] | None = None
    _quoted: dict[int, int] = field(default_factory=dict)
    _sst: str = "xl/sharedStrings.xml"

    @classmethod
    def open(cls, path: Path, limits: Limits | None = None) -> WorkbookPackage:
        limits = limits or Limits.from_env()
        data = read_package(path, limits)
        with open_package(path, data, limits) as package:
            order = [info.filename for info in package.infolist()]
            parts = {name: package.read(name) for name in order}
        return cls(path, parts, order)

    # --- cells ---------------------------------------------------------------------------------------

    def set_value(self, part: str, ref: str, value: Any) -> None:
        """Write a typed value into a cell, keeping its format; text is a shared string (quote-prefixed when it
        looks like a formula), ``None`` empties the cell."""
        xml = self.parts[part]
        match = _cell_pattern(ref).search(xml)
        style = re.search(rb'\ss="(\d+)"', match[0][: match[0].find(b">") + 1]) if match else None
        s = int(style[1]) if style else 0
        if value is None or value == "":
            body, kind = b"", b""
        elif isinstance(value, bool):
            body, kind = b"<v>" + str(self._shared("是" if value else "否")).encode() + b"</v>", b' t="s"'
        elif isinstance(value, int | float):
            body, kind = b"<v>" + _number(value) + b"</v>", b""
        else:
            text = str(value)
            if formula_like(text):
                s = self._quote_prefixed(s)
            body, kind = b"<v>" + str(self._shared(text)).encode() + b"</v>", b' t="s"'
        attrs = f'r="{ref}"'.encode() + (f' s="{s}"'.encode() if s else b"") + kind
        cell = b"<c " + attrs + (b">" + body + b"</c>" if body else b"/>")
        self.parts[part] = _CellPlacer(xml).put(ref, cell, match)
        self.changed.add(part)

    def set_cached(self, part: str, ref: str, formula: str, value: Any) -> bool:
        """Store ``value`` as the cached result of the formula cell at ``ref`` when it holds ``formula`` (the
        formula the layout put there; a cell the user changed keeps what it has). True when it was stored."""
        xml = self.parts[part]
        match = _cell_pattern(ref).search(xml)
        if match is None:
            return False
        old = match[0]
        found = re.search(rb"<f>(.*?)</f>", old, re.S)
        if found is None or _unescape(found[1]) != formula.removeprefix("="):
            return False
        head = old[: old.find(b">") + 1]
        head = re.sub(rb'\st="[^"]*"', b"", head)
        if isinstance(value, str):
            head = head[:-1] + b' t="str">'
            cached = b"<v>" + escape(value).encode() + b"</v>" if value else b""
        elif isinstance(value, bool) or value is None:
            cached = b""
        else:
            cached = b"<v>" + _number(value) + b"</v>"
        cell = head + b"<f>" + found[1] + b"</f>" + cached + b"</c>"
        self.parts[part] = xml[: match.start()] + cell + xml[match.end() :]
        self.changed.add(part)
        return True

    def full_calc_on_load(self) -> None:
        """Ask spreadsheet programs to recalculate every formula when the workbook is opened."""
        book = self.parts["xl/workbook.xml"]
        calc = re.search(rb"<calcPr\b[^>]*?/>", book)
        if calc is None:
            book = re.sub(
                rb"(</sheets>(?:\s*<definedNames>.*?</definedNames>)?)",
                rb'\1<calcPr fullCalcOnLoad="1"/>',
                book,
                count=1,
                flags=re.S,
            )
        elif b"fullCalcOnLoad" not in calc[0]:
            book = book.replace(calc[0], calc[0][:-2].rstrip() + b' fullCalcOnLoad="1"/>', 1)
        self.parts["xl/workbook.xml"] = book
        self.changed.add("xl/workbook.xml")

    # --- shared strings and formats --------------------------------------------------------------------

    def _shared(self, text: str) -> int:
        if self._strings is None:
            self._strings = []
            rels = self.parts.get("xl/_rels/workbook.xml.rels", b"")
            target = re.search(rb'<Relationship\b[^>]*?Type="' + _SST_TYPE.encode() + rb'"[^>]*>', rels)
            found = re.search(rb'Target="([^"]+)"', target[0]) if target else None
            if found:
                name = found[1].decode()
                self._sst = name.lstrip("/") if name.startswith("/") else "xl/" + name
            if self._sst not in self.parts:
                self._add_shared_strings_part()
        self._strings.append(b"<si>" + _text_xml(text) + b"</si>")
        existing = len(re.findall(rb"<si\b", self.parts[self._sst]))
        return existing + len(self._strings) - 1

    def _add_shared_strings_part(self) -> None:
        self._sst = "xl/sharedStrings.xml"
        self.parts[self._sst] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" count="0" '
            'uniqueCount="0"></sst>'
        ).encode()
        self.order.append(self._sst)
        rels = "xl/_rels/workbook.xml.rels"
        self.parts[rels] = self.parts[rels].replace(
            b"</Relationships>",
            f'<Relationship Id="rIdXltoolSst" Type="{_SST_TYPE}" Target="sharedStrings.xml"/></Relationships>'.encode(),
        )
        types = "[Content_Types].xml"
        self.parts[types] = self.parts[types].replace(
            b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CONTENT}"/></Types>'.encode()
        )
        self.changed.update({rels, types})

    def _quote_prefixed(self, style: int) -> int:
        """The index of a cell format equal to ``style`` but with quotePrefix (added to styles.xml once)."""
        if style in self._quoted:
            return self._quoted[style]
        styles = self.parts["xl/styles.xml"]
        block = re.search(rb"(<cellXfs\b[^>]*>)(.*?)(</cellXfs>)", styles, re.S)
        if block is None:
            return style
        xfs = _XF.findall(block[2])
        if style >= len(xfs):
            return style
        xf = re.sub(rb'\squotePrefix="[^"]*"', b"", xfs[style])
        xf = re.sub(rb"^<xf\b", b'<xf quotePrefix="1"', xf)
        head = re.sub(rb'count="\d+"', f'count="{len(xfs) + 1}"'.encode(), block[1])
        styles = styles[: block.start()] + head + block[2] + xf + block[3] + styles[block.end() :]
        self.parts["xl/styles.xml"] = styles
        self.changed.add("xl/styles.xml")
        self._quoted[style] = len(xfs)
        return len(xfs)

    # --- writing ---------------------------------------------------------------------------------------

    def save(self, target: Path) -> None:
        """Write the package: changed parts as edited, every other part as it was, in the original order."""
        if self._strings:
            sst = self.parts[self._sst]
            total = len(re.findall(rb"<si\b", sst)) + len(self._strings)
            sst = re.sub(rb"<sst\b[^>]*?/>", lambda m: m[0][:-2] + b"></sst>", sst, count=1)
            sst = sst.replace(b"</sst>", b"".join(self._strings) + b"</sst>")
            head = re.search(rb"<sst\b[^>]*>", sst)
            assert head is not None
            new_head = re.sub(rb'\s(?:count|uniqueCount)="\d+"', b"", head[0])
            new_head = new_head[:-1] + f' count="{total}" uniqueCount="{total}">'.encode()
            self.parts[self._sst] = sst.replace(head[0], new_head, 1)
            self._strings = []
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name in self.order:
                out.writestr(name, self.parts[name])


def _unescape(formula: bytes) -> str:
    """A formula's text as stored in XML (entities and character references, as some writers store every
    non-ASCII character) back to the formula."""
    import html

    return html.unescape(formula.decode("utf-8", errors="replace"))


class _CellPlacer:
    """Puts a cell element into a sheet's XML: in place of the old one, or into its row in column order (the
    row created, in row order, when the sheet has none)."""

    def __init__(self, xml: bytes):
        self.xml = xml

    def put(self, ref: str, cell: bytes, match: re.Match[bytes] | None) -> bytes:
        xml = self.xml
        if match is not None:
            return xml[: match.start()] + cell + xml[match.end() :]
        col, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
        number = int(row)
        found = re.search(rb'<row r="' + row.encode() + rb'"[^>]*?(?:/>|>(.*?)</row>)', xml, re.S)
        if found is not None:
            start = found.start(1) if found[1] is not None else None
            if start is None:  # <row .../>: open it
                opened = found[0][:-2] + b">" + cell + b"</row>"
                return xml[: found.start()] + opened + xml[found.end() :]
            position = found.end(1)
            for other in re.finditer(rb'<c r="([A-Z]+)\d+"', found[1]):
                if _col_index(other[1].decode()) > _col_index(col):
                    position = start + other.start()
                    break
            return xml[:position] + cell + xml[position:]
        later: int | None = None
        for other in re.finditer(rb'<row r="(\d+)"', xml):
            if int(other[1]) > number:
                later = other.start()
                break
        new_row = f'<row r="{number}">'.encode() + cell + b"</row>"
        if later is not None:
            return xml[:later] + new_row + xml[later:]
        data = re.search(rb"<sheetData\s*/>", xml)
        if data is not None:
            return xml[: data.start()] + b"<sheetData>" + new_row + b"</sheetData>" + xml[data.end() :]
        end = xml.index(b"</sheetData>")
        return xml[:end] + new_row + xml[end:]


def _col_index(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number

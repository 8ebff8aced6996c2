"""Editing a user's workbook in place of re-saving it: only the parts that change are rewritten.

A spreadsheet library that loads and saves a workbook keeps only what it understands: openpyxl drops Excel 2010
data validations and conditional formats (``x14`` extensions), slicers, sparklines, images and more, with no
more than a Python warning. xltool never re-saves a user's workbook: it rewrites the few cells it fills (their
values, and the cached results of the formulas that depend on them) and the parts those edits need (shared
strings, a cell format), and copies every other part and every other byte of the changed parts as it was.

Edits are made on the XML text of a part, located by the cell reference; values are escaped; nothing here
evaluates or expands anything the file holds.

Size: :class:`WorkbookPackage` is one open package and the edits on it (cell values, cached formula results,
shared strings, one cell format, comments, highlighting), each a method of a few dozen lines over the same part
texts; a split would have to hand those texts across modules.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ..core.layout import a1, parse_a1
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
    names: dict[str, tuple[str, int, int, int, int]]  # defined names → (sheet, r1, c1, r2, c2)
    sheets: dict[str, str]  # sheet name → its part
    changed: set[str] = field(default_factory=set)
    _strings: list[bytes] | None = None
    _strings_before: int = 0
    _quoted: dict[int, int] = field(default_factory=dict)
    _sst: str = "xl/sharedStrings.xml"

    @classmethod
    def open(cls, path: Path, limits: Limits | None = None) -> WorkbookPackage:
        from .xlsx_reader import workbook_parts

        limits = limits or Limits.from_env()
        data = read_package(path, limits)
        with open_package(path, data, limits) as package:
            order = [info.filename for info in package.infolist()]
            parts = {name: package.read(name) for name in order}
            names, sheets = workbook_parts(package, path)
        return cls(path, parts, order, names, sheets)

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
            self._strings_before = len(re.findall(rb"<si\b", self.parts[self._sst]))
        self._strings.append(b"<si>" + _text_xml(text) + b"</si>")
        return self._strings_before + len(self._strings) - 1

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
            total = self._strings_before + len(self._strings)
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
        row_index, col_index = parse_a1(ref)
        number = row_index + 1
        found = re.search(rb'<row r="' + str(number).encode() + rb'"[^>]*?(?:/>|>(.*?)</row>)', xml, re.S)
        if found is not None:
            start = found.start(1) if found[1] is not None else None
            if start is None:  # <row .../>: open it
                opened = found[0][:-2] + b">" + cell + b"</row>"
                return xml[: found.start()] + opened + xml[found.end() :]
            position = found.end(1)
            for other in re.finditer(rb'<c r="([A-Z]+\d+)"', found[1]):
                if parse_a1(other[1].decode())[1] > col_index:
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


def cache_results(package: WorkbookPackage, layout: Any, results: dict[str, Any]) -> None:
    """Store the engine's value of every formula the layout puts in a workbook as that cell's cached result
    (where the cell still holds the layout's formula)."""
    for sheet in layout.sheets:
        part = package.sheets.get(sheet.name)
        if not part or part not in package.parts:
            continue
        for cell in sheet.cells:
            formula = isinstance(cell.value, str) and cell.value.startswith("=") and cell.kind != "input"
            if formula and cell.result and cell.result in results:
                package.set_cached(part, a1(cell.row, cell.col), str(cell.value), results[cell.result])


def drop_macros(package: WorkbookPackage) -> None:
    """Remove a VBA project (and its signature) with the relationships and content types that name it: a copy
    xltool writes never carries macros."""
    macro = [name for name in package.order if re.search(r"(^|/)vbaProject(Signature)?\.bin$", name)]
    for name in macro:
        package.order.remove(name)
        del package.parts[name]
        target = name.rsplit("/", 1)[-1].encode()
        for holder in [n for n in package.parts if n.endswith(".rels")] + ["[Content_Types].xml"]:
            data = package.parts[holder]
            cleaned = re.sub(rb"<(?:Relationship|Override)\b[^>]*" + re.escape(target) + rb'"[^>]*/>', b"", data)
            if cleaned != data:
                package.parts[holder] = cleaned
                package.changed.add(holder)


# ---------------------------------------------------------------------------------------------- annotations

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_COMMENTS_TYPE = f"{_REL}/comments"
_VML_TYPE = f"{_REL}/vmlDrawing"
_COMMENTS_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_VML_CONTENT = "application/vnd.openxmlformats-officedocument.vmlDrawing"
#: What may follow <legacyDrawing> in a worksheet (CT_Worksheet's order): it goes before the first of these.
_AFTER_LEGACY = (
    b"<legacyDrawingHF",
    b"<drawingHF",
    b"<picture",
    b"<oleObjects",
    b"<controls",
    b"<webPublishItems",
    b"<tableParts",
    b"<extLst",
    b"</worksheet>",
)
_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
    'data="{block}"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
    'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" '
    'o:connecttype="rect"/></v:shapetype>'
)


def _rels_part(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def _target(base: str, target: str) -> str:
    """A relationship target resolved against the folder of the part that holds it."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.rsplit("/", 1)[0].split("/")
    for step in target.split("/"):
        if step == "..":
            parts.pop()
        elif step not in ("", "."):
            parts.append(step)
    return "/".join(parts)


def _vml_shape(shape_id: int, row: int, col: int, lines: int) -> str:
    height = 4 + min(lines, 12)
    return (
        f'<v:shape id="_x0000_s{shape_id}" type="#_x0000_t202" style="position:absolute;margin-left:60pt;'
        f'margin-top:2pt;width:240pt;height:{12 * height}pt;z-index:{shape_id};visibility:hidden" '
        'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" '
        'obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div '
        'style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
        f"<x:SizeWithCells/><x:Anchor>{col + 1}, 15, {row}, 10, {col + 5}, 15, {row + height}, 4</x:Anchor>"
        f"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData></v:shape>"
    )


class Annotator:
    """Marks cells of a :class:`WorkbookPackage`: a fill colour (a copy of the cell's own format with that fill)
    and a comment (Excel's comment parts, added to the sheet's or joined to the ones it has)."""

    def __init__(self, package: WorkbookPackage):
        self.package = package
        self.filled: dict[tuple[int, str], int] = {}
        self.blocks = 0

    def fill(self, part: str, ref: str, rgb: str) -> None:
        xml = self.package.parts[part]
        match = _cell_pattern(ref).search(xml)
        if match is None:
            self.package.set_value(part, ref, None)
            xml = self.package.parts[part]
            match = _cell_pattern(ref).search(xml)
            assert match is not None
        head = match[0][: match[0].find(b">") + 1]
        style = re.search(rb'\ss="(\d+)"', head)
        new = self._filled_style(int(style[1]) if style else 0, rgb)
        if style:
            cell = match[0].replace(style[0], f' s="{new}"'.encode(), 1)
        else:
            cell = match[0].replace(b"<c ", f'<c s="{new}" '.encode(), 1)
        self.package.parts[part] = xml[: match.start()] + cell + xml[match.end() :]
        self.package.changed.add(part)

    def _filled_style(self, style: int, rgb: str) -> int:
        if (style, rgb) in self.filled:
            return self.filled[(style, rgb)]
        styles = self.package.parts["xl/styles.xml"]
        fills = re.search(rb"(<fills\b[^>]*>)(.*?)(</fills>)", styles, re.S)
        block = re.search(rb"(<cellXfs\b[^>]*>)(.*?)(</cellXfs>)", styles, re.S)
        if fills is None or block is None:
            return style
        count = len(re.findall(rb"<fill\b", fills[2]))
        fill = f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
        fills_head = re.sub(rb'count="\d+"', f'count="{count + 1}"'.encode(), fills[1])
        styles = styles[: fills.start()] + fills_head + fills[2] + fill.encode() + fills[3] + styles[fills.end() :]
        block = re.search(rb"(<cellXfs\b[^>]*>)(.*?)(</cellXfs>)", styles, re.S)
        assert block is not None
        xfs = _XF.findall(block[2])
        xf = xfs[style] if style < len(xfs) else b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        xf = re.sub(rb'\s(?:fillId|applyFill)="[^"]*"', b"", xf)
        xf = re.sub(rb"^<xf\b", f'<xf fillId="{count}" applyFill="1"'.encode(), xf)
        head = re.sub(rb'count="\d+"', f'count="{len(xfs) + 1}"'.encode(), block[1])
        styles = styles[: block.start()] + head + block[2] + xf + block[3] + styles[block.end() :]
        self.package.parts["xl/styles.xml"] = styles
        self.package.changed.add("xl/styles.xml")
        self.filled[(style, rgb)] = len(xfs)
        return len(xfs)

    def comments(self, part: str, notes: dict[str, str], author: str = "xltool") -> None:
        """Add a comment to each cell of ``notes`` (``{A1 ref: text}``) on the sheet ``part``."""
        if not notes:
            return
        pkg = self.package
        rels_name = _rels_part(part)
        rels = pkg.parts.get(
            rels_name,
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b"</Relationships>",
        )
        comments_part = vml_part = None
        for rel in re.finditer(rb"<Relationship\b[^>]*>", rels):
            target = re.search(rb'Target="([^"]+)"', rel[0])
            if target is None:
                continue
            if _COMMENTS_TYPE.encode() + b'"' in rel[0]:
                comments_part = _target(part, target[1].decode())
            elif _VML_TYPE.encode() + b'"' in rel[0]:
                vml_part = _target(part, target[1].decode())
        self.blocks += 1
        block = 100 + self.blocks
        if comments_part is None or vml_part is None or comments_part not in pkg.parts or vml_part not in pkg.parts:
            n = self.blocks
            comments_part, vml_part = f"xl/xltoolComments{n}.xml", f"xl/drawings/xltoolComments{n}.vml"
            pkg.parts[comments_part] = (
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="{_MAIN}"><authors>'
                "</authors><commentList></commentList></comments>"
            ).encode()
            pkg.parts[vml_part] = (_VML_HEAD.format(block=block) + "</xml>").encode()
            pkg.order += [comments_part, vml_part]
            rel_c, rel_v = f"rIdXltoolC{n}", f"rIdXltoolV{n}"
            added = (
                f'<Relationship Id="{rel_c}" Type="{_COMMENTS_TYPE}" Target="/{comments_part}"/>'
                f'<Relationship Id="{rel_v}" Type="{_VML_TYPE}" Target="/{vml_part}"/>'
            ).encode()
            if rels_name not in pkg.parts:
                pkg.order.append(rels_name)
            pkg.parts[rels_name] = rels.replace(b"</Relationships>", added + b"</Relationships>")
            xml = pkg.parts[part]
            if b"<legacyDrawing " in xml:  # a drawing of controls without comments: keep it, no comments here
                return
            position = min((xml.find(tag) for tag in _AFTER_LEGACY if xml.find(tag) != -1), default=len(xml))
            xml = xml[:position] + f'<legacyDrawing r:id="{rel_v}"/>'.encode() + xml[position:]
            if b"xmlns:r=" not in xml[: xml.find(b">", xml.find(b"<worksheet")) + 1]:
                xml = xml.replace(b"<worksheet ", f'<worksheet xmlns:r="{_REL}" '.encode(), 1)
            pkg.parts[part] = xml
            types = pkg.parts["[Content_Types].xml"]
            if b'Extension="vml"' not in types:
                types = types.replace(
                    b"</Types>", f'<Default Extension="vml" ContentType="{_VML_CONTENT}"/></Types>'.encode()
                )
            types = types.replace(
                b"</Types>",
                f'<Override PartName="/{comments_part}" ContentType="{_COMMENTS_CONTENT}"/></Types>'.encode(),
            )
            pkg.parts["[Content_Types].xml"] = types
            pkg.changed.update({part, rels_name, "[Content_Types].xml"})
        self._write_comments(comments_part, vml_part, notes, author)

    def _write_comments(self, comments_part: str, vml_part: str, notes: dict[str, str], author: str) -> None:
        pkg = self.package
        xml = pkg.parts[comments_part]
        authors = re.findall(rb"<author>(.*?)</author>", xml, re.S)
        if escape(author).encode() in authors:
            author_id = authors.index(escape(author).encode())
        else:
            author_id = len(authors)
            xml = re.sub(rb"<authors\s*/>", b"<authors></authors>", xml, count=1)
            xml = xml.replace(b"</authors>", f"<author>{escape(author)}</author></authors>".encode(), 1)
        vml = pkg.parts[vml_part]
        shapes = []
        base = int(re.search(rb'data="(\d+)', vml)[1]) if re.search(rb'data="(\d+)', vml) else 1  # type: ignore[index]
        existing = len(re.findall(rb"<v:shape\b", vml))
        for i, (ref, text) in enumerate(notes.items()):
            body = b'<text><r><t xml:space="preserve">' + escape(text).encode() + b"</t></r></text>"
            old = re.search(rb'<comment ref="' + ref.encode() + rb'"[^>]*>.*?</text>', xml, re.S)
            if old is not None:  # the cell has a comment already: xltool's text is added to it
                extra = b'<r><t xml:space="preserve">\n' + escape(text).encode() + b"</t></r></text>"
                xml = xml[: old.end() - len(b"</text>")] + extra + xml[old.end() :]
                continue
            comment = f'<comment ref="{ref}" authorId="{author_id}">'.encode() + body + b"</comment>"
            xml = re.sub(rb"<commentList\s*/>", b"<commentList></commentList>", xml, count=1)
            xml = xml.replace(b"</commentList>", comment + b"</commentList>", 1)
            row, col = parse_a1(ref)
            shapes.append(
                _vml_shape(
                    base * 1024 + existing + i + 1,
                    row,
                    col,
                    text.count("\n") + len(text) // 22,
                )
            )
        pkg.parts[comments_part] = xml
        pkg.parts[vml_part] = vml.replace(b"</xml>", "".join(shapes).encode() + b"</xml>")
        pkg.changed.update({comments_part, vml_part})

"""The report as a Word document (python-docx), in the style of official documents (GB/T 9704).

python-docx sets only the Latin font of a style; Chinese text needs ``w:eastAsia`` on ``w:rFonts`` as well,
which is set here for every style used (title 方正小标宋简体, 一级标题 黑体, 二级标题 楷体_GB2312, body 仿宋_GB2312).
A4 with the official margins, page numbers in the footer, tables with their header row repeated on every page.
With ``--style-template`` the user's own styles are used as they are; only missing ones are added.
"""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ..core.narrative import Heading, Paragraph, Report, Table

TITLE_FONT, H1_FONT, H2_FONT, BODY_FONT, LATIN = (
    "方正小标宋简体",
    "黑体",
    "楷体_GB2312",
    "仿宋_GB2312",
    "Times New Roman",
)
#: Where a named font is missing on the reader's machine: the font Windows itself has (宋体 SimSun, 黑体 SimHei,
#: 楷体 KaiTi, 仿宋 FangSong), declared as the alternative name in the document's font table, with the GB2312
#: character set and the font family so that Word, WPS and LibreOffice substitute alike.
FALLBACKS = {
    TITLE_FONT: ("宋体", "roman"),
    H1_FONT: ("SimHei", "modern"),
    H2_FONT: ("楷体", "modern"),
    BODY_FONT: ("仿宋", "modern"),
}
_THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))
TABLE_STYLE = "xltool表格文字"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe(text: str) -> str:
    """Text Word can hold: control characters (which would corrupt the XML) removed."""
    return _XML_ILLEGAL.sub("", text)


def _fonts(element: object, east_asia: str, latin: str = LATIN) -> None:
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:  # a theme font would win over the fonts named here
        fonts.attrib.pop(attr, None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(
    doc: DocxDocument,
    name: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    base: str | None = None,
    align: int | None = None,
    indent: bool = False,
    exact: float | None = 28,
    before: float = 0,
    after: float = 0,
    configure: bool = True,
) -> None:
    styles = doc.styles
    try:
        style = styles[name]
        if not configure:
            return
    except KeyError:
        from docx.enum.style import WD_STYLE_TYPE

        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base:
            style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.name = LATIN
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element, font)
    fmt = style.paragraph_format
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact)
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    if align is not None:
        fmt.alignment = align
    fmt.keep_with_next = name.startswith("Heading") or name == "Title"


def _page_number(doc: DocxDocument) -> None:
    footer = doc.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, None), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)
    footer.add_run(" —")
    for r in footer.runs:
        r.font.size = Pt(14)
        _fonts(r._r, BODY_FONT)


def _setup(doc: DocxDocument, own_styles: bool) -> None:
    section = doc.sections[0]
    if own_styles:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    configure = own_styles
    _style(doc, "Normal", BODY_FONT, 16, indent=True, configure=configure)
    _style(doc, "Title", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, exact=36, after=12, configure=configure)
    _style(doc, "Subtitle", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER, after=12, configure=configure)
    _style(doc, "Heading 1", H1_FONT, 16, configure=configure)
    _style(doc, "Heading 2", H2_FONT, 16, configure=configure)
    _style(doc, "Heading 3", BODY_FONT, 16, bold=True, configure=configure)
    _style(
        doc, "Caption", H1_FONT, 12, align=WD_ALIGN_PARAGRAPH.CENTER, exact=None, before=6, after=4, configure=configure
    )
    _style(doc, TABLE_STYLE, BODY_FONT, 11, base="Normal", exact=None, configure=True)
    if own_styles:
        for name in ("Heading 1", "Heading 2", "Heading 3"):
            doc.styles[name].paragraph_format.first_line_indent = Pt(32)
        title_ppr = doc.styles["Title"].element.pPr
        border = title_ppr.find(qn("w:pBdr")) if title_ppr is not None else None
        if border is not None:  # the default template underlines titles in blue; official documents do not
            title_ppr.remove(border)
        _no_theme_fonts(doc)
        _font_table(doc)
    if not doc.sections[0].footer.paragraphs[0].text:
        _page_number(doc)


def _no_theme_fonts(doc: DocxDocument) -> None:
    """Drop theme font references from every style and the document defaults: the default template's theme
    names Calibri and a Japanese Gothic, which would replace the fonts the styles name."""
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        themed = [attr for attr in _THEME_ATTRS if attr in fonts.attrib]
        for attr in themed:
            del fonts.attrib[attr]
        if themed and fonts.get(qn("w:eastAsia")) is None:
            fonts.set(qn("w:eastAsia"), BODY_FONT)
            for attr in ("w:ascii", "w:hAnsi", "w:cs"):
                fonts.set(qn(attr), fonts.get(qn(attr)) or LATIN)


def _font_table(doc: DocxDocument) -> None:
    """Declare each font the styles name in the font table, with the Windows font to use in its place."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.parser import parse_xml

    part = doc.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(part.blob)
    for font in list(table.findall(qn("w:font"))):
        if font.get(qn("w:name")) in FALLBACKS:
            table.remove(font)
    for name, (alternative, family) in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alternative),
            ("w:charset", "86"),
            ("w:family", family),
            ("w:pitch", "variable"),
        ):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        table.append(font)
    from lxml import etree

    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def _cell_text(cell: object, text: str, *, right: bool, bold: bool, header: bool) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.style = TABLE_STYLE
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.alignment = (
        WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    )
    run = paragraph.add_run(safe(text))
    run.bold = bold or header
    if header:
        _fonts(run._r, H1_FONT)


def _table(doc: DocxDocument, block: Table) -> None:
    if block.caption:
        doc.add_paragraph(safe(block.caption), style="Caption")
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(block.widths)
    usable = Cm(15.6)
    widths = [int(usable * w / total) for w in block.widths]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice and WPS follow
    for i, label in enumerate(block.header):
        cell = table.rows[0].cells[i]
        cell.width = widths[i]
        _cell_text(cell, label, right=False, bold=True, header=True)
    _repeat_header(table.rows[0])
    for index, row in enumerate(block.rows):
        cells = table.add_row().cells
        for i, value in enumerate(row):
            cells[i].width = widths[i]
            _cell_text(cells[i], value, right=block.numeric[i], bold=index in block.emphasis, header=False)
    spacer = doc.add_paragraph()
    spacer.paragraph_format.first_line_indent = Pt(0)


def write_docx(report: Report, path: Path, style_template: Path | None = None) -> None:
    """Write ``report`` to ``path`` (.docx), with the styles of ``style_template`` when one is given."""
    if style_template is not None:
        doc = open_docx(str(style_template))
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
    else:
        doc = open_docx()
    _setup(doc, own_styles=style_template is None)
    doc.core_properties.title = safe(report.title)
    doc.core_properties.author = "xltool"
    doc.add_paragraph(safe(report.title), style="Title")
    if report.subtitle:
        doc.add_paragraph(safe(report.subtitle), style="Subtitle")
    for block in report.blocks:
        if isinstance(block, Heading):
            doc.add_paragraph(safe(block.text), style=f"Heading {block.level}")
        elif isinstance(block, Paragraph):
            paragraph = doc.add_paragraph(style="Normal")
            if not block.indent:
                paragraph.paragraph_format.first_line_indent = None
            for part in block.runs:
                run = paragraph.add_run(safe(part.text))
                run.bold = part.bold or None
                if part.placeholder:
                    run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        else:
            _table(doc, block)
    doc.save(str(path))

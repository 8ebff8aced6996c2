"""Write the hostile-input corpus: every kind of broken or malicious workbook xltool must survive.

Run: python tests/data/hostile/make_corpus.py OUTDIR  (the tests call :func:`build` into a temporary folder).
Every file is made here from a valid filled workbook or from scratch; nothing is a hand-made binary.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parents[3]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _valid(folder: Path) -> Path:
    from xltool import api

    path = folder / "_valid.xlsx"
    if not path.exists():
        api.fill(yaml.safe_load((ROOT / "examples" / "donghu.yaml").read_text(encoding="utf-8")), path)
    return path


def _rezip(
    source: Path,
    target: Path,
    replace: dict[str, bytes],
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> None:
    """Copy a package, replacing, adding or dropping parts."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in (add or {}).items():
            new.writestr(name, data)


def _sheet_part(source: Path, sheet: str) -> str:
    """The package part of a sheet, read from workbook.xml and its relationships."""
    import re

    with zipfile.ZipFile(source) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet\b[^>]*\bname="{sheet}"[^>]*\br:id="(rId\d+)"', book)
    assert rid, sheet
    target = re.search(rf'Id="{rid[1]}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'Target="([^"]+)"[^>]*Id="{rid[1]}"', rels
    )
    assert target
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


def build(folder: Path) -> dict[str, str]:
    """Write the corpus into ``folder``; returns {file name: what it is}."""
    folder.mkdir(parents=True, exist_ok=True)
    valid = _valid(folder)
    data = valid.read_bytes()
    made: dict[str, str] = {}

    def put(name: str, what: str, content: bytes | None = None) -> Path:
        path = folder / name
        if content is not None:
            path.write_bytes(content)
        made[name] = what
        return path

    put("not-a-zip.xlsx", "plain text named .xlsx", "这不是工作簿\n".encode())
    put("csv-renamed.xlsx", "a CSV file renamed .xlsx", "单位,总分\n东湖区,96\n".encode())
    put("truncated.xlsx", "the first 40% of a real workbook", data[: len(data) * 2 // 5])
    put("empty.xlsx", "an empty file", b"")
    put(
        "encrypted.xlsx",
        "an encrypted (password to open) workbook: OLE container with an EncryptedPackage stream",
        OLE + b"\0" * 1024 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2048,
    )
    put("legacy.xls", "an old binary .xls (OLE container)", OLE + b"\0" * 4096 + "Workbook".encode("utf-16-le"))

    bomb = put("zip-bomb.xlsx", "a tiny file whose sheet inflates to 320 MB")
    with zipfile.ZipFile(valid) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info.filename))
        with new.open("xl/worksheets/sheet99.xml", "w", force_zip64=True) as huge:
            block = b" " * (1 << 20)
            for _ in range(320):
                huge.write(block)

    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
        b'&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
        b'&lol2;">]><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<definedNames><definedName name="x">&lol3;</definedName></definedNames></workbook>'
    )
    _rezip(
        valid, put("billion-laughs.xlsx", "workbook.xml with nested entity declarations"), {"xl/workbook.xml": laughs}
    )
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/>'
        b'<definedNames><definedName name="x">&xxe;</definedName></definedNames></workbook>'
    )
    _rezip(valid, put("external-entity.xlsx", "workbook.xml with an external entity (XXE)"), {"xl/workbook.xml": xxe})

    rows = io.BytesIO()
    rows.write(
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
    )
    for r in range(1, 1_048_577):
        rows.write(b'<row r="%d"/>' % r)
    rows.write(b"</sheetData></worksheet>")
    part = _sheet_part(valid, "绩效指标")
    _rezip(valid, put("million-rows.xlsx", "a sheet of 1,048,576 rows"), {part: rows.getvalue()})

    _rezip(
        valid,
        put("macro.xlsm", "a workbook carrying a VBA project (never run, never copied)"),
        {},
        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b'Attribute VB_Name = "Module1"\nSub AutoOpen()\n'},
    )

    def edit(name: str, what: str, change: object) -> None:
        book = openpyxl.load_workbook(valid)
        change(book)  # type: ignore[operator]
        book.save(put(name, what))

    edit("sheet-deleted.xlsx", "the 绩效指标 sheet deleted", lambda b: b.remove(b["绩效指标"]))
    edit(
        "sheet-renamed.xlsx",
        "the 绩效指标 sheet renamed (defined names left pointing at the old name)",
        lambda b: setattr(b["绩效指标"], "title", "指标"),
    )
    edit("sheet-hidden.xlsx", "the 绩效指标 sheet hidden", lambda b: setattr(b["绩效指标"], "sheet_state", "hidden"))
    edit("meta-removed.xlsx", "the template identity removed", lambda b: b.remove(b["_xltool"]))

    def future(book: openpyxl.Workbook) -> None:
        for row in book["_xltool"].iter_rows(max_col=2):
            if row[0].value == "template_version":
                row[1].value = "999"

    edit("future-version.xlsx", "a template version newer than xltool knows", future)

    def formulas(book: openpyxl.Workbook) -> None:
        book["自评表"]["D10"] = "=B10*0.95"
        book["绩效指标"]["F4"] = "=100+26"

    edit("formulas-in-inputs.xlsx", "formulas typed where numbers belong", formulas)

    def long_text(book: openpyxl.Workbook) -> None:
        book["文字说明"]["B4"] = "很长的说明" * 20_000  # openpyxl keeps Excel's 32,767; the XML gets it all below

    edit("long-text.xlsx", "a narrative cell of 100,000 characters (beyond Excel's own limit)", long_text)
    import re

    long_path = folder / "long-text.xlsx"
    part = _sheet_part(long_path, "文字说明")
    with zipfile.ZipFile(long_path) as z:
        sheet = z.read(part).decode()
    full = "很长的说明" * 20_000
    sheet = re.sub(r'(<c r="B4"[^>]*>\s*<is>\s*<t>)[^<]*(</t>)', lambda m: m[1] + full + m[2], sheet, count=1)
    assert full in sheet
    _rezip(long_path, folder / "long-text.tmp", {part: sheet.encode()})
    (folder / "long-text.tmp").replace(long_path)

    def injection(book: openpyxl.Workbook) -> None:
        book["自评表"]["B3"] = "=cmd|' /C calc'!A0"
        book["绩效指标"]["C4"] = '=HYPERLINK("http://evil.example","点我")'
        book["绩效指标"]["C5"] = "+1+1"
        book["绩效指标"]["C6"] = "@SUM(1)"
        book["绩效指标"]["C7"] = "-2+3"
        for ref in ("B3",):
            book["自评表"][ref].data_type = "s"
        for ref in ("C4", "C5", "C6", "C7"):
            book["绩效指标"][ref].data_type = "s"

    edit("formula-injection.xlsx", "texts starting with = + - @ (DDE, HYPERLINK)", injection)

    def stray(ref: str) -> object:
        def change(book: openpyxl.Workbook) -> None:
            book["绩效指标"][ref] = "x"

        return change

    edit("stray-cell-xfd.xlsx", "one value typed at XFD1048576 (A1 to it is 17 billion cells)", stray("XFD1048576"))
    edit("stray-cell-az.xlsx", "one value typed at AZ1048576", stray("AZ1048576"))
    edit(
        "stray-cell-meta.xlsx",
        "one value at XFD1048576 of the hidden identity sheet",
        lambda b: b["_xltool"].cell(1048576, 16384, "x"),
    )

    from xltool import api

    doc = yaml.safe_load((ROOT / "examples" / "donghu.yaml").read_text(encoding="utf-8"))
    doc["unit"]["name"] = "东湖区\x07\x00\x1b[31m网信办\u202e"
    doc["narrative"]["problems"] = "问题\x0b\x0c说明\ufeff"
    api.fill(doc, put("control-characters.xlsx", "control and invisible characters in texts"))
    return made


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for name, what in build(out).items():
        print(f"{name:28} {what}")

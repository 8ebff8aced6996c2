"""A report as the rules read it: paragraphs cut into sentences, each sentence in its section, text normalised.

Real reports come as Word documents, PDFs, web pages and text copied from them: one line a paragraph, or a whole
report on one line with its headings inside (text taken from a PDF). Sentences end at 。！？ (a ``;`` stays inside:
a list of parts runs across semicolons); a heading 一、…十、 opens a section wherever it stands, because a budget
stated under 一、 and its rate under 二、 are not to be compared.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_END = re.compile(r"(?<=[。!?！？])")
_SECTION = re.compile(r"(?:^|[\s。])[一二三四五六七八九十]{1,3}、")


@dataclass
class ReportText:
    """A report as paragraphs (in order) and tables (rows of cell texts); ``pages`` gives the page of each
    paragraph when the source has pages (PDF)."""

    paragraphs: list[str]
    tables: list[list[list[str]]] = field(default_factory=list)
    pages: list[int] | None = None

    def page(self, paragraph: int | None) -> int | None:
        if self.pages is None or paragraph is None or paragraph >= len(self.pages):
            return None
        return self.pages[paragraph]


# pages shown through a site's traditional-script switch: the units at least are read
_TRADITIONAL = str.maketrans(
    dict(
        zip(
            "萬億個項減預執撥決數資經費總計實際額結轉餘職稱級員與較撥達佔",
            "万亿个项减预执拨决数资经费总计实际额结转余职称级员与较拨达占",
            strict=True,
        )
    )
    | {"≧": "≥", "≦": "≤"}
)


def normalise(text: str) -> str:
    """Full-width forms folded (，→, ：→: （→( ％→%), non-breaking and ideographic spaces made plain, the
    traditional forms of units and budget words (萬元, 預算, 執行) made simplified. Offsets are kept: one character for one."""
    folded = unicodedata.normalize("NFKC", text)
    if len(folded) != len(text):  # some character folds to several (㎡ → m2): fold one by one, keep the rest
        folded = "".join(f if len(f := unicodedata.normalize("NFKC", ch)) == 1 else ch for ch in text)
    return folded.replace("\u3000", " ").replace("\xa0", " ").translate(_TRADITIONAL)


@dataclass(frozen=True)
class Sentence:
    """One sentence: where it stands (paragraph, its number in the paragraph, section) and its text as written
    (``raw``) and normalised (``text``, same length)."""

    paragraph: int
    number: int
    section: int
    raw: str
    text: str
    index: int  # position among all sentences of the report


def sentences(report: ReportText) -> list[Sentence]:
    out: list[Sentence] = []
    section = 0
    for p, paragraph in enumerate(report.paragraphs):
        pieces = [s for s in _END.split(paragraph) if s.strip()]
        for n, raw in enumerate(pieces):
            text = normalise(raw)
            if _SECTION.search(text if n else "\n" + text):
                section += 1
            out.append(Sentence(p, n, section, raw.strip(), text.strip(), len(out)))
    return out


def mask_brackets(text: str) -> str:
    """The text with every bracketed aside blanked (same length): “(含…5个)” is not one of the listed parts."""
    out = list(text)
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([【":
            depth += 1
        if depth:
            out[i] = " "
        if ch in ")]】" and depth:
            depth -= 1
    return "".join(out)


def bracketed(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each outermost bracketed aside, brackets excluded."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i + 1
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans

"""What every rule of lint-report shares: the report read into sentences, the finding it adds, and how figures
are compared at the precision they are shown in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from ..findings import Finding
from ..spec import Profile
from .document import ReportText, Sentence, bracketed, sentences
from .quantities import Figure, figures


def half_unit(shown: int) -> Decimal:
    """Half a unit in the last shown place: how far a figure shown with ``shown`` decimals may be from its value."""
    return Decimal(5).scaleb(-(shown + 1))


def truncate(value: Decimal, shown: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-shown), rounding=ROUND_DOWN)


def sum_slack(items: Iterable[Figure]) -> Decimal:
    """How far a stated total may be from the sum of its stated parts and still be the same money: each figure
    may be rounded in its last place, so a sum of many rounded parts carries a 尾差 of a unit now and then — one unit
    of the finest place shown for every three parts."""
    items = list(items)
    if all(f.kind not in ("money", "points") for f in items):
        return Decimal(0)
    return rounding_slack(max((f.places for f in items), default=0), len(items) - 1)


def rounding_slack(finest: int, parts: int) -> Decimal:
    """One unit of the finest decimal place shown for every three parts (none when all are whole numbers)."""
    return Decimal(1).scaleb(-finest) * max(1, parts // 3) if finest else Decimal(0)


@dataclass
class Lint:
    """One report being checked: its sentences with their figures, and the findings so far."""

    report: ReportText
    profile: Profile
    out: list[Finding] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.sentences: list[Sentence] = sentences(self.report)
        self.figures: list[list[Figure]] = [figures(s.text) for s in self.sentences]
        self.asides: list[list[tuple[int, int]]] = [bracketed(s.text) for s in self.sentences]

    def add(
        self,
        code: str,
        variant: str,
        *,
        at: Sentence | None = None,
        paragraph: int | None = None,
        quote: str | None = None,
        table: int | None = None,
        row: int | None = None,
        expected: object = None,
        found: object = None,
        **params: object,
    ) -> None:
        if at is not None:
            paragraph, quote = at.paragraph, quote or at.raw
        key = (code, paragraph, quote.strip() if quote else None, table, row)
        if key in self.seen:
            return  # two rules seeing the same contradiction report it once
        self.seen.add(key)
        self.out.append(
            Finding(
                code,
                "error",
                expected=expected,
                found=found,
                params=dict(params, row=row) if row is not None else dict(params),
                variant=variant,
                paragraph=paragraph,
                sentence=quote.strip() if quote else None,
                table=table,
                row=row,
                page=self.report.page(paragraph),
                sentence_number=at.number if at is not None else None,
            )
        )

    def aside(self, s: Sentence, position: int) -> bool:
        """Whether ``position`` of the sentence lies inside a bracketed aside (“(含…5个)”)."""
        return any(a <= position < b for a, b in self.asides[s.index])

    def free(self, s: Sentence) -> list[Figure]:
        """The sentence's figures outside its bracketed asides."""
        return [f for f in self.figures[s.index] if not self.aside(s, f.start)]

    def before(self, s: Sentence) -> Sentence | None:
        """The sentence just before ``s`` in the same paragraph, if any."""
        prev = self.previous(s)
        return prev if prev is not None and prev.paragraph == s.paragraph else None

    def previous(self, s: Sentence, back: int = 1) -> Sentence | None:
        """The sentence ``back`` before ``s`` in the same section, if any."""
        i = s.index - back
        if i < 0 or self.sentences[i].section != s.section:
            return None
        return self.sentences[i]

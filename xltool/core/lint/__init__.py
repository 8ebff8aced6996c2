"""lint-report: the figures inside a narrative report checked against each other (pure: text in, findings out).

Each rule family is a module with its ``CODES`` and a ``run(lint)``: sums (a total and its parts), rates (a rate
and the amounts it comes from), changes, counts, the money block of a form published as text, and the score
table. They read the report as sentences of figures with the words around them (:mod:`.quantities`), so they
follow how budgets are actually written rather than fixed sentences. Precision comes before recall: a relation
the text does not state clearly is not judged.
"""

from __future__ import annotations

from ..findings import Finding
from ..spec import Profile
from . import balance, changes, counts, rates, scores, sums, text_tables
from .against import lint_against
from .base import Lint
from .document import ReportText

RULES = (sums, balance, rates, changes, counts, text_tables, scores)


def lint_text(text: ReportText, profile: Profile) -> list[Finding]:
    """Every inconsistency the rules recognise in a report's text and tables, in reading order."""
    lint = Lint(text, profile)
    for rule in RULES:
        rule.run(lint)
    return sorted(
        lint.out,
        key=lambda f: (f.paragraph if f.paragraph is not None else 10**9, f.sentence_number or 0, f.table or 0),
    )


__all__ = ["RULES", "ReportText", "lint_against", "lint_text"]

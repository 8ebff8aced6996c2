"""Every check a careful auditor would make on one evaluation document (pure; collects all, never stops).

One family of checks per module, each declaring the codes it may emit (``CODES``, declared in the registry)
and, where it applies only to some documents, ``applies``. :data:`CHECKS` is their order. Adding a check is
one module here, its codes in ``specs/findings.yaml`` and a test.

:func:`check_document` returns findings with stable codes and field paths; locating them in cells and
rendering their messages happen at the edge. :func:`apply_explanations` marks warnings a unit explained in
its 审核说明 sheet (errors cannot be explained away).
"""

from __future__ import annotations

from types import ModuleType

from ..document import Document, Note
from ..findings import Finding
from ..scores import Scores
from ..spec import FormSpec, Profile
from . import categories, indicators, notes, plausibility, profile_rules, rates, required, sums, totals, units, weights
from .base import GRADE_ALIASES, Context, same_grade
from .explanations import CODES as EXPLANATION_CODES
from .explanations import apply_explanations

#: the checks in the order their findings are listed (before sorting by place)
CHECKS: tuple[ModuleType, ...] = (
    notes,
    required,
    categories,
    sums,
    rates,
    weights,
    indicators,
    totals,
    units,
    plausibility,
    profile_rules,
)


def check_document(
    doc: Document, notes: list[Note], scores: Scores, profile: Profile, form: FormSpec, official: bool = False
) -> list[Finding]:
    """Every finding on one document, in a stable order (:data:`CHECKS`). ``official``: read from a unit's own
    official form rather than xltool's template."""
    ctx = Context(doc, notes, scores, profile, form, official)
    for check in CHECKS:
        applies = getattr(check, "applies", None)
        if applies is not None and not applies(ctx):
            continue
        ctx.declared = check.CODES
        check.check(ctx)
    return ctx.out


def declared_codes() -> dict[str, tuple[str, ...]]:
    """Each check module's declared codes, by module name (explanations included)."""
    out = {m.__name__.rsplit(".", 1)[1]: tuple(m.CODES) for m in CHECKS}
    out["explanations"] = EXPLANATION_CODES
    return out


__all__ = ["CHECKS", "GRADE_ALIASES", "apply_explanations", "check_document", "declared_codes", "same_grade"]

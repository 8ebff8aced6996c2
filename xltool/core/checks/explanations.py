"""Explanations in the 审核说明 sheet: a warning or info a unit explained is still listed but no longer counts;
an explanation that matches nothing, or tries to explain an error, is itself reported."""

from __future__ import annotations

from collections.abc import Iterable

from ..document import Explanation
from ..findings import Finding

CODES = ("explanation.unmatched", "explanation.error")


def apply_explanations(findings: list[Finding], explanations: Iterable[Explanation]) -> list[Finding]:
    """Mark warnings and infos a unit explained (same code, and location = field path, ``sheet!cell`` or cell).

    Returns findings about the explanations themselves: one that explains nothing, or tries to explain an
    error (errors must be fixed, not explained).
    """
    extra: list[Finding] = []
    for i, exp in enumerate(explanations):
        if not exp.code:
            continue
        where = (exp.location or "").replace("！", "!").replace("$", "").strip()
        matched = [f for f in findings if f.code == exp.code and (not where or where in _places(f))]
        if not matched:
            extra.append(
                Finding(
                    "explanation.unmatched",
                    "warning",
                    f"explanations[{i}].code",
                    None,
                    exp.code,
                    {"location": exp.location or ""},
                )
            )
            continue
        for finding in matched:
            if finding.severity == "error":
                extra.append(Finding("explanation.error", "info", f"explanations[{i}].code", None, exp.code))
            else:
                finding.explained = True
                finding.explanation = exp.reason
    return extra


def _places(finding: Finding) -> set[str]:
    places = {p for p in (finding.field, finding.cell) if p}
    if finding.sheet and finding.cell:
        places.add(f"{finding.sheet}!{finding.cell}")
    return places

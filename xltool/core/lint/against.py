"""A report's figures against the workbook it describes (``--against``): the total, grade, 全年预算数 and 全年执行数
the report states must be what the validated workbook computes, at the report's precision."""

from __future__ import annotations

import re
from decimal import Decimal

from ..checks import same_grade
from ..findings import Finding
from ..scores import round_half_up
from ..values import shortest
from .base import half_unit
from .document import ReportText, normalise
from .quantities import places
from .scores import GRADE, NUM, TOTAL

_ADJUSTED_TOTAL = re.compile(rf"(?:调整后(?:支出)?预算|全年预算数)\s*(?:为|:)\s*{NUM}\s*万元")
_EXECUTED_TOTAL = re.compile(rf"(?:年末支出决算|全年执行数|支出决算)\s*(?:为|:)\s*{NUM}\s*万元")


def lint_against(text: ReportText, facts: dict[str, object]) -> list[Finding]:
    """``facts``: ``total``, ``grade``, ``adjusted``, ``executed`` (万元) of the validated workbook."""
    out: list[Finding] = []
    for p, paragraph in enumerate(text.paragraphs):
        s = normalise(paragraph)
        checks: list[tuple[str, re.Match[str] | None, str]] = [
            ("total", TOTAL.search(s), "what.total"),
            ("adjusted", _ADJUSTED_TOTAL.search(s), "what.adjusted"),
            ("executed", _EXECUTED_TOTAL.search(s), "what.executed"),
        ]
        for key, match, label in checks:
            value = facts.get(key)
            if match is None or value is None:
                continue
            stated = Decimal(match[1])
            expected = round_half_up(Decimal(str(value)), places(match[1]))
            if abs(Decimal(str(value)) - stated) > half_unit(places(match[1])) and expected != stated:
                out.append(
                    Finding(
                        "against.mismatch",
                        "error",
                        expected=shortest(expected),
                        found=match[1],
                        params={"label_key": label},
                        paragraph=p,
                        sentence=paragraph,
                        page=text.page(p),
                    )
                )
        grade = GRADE.search(s)
        if grade and facts.get("grade") and not same_grade(grade[1], str(facts["grade"])):
            out.append(
                Finding(
                    "against.mismatch",
                    "error",
                    expected=facts["grade"],
                    found=grade[1],
                    variant="grade",
                    paragraph=p,
                    sentence=paragraph,
                    page=text.page(p),
                )
            )
    return out

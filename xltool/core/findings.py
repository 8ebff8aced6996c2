"""A finding: one problem a check found, with a stable code, a location and the values behind it.

Checks return findings; they never raise. Every code is declared once in the registry
(:mod:`xltool.core.registry`); the message is rendered from the code's template with ``params`` (``variant``
picks another wording of the same finding), so its wording can change while the code stays. A finding in a
workbook is located by sheet and cell (or a defined name); a finding in a report by paragraph, sentence,
table and row.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from .registry import require

SEVERITIES = ("error", "warning", "info")
#: what each severity is called, in Chinese and English
SEVERITY_WORDS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


@dataclass
class Finding:
    code: str
    severity: str
    field: str | None = None
    expected: Any = None
    found: Any = None
    params: dict[str, Any] = dc_field(default_factory=dict)
    anchor: str | None = None  # a defined name that locates an aggregate finding (e.g. weight_total)
    sheet: str | None = None
    cell: str | None = None
    explained: bool = False
    explanation: str | None = None
    variant: str | None = None
    paragraph: int | None = None  # 0-based, in a report
    sentence: str | None = None
    table: int | None = None  # 0-based, in a report
    row: int | None = None  # 1-based row of that table, the header being row 0
    page: int | None = None  # 1-based page of a paginated report (PDF)
    sentence_number: int | None = None  # 0-based, within its paragraph

    def __post_init__(self) -> None:
        require(self.code, self.severity)

    @property
    def counted(self) -> bool:
        """Explained warnings are still listed but no longer counted."""
        return not self.explained


def count(findings: list[Finding]) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n}`` over the findings that count."""
    out = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        if finding.counted:
            out[finding.severity] += 1
    return out

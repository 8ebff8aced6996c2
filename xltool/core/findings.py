"""A finding: one problem a check found, with a stable code, a location and the values behind it.

Checks return findings; they never raise. The message is rendered from the code's template in the catalogue
(:mod:`xltool.messages`) with ``params``, so its wording can change while the code stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

SEVERITIES = ("error", "warning", "info")


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

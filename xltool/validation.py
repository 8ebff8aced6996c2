"""Validating one workbook: read it, recompute every score, run every check, locate each finding in its cell.

:func:`validate_file` never raises for a bad input: an unusable file gives a :class:`Report` with one
``file.*`` finding, so many files can be validated in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

from .core.checks import apply_explanations, check_document
from .core.checks.base import is_scored
from .core.findings import Finding, count
from .core.grid import parse_place
from .core.labels import FormWords, form_words
from .core.layout import Layout, a1
from .core.scoring import Scores, round_half_up, score_document
from .errors import UnusableWorkbook
from .io.form_reader import read_forms
from .io.safety import Limits
from .io.xlsx_reader import Workbook
from .messages import render, render_finding

SCHEMA = "xltool/report@1"
_REF = re.compile(r"^=?'?(.+?)'?!\$?([A-Z]+)\$?(\d+)")


@dataclass
class Report:
    """The result of validating one file (CONTRACT.md §3)."""

    file: str
    findings: list[Finding]
    workbook: Workbook | None = None
    scores: Scores | None = None
    unusable: str | None = None  # the file.* code when the file could not be used
    unusable_message: dict[str, str] = field(default_factory=dict)
    #: False for a form with neither 分值 nor 得分 columns (县级专项资金、转移支付 forms): its money and indicators are
    #: checked, but it has no score, total or grade
    scored: bool = True

    @property
    def counts(self) -> dict[str, int]:
        return count(self.findings)

    @property
    def valid(self) -> bool:
        return self.unusable is None and self.counts["error"] == 0

    @cached_property
    def words(self) -> FormWords | None:
        """The names the unit's form gives its fields and columns (None for an unusable file)."""
        return form_words(self.workbook.layout.form) if self.workbook is not None else None

    def message(self, finding: Finding, lang: str = "zh") -> str:
        """A finding's message in ``lang``, naming fields as the unit's form does."""
        if self.unusable and finding.code == self.unusable and self.unusable_message.get(lang):
            return self.unusable_message[lang]
        return render_finding(finding, lang, self.words)

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        doc = self.workbook.document if self.workbook else None
        findings = []
        for f in self.findings:
            item: dict[str, Any] = {
                "code": f.code,
                "severity": f.severity,
                "sheet": f.sheet,
                "cell": f.cell,
                "field": f.field,
                "message": self.message(f, lang),
                "expected": f.expected,
                "found": f.found,
            }
            if f.explained:
                item["explained"] = True
                item["explanation"] = f.explanation
            findings.append(item)
        return {
            "schema": SCHEMA,
            "file": self.file,
            "form": doc.form if doc else None,
            "profile": doc.profile if doc else None,
            "unit": doc.unit.name if doc else None,
            "year": doc.year if doc else None,
            "valid": self.valid,
            "score": _score_json(self.scores, self.scored) if self.scores else None,
            "findings": findings,
            "counts": self.counts,
            **self._layout_json(),
        }

    def _layout_json(self) -> dict[str, Any]:
        """How an official form was read: its layout family, format, and which of the file's documents this is."""
        official = self.workbook.official if self.workbook else None
        if official is None:
            return {}
        return {
            "project": self.workbook.document.project_name if self.workbook else None,
            "layout": official.family.id,
            "layout_name": official.family.name,
            "format": official.format,
            "document": official.number,
            "documents": official.count,
        }


def _round(value: Decimal | None, places: int) -> float | None:
    return None if value is None else float(round_half_up(value, places))


def _score_json(s: Scores, scored: bool = True) -> dict[str, Any]:
    if not scored:
        keys = ("execution_score", "indicators", "total", "normalized", "grade")
        return {"execution_rate": _round(s.execution_rate, 4), **dict.fromkeys(keys)}
    return {
        "execution_rate": _round(s.execution_rate, 4),
        "execution_score": _round(s.execution_score, 2),
        "indicators": _round(s.indicators, 2),
        "total": _round(s.total, 2),
        "normalized": _round(s.categories.converted if s.categories else s.normalized, 2),
        "grade": s.grade,
    }


def _anchor_cell(layout: Layout, name: str) -> tuple[str, str] | None:
    ref = layout.names.get(name)
    if ref is None:
        return None
    match = _REF.match(ref)
    return (match[1].replace("''", "'"), f"{match[2]}{match[3]}") if match else None


def locate(findings: list[Finding], wb: Workbook) -> None:
    """Give each finding the sheet and A1 cell its field path (or anchor) stands in."""
    for f in findings:
        where = wb.where(f.field) if f.field else None
        if where is None and f.anchor:
            where = wb.anchor(f.anchor) if wb.official else _anchor_cell(wb.layout, f.anchor)
        if where is None and f.field and "[" in f.field:
            where = wb.where(f.field.split("].")[0] + "]")
        if where:
            f.sheet, f.cell = where


def validate_workbook(wb: Workbook) -> Report:
    """Checks and scores for a workbook already read."""
    doc, profile = wb.document, wb.layout.profile
    scores = score_document(doc, profile, given_scores=bool(wb.official and wb.official.family.weights_absent))
    findings = check_document(doc, wb.notes, scores, profile, wb.layout.form, official=wb.official is not None)
    locate(findings, wb)
    if wb.official is not None:
        for remark in wb.official.remarks:
            params = dict(remark.params)
            variant = params.pop("variant", None)
            finding = Finding(remark.code, remark.severity, remark.field, None, None, params, variant=variant)
            if remark.place is not None:
                finding.sheet, finding.cell = wb.place(remark.place)
            findings.append(finding)
    extra = apply_explanations(findings, doc.explanations)
    locate(extra, wb)
    order = {sheet.name: i for i, sheet in enumerate(wb.layout.sheets)}
    if wb.official is not None:
        order = {}
        for sheet, _, _ in wb.cells.values():
            order.setdefault(sheet, len(order))

    def position(f: Finding) -> tuple[int, int, int]:
        if not (f.sheet and f.cell):
            return (len(order), 0, 0)
        row, col = parse_place(f.cell)
        return (order.get(f.sheet, len(order)), row, col)

    scored = is_scored({n.expect for n in wb.notes if n.code == "absent" and n.expect})
    return Report(str(wb.path), sorted(findings + extra, key=position), wb, scores, scored=scored)


def unusable_report(path: Path, error: UnusableWorkbook) -> Report:
    finding = Finding(error.key, "error", None, None, None, dict(error.params))
    messages = {lang: error.render(lang) for lang in ("zh", "en")}
    return Report(str(path), [finding], unusable=error.key, unusable_message=messages)


def validate_path(path: Path, limits: Limits | None = None, profile: str | None = None) -> list[Report]:
    """Validate every evaluation document in one file (xltool's template, or an official form in .xlsx, .xls,
    .ods or .docx); an unusable file gives one report with its ``file.*`` finding. ``profile`` scores official
    forms by that profile instead of their layout's."""
    try:
        workbooks = read_forms(Path(path), limits, profile=profile)
    except UnusableWorkbook as exc:
        return [unusable_report(Path(path), exc)]
    return [validate_workbook(wb) for wb in workbooks]


def validate_file(path: Path, limits: Limits | None = None) -> Report:
    """Validate a file holding one document (the first, when it holds several: see :func:`validate_path`)."""
    return validate_path(path, limits)[0]


def cell_of(sheet_row_col: tuple[str, int, int]) -> str:
    return a1(sheet_row_col[1], sheet_row_col[2])


__all__ = ["Report", "render", "validate_file", "validate_path", "validate_workbook"]

"""The value of every formula cell, computed in Python by the same engine that validates.

Written as the formulas' cached results, these make a workbook show the right figures in a client that
does not recalculate on load (LibreOffice's default for xlsx); a client that does recalculate gets the
same figures from the formulas, which the parity tests check.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import deadlines
from . import sheet_formulas as sf
from .document import Document, flatten
from .layout import INDICATOR_HELPERS, Layout
from .scoring import Scores, number, score_document
from .values import parse_quantity


def _f(value: Decimal | None) -> float | str:
    return "" if value is None else float(value)


def _rate(part: object, whole: object) -> float | str:
    top, bottom = number(part), number(whole)
    if top is None or bottom is None or bottom <= 0:
        return ""
    return float(top / bottom)


def formula_results(doc: Document, layout: Layout, scores: Scores | None = None) -> dict[str, Any]:
    """``{result key: value}`` for every formula cell of ``layout`` filled with ``doc``."""
    profile = layout.profile
    scores = scores or score_document(doc, profile)
    year = "" if doc.year is None else str(doc.year)
    unit = doc.unit.name or ""
    out: dict[str, Any] = {
        "title.year": f"（{year}年度）" if year else "（　　　　年度）",
        "heading": f"填报单位：{unit}　　　年度：{year}　　　金额单位：{doc.money_unit}",
        "execution_rate": _f(scores.execution_rate),
        "execution_score": float(scores.execution_score),
        "indicator_score": float(scores.indicators),
        "weight_total": float(scores.applicable_weight),
        "total_score": float(scores.total),
        "normalized_score": _f(scores.normalized),
        "grade": scores.grade,
        "budget.weight": _f(number(doc.budget.weight)),
    }
    for _, block in layout.form.blocks():
        if block.type in ("budget", "three_public") and block.title:
            out[f"money_title:{block.title}"] = f"{block.title}（金额单位：{doc.money_unit}）"
    three = doc.budget.three_public
    out["three_public.control"] = _rate(three.actual, three.budget) if three else ""
    change: float | str = ""
    if three and number(three.actual) is not None and (number(three.last_year) or 0) > 0:
        last = number(three.last_year)
        assert last is not None
        change = float((number(three.actual) - last) / last)  # type: ignore[operator]
    out["three_public.change"] = change
    for i in range(layout.tables["tasks"].rows if "tasks" in layout.tables else 0):
        task = doc.tasks[i] if i < len(doc.tasks) else None
        out[f"tasks[{i}].rate"] = _rate(task.executed, task.budget) if task else ""
    budgets = [number(t.budget) for t in doc.tasks]
    spent = [number(t.executed) for t in doc.tasks]
    total_budget = sum((b for b in budgets if b is not None), Decimal(0))
    total_spent = sum((s for s in spent if s is not None), Decimal(0))
    out["tasks.total.budget"] = float(total_budget)
    out["tasks.total.executed"] = float(total_spent)
    out["tasks.total.rate"] = float(total_spent / total_budget) if total_budget > 0 else ""
    for i in range(layout.tables["indicators"].rows if "indicators" in layout.tables else 0):
        item = scores.items[i] if i < len(scores.items) else None
        out[f"indicators[{i}].computed"] = float(item.score) if item is not None and item.applicable else ""
        out.update(_indicator_helpers(doc, i))
    flat = flatten(doc.to_dict())
    for sheet in layout.sheets:
        for cell in sheet.cells:
            if cell.result and cell.result.startswith("num:"):
                out[cell.result] = _f(number(flat.get(cell.result[4:])))
            elif cell.result and cell.result.startswith("text:"):
                out[cell.result] = sf.cleaned_value(flat.get(cell.result[5:]))
    out["num:budget.weight"] = float(scores.execution_weight)
    if scores.categories is not None:
        out.update(_category_results(scores, profile))
        out.update(_category_helpers(doc))
    stated = doc.stated
    checks: dict[str, str] = {}
    rate, stated_rate = scores.execution_rate, number(stated.execution_rate) if stated else None
    checks["execution_rate"] = (
        ""
        if rate is None or stated_rate is None
        else "不一致"
        if abs(stated_rate - rate) > Decimal("0.00005")
        else "一致"
    )
    checks["weight_total"] = (
        "" if scores.applicable_weight == profile.total_weight else f"应为{profile.total_weight.normalize():f}"
    )
    stated_total = number(stated.total_score) if stated else None
    checks["total_score"] = (
        ""
        if stated_total is None
        else "不一致"
        if abs(stated_total - scores.total) > profile.score_tolerance
        else "一致"
    )
    stated_grade = stated.grade if stated else None
    checks["grade"] = "" if not stated_grade else ("一致" if stated_grade == scores.grade else "不一致")
    out.update({f"check.{key}": value for key, value in checks.items()})
    return out


def _indicator_helpers(doc: Document, i: int) -> dict[str, Any]:
    """The values of indicator row ``i``'s hidden helper cells, as the sheet computes them from what xltool
    writes into the row (see layout.INDICATOR_HELPERS)."""
    out: dict[str, Any] = {f"indicators[{i}].{key}": "" for key, _ in INDICATOR_HELPERS}
    if i >= len(doc.indicators):
        return out
    ind = doc.indicators[i]
    text = sf.cleaned_value(ind.target)
    comparator = sf.comparator_of(text)
    target = parse_quantity(ind.target, worded=True)
    actual = parse_quantity(ind.actual, worded=True)
    actual_text = sf.cleaned_value(ind.actual)
    deadline = deadlines.target_deadline(ind.target)
    done = deadlines.met(ind.target, ind.actual) if deadline is not None else None
    values = {
        "target_text": text,
        "target_cmp": comparator,
        "target_rest": text[len(sf.comparator_word(text)) :],
        "target_value": sf.value_of(text[len(sf.comparator_word(text)) :]),
        "target_num": target.value if target.ok and isinstance(target.value, int | float) else "",
        "target_bare": deadlines.bare_target(ind.target),
        "target_deadline": "" if deadline is None else deadline,
        "actual_text": actual_text,
        "actual_rest": actual_text[len(sf.comparator_word(actual_text)) :],
        "actual_value": sf.value_of(actual_text[len(sf.comparator_word(actual_text)) :]),
        "deadline_met": "" if done is None else int(done),
        "weight_text": sf.cleaned_value(ind.weight),
        "score_text": sf.cleaned_value(ind.score),
        "coefficient_text": sf.cleaned_value(ind.coefficient),
        "actual_num": actual.value if actual.ok and isinstance(actual.value, int | float) else "",
        "weight_num": _f(number(ind.weight)),  # already read as the engine reads it (text: not a number)
        "score_num": _f(number(ind.score)),
        "coefficient_num": _f(number(ind.coefficient)),
        "applicable_num": 1 if ind.applicable else 0,
        "kind_used": ind.kind or "",
    }
    out.update({f"indicators[{i}].{key}": value for key, value in values.items()})
    return out


def _category_results(scores: Scores, profile: Any) -> dict[str, Any]:
    cats = scores.categories
    assert cats is not None
    out: dict[str, Any] = {
        "category_max": float(cats.base_max),
        "category_score": float(cats.base_score),
        "normalized_score": _f(cats.converted),
        "bonus_score": float(cats.bonus),
        "deduction_total": float(cats.deductions),
    }
    for c, (maximum, score) in enumerate(cats.per_category):
        out[f"categories[{c}].max"] = float(maximum)
        out[f"categories[{c}].score"] = float(score)
    return out


def _category_helpers(doc: Document) -> dict[str, Any]:
    """The hidden cells of every filled 考核 item row (layout._Builder.category_helpers)."""
    out: dict[str, Any] = {}
    for c, category in enumerate(doc.categories):
        for i, item in enumerate(category.items):
            path = f"categories[{c}].items[{i}]"
            top, got = number(item.max), number(item.score)
            used = top if item.applicable and top is not None else None
            out[f"{path}.max_num"] = _f(top)
            out[f"{path}.score_num"] = _f(got)
            out[f"{path}.max_used"] = _f(used)
            out[f"{path}.points"] = _f(min(max(got or Decimal(0), Decimal(0)), used) if used is not None else None)
    return out

"""The self-evaluation's own result as a report states it: the total and its grade in the text, and the score
table (duplicated indicators, weights that do not add up to the profile's total, a 得分率 that is not 得分 ÷ 分值,
a total in the text that is not the table's sum)."""

from __future__ import annotations

import re
from decimal import Decimal

from ..checks import same_grade
from ..scores import round_half_up
from ..spec import Profile
from ..values import shortest
from .base import Lint, half_unit
from .document import normalise
from .quantities import places

CODES = ("grade.mismatch", "indicator.duplicate", "weight.sum", "rate.mismatch", "score.total-mismatch")

NUM = r"(\d+(?:\.\d+)?)"
SCORE_TOLERANCE = Decimal("0.01")
TOTAL = re.compile(rf"(?:总得分|(?<!换算)(?<!平均)得分为|(?<!换算)总分|自评得分|评价得分)\s*:?\s*{NUM}\s*分")
GRADE = re.compile(
    r"(?:等次|等级|评价等次|绩效等级|自评结果)\s*(?:为|是|:)?\s*[“\"]?(优秀|良好|合格|不合格|优|良|中|差)"
)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def grade_of(total: Decimal, profile: Profile) -> str:
    return profile.grade_for(round_half_up(total, profile.score_decimals))


def _totals_and_grades(lint: Lint) -> list[tuple[Decimal, int, str]]:
    totals = []
    for s in lint.sentences:
        total = TOTAL.search(s.text)
        if not total:
            continue
        value = _dec(total[1])
        totals.append((value, s.paragraph, s.raw))
        # “得分为99分。绩效等级：优秀。”: the grade may follow in the next sentence of the paragraph
        grade = GRADE.search(s.text) or GRADE.search(normalise(lint.report.paragraphs[s.paragraph]))
        computed = grade_of(value, lint.profile)
        if grade and not same_grade(grade[1], computed):
            lint.add("grade.mismatch", "report", at=s, expected=computed, found=grade[1], total=shortest(value))
    return totals


def _score_table(lint: Lint, t: int, table: list[list[str]], totals: list[tuple[Decimal, int, str]]) -> None:
    if not table:
        return
    header = [normalise(c).strip() for c in table[0]]
    try:
        named = [i for i, h in enumerate(header) if h == "三级指标" or "指标名称" in h]
        name_col = named[0] if named else next(i for i, h in enumerate(header) if "指标" in h or "名称" in h)
        weight_col = next(i for i, h in enumerate(header) if h in ("权重", "分值") or "权重" in h)
        score_col = next(i for i, h in enumerate(header) if h == "得分" or (h.startswith("得分") and "率" not in h))
    except StopIteration:
        return
    rate_col = next((i for i, h in enumerate(header) if "得分率" in h), None)
    seen: dict[str, int] = {}
    weights, scores = Decimal(0), Decimal(0)
    rows, shown = 0, 0
    for r, row in enumerate(table[1:], start=1):
        if len(row) <= max(name_col, weight_col, score_col):
            continue
        name = normalise(row[name_col]).strip()
        if not name:  # a row labelled in an earlier column (预算执行率, 合计)
            name = next((normalise(c).strip() for c in row[:weight_col] if normalise(c).strip()), "")
        if not name or name in ("合计", "总计", "总分"):
            continue
        try:
            weight = _dec(normalise(row[weight_col]).strip())
        except ArithmeticError:
            continue
        weights += weight  # a 不适用 row's weight still belongs to the design that must add up to 100
        score_text = normalise(row[score_col]).strip()
        try:
            score = _dec(score_text)
        except ArithmeticError:
            continue
        rows += 1
        shown = max(shown, places(score_text))
        if name in seen:
            lint.add("indicator.duplicate", "table", table=t, row=r, found=name, first=seen[name])
        else:
            seen[name] = r
        scores += score
        if rate_col is not None and rate_col < len(row):
            stated = normalise(row[rate_col]).strip().rstrip("%")
            if re.fullmatch(NUM, stated) and weight > 0:
                computed = round_half_up(score / weight * 100, places(stated))
                # the rate may come from the unrounded score: allow what the shown score's rounding allows
                slack = half_unit(places(score_text)) / weight * 100 + half_unit(places(stated))
                if abs(score / weight * 100 - _dec(stated)) > slack:
                    lint.add("rate.mismatch", "table", table=t, row=r, expected=f"{computed}%", found=f"{stated}%")
    if rows < 3:
        return
    if weights != lint.profile.total_weight:
        lint.add("weight.sum", "table", table=t, expected=shortest(lint.profile.total_weight), found=shortest(weights))
    # scores shown with decimals may each be rounded to the column's precision; whole numbers then are exact
    score_slack = rows * half_unit(shown) if shown else Decimal(0)
    for value, p, sentence in totals:
        if abs(value - scores) > SCORE_TOLERANCE + score_slack:
            lint.add(
                "score.total-mismatch",
                "report",
                paragraph=p,
                quote=sentence,
                table=t,
                expected=shortest(scores),
                found=shortest(value),
            )


def run(lint: Lint) -> None:
    totals = _totals_and_grades(lint)
    for t, table in enumerate(lint.report.tables):
        _score_table(lint, t, table, totals)

"""Checking the figures inside a narrative report against each other (pure: text and tables in, findings out).

Precision comes before recall: a rule fires only on a claim it recognises completely (a total with its listed
parts, a change with both years' values, a score table with its header), and compares with the same tolerances
and stated-precision rounding as ``validate``. A figure the rules do not understand is left alone.

Size: :class:`_Linter` holds the rules over one report's sentences and score tables; it is rebuilt rule by
rule, one module per rule family, when lint-report learns how real reports are written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .checks import same_grade
from .findings import Finding
from .scoring import round_half_up
from .spec import Profile
from .values import shortest

NUM = r"(\d+(?:\.\d+)?)"
MONEY_TOLERANCE = Decimal("0.01")
SCORE_TOLERANCE = Decimal("0.01")


@dataclass
class ReportText:
    """A report as paragraphs (in order) and tables (rows of cell texts)."""

    paragraphs: list[str]
    tables: list[list[list[str]]] = field(default_factory=list)


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("：", ":")


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；;])", paragraph) if s.strip()]


def _places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _half_unit(places: int) -> Decimal:
    """Half a unit in the last shown place: how far a figure shown with ``places`` decimals may be from its value."""
    return Decimal(5).scaleb(-(places + 1))


# ---------------------------------------------------------------------------------------------- rules on text

_STAFF = re.compile(r"(?:在职|实有|编制)?人数\s*:?\s*(\d+)\s*[名人]\s*[,，]?\s*其中\s*:?(?P<parts>[^。；;]+)")
_PART_COUNT = re.compile(r"(\d+)\s*[人名]")
# a count the report states more than once: 在职人数/实有人数/退休人数, and “共 N 个项目”
_RESTATED = re.compile(r"(?P<label>在职人数|实有人数|退休人数)\s*(?:为|:|共)?\s*(?P<n>\d+)\s*[名人]")
_PROJECTS = re.compile(r"共(?:安排|实施|开展|设置|有)?\s*(?P<n>\d+)\s*个(?P<label>项目)")
_OTHER_TIME = re.compile(r"\d{4}\s*年|较|比上|上年|同比|增加|减少|年初|年末|年底|截至")
_CHANGE = re.compile(
    rf"{NUM}\s*万元\s*[,，]?\s*(?:较|比)\s*(\d{{4}})\s*年(?:度)?\s*{NUM}\s*万元\s*(增加|减少|增长|下降)\s*{NUM}\s*万元"
)
_TOTAL_AND_GRADE = re.compile(rf"(?:总得分|(?<!换算)(?<!平均)得分为|(?<!换算)总分|自评得分|评价得分)\s*:?\s*{NUM}\s*分")
_GRADE = re.compile(r"(?:等次|等级|评价等次|绩效等级)\s*(?:为|是|:)?\s*[“\"]?(优秀|良好|合格|不合格|优|良|中|差)")
_TOTAL_PARTS = re.compile(
    rf"(?:总支出|支出总额|全年支出|年末支出决算为|决算数为?)\s*:?\s*{NUM}\s*万元.*?基本支出\s*:?\s*{NUM}\s*万元.*?"
    rf"(?:项目支出|专项经费支出|专项支出)[^0-9]{{0,20}}?{NUM}\s*万元"
)
_BASIC_PARTS = re.compile(
    rf"基本支出\s*:?\s*{NUM}\s*万元\s*[,，]?\s*其中\s*:?\s*(?:工资福利支出|人员经费)\s*:?\s*{NUM}\s*万元\s*[,，、]\s*"
    rf"(?:一般商品和服务支出|公用经费|商品和服务支出)\s*:?\s*{NUM}\s*万元"
)
_RATE = re.compile(rf"(?:预算)?执行率\s*(?:为|是|:)?\s*{NUM}\s*%")
_ADJUSTED = re.compile(rf"(?:调整后(?:支出)?预算|全年预算数)\s*(?:为|是|:)?\s*{NUM}\s*万元")
# the unit's own totals are stated with 为/：, a fund source's amounts follow its name directly
_ADJUSTED_TOTAL = re.compile(rf"(?:调整后(?:支出)?预算|全年预算数)\s*(?:为|:)\s*{NUM}\s*万元")
_EXECUTED_TOTAL = re.compile(rf"(?:年末支出决算|全年执行数|支出决算)\s*(?:为|:)\s*{NUM}\s*万元")
_EXECUTED = re.compile(rf"(?:年末支出决算|全年执行数|支出决算|执行数)\s*(?:为|是|:)?\s*{NUM}\s*万元")


def _grade_of(total: Decimal, profile: Profile) -> str:
    return profile.grade_for(round_half_up(total, profile.score_decimals))


class _Linter:
    def __init__(self, text: ReportText, profile: Profile):
        self.text, self.profile = text, profile
        self.out: list[Finding] = []
        self.totals: list[tuple[Decimal, int, str]] = []  # stated totals (value, paragraph, sentence)
        self.counts: dict[str, tuple[int, int]] = {}  # first statement of each count (value, paragraph)

    def add(
        self,
        code: str,
        variant: str,
        *,
        paragraph: int | None = None,
        sentence: str | None = None,
        table: int | None = None,
        row: int | None = None,
        expected: object = None,
        found: object = None,
        **params: object,
    ) -> None:
        self.out.append(
            Finding(
                code,
                "error",
                expected=expected,
                found=found,
                params=dict(params, row=row) if row is not None else dict(params),
                variant=variant,
                paragraph=paragraph,
                sentence=sentence.strip() if sentence else None,
                table=table,
                row=row,
            )
        )

    def sentences(self) -> list[tuple[int, str, str]]:
        out = []
        for p, paragraph in enumerate(self.text.paragraphs):
            for sentence in _sentences(paragraph):
                out.append((p, sentence, _norm(sentence)))
        return out

    def run(self) -> list[Finding]:
        for p, raw, s in self.sentences():
            self.staff(p, raw, s)
            self.restated(p, raw, s)
            self.change(p, raw, s)
            self.parts(p, raw, s)
            self.total_and_grade(p, raw, s)
        self.rates()
        for t, table in enumerate(self.text.tables):
            self.score_table(t, table)
        return self.out

    def staff(self, p: int, raw: str, s: str) -> None:
        match = _STAFF.search(s)
        if not match:
            return
        parts = [int(n) for n in _PART_COUNT.findall(match["parts"])]
        total = int(match[1])
        if len(parts) >= 2 and sum(parts) != total:
            self.add(
                "count.mismatch",
                "report",
                paragraph=p,
                sentence=raw,
                expected=sum(parts),
                found=total,
                parts="+".join(map(str, parts)),
            )

    def restated(self, p: int, raw: str, s: str) -> None:
        """A count stated twice with two values. Sentences that name a year or a comparison are left out: they
        may speak of another time (上年在职人数, 年末实有人数)."""
        if _OTHER_TIME.search(s):
            return
        for match in [*_RESTATED.finditer(s), *_PROJECTS.finditer(s)]:
            label, n = match["label"], int(match["n"])
            if label not in self.counts:
                self.counts[label] = (n, p)
            elif self.counts[label][0] != n:
                first, where = self.counts[label]
                self.add(
                    "count.mismatch",
                    "restated",
                    paragraph=p,
                    sentence=raw,
                    expected=first,
                    found=n,
                    label=label,
                    first=where + 1,
                )

    def change(self, p: int, raw: str, s: str) -> None:
        for match in _CHANGE.finditer(s):
            now, last, word, diff = _dec(match[1]), _dec(match[3]), match[4], _dec(match[5])
            actual = now - last
            stated = diff if word in ("增加", "增长") else -diff
            places = max(_places(match[1]), _places(match[3]), _places(match[5]))
            if abs(round_half_up(actual, places) - stated) > MONEY_TOLERANCE:
                self.add(
                    "change.mismatch",
                    "report",
                    paragraph=p,
                    sentence=raw,
                    expected=shortest(actual),
                    found=shortest(stated),
                    now=shortest(now),
                    year=match[2],
                    last=shortest(last),
                    direction="增加" if actual >= 0 else "减少",
                    diff=shortest(abs(actual)),
                    word=word,
                    stated=shortest(diff),
                )

    def parts(self, p: int, raw: str, s: str) -> None:
        for pattern, label in ((_TOTAL_PARTS, "基本支出与项目支出"), (_BASIC_PARTS, "人员经费与公用经费")):
            match = pattern.search(s)
            if not match:
                continue
            total, first, second = _dec(match[1]), _dec(match[2]), _dec(match[3])
            if abs(total - (first + second)) > MONEY_TOLERANCE:
                self.add(
                    "sum.mismatch",
                    "report",
                    paragraph=p,
                    sentence=raw,
                    expected=shortest(first + second),
                    found=shortest(total),
                    parts=label,
                )

    def total_and_grade(self, p: int, raw: str, s: str) -> None:
        total = _TOTAL_AND_GRADE.search(s)
        if not total:
            return
        value = _dec(total[1])
        self.totals.append((value, p, raw))
        grade = _GRADE.search(s) or _GRADE.search(_norm(self.text.paragraphs[p]))  # “得分为99分。绩效等级：优秀。”
        computed = _grade_of(value, self.profile)
        if grade and not same_grade(grade[1], computed):
            self.add(
                "grade.mismatch",
                "report",
                paragraph=p,
                sentence=raw,
                expected=computed,
                found=grade[1],
                total=shortest(value),
            )

    def rates(self) -> None:
        for p, paragraph in enumerate(self.text.paragraphs):
            s = _norm(paragraph)
            adjusted, executed, rate = _ADJUSTED.search(s), _EXECUTED.search(s), _RATE.search(s)
            if not (adjusted and executed and rate):
                continue
            budget, spent, stated = _dec(adjusted[1]), _dec(executed[1]), _dec(rate[1])
            # shown amounts are rounded: every rate they could stand for is consistent with them
            shown = _half_unit(max(_places(adjusted[1]), _places(executed[1])))
            if budget - shown <= 0:
                continue
            places = _places(rate[1])
            computed = round_half_up(spent / budget * 100, places)
            low = (spent - shown) / (budget + shown) * 100 - _half_unit(places)
            high = (spent + shown) / (budget - shown) * 100 + _half_unit(places)
            if not low <= stated <= high:
                self.add(
                    "rate.mismatch",
                    "report",
                    paragraph=p,
                    sentence=paragraph,
                    expected=f"{computed}%",
                    found=f"{rate[1]}%",
                    spent=shortest(spent),
                    budget=shortest(budget),
                )

    def score_table(self, t: int, table: list[list[str]]) -> None:
        if not table:
            return
        header = [_norm(c).strip() for c in table[0]]
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
        rows, places = 0, 0
        for r, row in enumerate(table[1:], start=1):
            if len(row) <= max(name_col, weight_col, score_col):
                continue
            name = _norm(row[name_col]).strip()
            if not name:  # a row labelled in an earlier column (预算执行率, 合计)
                name = next((_norm(c).strip() for c in row[:weight_col] if _norm(c).strip()), "")
            if not name or name in ("合计", "总计", "总分"):
                continue
            try:
                weight = _dec(_norm(row[weight_col]).strip())
            except ArithmeticError:
                continue
            weights += weight  # a 不适用 row's weight still belongs to the design that must add up to 100
            score_text = _norm(row[score_col]).strip()
            try:
                score = _dec(score_text)
            except ArithmeticError:
                continue
            rows += 1
            places = max(places, _places(score_text))
            if name in seen:
                self.add("indicator.duplicate", "table", table=t, row=r, found=name, first=seen[name])
            else:
                seen[name] = r
            scores += score
            if rate_col is not None and rate_col < len(row):
                stated = _norm(row[rate_col]).strip().rstrip("%")
                if re.fullmatch(NUM, stated) and weight > 0:
                    computed = round_half_up(score / weight * 100, _places(stated))
                    # the rate may come from the unrounded score: allow what the shown score's rounding allows
                    slack = _half_unit(_places(score_text)) / weight * 100 + _half_unit(_places(stated))
                    if abs(score / weight * 100 - _dec(stated)) > slack:
                        self.add(
                            "rate.mismatch",
                            "table",
                            table=t,
                            row=r,
                            expected=f"{computed}%",
                            found=f"{stated}%",
                        )
        if rows < 3:
            return
        if weights != self.profile.total_weight:
            self.add(
                "weight.sum",
                "table",
                table=t,
                expected=shortest(self.profile.total_weight),
                found=shortest(weights),
            )
        # scores shown with decimals may each be rounded to the column's precision; whole numbers then are exact
        score_slack = rows * _half_unit(places) if places else Decimal(0)
        for value, p, sentence in self.totals:
            if abs(value - scores) > SCORE_TOLERANCE + score_slack:
                self.add(
                    "score.total-mismatch",
                    "report",
                    paragraph=p,
                    sentence=sentence,
                    table=t,
                    expected=shortest(scores),
                    found=shortest(value),
                )


def lint_text(text: ReportText, profile: Profile) -> list[Finding]:
    """Every inconsistency the rules recognise in a report's text and tables."""
    return _Linter(text, profile).run()


def lint_against(text: ReportText, facts: dict[str, object]) -> list[Finding]:
    """The figures a report states against a validated workbook's (``total``, ``grade``, ``adjusted``,
    ``executed`` in 万元): what the report says must be what the workbook computes, at the report's precision."""
    out: list[Finding] = []
    for p, paragraph in enumerate(text.paragraphs):
        s = _norm(paragraph)
        checks: list[tuple[str, re.Match[str] | None, str]] = [
            ("total", _TOTAL_AND_GRADE.search(s), "what.total"),
            ("adjusted", _ADJUSTED_TOTAL.search(s), "what.adjusted"),
            ("executed", _EXECUTED_TOTAL.search(s), "what.executed"),
        ]
        for key, match, label in checks:
            value = facts.get(key)
            if match is None or value is None:
                continue
            stated = _dec(match[1])
            expected = round_half_up(Decimal(str(value)), _places(match[1]))
            slack = _half_unit(_places(match[1]))
            if abs(Decimal(str(value)) - stated) > slack and expected != stated:
                out.append(
                    Finding(
                        "against.mismatch",
                        "error",
                        expected=shortest(expected),
                        found=match[1],
                        params={"label_key": label},
                        paragraph=p,
                        sentence=paragraph,
                    )
                )
        grade = _GRADE.search(s)
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
                )
            )
    return out

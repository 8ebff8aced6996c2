"""Every check a careful auditor would make on one evaluation document (pure; collects all, never stops).

:func:`check_document` returns findings with stable codes and field paths; locating them in cells and
rendering their messages happen at the edge. :func:`apply_explanations` marks warnings a unit explained in
its 审核说明 sheet (errors cannot be explained away).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from statistics import median

from .document import Document, Explanation, Note
from .findings import Finding
from .scoring import Scores, number, round_half_up
from .spec import FormSpec, Profile
from .values import decimals_of

GRADE_ALIASES = (("优", "优秀"), ("良", "良好"), ("中", "中等", "合格"), ("差", "较差", "不合格"))
SUSPECT_RATIO = Decimal(1000)


def _pct(value: Decimal, places: int = 2) -> str:
    return f"{round_half_up(value * 100, places)}%"


def _num(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return ""
    text = f"{round_half_up(value, places):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _plain(value: Decimal) -> float | int:
    return int(value) if value == value.to_integral_value() else float(value)


class _Checks:
    def __init__(self, doc: Document, notes: list[Note], scores: Scores, profile: Profile, form: FormSpec):
        self.doc, self.notes, self.scores, self.profile, self.form = doc, notes, scores, profile, form
        self.out: list[Finding] = []
        self.typed = {n.path for n in notes if n.code in ("type", "formula")}
        #: the form has no 分值 column (an official layout): weights are neither required nor added up
        self.no_weights = any(n.code == "absent" and n.expect == "weight" for n in notes)
        self.tol = profile.money_tolerance

    def add(
        self,
        code: str,
        severity: str,
        field: str | None,
        expected: object = None,
        found: object = None,
        **params: object,
    ) -> Finding:
        anchor = params.pop("anchor_name", None)
        finding = Finding(code, severity, field, expected, found, dict(params), anchor=str(anchor) if anchor else None)
        self.out.append(finding)
        return finding

    def row(self, i: int) -> dict[str, object]:
        return {"row_field": f"indicators[{i}]", "name": self.doc.indicators[i].name}

    # --- notes from normalisation -------------------------------------------------------------------

    def from_notes(self) -> None:
        tiers = "、".join(t.label for t in self.profile.tiers)
        for note in self.notes:
            if note.code == "type":
                if note.expect == "tier":
                    self.add("indicator.tier", "error", note.path, tiers, note.raw, tiers=tiers)
                else:
                    self.add(
                        "field.type",
                        "error",
                        note.path,
                        note.expect,
                        _raw(note.raw),
                        expect_key=f"expect.{note.expect}",
                    )
            elif note.code == "normalized":
                converted = note.expect == "money" and isinstance(note.raw, str) and "元" in note.raw
                self.add("field.normalized", "warning" if converted else "info", note.path, note.value, _raw(note.raw))
            elif note.code == "inferred":
                value = self.profile.kinds.get(str(note.value), note.value)
                self.add("field.inferred", "info", note.path, value, _raw(note.raw))
            elif note.code == "formula":
                self.add("field.formula", "error", note.path)
            elif note.code == "conflict":
                self.add(
                    "indicator.kind-conflict",
                    "warning",
                    note.path,
                    self.profile.kinds.get(str(note.expect)),
                    _raw(note.raw),
                    kind=self.profile.kinds.get(str(note.value)),
                )

    # --- required fields --------------------------------------------------------------------------

    def required(self) -> None:
        doc = self.doc
        if self.profile.indicator_scoring == "categories":
            self.category_sheet()
            return
        wanted = [
            ("unit.name", doc.unit.name),
            ("year", doc.year),
            ("budget.adjusted", doc.budget.adjusted),
            ("budget.executed", doc.budget.executed),
        ]
        if doc.form == "project":
            wanted.append(("project_name", doc.project_name))
        for path, value in wanted:
            if value is None and path not in self.typed:
                self.add("field.required", "error", path)
        if isinstance(doc.year, int) and not 2000 <= doc.year <= 2100:
            self.add("field.type", "error", "year", "2000–2100", doc.year, expect_key="expect.year")
        if not doc.indicators:
            self.add("field.required", "error", "indicators", anchor_name="tbl_indicators")
        for i, ind in enumerate(doc.indicators):
            if not ind.applicable:
                continue
            needed = ["name"] if self.no_weights else ["name", "weight"]
            if ind.kind != "qualitative":
                needed += ["target", "actual"]
            else:
                needed.append("actual")
            if ind.kind is None and ind.target is None:
                needed.append("kind")
            if self.profile.indicator_scoring == "coefficient":
                needed.append("coefficient")
            for key in needed:
                path = f"indicators[{i}].{key}"
                if getattr(ind, key) is None and path not in self.typed:
                    self.add("field.required", "error", path, name=ind.name)

    # --- sums -----------------------------------------------------------------------------------

    def sum_check(
        self,
        total_path: str,
        total: object,
        parts: list[tuple[str, object]],
        severity: str = "error",
        only_if_over: bool = False,
    ) -> None:
        whole = number(total)
        values = [number(v) for _, v in parts]
        if whole is None or any(v is None for v in values):
            return
        expected = sum((v for v in values if v is not None), Decimal(0))
        diff = whole - expected
        if abs(diff) > self.tol and not (only_if_over and diff >= 0):
            self.add(
                "sum.mismatch",
                severity,
                total_path,
                _plain(expected),
                _plain(whole),
                parts_fields=[p for p, _ in parts],
                diff=_num(abs(diff), 4),
            )

    def sums(self) -> None:
        b = self.doc.budget
        if b.basic and b.project:
            self.sum_check(
                "budget.executed",
                b.executed,
                [("budget.basic.executed", b.basic.executed), ("budget.project.executed", b.project.executed)],
            )
            self.sum_check(
                "budget.adjusted",
                b.adjusted,
                [("budget.basic.adjusted", b.basic.adjusted), ("budget.project.adjusted", b.project.adjusted)],
            )
        if b.basic and b.basic.personnel is not None and b.basic.public is not None:
            self.sum_check(
                "budget.basic.executed",
                b.basic.executed,
                [("budget.basic.personnel", b.basic.personnel), ("budget.basic.public", b.basic.public)],
            )
        for key in ("initial", "adjusted", "executed"):
            present = [
                (self.source_path(i, key), getattr(s, key))
                for i, s in enumerate(b.sources)
                if getattr(s, key) is not None
            ]
            if present:
                self.sum_check(f"budget.{key}", getattr(b, key), present)
        tasks = self.doc.tasks
        if tasks:
            outer = b.project if b.project else b
            prefix = "budget.project" if b.project else "budget"
            for key, task_key in (("adjusted", "budget"), ("executed", "executed")):
                task_values = [
                    (f"tasks[{i}].{task_key}", getattr(t, task_key))
                    for i, t in enumerate(tasks)
                    if getattr(t, task_key) is not None
                ]
                if task_values:
                    whole = getattr(outer, key)
                    total = sum((number(v) or Decimal(0) for _, v in task_values), Decimal(0))
                    if number(whole) is not None and total - (number(whole) or 0) > self.tol:
                        self.add(
                            "sum.mismatch",
                            "warning",
                            f"{prefix}.{key}",
                            _plain(total),
                            whole,
                            parts_fields=["tasks"],
                            diff=_num(total - (number(whole) or 0), 4),
                            over=True,
                        )

    def source_path(self, i: int, key: str) -> str:
        name = self.doc.budget.sources[i].name
        k = self.profile.fund_sources.index(name) if name in self.profile.fund_sources else i
        return f"budget.sources[{k}].{key}"

    # --- rates ----------------------------------------------------------------------------------

    def rates(self) -> None:
        rate = self.scores.execution_rate
        stated = self.doc.stated.execution_rate if self.doc.stated else None
        stated_n = number(stated)
        if rate is not None and rate > 1:
            self.add("rate.over", "info", "budget.executed", None, _pct(rate), rate=_pct(rate))
        self.execution_score()
        if rate is None or stated_n is None:
            return
        places = max(decimals_of(stated), 2)
        expected = round_half_up(rate, places)
        if expected != stated_n and abs(rate - stated_n) > Decimal("0.00005"):
            truncated = rate.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
            self.add(
                "rate.mismatch",
                "error",
                "stated.execution_rate",
                _pct(expected, places - 2),
                _pct(stated_n, places - 2),
                hint_key="hint.truncated" if truncated == stated_n else "hint.none",
            )

    def execution_score(self) -> None:
        """A stated 预算执行率得分 (official forms print one) against rate × weight, at its stated precision."""
        raw = self.doc.stated.execution_score if self.doc.stated else None
        stated = number(raw)
        if stated is None or self.scores.execution_rate is None:
            return
        computed = self.scores.execution_score
        places = decimals_of(raw)
        if round_half_up(computed, places) != stated and abs(computed - stated) > self.profile.score_tolerance:
            self.add(
                "score.execution-mismatch",
                "error",
                "stated.execution_score",
                _plain(round_half_up(computed, 2)),
                _plain(stated),
            )

    # --- weights --------------------------------------------------------------------------------

    def weights(self) -> None:
        prof, doc = self.profile, self.doc
        if self.no_weights:
            return
        exec_weight = number(doc.budget.weight)
        if exec_weight is not None and exec_weight != prof.execution_weight:
            self.add("weight.execution", "warning", "budget.weight", _plain(prof.execution_weight), _plain(exec_weight))
        weights = [number(ind.weight) or Decimal(0) for ind in doc.indicators]
        total = (exec_weight if exec_weight is not None else prof.execution_weight) + sum(weights, Decimal(0))
        if doc.indicators and total != prof.total_weight:
            self.add(
                "weight.sum",
                "error",
                "indicators",
                _plain(prof.total_weight),
                _plain(total),
                execution=_num(exec_weight),
                indicators=_num(total - (exec_weight or 0)),
                anchor_name="weight_total",
            )
        by_block: dict[str, Decimal] = {b.name: Decimal(0) for b in prof.level1}
        rows: dict[str, int] = dict.fromkeys(by_block, 0)
        for i, ind in enumerate(doc.indicators):
            if ind.level1 in by_block:
                by_block[ind.level1] += weights[i]
                rows[ind.level1] += 1
            elif ind.level1 is not None:
                self.add(
                    "indicator.level",
                    "warning",
                    f"indicators[{i}].level1",
                    "、".join(by_block),
                    ind.level1,
                    what_key="what.level1",
                    **self.row(i),
                )
            if (
                ind.level1 in by_block
                and ind.level2 is not None
                and ind.level1
                and prof.level1_of(ind.level2) != ind.level1
            ):
                allowed = next(b.level2 for b in prof.level1 if b.name == ind.level1)
                self.add(
                    "indicator.level",
                    "warning",
                    f"indicators[{i}].level2",
                    "、".join(allowed),
                    ind.level2,
                    what_key="what.level2",
                    **self.row(i),
                )
        if not doc.indicators or total != prof.total_weight:
            return  # a wrong grand total says it already; block warnings would only repeat it
        empty = [b for b in prof.level1 if rows[b.name] == 0]
        used = [b for b in prof.level1 if rows[b.name] > 0]
        if empty:  # an unused block's weight may move to the others: compare them together
            found = sum((by_block[b.name] for b in used), Decimal(0))
            expected = sum((b.weight for b in prof.level1), Decimal(0))
            if found != expected:
                self.add(
                    "weight.level1",
                    "warning",
                    "indicators",
                    _plain(expected),
                    _plain(found),
                    level1="、".join(b.name for b in used),
                    anchor_name="weight_total",
                )
            return
        for block in prof.level1:
            if by_block[block.name] != block.weight:
                first = next(i for i, ind in enumerate(doc.indicators) if ind.level1 == block.name)
                self.add(
                    "weight.level1",
                    "warning",
                    f"indicators[{first}].level1",
                    _plain(block.weight),
                    _plain(by_block[block.name]),
                    level1=block.name,
                )

    # --- indicators -----------------------------------------------------------------------------

    def indicators(self) -> None:
        prof, doc = self.profile, self.doc
        seen: dict[tuple[str, str, str], int] = {}
        tol = prof.score_tolerance
        for i, (ind, item) in enumerate(zip(doc.indicators, self.scores.items, strict=True)):
            if ind.name:
                key = (_key(ind.level1), _key(ind.level2), _key(ind.name))
                if key in seen:
                    self.add(
                        "indicator.duplicate",
                        "error",
                        f"indicators[{i}].name",
                        None,
                        ind.name,
                        first=seen[key] + 1,
                        **self.row(i),
                    )
                else:
                    seen[key] = i
            entered = number(ind.score)
            weight = number(ind.weight)
            exceeded = entered is not None and weight is not None and entered > weight + tol
            if exceeded:
                self.add(
                    "score.exceeds-weight",
                    "error",
                    f"indicators[{i}].score",
                    _plain(weight or Decimal(0)),
                    _plain(entered or Decimal(0)),
                    **self.row(i),
                )
            if not ind.applicable:
                continue
            if item.problem == "zero-target":
                self.add(
                    "indicator.zero-target",
                    "warning",
                    f"indicators[{i}].target",
                    None,
                    ind.target,
                    score=_num(item.score),
                    **self.row(i),
                )
            by_coefficient = prof.indicator_scoring == "coefficient"
            if by_coefficient and item.rule is not None and item.problem is None and item.score > item.rule + tol:
                self.add(
                    "indicator.coefficient-high",
                    "warning",
                    f"indicators[{i}].coefficient",
                    _pct(item.rule / item.weight) if item.weight else None,
                    _pct(number(ind.coefficient) or Decimal(0)),
                    **self.row(i),
                )
            banded = (
                entered if entered is not None else (item.score if by_coefficient and item.problem is None else None)
            )
            comparable = (
                entered is not None
                and not exceeded
                and item.problem is None
                and (by_coefficient or (item.band is None and ind.kind in ("positive", "negative", "equal")))
            )
            if comparable and entered is not None:
                places = decimals_of(ind.score)
                if round_half_up(item.score, places) != entered and abs(item.score - entered) > tol:
                    self.add(
                        "score.mismatch",
                        "error",
                        f"indicators[{i}].score",
                        _plain(round_half_up(item.score, 2)),
                        _plain(entered),
                        rule_key="rule.coefficient" if by_coefficient else f"rule.{ind.kind}",
                        **self.row(i),
                    )
            if banded is not None and not exceeded and weight is not None and item.band is not None:
                low, high = item.band
                top = high >= weight
                if banded < low - tol or banded > high + tol or (not top and banded >= high):
                    self.add(
                        "score.out-of-band",
                        "error",
                        f"indicators[{i}].score",
                        f"{_num(low)}–{_num(high)}",
                        _plain(banded),
                        tier=ind.actual,
                        low=_num(low),
                        high=_num(high),
                        bound_key="bound.closed" if top else "bound.open",
                        **self.row(i),
                    )
            if item.weight > 0 and item.score < item.weight - tol and not ind.reason and item.problem is None:
                self.add(
                    "indicator.reason-missing",
                    "error",
                    f"indicators[{i}].reason",
                    None,
                    None,
                    score=_num(item.score),
                    weight=_num(item.weight),
                    **self.row(i),
                )
            threshold = prof.over_achievement
            target, actual = number(ind.target), number(ind.actual)
            if (
                threshold is not None
                and ind.kind == "positive"
                and target
                and target > 0
                and actual is not None
                and actual >= target * (1 + threshold)
                and not ind.reason
            ):
                self.add(
                    "indicator.over-achieved",
                    "warning",
                    f"indicators[{i}].actual",
                    _plain(target),
                    ind.actual,
                    threshold=_pct(threshold, 0),
                    **self.row(i),
                )

    # --- totals and grade ------------------------------------------------------------------------

    def totals(self) -> None:
        stated = self.doc.stated
        if stated is None:
            return
        graded = self.scores.graded_total
        stated_total = number(stated.total_score)
        if stated_total is not None:
            places = decimals_of(stated.total_score)
            if (
                round_half_up(graded, places) != stated_total
                and abs(graded - stated_total) > self.profile.score_tolerance
            ):
                self.add(
                    "score.total-mismatch",
                    "error",
                    "stated.total_score",
                    _plain(round_half_up(graded, 2)),
                    _plain(stated_total),
                    anchor_name="total_score",
                )
        if stated.grade and not _same_grade(stated.grade, self.scores.grade):
            self.add("grade.mismatch", "error", "stated.grade", self.scores.grade, stated.grade, total=_num(graded))

    # --- plausibility ------------------------------------------------------------------------------

    def suspect_units(self) -> None:
        doc, b = self.doc, self.doc.budget
        unit = doc.money_unit
        other = "元" if unit == "万元" else "万元"
        amounts: list[tuple[str, Decimal]] = []
        for path, value in [
            ("budget.initial", b.initial),
            ("budget.adjusted", b.adjusted),
            ("budget.executed", b.executed),
        ]:
            if (n := number(value)) is not None and n > 0:
                amounts.append((path, n))
        for part, keys in ((b.basic, ("adjusted", "executed")), (b.project, ("adjusted", "executed"))):
            if part is not None:
                prefix = "budget.basic" if part is b.basic else "budget.project"
                amounts += [(f"{prefix}.{k}", n) for k in keys if (n := number(getattr(part, k))) is not None and n > 0]
        for i, src in enumerate(b.sources):
            amounts += [
                (self.source_path(i, k), n)
                for k in ("initial", "adjusted", "executed")
                if (n := number(getattr(src, k))) is not None and n > 0
            ]
        flagged: set[str] = set()
        if len(amounts) >= 3:
            mid = Decimal(str(median(float(n) for _, n in amounts)))
            for path, n in amounts:
                if n / mid >= SUSPECT_RATIO or mid / n >= SUSPECT_RATIO:
                    flagged.add(path)
                    self.add(
                        "unit.suspect", "warning", path, None, _plain(n), unit=unit, other=other if n > mid else unit
                    )
        adjusted = number(b.adjusted)
        if adjusted and "budget.adjusted" not in flagged:
            if unit == "万元" and adjusted >= Decimal(1_000_000):
                self.add("unit.suspect", "warning", "budget.adjusted", None, _plain(adjusted), unit=unit, other="元")
            elif unit == "元" and adjusted < Decimal(1000):
                self.add("unit.suspect", "warning", "budget.adjusted", None, _plain(adjusted), unit=unit, other="万元")
        reference = number(b.executed) or adjusted
        if b.three_public and reference:
            for key in ("budget", "actual", "last_year"):
                n = number(getattr(b.three_public, key))
                if n is not None and n > reference:
                    self.add(
                        "unit.suspect", "warning", f"budget.three_public.{key}", None, _plain(n), unit=unit, other="元"
                    )
        for i, task in enumerate(doc.tasks):
            for key in ("budget", "executed"):
                n = number(getattr(task, key))
                if n is not None and reference and n > reference * 10:
                    self.add("unit.suspect", "warning", f"tasks[{i}].{key}", None, _plain(n), unit=unit, other="元")

    def plausibility(self) -> None:
        doc = self.doc
        staff = doc.staff
        posts = staff.authorized if staff else None
        people = staff.actual if staff else None
        if isinstance(posts, int) and isinstance(people, int) and 0 < posts < people:
            rate = Decimal(people) / Decimal(posts)
            self.add("staff.over", "warning", "staff.actual", posts, people, rate=_pct(rate))
        three = doc.budget.three_public
        if three:
            budget, actual = number(three.budget), number(three.actual)
            if (
                budget is not None
                and actual is not None
                and actual > budget + self.tol
                and actual < budget * SUSPECT_RATIO
            ):
                self.add(
                    "budget.three-public-over", "warning", "budget.three_public.actual", _plain(budget), _plain(actual)
                )

    def category_sheet(self) -> None:
        """A category-scored sheet: identity, every applicable item scored within its maximum, deductions
        with their reasons, the bonus within its cap."""
        doc, tol = self.doc, self.profile.score_tolerance
        for path, value in (("unit.name", doc.unit.name), ("year", doc.year)):
            if value is None and path not in self.typed:
                self.add("field.required", "error", path)
        if not any(cat.items for cat in doc.categories):
            self.add("field.required", "error", "categories", anchor_name="tbl_category_1")
        for c, cat in enumerate(doc.categories):
            for i, item in enumerate(cat.items):
                path = f"categories[{c}].items[{i}]"
                top, got = number(item.max), number(item.score)
                if top is None and f"{path}.max" not in self.typed and (got is not None or item.applicable):
                    self.add("field.required", "error", f"{path}.max", category=cat.name)
                if item.applicable and got is None and top is not None and f"{path}.score" not in self.typed:
                    self.add("field.required", "error", f"{path}.score", category=cat.name)
                if top is not None and got is not None and got > top + tol:
                    self.add(
                        "score.exceeds-weight",
                        "error",
                        f"{path}.score",
                        _plain(top),
                        _plain(got),
                        row_field=path,
                        name=item.name,
                    )
        for i, deduction in enumerate(doc.deductions):
            if deduction.points is not None and not deduction.reason:
                self.add("field.required", "error", f"deductions[{i}].reason")
        cats, bonus_max = self.scores.categories, self.profile.bonus_max
        if cats is not None and bonus_max is not None:
            raw_bonus = sum(
                (score for (_, score), cat in zip(cats.per_category, doc.categories, strict=True) if cat.bonus),
                Decimal(0),
            )
            if raw_bonus > bonus_max:
                self.add(
                    "score.bonus-capped",
                    "info",
                    "categories",
                    _plain(bonus_max),
                    _plain(raw_bonus),
                    anchor_name="bonus_score",
                )

    def profile_rules(self) -> None:
        """Rules some profiles add: a reason for low execution, word limits on narrative boxes."""
        prof, doc = self.profile, self.doc
        rate = self.scores.execution_rate
        threshold = prof.execution_reason_below
        if threshold is not None and rate is not None and rate < threshold and not doc.budget.reason:
            self.add(
                "budget.reason-missing",
                "error",
                "budget.reason",
                None,
                _pct(rate),
                threshold=_pct(threshold, 0),
                rate=_pct(rate),
            )
        for key, limit in prof.narrative_limits.items():
            text = getattr(doc.narrative, key, None) if doc.narrative else None
            length = len("".join((text or "").split()))
            if length > limit:
                self.add("narrative.too-long", "error", f"narrative.{key}", limit, length)

    def run(self) -> list[Finding]:
        self.from_notes()
        self.required()
        self.sums()
        self.rates()
        self.weights()
        self.indicators()
        self.totals()
        self.suspect_units()
        self.plausibility()
        self.profile_rules()
        return self.out


def _raw(value: object) -> object:
    if isinstance(value, str | int | float) or value is None:
        return value
    return str(value)


def _key(text: str | None) -> str:
    return "".join((text or "").split()).casefold()


def _same_grade(stated: str, computed: str) -> bool:
    if stated == computed:
        return True
    return any(stated in group and computed in group for group in GRADE_ALIASES)


def check_document(doc: Document, notes: list[Note], scores: Scores, profile: Profile, form: FormSpec) -> list[Finding]:
    """Every finding on one document, in a stable order (notes, required fields, sums, rates, weights,
    indicators, totals, plausibility)."""
    return _Checks(doc, notes, scores, profile, form).run()


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

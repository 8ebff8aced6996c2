"""The narrative self-evaluation report (自评报告) as a pure document model, written from the same data as the form.

A :class:`Report` is a title and a list of blocks (headings, paragraphs, tables). Headings are numbered in the
official style (一、 （一） 1.) as they are added, so a section left out for lack of data leaves no gap and no
empty heading. Free-text parts a unit has not written yet become highlighted placeholders to fill in.
Renderers (docx, Markdown) only lay the model out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .document import Document
from .figures import money, pct, plain, points, wan
from .scoring import Scores, number
from .spec import Profile

NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    if n <= 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens] if tens > 1 else "") + "十" + (NUMERALS[ones] if ones else "")


@dataclass
class Run:
    text: str
    placeholder: bool = False  # a part the unit still has to write (highlighted)
    bold: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    indent: bool = True

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    level: int
    text: str  # with its number (一、…)


@dataclass
class Table:
    caption: str | None
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative
    numeric: list[bool]  # right-aligned columns
    emphasis: set[int] = field(default_factory=set)  # row indices shown bold (totals)


Block = Heading | Paragraph | Table


@dataclass
class Report:
    title: str
    subtitle: str | None
    blocks: list[Block]

    def text(self) -> str:
        """Every word of the report, tables included (for checks and searching)."""
        parts = [self.title, self.subtitle or ""]
        for block in self.blocks:
            if isinstance(block, Table):
                parts += [block.caption or "", *block.header, *(cell for row in block.rows for cell in row)]
            else:
                parts.append(block.text)
        return "\n".join(parts)


class Builder:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.counters = [0, 0, 0]

    def heading(self, level: int, text: str, numbered: bool = True) -> None:
        if not numbered:
            self.blocks.append(Heading(level, text))
            return
        self.counters[level - 1] += 1
        for deeper in range(level, 3):
            self.counters[deeper] = 0
        n = self.counters[level - 1]
        number = {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}."}[level]
        self.blocks.append(Heading(level, number + text))

    def close_empty(self) -> None:
        """Drop a heading that nothing followed (a section without data), with its number."""
        last = self.blocks[-1] if self.blocks else None
        if isinstance(last, Heading):
            self.blocks.pop()
            heading = last
            if heading.text[:1] in "一二三四五六七八九十（0123456789":
                self.counters[heading.level - 1] -= 1

    def para(self, *parts: str | Run, indent: bool = True) -> None:
        runs = [p if isinstance(p, Run) else Run(p) for p in parts if p]
        if runs:
            self.blocks.append(Paragraph(runs, indent))

    def free_text(self, text: str | None, what: str) -> None:
        """The unit's own text, one paragraph per line, or a placeholder asking for it."""
        if text:
            for line in text.splitlines():
                if line.strip():
                    self.para(line.strip())
        else:
            self.para(Run(f"【请填写：{what}】", placeholder=True))

    def table(self, table: Table) -> None:
        self.blocks.append(table)


def join_clauses(*clauses: str) -> str:
    return "，".join(c for c in clauses if c) + "。" if any(clauses) else ""


def fill_in(template: str, **values: str) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


# ---------------------------------------------------------------------------------------------- one unit


def unit_report(doc: Document, scores: Scores, profile: Profile, open_findings: list[tuple[str, str, str]]) -> Report:
    """The self-evaluation report of one unit (or one project). ``open_findings``: (级别, 位置, 说明) of the
    validation findings that are still open, listed in an appendix."""
    b = Builder()
    unit = doc.unit.name or "本单位"
    year = str(doc.year) if doc.year is not None else ""
    project = doc.form == "project"
    scope = f"“{doc.project_name}”项目支出" if project and doc.project_name else "部门整体支出"
    if scores.categories is not None:
        scope = "部门绩效管理工作"
    texts = profile.report
    title = fill_in(
        texts.get("title_project" if project else "title_department", "{unit}{year}年度绩效自评报告"),
        unit=unit,
        year=year,
        project=doc.project_name or "",
    )
    subtitle = unit if project else None
    mu = doc.money_unit

    # 一、基本情况
    b.heading(1, "基本情况")
    b.heading(2, "项目概况" if project else "单位概况")
    b.free_text(
        doc.narrative.functions if doc.narrative else None,
        "项目立项依据、主要内容" if project else "单位职能职责、内设机构等基本情况",
    )
    if doc.staff and (doc.staff.authorized is not None or doc.staff.actual is not None):
        staff = doc.staff
        b.para(
            join_clauses(
                f"单位编制数{staff.authorized}人" if staff.authorized is not None else "",
                f"实有人数{staff.actual}人" if staff.actual is not None else "",
            )
        )
    budget = doc.budget
    b.heading(2, "项目资金情况" if project else "预算及支出情况")
    b.para(
        join_clauses(
            f"{year}年度年初预算数为{money(budget.initial, mu)}" if number(budget.initial) is not None else "",
            f"全年预算数为{money(budget.adjusted, mu)}" if number(budget.adjusted) is not None else "",
            f"全年执行数为{money(budget.executed, mu)}" if number(budget.executed) is not None else "",
            f"预算执行率为{pct(scores.execution_rate)}" if scores.execution_rate is not None else "",
        )
    )
    if budget.reason:
        b.para("执行偏差原因：" + budget.reason)
    sources = [s for s in budget.sources if number(s.adjusted) is not None or number(s.executed) is not None]
    if sources:
        parts = []
        for s in sources:
            amounts = "、".join(
                x
                for x in (
                    f"全年预算数{money(s.adjusted, mu)}" if number(s.adjusted) is not None else "",
                    f"执行数{money(s.executed, mu)}" if number(s.executed) is not None else "",
                )
                if x
            )
            parts.append(f"{s.name}{amounts}")
        b.para("按资金来源分：" + "；".join(parts) + "。")
    if budget.basic or budget.project:
        basic, proj = budget.basic, budget.project
        clauses = []
        if basic and number(basic.executed) is not None:
            inner = "、".join(
                x
                for x in (
                    f"人员经费{money(basic.personnel, mu)}" if number(basic.personnel) is not None else "",
                    f"公用经费{money(basic.public, mu)}" if number(basic.public) is not None else "",
                )
                if x
            )
            clauses.append(f"基本支出{money(basic.executed, mu)}" + (f"（其中{inner}）" if inner else ""))
        if proj and number(proj.executed) is not None:
            clauses.append(f"项目支出{money(proj.executed, mu)}")
        if clauses:
            b.para("按支出性质分，全年执行数中" + "，".join(clauses) + "。")
    three = budget.three_public
    if three and number(three.actual) is not None:
        clauses = []
        if number(three.budget) is not None:
            clauses.append(f"「三公」经费预算数为{money(three.budget, mu)}")
        clauses.append(f"实际支出{money(three.actual, mu)}")
        actual_w, budget_w, last_w = wan(three.actual, mu), wan(three.budget, mu), wan(three.last_year, mu)
        if budget_w and actual_w is not None:
            clauses.append(f"为预算的{pct(actual_w / budget_w)}")
        if last_w is not None and actual_w is not None:
            diff = actual_w - last_w
            change = "增加" if diff > 0 else "减少" if diff < 0 else "持平"
            text = f"上年实际支出{money(three.last_year, mu)}，比上年{change}"
            if diff:
                text += f"{money(abs(diff), '万元')}"
                if last_w:
                    text += f"（{pct(abs(diff) / last_w)}）"
            clauses.append(text)
        b.para(join_clauses(*clauses))
    b.close_empty()
    if doc.tasks:
        b.heading(2, "年度主要任务")
        b.para(f"全年安排主要任务{len(doc.tasks)}项，预算及执行情况见下表。")
        rows = []
        for t in doc.tasks:
            planned, spent = wan(t.budget, mu), wan(t.executed, mu)
            rate = spent / planned if planned and spent is not None else None
            rows.append(
                [
                    t.name or "",
                    t.content or "",
                    money(t.budget, mu, suffix=False),
                    money(t.executed, mu, suffix=False),
                    pct(rate),
                ]
            )
        b.table(
            Table(
                "年度主要任务完成情况（金额单位：万元）",
                ["任务名称", "主要内容", "预算数", "执行数", "执行率"],
                rows,
                [3, 5, 1.6, 1.6, 1.4],
                [False, False, True, True, True],
            )
        )

    # 二、绩效评价工作开展情况
    b.heading(1, "绩效评价工作开展情况")
    for key, heading in (("purpose", "评价目的"), ("principles", "评价原则"), ("method", "评价方法")):
        if texts.get(key):
            b.heading(2, heading)
            b.para(fill_in(texts[key], unit=unit, year=year, scope=scope))
    if texts.get("process"):
        b.heading(2, "评价过程")
        for i, step in enumerate(texts["process"], start=1):
            b.para(f"{i}.{fill_in(step, unit=unit, year=year, scope=scope)}")

    # 三、评价情况及结论
    b.heading(1, "评价情况及结论")
    if scores.categories is not None:
        _category_conclusion(b, doc, scores, unit, year)
    else:
        _indicator_conclusion(b, doc, scores, profile, unit, year, scope)

    # 四、五、六
    narrative = doc.narrative
    b.heading(1, "主要经验及做法")
    b.free_text(narrative.experience if narrative else None, "主要经验及做法")
    b.heading(1, "存在的问题")
    b.free_text(narrative.problems if narrative else None, "存在的问题")
    b.heading(1, "改进措施及建议")
    b.free_text(narrative.measures if narrative else None, "改进措施及建议")
    if narrative and narrative.other:
        b.heading(1, "其他需要说明的事项")
        b.free_text(narrative.other, "其他需要说明的事项")
    if open_findings:
        b.heading(1, "附：自评表校验发现的问题", numbered=False)
        b.para(f"经 xltool 校验，自评表尚有以下{len(open_findings)}处问题，请核实更正后再报送。")
        b.table(
            Table(None, ["级别", "位置", "说明"], [list(f) for f in open_findings], [1, 2, 9], [False, False, False])
        )
    return Report(title, subtitle, b.blocks)


def _indicator_conclusion(
    b: Builder, doc: Document, scores: Scores, profile: Profile, unit: str, year: str, scope: str
) -> None:
    """三、评价情况及结论 of an indicator form: total, grade, 表1 指标得分情况, goals, each block's completion."""
    b.heading(2, "总体结论")
    na = [ind for ind in doc.indicators if not ind.applicable]
    conclusion = f"经自评，{unit}{year}年度{scope}绩效自评总得分{points(scores.total)}分"
    if scores.normalized is not None:
        conclusion += (
            f"；其中{len(na)}项指标不适用，剔除后按适用分值{points(scores.applicable_weight)}分换算，"
            f"换算得分为{points(scores.normalized)}分"
        )
    b.para(conclusion + f"，自评等次为“{scores.grade}”。")
    if doc.narrative and doc.narrative.conclusion:
        b.free_text(doc.narrative.conclusion, "自评结论")
    indicator_weight = sum((item.weight for item in scores.items if item.applicable), Decimal(0))
    b.para(
        join_clauses(
            f"预算执行率{pct(scores.execution_rate)}，得分{points(scores.execution_score)}分（分值{points(scores.execution_weight)}分）"
            if scores.execution_rate is not None
            else f"预算执行率得分{points(scores.execution_score)}分",
            f"绩效指标得分{points(scores.indicators)}分（分值{points(indicator_weight)}分）",
        )
    )
    flat = not profile.level1  # a flat indicator list (重庆) has no 一级/二级 columns
    lead = 1 if flat else 3
    rows, emphasis = [], set()
    for ind, item in zip(doc.indicators, scores.items, strict=True):
        score = points(item.score) if ind.applicable else "不适用"
        share = pct(item.score / item.weight) if ind.applicable and item.weight else ""
        names = [ind.name or ""] if flat else [ind.level1 or "", ind.level2 or "", ind.name or ""]
        rows.append([*names, points(item.weight), score, share])
    execution_share = pct(scores.execution_score / scores.execution_weight) if scores.execution_weight else ""
    rows.append(
        [
            "预算执行率",
            *[""] * (lead - 1),
            points(scores.execution_weight),
            points(scores.execution_score),
            execution_share,
        ]
    )
    total_weight = scores.execution_weight + sum((item.weight for item in scores.items), Decimal(0))
    rows.append(["合计", *[""] * (lead - 1), points(total_weight), points(scores.total), ""])
    emphasis.add(len(rows) - 1)
    header = ["指标名称"] if flat else ["一级指标", "二级指标", "三级指标"]
    widths = [6.2] if flat else [1.5, 1.9, 4.1]
    b.table(
        Table(
            "表1　指标得分情况",
            [*header, "分值", "得分", "得分率"],
            rows,
            [*widths, 0.9, 0.9, 1.5],
            [False] * lead + [True, True, True],
            emphasis,
        )
    )
    if doc.goals and (doc.goals.planned or doc.goals.achieved):
        b.heading(2, "年度总体目标完成情况")
        if doc.goals.planned:
            b.para("年度总体目标：" + doc.goals.planned)
        if doc.goals.achieved:
            b.para("实际完成情况：" + doc.goals.achieved)
    b.heading(2, "绩效指标完成情况")
    pairs_all = [(ind, item) for ind, item in zip(doc.indicators, scores.items, strict=True) if ind.applicable]
    groups = (
        [("绩效指标", pairs_all)]
        if flat
        else [(block.name, [(i, s) for i, s in pairs_all if i.level1 == block.name]) for block in profile.level1]
    )
    for group, pairs in groups:
        if not pairs:
            continue
        weight = sum((item.weight for _, item in pairs), Decimal(0))
        got = sum((item.score for _, item in pairs), Decimal(0))
        short = [(ind, item) for ind, item in pairs if item.score < item.weight]
        sentence = f"{group}共{len(pairs)}项，分值{points(weight)}分，得分{points(got)}分"
        sentence += f"，得分率{pct(got / weight)}" if weight else ""
        b.para(sentence + ("；各项指标均全面完成。" if not short else f"；{len(short)}项未完全达成："))
        for ind, item in short:
            unit_word = ind.unit or ""
            target = plain(ind.target) + (unit_word if isinstance(ind.target, int | float) else "")
            actual = plain(ind.actual) + (unit_word if isinstance(ind.actual, int | float) else "")
            text = f"“{ind.name}”年度指标值{target}，实际完成{actual}，得分{points(item.score)}分（分值{points(item.weight)}分）"
            b.para(text + (f"。偏差原因及改进措施：{ind.reason}" if ind.reason else "。"))
    b.close_empty()


def _category_conclusion(b: Builder, doc: Document, scores: Scores, unit: str, year: str) -> None:
    """三、评价情况及结论 of a category-scored sheet: the conversion, bonus, deductions and each category."""
    cats = scores.categories
    assert cats is not None
    b.heading(2, "总体结论")
    text = f"经考核自评，{unit}{year}年度部门绩效管理考核各类别得分合计{points(cats.base_score)}分（适用满分{points(cats.base_max)}分）"
    if cats.converted is not None:
        text += f"，换算得分{points(cats.converted)}分"
    if cats.bonus:
        text += f"，加分{points(cats.bonus)}分"
    if cats.deductions:
        text += f"，扣分{points(cats.deductions)}分"
    b.para(text + f"，考核总分{points(scores.total)}分，等次为“{scores.grade}”。")
    if doc.narrative and doc.narrative.conclusion:
        b.free_text(doc.narrative.conclusion, "考核结论")
    rows, emphasis = [], set()
    for cat, (maximum, score) in zip(doc.categories, cats.per_category, strict=True):
        if not cat.items:
            continue
        share = pct(score / maximum) if maximum else ""
        rows.append([(cat.name or "") + ("（加分项）" if cat.bonus else ""), points(maximum), points(score), share])
    if cats.deductions:
        rows.append(["存在问题（扣分）", "", f"-{points(cats.deductions)}", ""])
    rows.append(["考核总分", "", points(scores.total), ""])
    emphasis.add(len(rows) - 1)
    b.table(
        Table(
            "表1　考核得分情况",
            ["考核类别", "适用满分", "得分", "得分率"],
            rows,
            [5, 1.5, 1.5, 1.5],
            [False, True, True, True],
            emphasis,
        )
    )
    lost = [
        (cat, item)
        for cat in doc.categories
        if not cat.bonus  # bonus points not earned are not points lost
        for item in cat.items
        if item.applicable and number(item.max) is not None and (number(item.score) or 0) < (number(item.max) or 0)
    ]
    if lost or doc.deductions:
        b.heading(2, "失分及扣分情况")
        for cat, item in lost:
            text = f"{cat.name}“{item.name or '子项'}”满分{points(item.max)}分，得分{points(item.score or 0)}分"
            b.para(text + (f"。{item.note}" if item.note else "。"))
        for deduction in doc.deductions:
            b.para(f"扣分：{deduction.reason or '（未写明事项）'}，扣{points(deduction.points)}分。")


# ---------------------------------------------------------------------------------------------- Markdown


def to_markdown(report: Report) -> str:
    """The report as Markdown (placeholders in bold brackets)."""
    lines = [f"# {report.title}", ""]
    if report.subtitle:
        lines += [report.subtitle, ""]
    for block in report.blocks:
        if isinstance(block, Heading):
            lines += ["#" * (block.level + 1) + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            lines += ["".join(f"**{r.text}**" if r.placeholder or r.bold else r.text for r in block.runs), ""]
        else:
            if block.caption:
                lines += [block.caption, ""]
            lines.append("| " + " | ".join(block.header) + " |")
            lines.append("|" + "|".join("---:" if n else "---" for n in block.numeric) + "|")
            for row in block.rows:
                lines.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |")
            lines.append("")
    return "\n".join(lines)

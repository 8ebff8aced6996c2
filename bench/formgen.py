"""Official forms as published, generated: every layout family, with the perturbations real filled forms show
(research/official-layouts.md §6), and the document each must give.

A form is drawn on a :class:`Canvas` (cells, merged ranges, hidden rows, the paragraphs above a Word table),
then written as .xlsx (openpyxl) or .docx (python-docx); .xls and .ods are LibreOffice's conversions of the
.xlsx, as a unit's WPS or LibreOffice would save them. :func:`expected` is the evaluation document the reader
must give, as flattened field paths.

Used by bench/official_forms.py (the measured corpus) and tests/test_official_forms.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FAMILIES = (
    "national-project",
    "central-project-2016",
    "sichuan-project",
    "hubei-project",
    "national-department",
    "chongqing-department",
    "fujian-department",
)


@dataclass
class Canvas:
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    context: list[str] = field(default_factory=list)
    row: int = 0
    left: int = 0

    def put(self, col: int, value: Any, rows: int = 1, cols: int = 1, row: int | None = None) -> None:
        r = self.row if row is None else row
        c = self.left + col
        if value is not None:
            self.cells[(r, c)] = value
        if rows > 1 or cols > 1:
            self.merges.append((r, c, r + rows - 1, c + cols - 1))

    def line(self, *values: Any, spans: dict[int, int] | None = None) -> None:
        """A row of cells from column 0, each value a cell (``spans`` col → columns merged)."""
        col = 0
        for value in values:
            width = (spans or {}).get(col, 1)
            self.put(col, value, cols=width)
            col += width
        self.row += 1

    @property
    def width(self) -> int:
        return max((c for _, c in self.cells), default=0) + 1


@dataclass
class Variant:
    """The perturbations of one form."""

    rng: random.Random
    yuan: bool = False  # amounts in 元 under a 元 label
    text_numbers: bool = False  # numbers written as text (1,234.50 / 100.00%)
    spaced: bool = False  # labels spaced out or split over lines (年 初 预 算 数, 年初\\n预算数)
    merged_levels: bool = True  # 一级/二级 merged down, else written on the first row only
    hidden: bool = False  # a hidden row holding a placeholder indicator
    placeholders: bool = False  # 指标N …… rows left in
    projects: int = 1  # projects stacked on one sheet
    offset: tuple[int, int] = (0, 0)  # blank rows above, blank columns left
    label_variant: int = 0  # which spelling of the variable labels


def _label(v: Variant, text: str) -> str:
    if not v.spaced or len(text) < 3:
        return text
    return " ".join(text) if v.rng.random() < 0.5 else text[: len(text) // 2] + "\n" + text[len(text) // 2 :]


def _money(v: Variant, amount: float) -> Any:
    value = round(amount * (10000 if v.yuan else 1), 2)
    if v.text_numbers:
        return f"{value:,.2f}"
    return value


def _num(v: Variant, value: float, pct: bool = False) -> Any:
    if pct:
        return f"{value:.2f}%"
    if v.text_numbers and v.rng.random() < 0.5:
        return f"{value:.2f}"
    return value


# ---------------------------------------------------------------------------------------------- content


def _content(rng: random.Random, family: str, n: int) -> dict[str, Any]:
    """A project's (or department's) figures: money, indicators with scores by the rules."""
    adjusted = round(rng.uniform(20, 900), 2)
    executed = round(adjusted * rng.uniform(0.7, 1.0), 2)
    initial = round(adjusted * rng.choice([1, 1, 0.9]), 2)
    fiscal = round(adjusted * 0.8, 2)
    other = round(adjusted - fiscal, 2)
    fiscal_exec = round(executed * 0.8, 2)
    other_exec = round(executed - fiscal_exec, 2)
    exec_weight = {"hubei-project": 20}.get(family, 10)
    blocks = [
        ("产出指标", ["数量指标", "质量指标", "时效指标"]),
        ("效益指标", ["社会效益指标"]),
        ("满意度指标", ["服务对象满意度指标"]),
    ]
    weights_left = 100 - exec_weight
    indicators = []
    count = rng.randint(4, 7)
    per = [weights_left // count] * count
    per[0] += weights_left - sum(per)
    for i in range(count):
        level1, level2s = blocks[0] if i < count - 2 else blocks[1] if i == count - 2 else blocks[2]
        level2 = level2s[i % len(level2s)]
        kind = rng.choice(["positive", "positive", "negative"]) if i < count - 1 else "positive"
        unit = rng.choice(["个", "%", "次", "小时"])
        target = rng.choice([50, 90, 95, 100, 12, 2])
        actual = (
            round(target * rng.uniform(0.8, 1.1), 1) if kind == "positive" else round(target * rng.uniform(0.8, 1.2), 1)
        )
        weight = per[i]
        if kind == "positive":
            score = weight if actual >= target else actual / target * weight
        else:
            score = weight if actual <= target else target / actual * weight
        score = round(score, 2)
        reason = None if score >= weight else "受客观因素影响，下一年度加强调度"
        indicators.append(
            {
                "level1": level1,
                "level2": level2,
                "name": f"指标名称{n}{i + 1}{rng.choice(['完成率', '数量', '及时率', '覆盖率'])}",
                "kind": kind,
                "target": target,
                "actual": actual,
                "unit": unit,
                "weight": weight,
                "score": score,
                "reason": reason,
                "coefficient": round(score / weight, 4) if weight else 0,
            }
        )
    rate = executed / adjusted
    exec_score = round(min(rate, 1) * exec_weight, 2)
    total = round(exec_score + sum(ind["score"] for ind in indicators), 2)
    return {
        "project": f"第{n}号网络安全运维项目",
        "code": f"51000021R0000000199{n:02d}",
        "supervisor": "江临市委网信办",
        "unit": f"江临市网络安全中心{n}",
        "year": rng.choice([2021, 2022, 2023]),
        "initial": initial,
        "adjusted": adjusted,
        "executed": executed,
        "fiscal": (fiscal, fiscal_exec),
        "other": (other, other_exec),
        "rate": rate,
        "exec_weight": exec_weight,
        "exec_score": exec_score,
        "indicators": indicators,
        "total": total,
        "planned": "完成全市网络安全运维，保障重要系统全年稳定运行。",
        "achieved": "全年完成运维巡检，重要系统未发生重大安全事件。",
    }


_COMP = {"positive": "≥", "negative": "≤", "equal": "="}


def _target_text(ind: dict[str, Any], with_unit: bool = True) -> str:
    return f"{_COMP[ind['kind']]}{ind['target']}{ind['unit'] if with_unit else ''}"


def _actual_text(v: Variant, ind: dict[str, Any], with_unit: bool = True) -> Any:
    if with_unit and v.rng.random() < 0.5:
        return f"{ind['actual']}{ind['unit']}"
    return ind["actual"] if not v.text_numbers else str(ind["actual"])


def _indicator_rows(
    canvas: Canvas, v: Variant, inds: list[dict[str, Any]], row_values: Any, level_cols: tuple[int, int] | None
) -> None:
    """Indicator rows; 一级/二级 merged down over their rows (or written on the first row only)."""
    start = canvas.row
    for ind in inds:
        canvas.line(*row_values(ind))
    if v.placeholders:
        canvas.line(None, None, f"指标{len(inds) + 1}", "……")
    if v.hidden:
        canvas.hidden_rows.add(canvas.row)
        canvas.line(None, None, "……")
    if level_cols is None:
        return
    for which, col in zip(("level1", "level2"), level_cols, strict=True):
        r = start
        while r < start + len(inds):
            value = inds[r - start][which]
            end = r
            while (
                end + 1 < start + len(inds)
                and inds[end + 1 - start][which] == value
                and (which == "level1" or inds[end + 1 - start]["level1"] == inds[r - start]["level1"])
            ):
                end += 1
            for rr in range(r + 1, end + 1):
                canvas.cells.pop((rr, canvas.left + col), None)
            if end > r and v.merged_levels:
                canvas.merges.append((r, canvas.left + col, end, canvas.left + col))
            r = end + 1


def _level1_label(ind: dict[str, Any], weights: dict[str, int], v: Variant) -> str:
    if v.label_variant % 2:
        return f"{ind['level1']}（{weights[ind['level1']]}分）"
    return ind["level1"]


def _weights(c: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for ind in c["indicators"]:
        out[ind["level1"]] = out.get(ind["level1"], 0) + ind["weight"]
    return out


def national_project(canvas: Canvas, v: Variant, c: dict[str, Any], old: bool = False) -> None:
    unit_label = "元" if v.yuan else "万元"
    title = "项目支出绩效自评表"
    canvas.line(title if v.label_variant % 3 != 2 else "财政" + title, spans={0: 8})
    canvas.line(f"（{c['year']}年度）", spans={0: 8})
    canvas.line(_label(v, "项目名称"), c["project"], spans={1: 7})
    supervisor = "主管部门及代码" if old else "主管部门"
    canvas.line(
        _label(v, supervisor),
        f"219-{c['supervisor']}",
        None,
        None,
        "实施单位：" if old else "实施单位",
        c["unit"],
        spans={1: 3, 5: 3},
    )
    fiscal_label = ["其中：当年财政拨款", "其中：本年财政拨款", "其中：当年财政拨款"][v.label_variant % 3]
    if old:
        fiscal_label = "其中：本年一般公共预算拨款"
        canvas.put(0, f"项目资金（{unit_label}）", rows=4)
        canvas.line(None, None, "年初预算数(A)", "全年执行数(B)", "分值(10分)", "执行率(B/A)", "得分", "得分计算方法")
        canvas.line(
            None,
            "年度资金总额：",
            _money(v, c["adjusted"]),
            _money(v, c["executed"]),
            10,
            _num(v, c["rate"] * 100, pct=True),
            _num(v, c["exec_score"]),
            "执行率×10",
        )
        canvas.line(None, fiscal_label, _money(v, c["fiscal"][0]), _money(v, c["fiscal"][1]), "—", "—", "—")
        canvas.line(None, "其他资金", _money(v, c["other"][0]), _money(v, c["other"][1]), "—", "—", "—")
    else:
        canvas.put(0, f"项目资金\n（{unit_label}）" if v.spaced else f"项目资金（{unit_label}）", rows=5)
        canvas.line(
            None,
            None,
            _label(v, "年初预算数"),
            _label(v, "全年预算数"),
            _label(v, "全年执行数"),
            "分值",
            "执行率",
            "得分",
        )
        canvas.line(
            None,
            "年度资金总额",
            _money(v, c["initial"]),
            _money(v, c["adjusted"]),
            _money(v, c["executed"]),
            10,
            _num(v, c["rate"] * 100, pct=True),
            _num(v, c["exec_score"]),
        )
        canvas.line(
            None,
            fiscal_label,
            _money(v, c["fiscal"][0]),
            _money(v, c["fiscal"][0]),
            _money(v, c["fiscal"][1]),
            "—",
            "—",
            "—",
        )
        canvas.line(None, "上年结转资金", None, None, None, "—", "—", "—")
        canvas.line(
            None,
            "其他资金",
            _money(v, c["other"][0]),
            _money(v, c["other"][0]),
            _money(v, c["other"][1]),
            "—",
            "—",
            "—",
        )
    goal = "年\n度\n总\n体\n目\n标" if v.spaced else "年度总体目标"
    canvas.put(0, goal, rows=2)
    canvas.line(
        None, "预期目标", None, None, None, "实际完成情况" if not old else "目标实际完成情况", spans={1: 4, 5: 3}
    )
    canvas.line(None, c["planned"], None, None, None, c["achieved"], spans={1: 4, 5: 3})
    weights = _weights(c)
    two_row = not old and v.label_variant % 4 == 3
    if old:
        canvas.line(
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "年度指标值(A)",
            "全年实际值(B)",
            "得分计算方法",
            "得分",
            "未完成原因分析",
        )

        def values(ind: dict[str, Any]) -> tuple[Any, ...]:
            return (
                _level1_label(ind, weights, v),
                ind["level2"],
                ind["name"],
                ind["weight"],
                _target_text(ind),
                _actual_text(v, ind),
                "按比例",
                _num(v, ind["score"]),
                ind["reason"],
            )

        _indicator_rows(canvas, v, c["indicators"], values, (0, 1))
        canvas.line("总分", None, None, 100, None, None, None, _num(v, c["total"]), spans={0: 3})
        return
    if two_row:
        canvas.put(0, "绩效指标", cols=3)
        canvas.put(3, "年度指标值", cols=3)
        canvas.put(6, "实际完成值", rows=2)
        canvas.put(7, "分值", rows=2)
        canvas.put(8, "得分", rows=2)
        canvas.put(9, "偏差原因分析及改进措施", rows=2)
        canvas.row += 1
        canvas.line("一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位")

        def values(ind: dict[str, Any]) -> tuple[Any, ...]:
            return (
                _level1_label(ind, weights, v),
                ind["level2"],
                ind["name"],
                "﹦" if ind["kind"] == "equal" else _COMP[ind["kind"]],
                ind["target"],
                ind["unit"],
                ind["actual"],
                ind["weight"],
                _num(v, ind["score"]),
                ind["reason"],
            )

        _indicator_rows(canvas, v, c["indicators"], values, (0, 1))
        canvas.line("总分", None, None, None, None, None, None, 100, _num(v, c["total"]), spans={0: 7})
        return
    canvas.line(
        _label(v, "一级指标"),
        _label(v, "二级指标"),
        _label(v, "三级指标"),
        _label(v, "年度指标值"),
        _label(v, "实际完成值"),
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    )

    def values(ind: dict[str, Any]) -> tuple[Any, ...]:
        return (
            _level1_label(ind, weights, v),
            ind["level2"],
            ind["name"],
            _target_text(ind),
            _actual_text(v, ind),
            ind["weight"],
            _num(v, ind["score"]),
            ind["reason"],
        )

    _indicator_rows(canvas, v, c["indicators"], values, (0, 1))
    canvas.line("总分", None, None, None, None, 100, _num(v, c["total"]), spans={0: 5})


def sichuan_project(canvas: Canvas, v: Variant, c: dict[str, Any]) -> None:
    unit_label = "元" if v.yuan else "万元"
    canvas.line("报表编号：510000_0013zp", spans={0: 10})
    canvas.line(f"部门预算项目支出绩效自评表（{c['year']}年度）", spans={0: 10})
    canvas.line("项目名称", f"{c['code']}-{c['project']}", spans={1: 9})
    canvas.line("主管部门", c["supervisor"], None, None, None, "实施单位（盖章）", c["unit"], spans={1: 4, 6: 4})
    canvas.put(0, "项目基本情况", rows=2)
    canvas.line(None, "1.项目年度目标完成情况", spans={1: 9})
    canvas.line(None, "项目年度目标", None, None, None, "年度目标完成情况", spans={1: 4, 5: 5})
    canvas.line(None, c["planned"], None, None, None, c["achieved"], spans={1: 4, 5: 5})
    canvas.put(0, "预算执行情况（10分）", rows=6)
    canvas.line(
        None,
        f"年度预算数（{unit_label}）",
        "年初预算",
        "调整后预算数",
        "预算执行数",
        "预算执行率",
        "权重",
        "得分",
        "原因",
        spans={8: 2},
    )
    rate = f"{c['rate'] * 100:.2f}%"
    canvas.line(
        None,
        "总额",
        _money(v, c["initial"]),
        _money(v, c["adjusted"]),
        _money(v, c["executed"]),
        rate,
        10,
        _num(v, c["exec_score"]),
        "执行率低于90%的须说明原因",
        spans={8: 2},
    )
    canvas.line(
        None,
        "其中：财政资金",
        _money(v, c["fiscal"][0]),
        _money(v, c["fiscal"][0]),
        _money(v, c["fiscal"][1]),
        "/",
        "/",
        "/",
        spans={8: 2},
    )
    canvas.line(None, "财政专户管理资金", None, None, None, "/", "/", "/", spans={8: 2})
    canvas.line(None, "单位资金", None, None, None, "/", "/", "/", spans={8: 2})
    canvas.line(
        None,
        "其他资金",
        _money(v, c["other"][0]),
        _money(v, c["other"][0]),
        _money(v, c["other"][1]),
        "/",
        "/",
        "/",
        spans={8: 2},
    )
    canvas.line("绩效指标（90分）", spans={0: 10})
    canvas.line(
        "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "完成值", "权重", "得分", "未完成原因分析"
    )

    def values(ind: dict[str, Any]) -> tuple[Any, ...]:
        return (
            ind["level1"],
            ind["level2"],
            ind["name"],
            _COMP[ind["kind"]],
            ind["target"],
            ind["unit"],
            _num(v, ind["actual"]),
            ind["weight"],
            _num(v, ind["score"]),
            ind["reason"],
        )

    _indicator_rows(canvas, v, c["indicators"], values, (0, 1))
    canvas.line("合计", None, None, None, None, None, None, 100, _num(v, c["total"]), spans={0: 7})
    canvas.line("评价结论", "项目按计划实施，目标基本完成。", spans={1: 9})
    canvas.line("存在问题", "个别指标进度滞后。", spans={1: 9})
    canvas.line("改进措施", "加强项目调度。", spans={1: 9})
    canvas.line("项目负责人：", None, None, None, None, "财务负责人：", spans={0: 5, 5: 5})


def hubei_project(canvas: Canvas, v: Variant, c: dict[str, Any]) -> None:
    canvas.line(f"{c['year']}年度{c['project']}绩效自评表", spans={0: 6})
    canvas.line(f"单位名称：{c['unit']}", None, None, "填报日期：", f"{c['year'] + 1}年1月20日", spans={0: 3, 4: 2})
    canvas.line("项目名称", c["project"], spans={1: 5})
    canvas.line("主管部门", c["supervisor"], None, "项目实施单位", c["unit"], spans={1: 2, 4: 2})
    canvas.line("预算执行情况（万元）（20分）", spans={0: 6})
    canvas.line("", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分(20分*执行率)", spans={4: 2})
    canvas.line(
        "年度财政资金总额", c["adjusted"], c["executed"], f"{c['rate'] * 100:.2f}%", c["exec_score"], spans={4: 2}
    )
    blocks = [c["indicators"]]
    if v.label_variant % 2 and len(c["indicators"]) > 3:
        half = len(c["indicators"]) // 2
        blocks = [c["indicators"][:half], c["indicators"][half:]]
    for b, inds in enumerate(blocks, 1):
        points = sum(ind["weight"] for ind in inds)
        canvas.line(f"年度绩效目标{b if len(blocks) > 1 else ''}（{points}分）", spans={0: 6})
        canvas.line("一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分")

        def values(ind: dict[str, Any]) -> tuple[Any, ...]:
            return (
                ind["level1"],
                ind["level2"],
                ind["name"],
                _target_text(ind),
                _actual_text(v, ind),
                _num(v, ind["score"]),
            )

        _indicator_rows(canvas, v, inds, values, (0, 1))
    canvas.line("总分", c["total"], spans={1: 5})
    canvas.line("偏差大或目标未完成原因分析", "个别指标受天气影响。", spans={1: 5})
    canvas.line("改进措施及结果应用方案", "加强调度。", spans={1: 5})


def national_department(canvas: Canvas, v: Variant, c: dict[str, Any]) -> None:
    unit_label = "元" if v.yuan else "万元"
    canvas.line(f"部门整体支出绩效自评表（{c['year']}年度）", spans={0: 8})
    canvas.line("部门（单位）名称", c["unit"], None, None, "联系人", "张三", "联系电话", "0830-1234567", spans={1: 3})
    canvas.line("编制数", 45, "实有人数", 43)
    basic = round(c["executed"] * 0.6, 2)
    project = round(c["executed"] - basic, 2)
    basic_adj = round(c["adjusted"] * 0.6, 2)
    project_adj = round(c["adjusted"] - basic_adj, 2)
    personnel = round(basic * 0.7, 2)
    public = round(basic - personnel, 2)
    canvas.put(0, f"预算执行情况（{unit_label}）", rows=8)
    canvas.line(None, None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    canvas.line(
        None,
        "年度资金总额",
        _money(v, c["initial"]),
        _money(v, c["adjusted"]),
        _money(v, c["executed"]),
        10,
        _num(v, c["rate"] * 100, pct=True),
        c["exec_score"],
    )
    canvas.line(
        None,
        "其中：当年财政拨款",
        _money(v, c["fiscal"][0]),
        _money(v, c["fiscal"][0]),
        _money(v, c["fiscal"][1]),
        "—",
        "—",
        "—",
    )
    canvas.line(
        None, "其他资金", _money(v, c["other"][0]), _money(v, c["other"][0]), _money(v, c["other"][1]), "—", "—", "—"
    )
    canvas.line(None, "按支出性质分：基本支出", None, _money(v, basic_adj), _money(v, basic), "—", "—", "—")
    canvas.line(None, "其中：人员经费", None, None, _money(v, personnel), "—", "—", "—")
    canvas.line(None, "公用经费", None, None, _money(v, public), "—", "—", "—")
    canvas.line(None, "项目支出", None, _money(v, project_adj), _money(v, project), "—", "—", "—")
    c["dept"] = {
        "basic": (basic_adj, basic),
        "project": (project_adj, project),
        "personnel": personnel,
        "public": public,
    }
    canvas.line("年度主要任务", spans={0: 8})
    canvas.line("任务名称", None, "主要内容", None, None, "预算数", "执行数", spans={0: 2, 2: 3})
    canvas.line(
        "网络安全运维", None, "全年运维巡检", None, None, _money(v, project_adj), _money(v, project), spans={0: 2, 2: 3}
    )
    canvas.put(0, "年度总体目标", rows=2)
    canvas.line(None, "预期目标", None, None, None, "实际完成情况", spans={1: 4, 5: 3})
    canvas.line(None, c["planned"], None, None, None, c["achieved"], spans={1: 4, 5: 3})
    canvas.line(
        "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"
    )

    def values(ind: dict[str, Any]) -> tuple[Any, ...]:
        return (
            ind["level1"],
            ind["level2"],
            ind["name"],
            _target_text(ind),
            _actual_text(v, ind),
            ind["weight"],
            _num(v, ind["score"]),
            ind["reason"],
        )

    _indicator_rows(canvas, v, c["indicators"], values, (0, 1))
    canvas.line("总分", None, None, None, None, 100, c["total"], spans={0: 5})


def chongqing_department(canvas: Canvas, v: Variant, c: dict[str, Any]) -> None:
    canvas.line(f"{c['year']}年度部门整体绩效自评表", spans={0: 10})
    canvas.line("主管部门", None, "财政处室", "自评总分（分）", "部门联系人", "联系电话", spans={0: 2})
    canvas.line(c["unit"], None, "行政政法处", c["total"], "李四", "023-1234567", spans={0: 2})
    canvas.line(
        "部门预算执行情况",
        None,
        "年初预算数",
        "全年（调整）预算数",
        "全年执行数",
        "执行率(%)",
        "执行率权重",
        "执行率得分（分）",
        spans={0: 2},
    )
    canvas.line(
        None,
        None,
        c["initial"],
        c["adjusted"],
        c["executed"],
        f"{c['rate'] * 100:.2f}",
        10,
        c["exec_score"],
        spans={0: 2},
    )
    canvas.merges.append((canvas.row - 2, canvas.left, canvas.row - 1, canvas.left + 1))
    canvas.line(
        "当年绩效目标",
        None,
        "年初绩效目标",
        None,
        "全年（调整）绩效目标",
        None,
        "全年目标实际完成情况",
        spans={0: 2, 2: 2, 4: 2, 6: 4},
    )
    canvas.line(None, None, c["planned"], None, c["planned"], None, c["achieved"], spans={0: 2, 2: 2, 4: 2, 6: 4})
    canvas.line(
        "指标名称",
        "计量单位",
        "指标性质",
        "年初指标值",
        "调整指标值",
        "全年完成值",
        "得分系数（%）",
        "指标权重（分）",
        "指标得分（分）",
        "是否核心指标",
    )

    def values(ind: dict[str, Any]) -> tuple[Any, ...]:
        target = f"{_COMP[ind['kind']]}{ind['target']}"
        return (
            ind["name"],
            ind["unit"],
            "定量指标",
            target,
            target,
            ind["actual"],
            round(ind["coefficient"] * 100, 2),
            ind["weight"],
            ind["score"],
            "是",
        )

    _indicator_rows(canvas, v, c["indicators"], values, None)


def fujian_department(canvas: Canvas, v: Variant, c: dict[str, Any]) -> None:
    canvas.line(f"部门整体支出绩效自评表（{c['year']}年度）", spans={0: 9})
    canvas.line("部门（单位）名称", c["unit"], None, None, "部门预算编码", "356001", spans={1: 3, 5: 4})
    canvas.line("财政资金安排和使用情况", spans={0: 9})
    canvas.line(
        "资金结构（万元）",
        "年初部门预算安排金额①",
        "历年结余结转②",
        "年中调整金额③",
        "小计④=①+②+③",
        "年度拨付金额⑤",
        "支出实现率（%）⑥=⑤/④",
        "本年度结余金额⑦=④-⑤",
        "资金结余率（%）⑧=⑦/④",
    )
    scale = 10000 if v.yuan else 1
    rate = f"{c['rate'] * 100:.2f}"
    canvas.line(
        "财政资金小计", c["fiscal"][0] * scale, 0, 0, c["fiscal"][0] * scale, c["fiscal"][1] * scale, None, None, None
    )
    canvas.line("①中央及省级财政资金", None, None, None, None, None)
    canvas.line("其他资金小计", c["other"][0] * scale, 0, 0, c["other"][0] * scale, c["other"][1] * scale)
    canvas.line("①……")
    canvas.line(
        "合 计",
        round(c["adjusted"] * scale, 2),
        0,
        0,
        round(c["adjusted"] * scale, 2),
        round(c["executed"] * scale, 2),
        rate,
    )
    canvas.put(0, "年\n度\n总\n体\n目\n标\n完\n成\n情\n况", rows=2)
    canvas.line(None, "预期目标", None, None, None, "目标实际完成情况", spans={1: 4, 5: 4})
    canvas.line(None, c["planned"], None, None, None, c["achieved"], spans={1: 4, 5: 4})
    canvas.line("年度绩效指标完成情况", spans={0: 9})
    canvas.line("一级指标", "二级指标", "三级指标", "指标解释", "绩效目标值", "实际完成值", "指标分值", "得分")
    weights = _weights(c)

    def values(ind: dict[str, Any]) -> tuple[Any, ...]:
        return (
            _level1_label(ind, weights, v),
            ind["level2"],
            ind["name"],
            "按年度计划",
            _target_text(ind),
            _actual_text(v, ind),
            ind["weight"],
            _num(v, ind["score"]),
        )

    _indicator_rows(canvas, v, c["indicators"], values, (0, 1))
    canvas.line("总分", None, None, None, None, None, 90, c["total"] - c["exec_score"], spans={0: 6})


DRAW = {
    "national-project": national_project,
    "central-project-2016": lambda canvas, v, c: national_project(canvas, v, c, old=True),
    "sichuan-project": sichuan_project,
    "hubei-project": hubei_project,
    "national-department": national_department,
    "chongqing-department": chongqing_department,
    "fujian-department": fujian_department,
}
PROJECT_FAMILIES = {"national-project", "central-project-2016", "sichuan-project", "hubei-project"}


def make(family: str, seed: int, **overrides: Any) -> tuple[Canvas, list[dict[str, Any]], Variant]:
    """One form of ``family``: the canvas, the content of each document on it, the perturbations used."""
    rng = random.Random(f"{family}-{seed}")
    v = Variant(
        rng=rng,
        yuan=family in ("national-project", "national-department") and rng.random() < 0.25,
        text_numbers=rng.random() < 0.35,
        spaced=rng.random() < 0.35,
        merged_levels=rng.random() < 0.7,
        hidden=rng.random() < 0.2,
        placeholders=rng.random() < 0.3,
        projects=2 if family in PROJECT_FAMILIES and rng.random() < 0.25 else 1,
        offset=(rng.randint(0, 3), rng.randint(0, 2)),
        label_variant=rng.randint(0, 5),
    )
    for key, value in overrides.items():
        setattr(v, key, value)
    if family == "fujian-department":
        v.yuan = False
    canvas = Canvas(row=v.offset[0], left=v.offset[1])
    contents = []
    for n in range(1, v.projects + 1):
        content = _content(rng, family, n)
        DRAW[family](canvas, v, content)
        canvas.row += 1
        contents.append(content)
    canvas.context = [f"附件{rng.randint(1, 3)}", "预算绩效自评表"]
    return canvas, contents, v


def expected(family: str, content: dict[str, Any], v: Variant) -> dict[str, Any]:
    """The flattened document the reader must give for one project (department) on the form."""
    scale = 10000 if v.yuan else 1

    def money(x: float) -> float:
        return round(x * scale, 2)

    out: dict[str, Any] = {"year": content["year"], "money_unit": "元" if v.yuan else "万元"}
    if family in PROJECT_FAMILIES:
        out["project_name"] = content["project"]
        out["unit.name"] = content["unit"]
        out["unit.supervisor"] = content["supervisor"]
    else:
        out["unit.name"] = content["unit"]
    adjusted_key = "budget.adjusted"
    out[adjusted_key] = money(content["adjusted"])
    out["budget.executed"] = money(content["executed"])
    if family not in ("central-project-2016", "hubei-project"):
        out["budget.initial"] = money(content["initial"] if family != "fujian-department" else content["adjusted"])
    if family == "fujian-department":
        out["budget.initial"] = money(content["adjusted"])
    if family not in ("fujian-department",):
        out["stated.execution_score"] = content["exec_score"]
    if family != "hubei-project":
        out["goals.planned"] = content["planned"]
        out["goals.achieved"] = content["achieved"]
    out["indicators#"] = len(content["indicators"])
    for i, ind in enumerate(content["indicators"]):
        p = f"indicators[{i}]"
        out[f"{p}.name"] = ind["name"]
        out[f"{p}.target"] = ind["target"]
        out[f"{p}.score"] = ind["score"]
        if family != "hubei-project":
            out[f"{p}.weight"] = ind["weight"]
        if family != "chongqing-department":
            out[f"{p}.level1"] = ind["level1"]
            out[f"{p}.level2"] = ind["level2"]
        if family == "chongqing-department":
            out[f"{p}.coefficient"] = round(ind["coefficient"] * 100, 2) / 100
    if family not in ("chongqing-department", "fujian-department"):
        out["stated.total_score"] = content["total"]
    return out


def compared(doc: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """The read document's values at the paths ``expected`` gives (flattened), for field-level scoring."""
    from xltool.core.document import flatten

    flat = flatten(doc)
    flat["indicators#"] = len(doc.get("indicators", []))
    return {path: flat.get(path) for path in wanted}


def same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-6
    return a == b


# ---------------------------------------------------------------------------------------------- writers


def write_xlsx(canvas: Canvas, path: Path, sheet: str = "自评表") -> None:
    import openpyxl
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for (r, c), value in canvas.cells.items():
        cell = ws.cell(row=r + 1, column=c + 1, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
            if "\n" in value:
                cell.alignment = Alignment(wrap_text=True)
    for r1, c1, r2, c2 in canvas.merges:
        ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    for r in canvas.hidden_rows:
        ws.row_dimensions[r + 1].hidden = True
    wb.save(path)


def write_docx(canvas: Canvas, path: Path) -> None:
    """The form as a Word table (merged cells merged in Word), its context as paragraphs above it."""
    import docx

    document = docx.Document()
    for text in canvas.context:
        document.add_paragraph(text)
    top = min((r for r, _ in canvas.cells), default=0)
    rows = max((r for r, _ in canvas.cells), default=0) + 1 - top
    for _, _, r2, _ in canvas.merges:
        rows = max(rows, r2 + 1 - top)
    cols = canvas.width
    table = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    for r1, c1, r2, c2 in canvas.merges:
        table.cell(r1 - top, c1).merge(table.cell(r2 - top, c2))
    for (r, c), value in canvas.cells.items():
        cell = table.cell(r - top, c)
        cell.text = str(value)
    document.save(path)

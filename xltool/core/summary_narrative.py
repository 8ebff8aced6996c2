"""The collecting office's summary report: how many units, their grades and money, the units to correct and
to watch, the problems most units share (pure: plain unit summaries in, a :class:`~.narrative.Report` out)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .figures import money, pct, points
from .narrative import Builder, Report, Table, fill_in, join_clauses
from .registry import title as code_title
from .spec import Profile


def _who(unit: dict[str, Any]) -> str:
    """A unit named in the summary, flagged when its workbook still has errors (its score is not final)."""
    return unit["unit"] + ("，自评表有校验错误" if unit.get("errors") else "")


def summary_report(
    units: list[dict[str, Any]],
    unusable: list[tuple[str, str]],
    code_counts: list[tuple[str, int]],
    profile: Profile,
    *,
    include_errors: bool = False,
) -> Report:
    """The collecting office's summary narrative from per-unit rows (as in the summary JSON).

    A unit whose workbook still has errors is 待更正: its figures are not final, so it is named with its error
    count and left out of the grade distribution, the average and the extremes, as reporting systems keep an
    unchecked report out of 汇总. ``include_errors`` counts it anyway, in a report marked as provisional."""
    b = Builder()
    years = sorted({u["year"] for u in units if u.get("year")})
    year = "、".join(str(y) for y in years)
    regions = [tuple(u.get("region") or ()) for u in units]
    common: list[str] = []
    for parts in zip(*regions, strict=False) if regions else []:  # as deep as the shortest path
        if len(set(parts)) == 1:
            common.append(parts[0])
        else:
            break
    place = "".join(common)
    title = place + fill_in(profile.report.get("title_summary", "{year}年度预算绩效自评汇总报告"), year=year)
    n = len(units)
    adjusted = sum(
        (Decimal(str(u["budget_adjusted"])) for u in units if u.get("budget_adjusted") is not None), Decimal(0)
    )
    executed = sum(
        (Decimal(str(u["budget_executed"])) for u in units if u.get("budget_executed") is not None), Decimal(0)
    )
    b.heading(1, "总体情况")
    b.para(
        join_clauses(
            f"本次汇总{n}个单位的{year}年度绩效自评结果" if n else "本次没有可汇总的单位",
            f"另有{len(unusable)}个文件无法读取，未计入汇总（见附表）" if unusable else "",
        )
    )
    if n:
        b.para(
            join_clauses(
                f"汇总单位全年预算数合计{money(adjusted)}",
                f"全年执行数合计{money(executed)}",
                f"总体预算执行率{pct(executed / adjusted)}" if adjusted else "",
            )
        )
    if not n:
        return Report(title, None, b.blocks)
    unscored = [u for u in units if u.get("scored") is False and not u.get("errors")]
    units = [u for u in units if not (u.get("scored") is False and not u.get("errors"))]
    n = len(units)
    if unscored:
        b.para(
            f"另有{len(unscored)}个单位报送的表样没有分值和得分栏（{'、'.join(str(u['unit']) for u in unscored)}），"
            "只计入资金汇总，不计入等次分布和平均分。"
        )
    if not n:
        return Report(title, None, b.blocks)
    pending = [u for u in units if u.get("errors") or u.get("total_score") is None]
    if include_errors:
        pending = [u for u in pending if u.get("total_score") is None]
        title += "（临时汇总）"
        if any(u.get("errors") for u in units):
            b.para(
                f"本报告为临时汇总：{sum(1 for u in units if u.get('errors'))}个单位的自评表仍有校验错误，"
                "其得分和等次已计入，更正后以更正结果为准。"
            )
    left_out = {id(u) for u in pending}
    counted = [u for u in units if id(u) not in left_out]
    if pending:
        b.para(
            f"其中{len(pending)}个单位的自评表存在校验错误，列为“待更正”，其得分未计入等次分布、平均分和最高最低分"
            "（见表“待更正单位”）。"
        )
        b.table(
            Table(
                "待更正单位",
                ["单位", "校验错误数", "文件"],
                [[u["unit"], str(u.get("errors") or 0), str(u.get("file") or "")] for u in pending],
                [5, 2, 5],
                [False, True, False],
            )
        )
    grades: dict[str, int] = {}
    for u in counted:
        grades[u["grade"]] = grades.get(u["grade"], 0) + 1
    b.heading(1, "自评等次分布")
    if counted:
        _grade_paragraphs(b, counted, grades, profile)
    else:
        b.para("没有校验通过的单位，暂不统计等次和得分。")
    with_errors = [u for u in units if u.get("errors")]
    if code_counts or with_errors:
        b.heading(1, "自评表填报中的常见问题")
        if with_errors:
            b.para(f"{len(with_errors)}个单位的自评表存在校验错误，需退回更正。")
        if code_counts:
            b.para(
                "按涉及单位数排列，主要问题有："
                + "；".join(f"{code_title(code)}（{count}个单位）" for code, count in code_counts)
                + "。"
            )
    if profile.report.get("summary_measures"):
        b.heading(1, "下一步工作建议")
        for i, line in enumerate(profile.report["summary_measures"], start=1):
            b.para(f"{i}.{line}")
    if unusable:
        b.heading(1, "附：无法读取的文件", numbered=False)
        b.table(Table(None, ["文件", "原因"], [[f, m] for f, m in unusable], [4, 8], [False, False]))
    return Report(title, None, b.blocks)


def _grade_paragraphs(b: Builder, units: list[dict[str, Any]], grades: dict[str, int], profile: Profile) -> None:
    """The grade distribution, average and extremes of the counted units, and those below the second grade."""
    n = len(units)
    scores = [Decimal(str(u["total_score"])) for u in units]
    best = max(units, key=lambda u: u["total_score"])
    worst = min(units, key=lambda u: u["total_score"])
    order = [g.label for g in sorted(profile.grades, key=lambda g: g.min, reverse=True)]
    labels = order + sorted(set(grades) - set(order))
    b.para(
        "自评等次为"
        + "、".join(f"“{g}”的{grades[g]}个" for g in labels if grades.get(g))
        + "。"
        + f"平均得分{points(sum(scores, Decimal(0)) / n)}分，最高{points(best['total_score'])}分（{_who(best)}），"
        + f"最低{points(worst['total_score'])}分（{_who(worst)}）。"
    )
    rows = []
    for g in labels:
        count = grades.get(g, 0)
        rows.append([g, str(count), pct(Decimal(count) / n)])
    b.table(Table("表1　自评等次分布", ["等次", "单位数", "占比"], rows, [2, 2, 2], [False, True, True]))
    top = [g.label for g in sorted(profile.grades, key=lambda g: g.min, reverse=True)][:2]
    below = [u for u in units if u["grade"] not in top]
    if below:
        b.heading(1, f"等次在“{top[-1]}”以下的单位")
        b.para(f"共{len(below)}个单位自评等次在“{top[-1]}”以下，需重点关注：")
        b.table(
            Table(
                "表2　重点关注单位",
                ["单位", "总分", "等次", "预算执行率"],
                [
                    [u["unit"], points(u["total_score"]), u["grade"], pct(u.get("execution_rate"))]
                    for u in sorted(below, key=lambda u: u["total_score"])
                ],
                [6, 1.5, 1.2, 2],
                [False, True, False, True],
            )
        )

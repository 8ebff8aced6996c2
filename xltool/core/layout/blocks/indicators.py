"""绩效指标: the indicator table with its hidden helper columns and the live score of each row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ... import sheet_formulas as sf
from ...spec import BlockSpec
from ..model import (
    _HELPER_KEYS,
    INDICATOR_COLUMNS,
    INDICATOR_HELPERS,
    NOT_CONTENT,
    Cell,
    Table,
    a1,
)
from .common import HelpContext, fmt_num

if TYPE_CHECKING:
    from ..builder import Builder


def width(block: BlockSpec) -> int | None:
    """The sheet's width in columns when this block sets it."""
    return len(block.columns or INDICATOR_COLUMNS)


def help(h: HelpContext) -> list[tuple[str, str]]:
    """分值, how each row is scored under the profile's scheme, qualitative tiers, reasons, 不适用 rows — naming
    the columns as this form names them."""
    p, cols = h.profile, h.columns()
    weight, actual, target = h.name("indicators.weight"), h.name("indicators.actual"), h.name("indicators.target")
    out: list[tuple[str, str]] = []
    execution = f"预算执行率 {fmt_num(p.execution_weight)} 分，" if p.execution_weight else ""
    if p.level1:
        blocks = "、".join(f"{b.name}{fmt_num(b.weight)}分" for b in p.level1)
        moved = [b.name for b in p.level1 if "满意" in b.name]
        text = f"{execution}{blocks}，合计 {fmt_num(p.total_weight)} 分"
        if moved:
            text += f"；没有{moved[0]}的，其{weight}可调整到其他一级指标"
    else:
        rest = fmt_num(p.total_weight - p.execution_weight)
        text = f"{execution}绩效指标合计 {rest} 分，合计 {fmt_num(p.total_weight)} 分"
    out.append((weight, text))
    kind = h.name("indicators.kind")
    negative = (
        "目标值÷实际值×分值"
        if p.negative_method == "ratio"
        else "(1−(实际值−目标值)÷目标值)×分值，达到目标值 2 倍时为 0"
    )
    rule = (
        f"{actual}达到{target}得满分，否则按 实际值÷目标值×分值 计分（越大越好）；"
        f"越小越好的指标不超过{target}得满分，否则按 {negative} 计分；每项得分不超过其{weight}"
    )
    if p.kind_style == "quantity":
        out.append(
            (
                kind,
                f"填“定量”或“定性”；定量指标的方向写在{target}中（≥ 越大越好，≤ 越小越好，= 须等于），如 ≥95%",
            )
        )
    else:
        k = p.kinds
        rule = rule.replace("（越大越好）", f"（{k['positive']}指标）").replace(
            "越小越好的指标", f"{k['negative']}指标"
        )
        rule += f"；{k['equal']}指标目标为 0 时实际为 0 才得分"
    if h.scheme.compares_rule and "coefficient" in cols:
        score, coefficient = h.name("indicators.score"), h.name("indicators.coefficient")
        out.append(
            (
                score,
                f"{score} = {weight} × {coefficient}；{coefficient}按{actual}对照{target}的完成情况填写"
                "（如 80%，不超过 100%），高于完成情况所能支持的系数将提示核实",
            )
        )
    else:
        out.append(("计分", rule))
    tiers = "；".join(f"“{t.label}”为分值的 {fmt_num(t.min * 100)}%–{fmt_num(t.max * 100)}%" for t in p.tiers)
    out.append(("定性指标", f"{actual}从下拉列表选择：{tiers}；得分由单位在档次范围内自定"))
    if "reason" in cols:
        out.append(("偏差原因", f"未完全达成的指标（得分低于{weight}）必须填写“{h.name('indicators.reason')}”"))
    if "applicable" in cols:
        applicable = h.name("indicators.applicable")
        out.append(("不适用", f"不适用的指标在“{applicable}”选“否”，不计分，总分按 得分÷适用分值×100 换算"))
    return out


def place(b: Builder, block: BlockSpec) -> None:
    prof = b.profile
    b.sheet_heading(block.title or "绩效指标")
    spec_columns = tuple((c.field, c.label, c.width) for c in block.columns) or INDICATOR_COLUMNS
    cols = b.header_row(spec_columns)
    first, count = b.row, b.rows["indicators"]
    helpers = [h for h in INDICATOR_HELPERS if h[1] is None or h[1] in cols]
    hidden = {key: b.sheet.width + 1 + k for k, (key, _) in enumerate(helpers)}
    table = Table("indicators", b.sheet.name, first, count, cols, "tbl_indicators", hidden)
    cols = {**cols, **hidden}
    prepared = [(b.name, l2) for b in prof.level1 for l2 in b.level2 for _ in range(prof.prepared.get(l2, 0))]
    if "level1" not in cols:
        prepared = []
    kinds = "/".join(prof.kinds[k] for k in ("positive", "negative", "equal", "qualitative"))
    tiers = "；".join(t.label for t in prof.tiers)
    v = {
        "level1": b.choice("lst_level1", "一级指标", "从下拉列表选择一级指标。"),
        "level2": b.choice("lst_level2", "二级指标", "从下拉列表选择二级指标。"),
        "kind": b.choice("lst_kinds", "指标性质", f"{kinds}。正向：实际≥目标得满分；反向：实际≤目标得满分。"),
        "target": {
            "validate": "any",
            "input_title": "年度指标值",
            "input_message": "定量指标填数字（如 50；也可写 ≥50个）；定性指标填文字目标。",
        },
        "actual": b.choice(
            "lst_tiers", "实际完成值", f"定量指标填数字；定性指标从下拉列表选择：{tiers}。", strict=False
        ),
        "weight": b.validation_for("weight"),
        "score": b.validation_for("score"),
        "applicable": b.choice("lst_yesno", "是否适用", "不适用的指标选“否”，不计分并按适用分值换算。"),
        "target_initial": {
            "validate": "any",
            "input_title": "年初指标值",
            "input_message": "年初批复的指标值，如 ≥50。",
        },
        "coefficient": {
            "validate": "decimal",
            "criteria": "between",
            "minimum": 0,
            "maximum": 1,
            "input_title": "得分系数",
            "input_message": "0%–100%，指标得分 = 指标权重 × 得分系数。",
            "error_title": "输入有误",
            "error_message": "得分系数应在 0% 到 100% 之间。",
        },
        "core": b.choice("lst_yesno", "是否核心指标", "核心指标选“是”。"),
    }
    for i in range(count):
        r = first + i
        defaults = {"level1": prepared[i][0], "level2": prepared[i][1]} if i < len(prepared) else {}
        for key, col in cols.items():
            if key == "computed":
                b.put(
                    Cell(
                        r,
                        col,
                        "formula",
                        _indicator_formula(b, r, cols),
                        vtype="score",
                        result=f"indicators[{i}].computed",
                    )
                )
                continue
            vtype = {
                "weight": "weight",
                "score": "score",
                "reason": "longtext",
                "level1": "text",
                "level2": "text",
                "name": "text",
                "coefficient": "rate",
                "target": "typed",
                "actual": "typed",
                "target_initial": "typed",
            }.get(key, "short")
            b.put(
                Cell(
                    r,
                    col,
                    "input",
                    defaults.get(key),
                    path=f"indicators[{i}].{key}",
                    vtype=vtype,
                    name="",
                    validation=v.get(key),
                )
            )
        for key, _ in helpers:
            b.helper(r, cols[key], _indicator_helper(b, key, r, cols), f"indicators[{i}].{key}")
        b.sheet.heights[r] = 20
    b.row = first + count
    b.define(table.name, first, 0, table.last_row, len(spec_columns) - 1)
    b.tables["indicators"] = table
    weight_col, computed_col = cols["weight"], cols["computed"]
    b.span("label", "预算执行率（见“自评表”）", 0, weight_col - 1)
    b.put(Cell(b.row, weight_col, "formula", "=num_budget_weight", vtype="weight", result="budget.weight"))
    b.span("na", None, weight_col + 1, computed_col - 1)
    b.put(Cell(b.row, computed_col, "formula", "=execution_score", vtype="score", result="execution_score"))
    b.row += 1
    b.span("label", "总　分", 0, weight_col - 1)
    b.put(Cell(b.row, weight_col, "formula", "=weight_total", vtype="weight", result="weight_total"))
    b.span("na", None, weight_col + 1, computed_col - 1)
    b.put(Cell(b.row, computed_col, "formula", "=total_score", vtype="score", result="total_score"))
    total_row = b.row
    b.row += 1
    b.sheet.repeat_rows = (0, first - 1)
    b.sheet.freeze = (first, cols["name"] + 1)
    b.sheet.landscape = True
    name_ref, w_ref, s_ref = a1(first, cols["name"]), a1(first, cols["weight_num"]), a1(first, cols["score_num"])
    b.sheet.conditional += [
        (
            table.ref("name", False),
            {
                "type": "formula",
                "criteria": f'=AND({name_ref}<>"",COUNTIF({table.ref("name")},{name_ref})>1)',
                "format": "warn",
            },
        ),
        (
            table.ref("score", False),
            {
                "type": "formula",
                "criteria": f"=AND(ISNUMBER({s_ref}),ISNUMBER({w_ref}),{s_ref}>{w_ref})",
                "format": "bad",
            },
        ),
        (
            a1(total_row, weight_col),
            {"type": "cell", "criteria": "!=", "value": fmt_num(prof.total_weight), "format": "bad"},
        ),
    ]
    # a figure the sheet cannot read as a number (its row shows sf.NEEDS_NUMBER) is marked where it was typed
    kind = a1(first, cols["kind_used"])
    numeric_kind = f'OR({kind}="positive",{kind}="negative",{kind}="equal")'
    unread = [("weight", "weight_num", "TRUE")]
    unread += [(key, f"{key}_num", numeric_kind) for key in ("target", "actual") if key in cols]
    unread += [("coefficient", "coefficient_num", "TRUE")] if "coefficient" in cols else []
    for key, helper, when in unread:
        typed, read = a1(first, cols[key]), a1(first, cols[helper])
        criteria = f'=AND({typed}<>"",NOT(ISNUMBER({read})),{when})'
        b.sheet.conditional.append((table.ref(key, False), {"type": "formula", "criteria": criteria, "format": "bad"}))


def indicator_fields(b: Builder) -> set[str]:
    """The fields the form's indicator table has (the national table unless the spec lists columns)."""
    block = next((b for _, b in b.form.blocks() if b.type == "indicators"), None)
    columns = block.columns if block and block.columns else ()
    return {c.field for c in columns} or {key for key, _, _ in INDICATOR_COLUMNS}


def _indicator_helper(b: Builder, key: str, r: int, cols: dict[str, int]) -> str:
    """The formula of one hidden helper cell of indicator row ``r`` (see :data:`INDICATOR_HELPERS`)."""
    c = {k: a1(r, col) for k, col in cols.items()}
    if key.endswith("_text"):
        return sf.cleaned(c[key[:-5]])
    if key == "target_cmp":
        return sf.comparator(c["target_text"])
    if key == "target_rest":
        return sf.after_comparator(c["target_text"])
    if key in ("target_value", "actual_value"):
        return sf.after_prefix(c[key.replace("_value", "_rest")])
    if key == "target_num":
        return f"IF(ISNUMBER({c['target']}),{c['target']},{sf.leading_number(c['target_value'])})"
    if key == "target_bare":
        return sf.deadline_bare(c["target_text"])
    if key == "target_deadline":
        return sf.deadline_target(c["target_bare"])
    if key == "actual_rest":
        return sf.after_comparator(c["actual_text"])
    if key == "actual_num":
        return f"IF(ISNUMBER({c['actual']}),{c['actual']},{sf.leading_number(c['actual_value'])})"
    if key == "deadline_met":
        return sf.deadline_met(c["target_deadline"], c["actual_text"]) if "target_deadline" in c else '""'
    if key in ("weight_num", "score_num"):
        return b.number_formula(c[key[:-4]], "weight", c[key[:-4] + "_text"])
    if key == "coefficient_num":
        return b.number_formula(c["coefficient"], "coefficient", c["coefficient_text"])
    content = [c[k] for k in cols if k not in NOT_CONTENT and k not in _HELPER_KEYS]
    empty = "AND(" + ",".join(f'{ref}=""' for ref in content) + ")"
    if key == "applicable_num":
        return f'IF({empty},"",{sf.yes_no(c["applicable"]) if "applicable" in c else 1})'
    assert key == "kind_used"
    word = f'IFERROR(VLOOKUP(TRIM(CLEAN({c["kind"]}&"")),lst_kind_words,2,0),"")' if "kind" in c else '""'
    if "target" not in c:
        return word
    tgt, cmp_ = c["target_num"], c["target_cmp"]
    inferred = f'IF({cmp_}="≤","negative",IF({cmp_}="=","equal","positive"))'
    guessed = f'IF(ISNUMBER({tgt}),{inferred},IF({c["target_text"]}<>"","qualitative",""))'
    return f'IF({c["target_deadline"]}<>"","deadline",IF({word}<>"",{word},{guessed}))'


def _indicator_formula(b: Builder, r: int, cols: dict[str, int]) -> str:
    """The live score of one indicator row over its helper cells, as the profile's scheme writes it (the
    formula beside the Python rule it mirrors). A row whose figures are text the sheet cannot read as
    numbers shows :data:`sf.NEEDS_NUMBER` (text: it adds nothing to the total, as in scoring)."""
    from ...schemes import scheme_for

    c = {key: a1(r, col) for key, col in cols.items()}
    w, used = c["weight_num"], c["applicable_num"]
    needs = f'"{sf.NEEDS_NUMBER}"'
    head = f'=IF(OR({used}="",{used}=0),"",IF(NOT(ISNUMBER({w})),IF({c["weight"]}="",0,{needs}),IF({w}<0,0,'
    return scheme_for(b.profile).sheet_formula(c, b.profile, head, needs)

"""Precision and recall of `xltool lint-report` on a labelled set. Prints the figures (docs/lint-report.md).

The set: the two published seed reports (labelled by reading them), the reports xltool writes for every valid
example (labelled clean), and each of those with one known error put in per rule (labelled with that rule's code).
A finding counts as right when its (file, code) is in the labels.

Run: .venv/bin/python bench/lint_eval.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "reports"  # two published self-evaluation reports
VALID = ("donghu", "xishan", "nanan", "gaoxin", "project-donghu-dengbao")

# (name, codes, mutation of the Markdown text); a mutation that finds nothing to change is skipped. The codes are
# every inconsistency the one edit creates: a duplicated row also breaks the weight sum and the total, a changed
# weight also breaks that row's 得分率.
MUTATIONS = [
    (
        "total",
        {"score.total-mismatch"},
        lambda t: re.sub(r"总得分([\d.]+)分", lambda m: f"总得分{float(m[1]) - 3:g}分", t, count=1),
    ),
    ("grade", {"grade.mismatch"}, lambda t: re.sub(r"等次为“优”", "等次为“良”", t, count=1)),
    (
        "rate",
        {"rate.mismatch"},
        lambda t: re.sub(r"预算执行率为([\d.]+)%", lambda m: f"预算执行率为{float(m[1]) - 1.5:.2f}%", t, count=1),
    ),
    ("duplicate", {"indicator.duplicate", "weight.sum", "score.total-mismatch"}, lambda t: _duplicate_row(t)),
    ("weight", {"weight.sum", "rate.mismatch"}, lambda t: _bump_weight(t)),
    ("row-rate", {"rate.mismatch"}, lambda t: _bad_row_rate(t)),
    (
        "staff",
        {"count.mismatch"},
        # parts adding up to more than the staff (a part named short of it may leave others unnamed: not judged)
        lambda t: t.replace("## 二、", "单位在职人数12名，其中领导职数4人，科员9人。\n\n## 二、", 1),
    ),
    (
        "restated",
        {"count.mismatch"},
        lambda t: t.replace("## 二、", "单位在职人数12名。\n\n本单位在职人数13人，均参与绩效管理。\n\n## 二、", 1),
    ),
    (
        "change",
        {"change.mismatch"},
        lambda t: t.replace("## 二、", "“三公”经费2.41万元，较2022年2.87万元增加0.30万元。\n\n## 二、", 1),
    ),
    (
        "parts",
        {"sum.mismatch"},
        lambda t: t.replace(
            "## 二、",
            "全年基本支出265.10万元，其中：工资福利支出231.60万元，一般商品和服务支出23.50万元。\n\n## 二、",
            1,
        ),
    ),
]


def _table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| 产出指标") or line.startswith("| 效益指标")]


def _duplicate_row(text: str) -> str:
    rows = _table_rows(text)
    return (
        text.replace(rows[0], rows[0] + "\n" + rows[1].replace(rows[1].split(" | ")[2], rows[0].split(" | ")[2]), 1)
        if rows
        else text
    )


def _bump_weight(text: str) -> str:
    rows = _table_rows(text)
    if not rows:
        return text
    cells = rows[0].split(" | ")
    cells[3] = str(int(float(cells[3])) + 5)
    return text.replace(rows[0], " | ".join(cells), 1)


def _bad_row_rate(text: str) -> str:
    rows = _table_rows(text)
    if not rows:
        return text
    cells = rows[0].split(" | ")
    cells[5] = "66.00% |"
    return text.replace(rows[0], " | ".join(cells).replace("| |", "|"), 1)


def _grade_change(before: str, after: str) -> set[str]:
    """A lowered total that crosses the 优 line (90) also contradicts the stated grade."""
    total = re.compile(r"总得分([\d.]+)分")
    old, new = total.search(before), total.search(after)
    if old and new and float(old[1]) >= 90 > float(new[1]) and "等次为“优”" in after:
        return {"grade.mismatch"}
    return set()


def build(folder: Path) -> dict[Path, set[str]]:
    """Write the labelled set into ``folder``; returns {file: expected codes}."""
    import yaml

    from xltool import api
    from xltool.core.narrative import to_markdown
    from xltool.reporting import unit_report_for

    labels: dict[Path, set[str]] = {
        SEEDS / "report-chongqing-bishan-2022.txt": {"indicator.duplicate", "weight.sum", "score.total-mismatch"},
        SEEDS / "report-hunan-lengshuitan-2021.txt": {"count.mismatch"},
    }
    for name in VALID:
        book = folder / f"{name}.xlsx"
        api.fill(yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text(encoding="utf-8")), book)
        report, _ = unit_report_for(book)
        text = to_markdown(report)
        clean = folder / f"{name}.md"
        clean.write_text(text, encoding="utf-8")
        labels[clean] = set()
        for tag, codes, mutate in MUTATIONS:
            changed = mutate(text)
            if changed == text:
                continue
            path = folder / f"{name}-{tag}.md"
            path.write_text(changed, encoding="utf-8")
            labels[path] = set(codes) | _grade_change(text, changed)
    return labels


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from xltool.linting import lint_file

    with tempfile.TemporaryDirectory() as tmp:
        labels = build(Path(tmp))
        tp, fp, fn = Counter(), Counter(), Counter()
        for path, expected in labels.items():
            found = {f["code"] for f in lint_file(path)["findings"]}
            for code in found & expected:
                tp[code] += 1
            for code in found - expected:
                fp[code] += 1
                print(f"false alarm: {path.name} {code}")
            for code in expected - found:
                fn[code] += 1
                print(f"missed:      {path.name} {code}")
    codes = sorted(set(tp) | set(fp) | set(fn))
    print(
        f"{len(labels)} reports ({sum(1 for v in labels.values() if not v)} clean), "
        f"{sum(len(v) for v in labels.values())} labelled inconsistencies"
    )
    print(f"{'code':24} {'TP':>4} {'FP':>4} {'FN':>4}")
    for code in codes:
        print(f"{code:24} {tp[code]:4} {fp[code]:4} {fn[code]:4}")
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = total_tp / (total_tp + total_fp) if total_tp + total_fp else 1.0
    recall = total_tp / (total_tp + total_fn) if total_tp + total_fn else 1.0
    print(f"precision {precision:.3f}   recall {recall:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

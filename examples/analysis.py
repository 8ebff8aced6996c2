"""A worked analysis of collected self-evaluations with pandas, as a finance bureau's performance section does it.

    .venv/bin/python examples/analysis.py [FOLDER] [--chart out/analysis.png]

FOLDER holds the units' workbooks (default: the examples, filled into a temporary folder). It prints:

1. the grade distribution by region (区县);
2. quantitative indicators whose actual is exactly the target (100 % completion) in every unit that reports
   them (targets that may be set to be met, not to stretch);
3. the most common finding codes, and how many units have each;
4. the execution rate against the total score, unit by unit, and their correlation;

and, with ``--chart`` and matplotlib installed, draws the execution rate against the score into one picture.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import pandas as pd

import xltool

EXAMPLES = Path(__file__).resolve().parent


def filled_examples(folder: Path) -> Path:
    """The example units' documents filled into workbooks, as the units would send them."""
    import yaml

    from xltool import api

    for example in sorted(EXAMPLES.glob("*.yaml")):
        api.fill(yaml.safe_load(example.read_text(encoding="utf-8")), folder / f"{example.stem}.xlsx")
    return folder


def grades_by_region(units: pd.DataFrame) -> pd.DataFrame:
    """Units per grade in each region (the last region level present), scored units only."""
    level = [c for c in units.columns if c.startswith("region_")][-1]
    scored = units[units["scored"].fillna(False)]
    return pd.crosstab(scored[level], scored["grade"], dropna=False).rename_axis(index="region", columns="grade")


def always_exactly_met(indicators: pd.DataFrame) -> pd.DataFrame:
    """Quantitative indicators (by name) whose actual is exactly the target — 100 % completion — in every unit
    that reports them: targets that may be set to be met rather than to stretch."""
    rows = indicators[indicators["applicable"].fillna(False)].copy()
    target = pd.to_numeric(rows["target"], errors="coerce")
    actual = pd.to_numeric(rows["actual"], errors="coerce")
    rows = rows[target.notna() & actual.notna()].assign(exactly=(target == actual)[target.notna() & actual.notna()])
    per_name = rows.groupby("name", observed=True).agg(units=("unit", "nunique"), exactly=("exactly", "all"))
    return per_name[per_name["exactly"] & (per_name["units"] > 1)].sort_values("units", ascending=False)


def common_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Finding codes by how many findings and how many units they touch."""
    return (
        findings.groupby("code", observed=True)
        .agg(findings=("code", "size"), units=("unit", "nunique"))
        .sort_values(["findings", "units"], ascending=False)
    )


def rate_against_score(units: pd.DataFrame) -> tuple[pd.DataFrame, float | None]:
    scored = units[units["scored"].fillna(False)][["unit", "execution_rate", "total_score", "grade"]].dropna(
        subset=["execution_rate", "total_score"]
    )
    r = scored["execution_rate"].corr(scored["total_score"]) if len(scored) > 2 else None
    return scored.sort_values("execution_rate"), (None if r is None or pd.isna(r) else float(r))


def chart(units: pd.DataFrame, path: Path) -> bool:
    """Execution rate against score, one point per unit; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    scored, _ = rate_against_score(units)
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.scatter(scored["execution_rate"] * 100, scored["total_score"])
    axes.set_xlabel("execution rate (%)")
    axes.set_ylabel("total score")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--chart", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or filled_examples(Path(scratch))
        tables = xltool.frames([folder], workers=1)
    pd.set_option("display.width", 160)
    print("1. Grades by region\n", grades_by_region(tables.units), "\n", sep="")
    exact = always_exactly_met(tables.indicators)
    print("2. Indicators met at exactly 100 % in every unit reporting them")
    print(exact if len(exact) else "none: every indicator reported by several units differs from its target somewhere")
    print("\n3. Most common findings\n", common_findings(tables.findings).head(10), sep="")
    scored, r = rate_against_score(tables.units)
    print("\n4. Execution rate against score\n", scored.to_string(index=False), sep="")
    print(f"correlation: {'n/a' if r is None else f'{r:.3f}'}")
    if args.chart:
        drawn = chart(tables.units, args.chart)
        print(f"chart: {args.chart}" if drawn else "chart: matplotlib is not installed (pip install matplotlib)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

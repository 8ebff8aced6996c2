"""How does `xltool consolidate` scale? Prints figures and ratios; the targets are checked here.

Targets (issue: consolidate):
  1. at N = 1,000 files, ≥ 10× the throughput of the loop a user would write
     (pandas.read_excel with the openpyxl engine over every sheet of every file);
  2. 10,000 files take ≤ 11× the time of 1,000;
  3. peak memory at 10,000 ≤ 1.2× that at 1,000 (the largest resident set of any process of the run).

Run: .venv/bin/python bench/consolidate_bench.py [--small] [--workdir DIR]
(--small: 100 and 1,000 files, for a quick look). Generated workbooks are kept in the work dir and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITIES = {
    "江临市": ["东湖区", "西山区", "南岸区", "北城区", "高新区", "临港区"],
    "滨江市": ["中山区", "河西区", "江北区", "新城区"],
    "云溪市": ["城关区", "云溪县", "青石县", "白沙县", "桃源县"],
}
NAMES = [
    "全年网络舆情交办任务办结数",
    "网络安全等级保护测评系统数",
    "网络安全宣传活动场次",
    "舆情信息报送采用率",
    "政务网络安全故障率",
    "重大舆情首次响应时间",
    "单个系统等保测评费用",
    "网评文章发布数",
    "网络安全培训人次",
    "辖区网络安全意识",
    "网络空间正能量传播力",
    "网络综合治理长效机制",
    "服务对象满意度",
    "政务外网可用率",
]


def make_document(i: int) -> dict:
    """A varied unit: its own region, size (5–30 indicators), money unit, and now and then a mistake."""
    rng = random.Random(i)
    city = rng.choice(sorted(CITIES))
    district = rng.choice(CITIES[city])
    yuan = rng.random() < 0.2
    scale = 10000 if yuan else 1
    adjusted = round(rng.uniform(80, 900), 2)
    executed = round(adjusted * rng.uniform(0.6, 1.05), 2)
    indicators = []
    count = rng.randint(5, 30)
    blocks = [("产出指标", "数量指标", 50), ("效益指标", "社会效益指标", 30), ("满意度指标", "服务对象满意度指标", 10)]
    for k in range(count):
        level1, level2, _ = blocks[min(k * 3 // count, 2)]
        qualitative = rng.random() < 0.2
        ind = {
            "level1": level1,
            "level2": level2,
            "name": f"{rng.choice(NAMES)}{'' if k < 10 else k}",
            "weight": round(90 / count, 2),
        }
        if qualitative:
            ind.update(
                kind="定性", target="明显提升", actual=rng.choice(["达成年度指标", "部分达成年度指标并具有一定效果"])
            )
        else:
            target = rng.randint(5, 200)
            ind.update(kind="正向", target=target, actual=rng.randint(target // 2, target * 2), unit="件")
        if rng.random() < 0.5:
            ind["reason"] = "原因分析及改进措施"
        indicators.append(ind)
    return {
        "form": "department",
        "year": 2023,
        "money_unit": "元" if yuan else "万元",
        "unit": {"name": f"{city}{district}第{i}单位", "code": f"U{i:06d}", "region": ["临江省", city, district]},
        "staff": {"authorized": rng.randint(5, 30), "actual": rng.randint(5, 30)},
        "budget": {
            "initial": round(adjusted * scale, 2),
            "adjusted": round(adjusted * scale, 2),
            "executed": round(executed * scale, 2),
        },
        "indicators": indicators,
        "stated": {"execution_rate": f"{executed / adjusted * 100:.2f}%", "total_score": rng.randint(70, 100)},
    }


def make_file(args: tuple[int, str]) -> None:
    i, folder = args
    path = Path(folder) / f"unit-{i:06d}.xlsx"
    if path.exists():
        return
    if i % 97 == 13:  # a few broken files among the rest: a truncated zip, a CSV renamed .xlsx
        data = (ROOT / "templates" / "department-national.xlsx").read_bytes()
        path.write_bytes(data[: len(data) // 3] if i % 2 else "单位,得分\n甲,90\n".encode())
        return
    from xltool import api

    api.fill(make_document(i), path)


def generate(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    missing = [(i, str(folder)) for i in range(n) if not (folder / f"unit-{i:06d}.xlsx").exists()]
    if missing:
        print(f"generating {len(missing)} workbooks in {folder} …", flush=True)
        with ProcessPoolExecutor() as pool:
            list(pool.map(make_file, missing, chunksize=32))


def subset(folder: Path, n: int) -> Path:
    """A folder holding the first ``n`` workbooks (hard links): a run is given a folder, as an office would."""
    target = folder.parent / f"n{n}"
    target.mkdir(exist_ok=True)
    for i in range(n):
        link = target / f"unit-{i:06d}.xlsx"
        if not link.exists():
            os.link(folder / link.name, link)
    return target


def measure(kind: str, folder: Path) -> dict:
    """Run in a fresh process: the time of one job and the peak memory of every process it used."""
    start = time.perf_counter()
    if kind == "naive":
        import pandas as pd

        rows = 0
        for name in sorted(folder.glob("*.xlsx")):
            try:
                frames = pd.read_excel(name, sheet_name=None, engine="openpyxl", header=None)
                rows += sum(len(frame) for frame in frames.values())
            except Exception:  # the naive loop skips files it cannot read
                continue
    else:
        import tempfile

        from xltool.consolidate import consolidate

        with tempfile.TemporaryDirectory() as tmp:
            consolidate([folder], Path(tmp) / "s.xlsx", json_path=Path(tmp) / "s.json")
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_kib": max(own, children), "self_kib": own, "workers_kib": children}


def run_measure(kind: str, folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / ".data")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, folder = args.measure
        print(json.dumps(measure(kind, Path(folder))))
        return 0
    small, large = (100, 1000) if args.small else (1000, 10000)
    folder = args.workdir / "units"
    generate(folder, large)
    naive = run_measure("naive", subset(folder, small))
    ours_small = run_measure("xltool", subset(folder, small))
    ours_large = run_measure("xltool", subset(folder, large))
    throughput = (small / ours_small["seconds"]) / (small / naive["seconds"])
    time_ratio = ours_large["seconds"] / ours_small["seconds"]
    memory_ratio = ours_large["peak_kib"] / ours_small["peak_kib"]
    print(f"machine: {os.cpu_count()} cores; files: {small} and {large} (about 1 in 97 broken, 1 in 5 in 元)")
    print(f"naive pandas loop, {small:>6} files : {naive['seconds']:8.1f} s  ({small / naive['seconds']:7.1f} files/s)")
    print(
        f"xltool consolidate, {small:>5} files : {ours_small['seconds']:8.1f} s  "
        f"({small / ours_small['seconds']:7.1f} files/s)  peak {ours_small['peak_kib'] / 1024:6.1f} MiB"
    )
    print(
        f"xltool consolidate, {large:>5} files : {ours_large['seconds']:8.1f} s  "
        f"({large / ours_large['seconds']:7.1f} files/s)  peak {ours_large['peak_kib'] / 1024:6.1f} MiB"
    )
    print(f"throughput vs naive at {small}      : {throughput:8.1f}×  (target ≥ 10)")
    print(f"time {large} / time {small}           : {time_ratio:8.2f}   (target ≤ 11)")
    print(f"peak memory {large} / {small}         : {memory_ratio:8.2f}   (target ≤ 1.2)")
    ok = throughput >= 10 and time_ratio <= 11 and memory_ratio <= 1.2
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

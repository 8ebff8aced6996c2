"""How does the collection desk (`xltool serve`) hold up when many units upload at once? A load benchmark.

It sets up a real collection in a temporary folder (`xltool desk init`, `desk add-units` with N units spread over a
few districts, `desk key`), writes one distinct department workbook per unit from the example documents (each with
its own unit name and code, hence its own checksum), then starts `xltool serve` on 127.0.0.1 only and:

  1. uploads the N workbooks through the API (`POST /api/u/{token}/uploads`) with C requests in flight, timing each
     upload from the request sent to the 201 JSON (the validation report) received;
  2. samples the memory of the server and of all its child processes (the validation workers) every 0.2 s and keeps
     the peak of their summed RSS (pages shared between processes are counted once per process);
  3. checks that no upload was lost: each unit's `GET /api/u/{token}/uploads` lists exactly one version, with the
     checksum of the file sent, and the SQLite database holds N rows in table `version`;
  4. times the office's `GET /api/office/summary.json` over the N units.

Targets (issue: collection desk):
  1. every upload is answered (201) and none is lost;
  2. p95 upload-to-findings latency < 2 s at concurrency 50;
  3. the office summary of 500 units is built in < 10 s.

The exit code is 0 when every target is met, 1 otherwise. The server is always stopped, and the temporary folder
removed unless --keep is given.

Run: .venv/bin/python bench/desk_load.py [--units 500] [--concurrency 50] [--processes P] [--keep DIR] [--port PORT]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import csv
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import yaml

try:
    import psutil
except ImportError:  # sampled from /proc instead
    psutil = None

ROOT = Path(__file__).resolve().parent.parent
#: The department forms among the example documents; units take them in turn.
EXAMPLES = ("beicheng", "donghu", "gaoxin", "nanan", "xishan")
CITY = "江临市"
DISTRICTS = ("东湖区", "西山区", "南岸区", "北城区", "高新区", "滨江区", "临港区", "青山区")
HEALTH_WAIT = 60.0
SAMPLE_EVERY = 0.2
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TARGET_P95 = 2.0
TARGET_P95_CONCURRENCY = 50
TARGET_SUMMARY = 10.0
TARGET_SUMMARY_UNITS = 500


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    district: str
    example: str


@dataclass
class Upload:
    unit: Unit
    path: Path
    sha256: str
    token: str = ""


@dataclass
class UploadResult:
    status: int | None  # None: no answer (timeout, connection error)
    seconds: float
    error: str = ""
    version: int | None = None

    @property
    def kind(self) -> str:
        return f"HTTP {self.status}" if self.status is not None else (self.error.split(":")[0] or "no answer")


@dataclass
class Outcome:
    """Everything the run found, for the report and the targets."""

    units: int
    concurrency: int
    processes: int
    results: list[UploadResult] = field(default_factory=list)
    upload_seconds: float = 0.0
    peak_bytes: int = 0  # during the uploads
    peak_processes: int = 0
    peak_bytes_all: int = 0  # the whole run: start, uploads, checks, summary
    verified: int = 0
    verify_problems: list[str] = field(default_factory=list)
    db_versions: int | None = None
    summary_seconds: float | None = None
    summary_units: int | None = None
    summary_error: str = ""


# --------------------------------------------------------------------------------------------- setting up


def xltool(*args: str | Path) -> str:
    """Run an xltool command of this interpreter's installation; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "xltool", *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"xltool {' '.join(map(str, args))} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_units(count: int) -> list[Unit]:
    return [
        Unit(
            code=f"B{i:05d}",
            name=f"{CITY}{DISTRICTS[i % len(DISTRICTS)]}测试单位{i:05d}",
            district=DISTRICTS[i % len(DISTRICTS)],
            example=EXAMPLES[i % len(EXAMPLES)],
        )
        for i in range(count)
    ]


def write_units_csv(units: list[Unit], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["单位名称", "单位代码", "所属地区"])
        for unit in units:
            writer.writerow([unit.name, unit.code, f"{CITY}/{unit.district}"])


def read_tokens(links_csv: Path) -> dict[str, str]:
    """Unit code → the token at the end of its link (``…/u/{token}``)."""
    with open(links_csv, encoding="utf-8-sig", newline="") as source:
        return {row["单位代码"]: row["链接"].rsplit("/u/", 1)[1] for row in csv.DictReader(source)}


def build_workbook(unit: Unit, folder: Path) -> tuple[Path, str]:
    """The unit's department workbook (its example document under its own name and code) and its sha256."""
    from xltool import api

    document = yaml.safe_load((ROOT / "examples" / f"{unit.example}.yaml").read_text(encoding="utf-8"))
    document = copy.deepcopy(document)
    document["unit"]["name"] = unit.name
    document["unit"]["code"] = unit.code
    document["unit"]["region"] = ["临江省", CITY, unit.district]
    out = folder / f"{unit.code}.xlsx"
    api.fill(document, out, force=True)
    return out, hashlib.sha256(out.read_bytes()).hexdigest()


def build_workbooks(units: list[Unit], folder: Path, processes: int) -> list[Upload]:
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=processes) as pool:
        built = list(pool.map(build_workbook, units, [folder] * len(units), chunksize=8))
    uploads = [Upload(unit, path, sha) for unit, (path, sha) in zip(units, built, strict=True)]
    if len({u.sha256 for u in uploads}) != len(uploads):
        raise RuntimeError("two workbooks came out identical: each upload must have its own checksum")
    return uploads


# ------------------------------------------------------------------------------------------------ memory


def _proc_children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as source:
                found.extend(int(child) for child in source.read().split())
    except OSError:
        pass
    return found


def _proc_rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as source:
            for line in source:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            return [pid, *(child.pid for child in root.children(recursive=True))]
        except psutil.Error:
            return []
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(_proc_children(current))
    return tree


def rss_of(pid: int) -> int:
    if psutil is not None:
        try:
            return int(psutil.Process(pid).memory_info().rss)
        except psutil.Error:
            return 0
    return _proc_rss(pid)


class MemorySampler(threading.Thread):
    """Samples the summed RSS of a process and its descendants until stopped; keeps the peak."""

    def __init__(self, pid: int, every: float = SAMPLE_EVERY):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_bytes = 0
        self.peak_processes = 0
        self.seen: set[int] = set()
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            tree = process_tree(self.pid)
            self.seen.update(tree)
            self.peak_bytes = max(self.peak_bytes, sum(rss_of(pid) for pid in tree))
            self.peak_processes = max(self.peak_processes, len(tree))
            self._done.wait(self.every)

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)


# ------------------------------------------------------------------------------------------------ server


def start_server(data: Path, port: int, processes: int, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "xltool", "serve", "--data", str(data), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--processes", str(processes)]
    with open(log, "wb") as err:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)


def wait_healthy(base: str, server: subprocess.Popen[bytes], limit: float = HEALTH_WAIT) -> float:
    """Seconds until ``/healthz`` answers ``{"ok": true}``; raises when the server exits or does not come up."""
    start = time.perf_counter()
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while time.perf_counter() - start < limit:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited with code {server.returncode} before it was up")
            try:
                if client.get(f"{base}/healthz").json().get("ok") is True:
                    return time.perf_counter() - start
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /healthz within {limit:.0f} s")


def stop_server(server: subprocess.Popen[bytes], descendants: set[int]) -> None:
    """SIGTERM (uvicorn shuts down and stops its workers), then SIGKILL; then any worker left behind."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    for pid in sorted(descendants - {server.pid}):
        if psutil is not None:
            try:
                leftover = psutil.Process(pid)
                # a pid reused by an unrelated process since is left alone: only our interpreter's children
                if leftover.is_running() and leftover.exe() == os.path.realpath(sys.executable):
                    leftover.kill()
            except psutil.Error:
                pass


def server_log_findings(log: Path, shown: int = 15) -> tuple[int, list[str]]:
    """How many lines of the server's stderr look like trouble, and the first of them."""
    if not log.exists():
        return 0, []
    words = ("Traceback", "Error", "ERROR", "WARNING", "Exception", "timeout", "Timeout")
    lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    trouble = [line for line in lines if any(word in line for word in words)]
    return len(trouble), trouble[:shown]


# ------------------------------------------------------------------------------------------------ client


async def upload_one(
    client: httpx.AsyncClient, gate: asyncio.Semaphore, base: str, item: Upload, timeout: float
) -> UploadResult:
    body = item.path.read_bytes()
    async with gate:
        start = time.perf_counter()
        try:
            response = await asyncio.wait_for(
                client.post(f"{base}/api/u/{item.token}/uploads", files={"file": (item.path.name, body, XLSX)}),
                timeout,
            )
            answer = response.json() if response.status_code == 201 else None
            seconds = time.perf_counter() - start
        except (httpx.HTTPError, asyncio.TimeoutError, ValueError) as failed:
            return UploadResult(None, time.perf_counter() - start, f"{type(failed).__name__}: {failed}")
    if response.status_code != 201:
        return UploadResult(response.status_code, seconds, response.text[:200])
    return UploadResult(201, seconds, version=answer.get("version") if isinstance(answer, dict) else None)


async def upload_all(
    base: str, uploads: list[Upload], concurrency: int, timeout: float, limit: float
) -> tuple[list[UploadResult], float]:
    """Every upload, at most ``concurrency`` at once; the results (in the uploads' order) and the wall time."""
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(timeout), trust_env=False) as client:
        tasks = [asyncio.create_task(upload_one(client, gate, base, item, timeout)) for item in uploads]
        start = time.perf_counter()
        done, pending = await asyncio.wait(tasks, timeout=limit)
        wall = time.perf_counter() - start
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    results = [
        task.result() if task in done else UploadResult(None, wall, f"not answered within the run's {limit:.0f} s")
        for task in tasks
    ]
    return results, wall


async def verify_all(base: str, uploads: list[Upload], concurrency: int, timeout: float) -> tuple[int, list[str]]:
    """How many units list exactly one version with the checksum of the file sent; what is wrong with the rest."""
    gate = asyncio.Semaphore(concurrency)

    async def check(client: httpx.AsyncClient, item: Upload) -> str | None:
        async with gate:
            try:
                response = await client.get(f"{base}/api/u/{item.token}/uploads")
                versions = response.json().get("versions", []) if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError) as failed:
                return f"{item.unit.code}: {type(failed).__name__}: {failed}"
        if versions is None:
            return f"{item.unit.code}: HTTP {response.status_code}"
        if len(versions) != 1:
            return f"{item.unit.code}: {len(versions)} versions"
        if versions[0].get("sha256") != item.sha256:
            return f"{item.unit.code}: checksum {versions[0].get('sha256')} is not the file's {item.sha256}"
        return None

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(timeout), trust_env=False) as client:
        problems = await asyncio.gather(*(check(client, item) for item in uploads))
    wrong = [problem for problem in problems if problem is not None]
    return len(uploads) - len(wrong), wrong


def count_db_versions(data: Path) -> int:
    """Rows in table ``version`` of ``desk.sqlite3``, opened read-only."""
    connection = sqlite3.connect(f"file:{data / 'desk.sqlite3'}?mode=ro", uri=True, timeout=30)
    try:
        return int(connection.execute("SELECT count(*) FROM version").fetchone()[0])
    finally:
        connection.close()


def time_summary(base: str, key: str, timeout: float) -> tuple[float, int | None, str]:
    """Seconds for the office summary, the number of units in it, and what went wrong if anything."""
    with httpx.Client(timeout=httpx.Timeout(timeout), trust_env=False) as client:
        start = time.perf_counter()
        try:
            response = client.get(f"{base}/api/office/summary.json", headers={"Authorization": f"Bearer {key}"})
            body: Any = response.json()
        except (httpx.HTTPError, ValueError) as failed:
            return time.perf_counter() - start, None, f"{type(failed).__name__}: {failed}"
        seconds = time.perf_counter() - start
    if response.status_code != 200 or not isinstance(body, dict):
        return seconds, None, f"HTTP {response.status_code}: {json.dumps(body, ensure_ascii=False)[:200]}"
    return seconds, len(body.get("units", [])), ""


# ------------------------------------------------------------------------------------------------ report


def percentile(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.0f} ms"


def report(outcome: Outcome, log: Path) -> bool:
    """Print the figures and the targets; whether every target is met."""
    n = outcome.units
    answered = [r for r in outcome.results if r.status == 201]
    failures = [r for r in outcome.results if r.status != 201]
    latencies = [r.seconds for r in answered]
    p50, p95, p99 = (percentile(latencies, pct) for pct in (50, 95, 99))
    throughput = len(answered) / outcome.upload_seconds if outcome.upload_seconds else 0.0

    print()
    print(f"uploads: {n} units, concurrency {outcome.concurrency}, {outcome.processes} validation processes")
    print(f"  uploads answered (201): {len(answered)}/{n}")
    print(f"  failures (no answer or not 201): {len(failures)}")
    by_kind: dict[str, list[UploadResult]] = {}
    for r in failures:
        by_kind.setdefault(r.kind, []).append(r)
    for kind, alike in sorted(by_kind.items()):
        print(f"    {kind}: {len(alike)} (e.g. {alike[0].error[:160]})")
    print(f"  wall time: {outcome.upload_seconds:.1f} s, throughput: {throughput:.1f} uploads/s")
    slowest = max(latencies, default=None)
    print(f"  upload-to-findings latency: p50 {ms(p50)}, p95 {ms(p95)}, p99 {ms(p99)}, max {ms(slowest)}")
    print(
        f"  server peak memory (RSS of the server and its {outcome.peak_processes - 1} child processes at most, "
        f"summed): {outcome.peak_bytes / 2**20:.0f} MB during the uploads, "
        f"{outcome.peak_bytes_all / 2**20:.0f} MB over the whole run (with the summary)"
    )
    print()
    print(f"versions in the database: {outcome.verified}/{n} with the right checksums")
    for problem in outcome.verify_problems[:10]:
        print(f"  {problem}")
    print(f"rows in table version of desk.sqlite3: {outcome.db_versions}")
    if outcome.summary_seconds is not None:
        print(f"office summary: {outcome.summary_seconds:.2f} s, {outcome.summary_units} units in it")
    if outcome.summary_error:
        print(f"  error: {outcome.summary_error}")

    count, trouble = server_log_findings(log)
    print()
    print(f"server stderr: {count} lines that look like errors or warnings")
    for line in trouble:
        print(f"  {line[:200]}")

    none_lost = len(answered) == n and outcome.verified == n and outcome.db_versions == n
    fast = p95 is not None and p95 < TARGET_P95
    summary_fast = (
        outcome.summary_seconds is not None
        and outcome.summary_seconds < TARGET_SUMMARY
        and outcome.summary_units == n
        and not outcome.summary_error
    )
    at = "" if outcome.concurrency == TARGET_P95_CONCURRENCY else f" (measured at concurrency {outcome.concurrency})"
    of = "" if n == TARGET_SUMMARY_UNITS else f" (measured at {n} units)"
    print()
    print("targets:")
    print(f"  every upload answered and none lost: {'met' if none_lost else 'NOT met'}")
    print(f"  p95 < {TARGET_P95:g} s at concurrency {TARGET_P95_CONCURRENCY}: {'met' if fast else 'NOT met'}{at}")
    print(
        f"  summary of {TARGET_SUMMARY_UNITS} units < {TARGET_SUMMARY:g} s: {'met' if summary_fast else 'NOT met'}{of}"
    )
    return none_lost and fast and summary_fast


# -------------------------------------------------------------------------------------------------- main


def run(args: argparse.Namespace, root: Path) -> bool:
    data, books, log = root / "data", root / "workbooks", root / "server-stderr.log"
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    outcome = Outcome(args.units, args.concurrency, args.processes)

    started = time.perf_counter()
    password = root / "password.txt"
    password.write_text("bench-desk-password\n", encoding="utf-8")
    xltool("desk", "init", "--data", data, "--office", "江临市财政局", "--year", "2023", "--form", "department",
           "--url", base, "--password-file", password)  # fmt: skip
    units = make_units(args.units)
    units_csv = root / "units.csv"
    write_units_csv(units, units_csv)
    xltool("desk", "add-units", units_csv, "--data", data)
    tokens = read_tokens(data / "links.csv")
    key = xltool("desk", "key", "--data", data).strip()
    print(f"collection: {len(tokens)} units in {data} ({time.perf_counter() - started:.1f} s)")

    started = time.perf_counter()
    uploads = build_workbooks(units, books, os.cpu_count() or 2)
    for item in uploads:
        item.token = tokens[item.unit.code]
    size = sum(item.path.stat().st_size for item in uploads)
    print(f"workbooks: {len(uploads)} distinct files, {size / 2**20:.1f} MB ({time.perf_counter() - started:.1f} s)")

    server = start_server(data, port, args.processes, log)
    sampler = MemorySampler(server.pid)
    sampler.start()
    try:
        up = wait_healthy(base, server)
        print(f"server: pid {server.pid} on {base}, up in {up:.1f} s")
        outcome.results, outcome.upload_seconds = asyncio.run(
            upload_all(base, uploads, args.concurrency, args.request_timeout, args.time_limit)
        )
        outcome.peak_bytes, outcome.peak_processes = sampler.peak_bytes, sampler.peak_processes
        outcome.verified, outcome.verify_problems = asyncio.run(
            verify_all(base, uploads, args.concurrency, args.request_timeout)
        )
        try:
            outcome.db_versions = count_db_versions(data)
        except sqlite3.Error as failed:
            print(f"desk.sqlite3 could not be read: {failed}")
        outcome.summary_seconds, outcome.summary_units, outcome.summary_error = time_summary(
            base, key, args.summary_timeout
        )
    finally:
        try:
            sampler.stop()
        finally:
            stop_server(server, sampler.seen)
    outcome.peak_bytes_all = sampler.peak_bytes
    return report(outcome, log)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=500, help="units, one upload each (default 500)")
    parser.add_argument("--concurrency", type=int, default=50, help="uploads in flight at once (default 50)")
    parser.add_argument(
        "--processes", type=int, default=os.cpu_count() or 2, help="the server's validation processes (default: CPUs)"
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR (new or empty) and keep it")
    parser.add_argument("--port", type=int, default=0, help="the server's port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--request-timeout", type=float, default=120.0, help="seconds one request may take")
    parser.add_argument("--time-limit", type=float, default=1800.0, help="seconds all the uploads may take")
    parser.add_argument("--summary-timeout", type=float, default=600.0, help="seconds the summary may take")
    args = parser.parse_args()
    if args.units < 1 or args.concurrency < 1 or args.processes < 1:
        parser.error("--units, --concurrency and --processes must be at least 1")

    if args.keep is not None:
        if args.keep.exists() and any(args.keep.iterdir()):
            parser.error(f"--keep {args.keep}: the folder is not empty")
        args.keep.mkdir(parents=True, exist_ok=True)
        root = args.keep.resolve()
    else:
        root = Path(tempfile.mkdtemp(prefix="desk-load-"))
    try:
        met = run(args, root)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"kept: {root}")
    print()
    print("all targets met" if met else "some targets NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())

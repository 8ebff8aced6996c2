"""How well does xltool read official forms? Field-level precision and recall per layout family and format,
and how fast it reads them.

The corpus (bench/formgen.py): every layout family × every format, each form with its own perturbations —
rows and columns shifted, label variants (其中：本年财政拨款, 财政项目支出绩效自评表…), labels spaced out or split
over lines, vertical one-character-per-line labels, 一级/二级 merged down or written once, hidden placeholder
rows, numbers written as text (1,234.50 / 100.00%), 元 forms, two projects on one sheet, a two-row header.
.xlsx is written by openpyxl, .docx by python-docx; .xls and .ods are LibreOffice's conversions of the .xlsx,
and ``docx-lo`` is the .docx re-saved by LibreOffice Writer: the files real clients write.

Precision: of the compared fields the reader gave a value for, how many are right. Recall: of the fields the
form holds, how many were read right. Targets: 1.000 both, for every family and format.

Speed targets: reading an official form in process ≤ 3× python-calamine's plain read of the same file;
``xltool validate form.xls`` as a whole process below ``python -c "import pandas"``.

Run: .venv/bin/python bench/official_forms.py [--per-family N] [--keep DIR]
(needs LibreOffice's ``soffice`` for the .xls, .ods and docx-lo formats; without it they are skipped and
the output says so).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.formgen import FAMILIES, compared, expected, make, same, write_docx, write_xlsx  # noqa: E402
from xltool.io.form_reader import read_forms  # noqa: E402

FORMATS = ("xlsx", "xls", "ods", "docx", "docx-lo")


def convert(files: list[Path], target: str, outdir: Path) -> None:
    """LibreOffice converts ``files`` (one process for all) into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    filters = {"xls": "xls", "ods": "ods", "docx": "docx:MS Word 2007 XML"}
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                filters[target],
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=False,
            capture_output=True,
            timeout=1800,
        )


def build(folder: Path, per_family: int) -> dict[Path, tuple[str, int]]:
    """The corpus: path → (family, seed)."""
    corpus: dict[Path, tuple[str, int]] = {}
    xlsx, docx = folder / "xlsx", folder / "docx"
    xlsx.mkdir(parents=True, exist_ok=True)
    docx.mkdir(parents=True, exist_ok=True)
    for family in FAMILIES:
        for seed in range(per_family):
            canvas, _, _ = make(family, seed)
            name = f"{family}-{seed}"
            write_xlsx(canvas, xlsx / f"{name}.xlsx")
            write_docx(canvas, docx / f"{name}.docx")
            corpus[xlsx / f"{name}.xlsx"] = (family, seed)
            corpus[docx / f"{name}.docx"] = (family, seed)
    if shutil.which("soffice"):
        xlsx_files = sorted(xlsx.glob("*.xlsx"))
        convert(xlsx_files, "xls", folder / "xls")
        convert(xlsx_files, "ods", folder / "ods")
        # Writer writes the re-saved .docx beside under the same name: a folder of its own
        convert(sorted(docx.glob("*.docx")), "docx", folder / "docx-lo")
        for fmt in ("xls", "ods", "docx-lo"):
            suffix = "docx" if fmt == "docx-lo" else fmt
            for path in (folder / fmt).glob(f"*.{suffix}"):
                family, seed = path.stem.rsplit("-", 1)
                corpus[path] = (family, int(seed))
    return corpus


def fmt_of(path: Path) -> str:
    return path.parent.name


def measure(corpus: dict[Path, tuple[str, int]]) -> tuple[dict, list[str]]:
    tally: dict[tuple[str, str], list[int]] = defaultdict(
        lambda: [0, 0, 0, 0, 0]
    )  # forms, expected, read, right, docs-ok
    misses: list[str] = []
    for path, (family, seed) in sorted(corpus.items()):
        _, contents, variant = make(family, seed)
        key = (family, fmt_of(path))
        tally[key][0] += 1
        wants = [expected(family, content, variant) for content in contents]
        try:
            workbooks = read_forms(path)
        except Exception as exc:  # a form not read at all: every field missed
            tally[key][1] += sum(len(w) for w in wants)
            misses.append(
                f"{path.name} ({key[1]}): not read: {getattr(exc, 'key', type(exc).__name__)} {getattr(exc, 'params', '')}"
            )
            continue
        if len(workbooks) == len(wants):
            tally[key][4] += 1
        else:
            misses.append(f"{path.name} ({key[1]}): {len(workbooks)} documents, expected {len(wants)}")
        for i, want in enumerate(wants):
            got = compared(workbooks[i].document.to_dict(), want) if i < len(workbooks) else {}
            tally[key][1] += len(want)
            for field, value in want.items():
                found = got.get(field)
                if found is not None:
                    tally[key][2] += 1
                if same(found, value):
                    tally[key][3] += 1
                elif len(misses) < 40:
                    misses.append(f"{path.name} ({key[1]}) {field}: read {found!r}, form holds {value!r}")
    return tally, misses


def speed(corpus: dict[Path, tuple[str, int]], runs: int = 5) -> None:
    print("\nSpeed (in process, median of", runs, "runs per file; reading = recognising + extracting + normalising)")
    for fmt in ("xlsx", "xls", "ods"):
        files = [p for p in corpus if fmt_of(p) == fmt][:14]
        if not files:
            continue
        ratios, ours_all, plain_all = [], [], []
        for path in files:
            plain, ours, _ = interleaved(path, read_forms, runs)
            ratios.append(ours / plain)
            ours_all.append(ours)
            plain_all.append(plain)
        print(
            f"  {fmt:5} calamine plain read {statistics.median(plain_all) * 1000:6.2f} ms   xltool read {statistics.median(ours_all) * 1000:6.2f} ms"
            f"   ratio median {statistics.median(ratios):.2f}  max {max(ratios):.2f}   (target ≤ 3)"
        )
    xls = sorted(p for p in corpus if fmt_of(p) == "xls")
    if xls:
        python = sys.executable

        # as installed: bytecode cached (see bench/validate_speed.py)
        # this checkout's xltool, whatever is installed
        env = {
            **os.environ,
            "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "xltool-bench-pycache"),
            "PYTHONPATH": str(ROOT),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)

        def timed(cmd: list[str]) -> float:
            subprocess.run(cmd, capture_output=True, check=False, env=env)  # warm the bytecode cache
            values = []
            for _ in range(5):
                t = time.perf_counter()
                subprocess.run(cmd, capture_output=True, check=False, env=env)
                values.append(time.perf_counter() - t)
            return statistics.median(values)

        ours = timed([python, "-m", "xltool", "validate", str(xls[0])])
        pandas = timed([python, "-c", "import pandas"])
        print(
            f"  whole process: xltool validate one .xls {ours * 1000:.0f} ms, python -c 'import pandas' {pandas * 1000:.0f} ms"
            f"   ratio {ours / pandas:.2f}   (target < 1)"
        )


STAGES = ("bytes+kind", "grids", "label index", "recognise", "extract", "normalise")


def stages(path: Path) -> list[float]:
    """The seconds each step of reading one official form takes, in the order of ``read_forms``."""
    from xltool.core.document import normalize
    from xltool.core.families import shipped_families
    from xltool.core.official import extract
    from xltool.core.recognise import LabelIndex, recognise, sections
    from xltool.core.spec import load_profile
    from xltool.io.grids import kind_of, read_grids
    from xltool.io.safety import Limits, read_package

    marks = [time.perf_counter()]
    limits = Limits.from_env()
    data = read_package(path, limits)
    kind = kind_of(path, data)
    marks.append(time.perf_counter())
    grids = read_grids(path, data, kind, limits)
    marks.append(time.perf_counter())
    indexes = [LabelIndex.build(grid) for grid in grids]
    marks.append(time.perf_counter())
    family = recognise(indexes, shipped_families())
    marks.append(time.perf_counter())
    rules = load_profile(family.profile)
    found = [extract(index, rows, family, rules) for index in indexes for rows in sections(index, family)]
    marks.append(time.perf_counter())
    for result in found:
        if result is not None:
            normalize({**result.raw, "profile": family.profile}, rules, official=True)
    marks.append(time.perf_counter())
    return [b - a for a, b in itertools.pairwise(marks)]


def where_time_goes(corpus: dict[Path, tuple[str, int]], runs: int = 5) -> None:
    print(f"\nWhere the time goes (ms, median over files and {runs} runs)")
    print("  format  calamine  " + "  ".join(f"{name:>11}" for name in STAGES) + "      total")
    for fmt in ("xlsx", "xls", "ods", "docx"):
        files = [p for p in corpus if fmt_of(p) == fmt][:14]
        if not files:
            continue
        steps: list[list[float]] = [[] for _ in STAGES]
        plain = []
        for path in files:
            stages(path)  # warm
            for _ in range(runs):
                for i, seconds in enumerate(stages(path)):
                    steps[i].append(seconds)
                if fmt != "docx":
                    t = time.perf_counter()
                    _plain_read(path)
                    plain.append(time.perf_counter() - t)
        medians = [statistics.median(values) * 1000 for values in steps]
        base = f"{statistics.median(plain) * 1000:8.2f}" if plain else f"{'—':>8}"
        print(f"  {fmt:7} {base}  " + "  ".join(f"{m:11.2f}" for m in medians) + f"  {sum(medians):9.2f}")
        if plain:  # the same in calamine reads of the same files, measured between them: drift cancels
            unit = statistics.median(plain) * 1000
            print(
                f"  {'':7} {'× 1':>8}  "
                + "  ".join(f"{m / unit:10.1f}×" for m in medians)
                + f"  {sum(medians) / unit:8.1f}×"
            )


def interleaved(path: Path, read: Any, runs: int) -> tuple[float, float, Any]:
    """The median seconds of calamine's plain read of ``path`` and of ``read(path)``, run by turns (the machine's
    speed drifts; turns keep the ratio fair), and what ``read`` gave."""
    plain, ours = [], []
    answer = None
    for _ in range(runs):
        t = time.perf_counter()
        _plain_read(path)
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        answer = read(path)
        ours.append(time.perf_counter() - t)
    return statistics.median(plain), statistics.median(ours), answer


def _plain_read(path: Path) -> None:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    book.close()


def _ours(path: Path) -> str:
    """read_forms as a program uses it: a file it cannot use is an answer too (its code)."""
    from xltool.errors import UnusableWorkbook

    try:
        return f"{len(read_forms(path))} document(s)"
    except UnusableWorkbook as exc:
        return exc.key


def real_files(folder: Path, runs: int = 5) -> None:
    """The same ratio on real files other programs wrote (odd ones: most are no form, so they are read, their
    labels indexed and recognition fails): only files python-calamine itself reads are compared."""
    print(f"\nReal files ({folder}; median of {runs} runs each, files calamine cannot read are left out)")
    for fmt in (".xlsx", ".xlsm", ".xls", ".ods"):
        rows = []
        for path in sorted(folder.glob(f"*{fmt}")):
            try:
                _plain_read(path)
            except Exception:  # encrypted, damaged, not what it is called: calamine's own refusal
                continue
            plain, ours, answer = interleaved(path, _ours, runs)
            rows.append((path.name, plain, ours, answer))
        if not rows:
            continue
        ratios = [o / p for _, p, o, _ in rows]
        print(f"  {fmt:5} {len(rows):2} files   ratio median {statistics.median(ratios):.2f}  max {max(ratios):.2f}")
        for name, p, o, answer in rows:
            print(
                f"        {name[:58]:58} calamine {p * 1000:7.2f} ms  xltool {o * 1000:7.2f} ms  {o / p:5.2f}×  {answer}"
            )


def consolidate_speed(corpus: dict[Path, tuple[str, int]], folder: Path, runs: int = 3) -> None:
    """``consolidate`` over a folder of official forms against a folder of templates holding the same documents
    (each template filled from the document read from its form): per-file time and the ratio."""
    from xltool import api
    from xltool.consolidate import consolidate

    templates = folder / "templates"
    templates.mkdir(exist_ok=True)
    sources = sorted(p for p in corpus if fmt_of(p) == "xlsx")
    for path in sources:
        target = templates / path.name
        if not target.exists():
            api.fill(read_forms(path)[0].document.to_dict(), target)

    def per_file(source: Path) -> float:
        count = len([p for p in source.iterdir() if p.is_file()])
        best = float("inf")
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as tmp:
                t = time.perf_counter()
                consolidate([source], Path(tmp) / "s.xlsx", json_path=Path(tmp) / "s.json")
                best = min(best, time.perf_counter() - t)
        return best / count

    base = per_file(templates)
    print(f"\nConsolidate (best of {runs} runs, in process): templates {base * 1000:6.1f} ms a file")
    for fmt in ("xlsx", "xls", "ods", "docx"):
        if (folder / fmt).is_dir():
            ours = per_file(folder / fmt)
            print(
                f"  official .{fmt:5} {ours * 1000:6.1f} ms a file   ratio to templates {ours / base:.2f}   (target ≤ 1.5)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--per-family", type=int, default=10, help="forms per family and format (default 10: 350 forms)"
    )
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    parser.add_argument(
        "--real",
        type=Path,
        action="append",
        help="a folder of real files to measure the reading ratio on too (default: tests/data/realcorpus)",
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="xltool-forms-"))
    try:
        t = time.perf_counter()
        corpus = build(folder, args.per_family)
        print(f"Corpus: {len(corpus)} forms in {folder} ({time.perf_counter() - t:.0f} s to write and convert)")
        if not shutil.which("soffice"):
            print("  soffice not found: .xls, .ods and docx-lo were not made (install LibreOffice to measure them)")
        tally, misses = measure(corpus)
        print(
            f"\n{'family':22} {'format':8} {'forms':>5} {'fields':>6} {'precision':>9} {'recall':>7} {'documents':>9}"
        )
        totals = [0, 0, 0, 0, 0]
        for family in FAMILIES:
            for fmt in FORMATS:
                row = tally.get((family, fmt))
                if not row:
                    continue
                forms, wanted, read, right, docs = row
                totals = [a + b for a, b in zip(totals, row, strict=True)]
                precision = right / read if read else 1.0
                print(
                    f"{family:22} {fmt:8} {forms:5} {wanted:6} {precision:9.3f} {right / wanted:7.3f} {docs:>4}/{forms:<4}"
                )
        forms, wanted, read, right, docs = totals
        print(f"{'all':22} {'':8} {forms:5} {wanted:6} {right / read:9.3f} {right / wanted:7.3f} {docs:>4}/{forms:<4}")
        if misses:
            print("\nMisses (first 40):")
            for line in misses[:40]:
                print("  " + line)
        speed(corpus)
        where_time_goes(corpus)
        for real in args.real or [ROOT / "tests" / "data" / "realcorpus"]:
            real_files(real)
        consolidate_speed(corpus, folder)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

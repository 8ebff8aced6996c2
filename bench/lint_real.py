"""lint-report on real published reports: recall on the inconsistencies labelled by hand, and every error it
raises anywhere else (a false error). Prints the figures for docs/lint-report.md.

A folder holds report files and a ``labels.json`` (shared/reports has 23 of them): per file, ``inconsistencies``
(kind, quote, stated, computed) and ``checked`` relations (places where a checker must stay silent). A finding
matches a labelled inconsistency when its kind agrees (sum / count / rate / change…, or one of the label's
``also_acceptable_kinds``) and its quoted sentence or row overlaps the label's quote. Every other error is false.
A folder without labels.json is measured for false errors only: every error it raises is listed.

A label with an empty quote (a finding about a whole table: a weight sum, a duplicated row) matches by kind.

Each entry of labels.json names its ``split``: ``dev`` (the reports the rules were developed on) or ``heldout``
(kept out of development, measured only), and the ``batch`` it was collected in. The figures are printed per
split, held-out first, then per batch.

Run: .venv/bin/python bench/lint_real.py [-v] [FOLDER ...]
     (default: tests/data/reports; -v lists every finding, miss and false error, held-out ones included)
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "tests" / "data" / "reports"
KIND = {
    "sum.mismatch": "sum",
    "count.mismatch": "count",
    "rate.mismatch": "rate",
    "change.mismatch": "change",
    "grade.mismatch": "grade",
    "score.total-mismatch": "total",
    "weight.sum": "weight",
    "indicator.duplicate": "duplicate",
}
READABLE = {".txt", ".md", ".docx", ".doc", ".pdf", ".html", ".htm"}


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _overlap(a: str, b: str) -> bool:
    a, b = _plain(a), _plain(b)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size >= 12


def measure(
    folder: Path, split: str | None = None, batch: str | None = None
) -> tuple[Counter[str], Counter[str], list[str], int]:
    """Labelled inconsistencies and those found (by kind), a line per finding or miss, and the false errors, over
    the reports of ``split`` and ``batch`` (every report when None)."""
    from xltool.errors import XltoolError
    from xltool.linting import lint_file

    labels_path = folder / "labels.json"
    labels = {e["file"]: e for e in json.loads(labels_path.read_text(encoding="utf-8"))} if labels_path.exists() else {}
    files = [p for p in _files(folder, labels, split) if batch is None or labels.get(p.name, {}).get("batch") == batch]
    labelled: Counter[str] = Counter()
    found: Counter[str] = Counter()
    lines: list[str] = []
    false = 0
    for path in files:
        entry = labels.get(path.name, {})
        todo = list(entry.get("inconsistencies", []))
        for item in todo:
            labelled[item["kind"]] += 1
        try:
            findings = [f for f in lint_file(path)["findings"] if f["severity"] == "error"]
        except XltoolError as exc:
            lines.append(f"  unreadable {path.name}: {exc}")
            continue
        for f in findings:
            kind = KIND.get(f["code"], f["code"])
            hit = next(
                (
                    item
                    for item in todo
                    if kind in [item["kind"], *item.get("also_acceptable_kinds", [])]
                    and (not item["quote"] or _overlap(f["sentence"] or "", item["quote"]))
                ),
                None,
            )
            if hit is not None:
                todo.remove(hit)
                found[hit["kind"]] += 1
                lines.append(f"  found      {path.name} {f['code']}: {f['message']}")
            else:
                false += 1
                lines.append(f"  FALSE      {path.name} {f['code']}: {f['message']}  “{(f['sentence'] or '')[:90]}”")
        for item in todo:
            lines.append(f"  missed     {path.name} {item['kind']}: {item['stated']} ({item['computed']})")
    return labelled, found, lines, false


def _files(folder: Path, labels: dict[str, dict], split: str | None) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in READABLE and p.name != "README.md")
    return [p for p in files if split is None or labels.get(p.name, {}).get("split", "dev") == split]


def splits(folder: Path) -> list[str | None]:
    """The splits a folder's labels name, held-out first; [None] when they name none."""
    labels_path = folder / "labels.json"
    named = (
        {e.get("split") for e in json.loads(labels_path.read_text(encoding="utf-8"))} if labels_path.exists() else set()
    )
    named.discard(None)
    return sorted(named, key=lambda s: (s != "heldout", s)) or [None]


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    folders = [Path(a) for a in argv if a != "-v"] or [DEFAULT]
    for folder in folders:
        if not folder.is_dir():
            print(f"{folder}: not a folder")
            return 2
        for split in splits(folder):
            labelled, found, lines, false = measure(folder, split)
            labels_path = folder / "labels.json"
            labels = (
                {e["file"]: e for e in json.loads(labels_path.read_text(encoding="utf-8"))}
                if labels_path.exists()
                else {}
            )
            files = _files(folder, labels, split)
            name = f"{folder} [{split}]" if split else str(folder)
            print(f"{name}: {len(files)} reports, {sum(labelled.values())} labelled inconsistencies")
            if verbose:
                print("\n".join(lines))
            print(f"  {'kind':10} {'labelled':>8} {'found':>6}")
            for kind in sorted(labelled):
                print(f"  {kind:10} {labelled[kind]:>8} {found[kind]:>6}")
            total = sum(labelled.values())
            recall = sum(found.values()) / total if total else float("nan")
            print(f"  recall {recall:.3f} ({sum(found.values())}/{total})   false errors {false}")
        _batches(folder)
    return 0


def _batches(folder: Path) -> None:
    """The figures of each batch the reports were collected in (a held-out batch was measured blind before it
    was read, then examined: docs/lint-report.md records what it showed then)."""
    labels_path = folder / "labels.json"
    if not labels_path.exists():
        return
    batches = sorted({e["batch"] for e in json.loads(labels_path.read_text(encoding="utf-8")) if e.get("batch")})
    if not batches:
        return
    print(f"  {'batch':16} {'reports':>7} {'found':>7} {'false errors':>12}")
    for batch in batches:
        labelled, found, _, false = measure(folder, None, batch)
        labels = {e["file"]: e for e in json.loads(labels_path.read_text(encoding="utf-8"))}
        count = sum(1 for e in labels.values() if e.get("batch") == batch)
        print(f"  {batch:16} {count:>7} {sum(found.values()):>3}/{sum(labelled.values()):<3} {false:>12}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

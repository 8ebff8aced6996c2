"""The pure core stays pure: no spreadsheet, document, terminal or CLI library in xltool/core."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "xltool" / "core"
BANNED = {"openpyxl", "python_calamine", "xlsxwriter", "docx", "rich", "typer", "pandas", "defusedxml"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level >= 2:
            names.add("xltool." + (node.module or ""))  # reaching out of core
    return names


def test_core_imports_no_io_library():
    offenders = {}
    for path in CORE.glob("*.py"):
        bad = {m for m in imported_modules(path) if m in BANNED or m.startswith("xltool.")}
        if bad:
            offenders[path.name] = bad
    assert not offenders
    assert len(list(CORE.glob("*.py"))) >= 5  # the rule is checking real files

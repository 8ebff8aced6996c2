"""``xltool explain``: what a finding code means, from the registry (text, JSON, or the Markdown of
docs/findings.md)."""

from __future__ import annotations

import difflib
from typing import Any

from .core.findings import SEVERITY_WORDS
from .core.registry import Code, codes
from .errors import UsageError


def find_code(name: str) -> Code:
    """The declared code ``name``; a usage error naming the closest codes when there is none."""
    known = codes()
    if name in known:
        return known[name]
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    raise UsageError("explain.unknown", code=name, close="、".join(close) or "—")


def explain_json(code: Code) -> dict[str, Any]:
    return code.as_dict()


def explain_text(code: Code, lang: str = "zh") -> str:
    """A code's meaning for a person, in ``lang``."""
    en = lang == "en"
    words = SEVERITY_WORDS["en" if en else "zh"]
    severity = " / ".join(words[s] for s in code.severities)
    example = code.template(lang)
    lines = [
        f"{code.code}  {code.title['en' if en else 'zh']}",
        "",
        f"{'severity' if en else '级别'}: {severity}",
        f"{'reported by' if en else '报告命令'}: {', '.join('xltool ' + c for c in code.commands)}",
        "",
        f"{'when' if en else '何时报告'}: {code.when['en' if en else 'zh']}",
        "",
        f"{'message' if en else '提示文字'}: {example}",
    ]
    for name, variant in code.variants.items():
        lines.append(f"  ({name}) {variant['en' if en else 'zh']}")
    if not en and "error" not in code.severities:
        lines += ["", "可以在“审核说明”表中说明此提示（规则代码 + 单元格 + 情况说明），说明后不再计数。"]
    elif en and "error" not in code.severities:
        lines += [
            "",
            "It can be explained in the 审核说明 sheet (code + cell + reason); explained, it no longer counts.",
        ]
    return "\n".join(lines)


_INTRO = """# Finding codes

<!-- generated from xltool/specs/findings.yaml by `xltool explain --all --format markdown`; do not edit by hand -->

Every problem xltool reports has a stable code (the message wording may change, the code never does), a severity,
and — wherever the problem sits in one place — the sheet and cell (in a report: paragraph, table and row).
`error` makes the file invalid (exit code 1); `warning` and `info` do not. A warning or info can be explained in
the 审核说明 sheet; an error cannot. `xltool explain CODE` prints one code's meaning, `xltool explain --all
--format json` all of them.
"""


def _row(code: Code) -> str:
    severity = " / ".join(code.severities)
    commands = ", ".join(code.commands)
    when = f"{code.when['zh']}<br>{code.when['en']}"
    return f"| `{code.code}` | {code.title['zh']}<br>{code.title['en']} | {severity} | {commands} | {when} |"


def markdown(chosen: list[Code] | None = None) -> str:
    """The codes ``chosen`` (every code: docs/findings.md) as Markdown tables, grouped as users meet them."""
    groups: dict[str, list[Code]] = {
        "Files / 文件": [],
        "Official forms / 正式表样": [],
        "Workbook checks / 自评表校验 (`validate`, `consolidate`, `report`)": [],
        "Report checks only / 仅报告检查 (`lint-report`)": [],
        "The summary / 汇总 (`consolidate`)": [],
    }
    names = list(groups)
    for code in codes().values() if chosen is None else chosen:
        if code.family == "file":
            groups[names[0]].append(code)
        elif code.family == "form":
            groups[names[1]].append(code)
        elif code.family == "summary":
            groups[names[4]].append(code)
        elif "validate" in code.commands:
            groups[names[2]].append(code)
        else:
            groups[names[3]].append(code)
    out = [_INTRO]
    for heading, members in ((h, m) for h, m in groups.items() if m):
        out += [f"## {heading}", "", "| code | title | severity | reported by | when |", "|---|---|---|---|---|"]
        out += [_row(c) for c in members]
        out.append("")
    return "\n".join(out)

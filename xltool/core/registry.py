"""The registry of finding codes: each code's severity, titles, message templates, when it fires and which
commands report it, declared once in ``specs/findings.yaml``.

Every :class:`~xltool.core.findings.Finding` names a code declared here (a finding with an undeclared code or a
severity its code does not allow cannot be made), messages are rendered from these templates, the summary
report titles its counts with these titles, and ``docs/findings.md`` and ``xltool explain`` are written from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .yamldata import load_yaml

SEVERITIES = ("error", "warning", "info")
LANGS = ("zh", "en")
COMMANDS = ("validate", "export", "import", "consolidate", "report", "lint-report", "serve")
SOURCE = "specs/findings.yaml"


class RegistryError(Exception):
    """``specs/findings.yaml`` is wrong; ``problems`` lists every mistake with its path."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(f"{SOURCE}: {p}" for p in problems))


@dataclass(frozen=True)
class Code:
    """One finding code as declared."""

    code: str
    severities: tuple[str, ...]
    commands: tuple[str, ...]
    title: dict[str, str]
    message: dict[str, str]
    when: dict[str, str]
    variants: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def family(self) -> str:
        """The part before the dot (``sum`` of ``sum.mismatch``)."""
        return self.code.split(".", 1)[0]

    def template(self, lang: str = "zh", variant: str | None = None) -> str:
        """The message template in ``lang``; ``variant`` picks another wording of the same finding."""
        words = self.variants.get(variant, self.message) if variant else self.message
        return words["en" if lang == "en" else "zh"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": list(self.severities),
            "commands": list(self.commands),
            "title": self.title,
            "message": self.message,
            "variants": self.variants,
            "when": self.when,
        }


def _words(node: Any, path: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(node, dict):
        problems.append(f"{path}: 应为 {{zh: …, en: …}}")
        return dict.fromkeys(LANGS, "")
    for lang in LANGS:
        if not isinstance(node.get(lang), str) or not node[lang].strip():
            problems.append(f"{path}.{lang}: 缺少文字")
    return {lang: str(node.get(lang) or "") for lang in LANGS}


def build_registry(raw: Any) -> dict[str, Code]:
    """Validate the registry tree and build the codes; every mistake reported by path in one RegistryError."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise RegistryError(["(根): 应为键值表"])
    out: dict[str, Code] = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict):
            problems.append(f"{name}: 应为键值表")
            continue
        severity = entry.get("severity")
        severities = tuple(severity if isinstance(severity, list) else [severity])
        if not severities or any(s not in SEVERITIES for s in severities):
            problems.append(f"{name}.severity: 应为 {'/'.join(SEVERITIES)} 之一或其列表")
        commands = tuple(entry.get("commands") or ())
        if not commands or any(c not in COMMANDS for c in commands):
            problems.append(f"{name}.commands: 应为 {', '.join(COMMANDS)} 中的若干个")
        variants = entry.get("variants") or {}
        if not isinstance(variants, dict):
            problems.append(f"{name}.variants: 应为键值表")
            variants = {}
        unknown = set(entry) - {"severity", "commands", "title", "message", "when", "variants"}
        if unknown:
            problems.append(f"{name}: 不认识的键 {', '.join(sorted(unknown))}")
        out[name] = Code(
            code=name,
            severities=severities,
            commands=commands,
            title=_words(entry.get("title"), f"{name}.title", problems),
            message=_words(entry.get("message"), f"{name}.message", problems),
            when=_words(entry.get("when"), f"{name}.when", problems),
            variants={k: _words(v, f"{name}.variants.{k}", problems) for k, v in variants.items()},
        )
    if problems:
        raise RegistryError(problems)
    return out


@cache
def codes() -> dict[str, Code]:
    """Every declared code, in the registry's order."""
    text = (resources.files("xltool") / SOURCE).read_text(encoding="utf-8")
    return build_registry(load_yaml(text))


def lookup(code: str) -> Code | None:
    return codes().get(code)


def title(code: str, lang: str = "zh") -> str:
    """A code's short title (the code itself when it is not declared)."""
    found = lookup(code)
    return found.title["en" if lang == "en" else "zh"] if found else code


def require(code: str, severity: str) -> None:
    """Refuse a finding whose code is not declared or whose severity the code does not allow."""
    found = lookup(code)
    if found is None:
        raise ValueError(f"finding code {code!r} is not declared in {SOURCE}")
    if severity not in found.severities:
        raise ValueError(f"finding code {code!r} is declared {'/'.join(found.severities)}, not {severity!r}")

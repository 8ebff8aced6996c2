"""The value reader every part of the evaluation document is normalised with: it holds the profile, the form's
money unit and the notes, reads one value of a mapping as text, money, a number or a count, and records a
:class:`~xltool.core.document.Note` for every value it had to tidy up or could not understand."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from ..document import Note, Value
from ..spec import Profile
from ..values import Parsed, clean_text, parse_integer, parse_money, parse_number, to_plain


class Reader:
    def __init__(self, profile: Profile, official: bool = False):
        self.profile = profile
        #: read from a unit's own form: its stated scores settle what its cells leave open
        self.official = official
        self.notes: list[Note] = []
        self.money_unit = profile.money_unit

    def add(self, path: str, code: str, raw: object = None, value: object = None, expect: str | None = None) -> None:
        self.notes.append(Note(path, code, raw, value, expect=expect))

    def note(self, path: str, parsed: Parsed, raw: object, expect: str) -> Value:
        if not parsed.ok:
            self.add(path, "type", raw, expect=expect)
        elif parsed.changed and raw not in (None, ""):
            self.add(path, "normalized", raw, parsed.value, expect=expect)
        value = parsed.value
        return value if isinstance(value, int | float | str) or value is None else str(value)

    def text(self, node: Any, key: str, path: str) -> str | None:
        raw = node.get(key) if isinstance(node, dict) else None
        if isinstance(raw, dict | list):
            self.add(join(path, key), "type", raw, expect="text")
            return None
        return clean_text(raw)

    def money(self, node: Any, key: str, path: str) -> Value:
        raw = node.get(key) if isinstance(node, dict) else None
        return self.note(join(path, key), parse_money(raw, self.money_unit), raw, "money")

    def number(self, node: Any, key: str, path: str, **kw: Any) -> Value:
        raw = node.get(key) if isinstance(node, dict) else None
        return self.note(join(path, key), parse_number(raw, **kw), raw, "number")

    def integer(self, node: Any, key: str, path: str) -> Value:
        raw = node.get(key) if isinstance(node, dict) else None
        return self.note(join(path, key), parse_integer(raw), raw, "integer")

    def mapping(self, node: Any, key: str) -> dict[str, Any] | None:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return None
        if not isinstance(value, dict):
            self.add(key, "type", value, expect="mapping")
            return None
        return value

    def items(self, node: Any, key: str, path: str) -> list[dict[str, Any]]:
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(join(path, key), "type", value, expect="list")
            return []
        return [item if isinstance(item, dict) else {} for item in value]


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def plain(value: Any) -> int | float:
    return to_plain(value)


def none_if_empty(obj: Any) -> Any:
    """A part with nothing in it (every field None, empty or blank) is no part."""
    if obj is None:
        return None
    return obj if any(getattr(obj, f.name) not in (None, [], "") for f in fields(obj)) else None

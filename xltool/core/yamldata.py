"""Reading YAML data with libyaml's safe loader when PyYAML was built with it (ten times faster on the
registry, profiles, forms and layouts every run reads), else PyYAML's own safe loader: the same documents."""

from __future__ import annotations

from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def load_yaml(text: str) -> Any:
    """A YAML text as plain data (mappings, lists, strings, numbers; no object construction)."""
    return yaml.load(text, Loader=_Loader)

"""xltool: budget-performance self-evaluation (预算绩效自评) forms, checks, summaries and reports."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def frames(inputs: Any, profile: str | None = None, **options: Any) -> Any:
    """The collected forms as pandas DataFrames: :func:`xltool.dataframes.frames` (pandas is imported only then)."""
    from .dataframes import frames as build

    return build(inputs, profile, **options)

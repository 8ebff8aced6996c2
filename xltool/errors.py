"""Exceptions for "cannot continue". Checks never raise: they return findings."""

from __future__ import annotations

from typing import Any


class XltoolError(Exception):
    """A failure with a message key from :mod:`xltool.messages` and the fields to render it with."""

    exit_code = 2

    def __init__(self, key: str, **params: Any):
        self.key = key
        self.params = params
        super().__init__(key)

    def render(self, lang: str = "zh") -> str:
        from .messages import render

        return render(self.key, lang, **self.params)


class UsageError(XltoolError):
    """Bad arguments or an input that cannot be used (exit code 2)."""


class UnusableWorkbook(XltoolError):
    """A workbook that cannot be read as a form; ``key`` is its ``file.*`` finding code."""

"""Output that works on any console encoding.

A Chinese Windows console, or output redirected to a file there, encodes as GBK; some machines still use
cp1252. Characters an encoding lacks (✓ ✗ ━ ≥ …) are written as the nearest characters it has, and anything
else it cannot show as a ``\\uXXXX`` escape: a command never fails on its own output and never drops a line.
"""

from __future__ import annotations

import codecs
import io
import sys

#: Stand-ins for the symbols xltool prints, in characters every encoding has.
FALLBACK = {
    "✓": "OK",
    "✗": "X",
    "━": "=",
    "─": "-",
    "—": "-",
    "–": "-",
    "…": "...",
    "≥": ">=",
    "≤": "<=",
    "×": "x",
    "÷": "/",
    "→": "->",
    "•": "*",
    "·": "-",
    "　": " ",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
}
ERRORS = "xltool-fallback"


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start : exc.end]:
        stand_in = FALLBACK.get(ch)
        if stand_in is None:
            stand_in = f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"
        out.append(stand_in)
    return "".join(out), exc.end


codecs.register_error(ERRORS, _fallback)


def tolerant_streams() -> None:
    """Make stdout and stderr write what their encoding cannot hold through :data:`FALLBACK`."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors=ERRORS)

"""The ``xltool`` command: parses arguments, calls :mod:`xltool.api`, writes the result in the chosen format
(:mod:`xltool.formats`), picks the exit code. It speaks Chinese by default and English with ``--lang en``,
click's and typer's own help and usage errors included (:mod:`.i18n`).

Exit codes (every command): 0 done with no error finding; 1 at least one error finding; 2 a usage error
or an input that cannot be used, reported as one line on stderr (a traceback only with ``--debug``).
"""

from __future__ import annotations

import sys

from . import book, office  # noqa: F401 - registers the commands (in this order in the help)
from .desk import desk_app  # noqa: F401 - then serve and desk
from .shell import app


def main() -> None:
    """Console-script entry point."""
    from ..console import tolerant_streams
    from .i18n import install, language

    tolerant_streams()
    install(language(sys.argv[1:]))
    app()


__all__ = ["app", "main"]

"""Files in and out: atomic output, reading evaluation documents (JSON/YAML)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import UsageError

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@contextlib.contextmanager
def atomic_output(path: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is renamed onto ``path`` in one step.

    An existing ``path`` is refused unless ``force``; on failure the temporary file is removed, so an
    interrupted run never leaves a half-written output behind.
    """
    path = Path(path)
    if path.exists() and not force:
        raise UsageError("output.exists", path=str(path))
    if path.exists() and path.is_dir():
        raise UsageError("output.is-dir", path=str(path))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError("output.no-dir", path=str(parent))
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix + ".tmp", dir=parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes private files; an output gets the usual permissions
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path, text: str, *, force: bool = False) -> None:
    with atomic_output(path, force=force) as tmp:
        tmp.write_text(text, encoding="utf-8")


def read_document(path: Path) -> dict[str, Any]:
    """An evaluation document from a .json, .yaml or .yml file."""
    path = Path(path)
    if not path.is_file():
        raise UsageError("file.not-found", path=str(path))
    if path.stat().st_size > MAX_DOCUMENT_BYTES:
        raise UsageError("file.too-large", path=str(path), limit=MAX_DOCUMENT_BYTES)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError("document.encoding", path=str(path)) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise UsageError("document.syntax", path=str(path), detail=str(exc).splitlines()[0]) from None
    if not isinstance(data, dict):
        raise UsageError("document.not-mapping", path=str(path))
    return data

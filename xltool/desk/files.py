"""Uploaded files, content-addressed: ``files/ab/abcdef….xlsx`` under the data folder, named by their SHA-256 and
one of the suffixes xltool reads (from the clerk's file name, checked against a list; anything else is ``.bin``).
A file is written once, through a temporary name and a rename, and never replaced."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

#: The suffixes an upload keeps: what xltool reads (workbooks, official forms); the rest are stored as .bin and
#: answered by xltool's own message for a file it cannot read.
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".docx", ".et", ".doc", ".wps", ".csv", ".json", ".yaml")
_CHUNK = 1 << 20


def suffix_of(filename: str) -> str:
    suffix = Path(filename.replace("\\", "/")).suffix.lower()
    return suffix if suffix in SUFFIXES else ".bin"


def path_of(data: Path, sha256: str, suffix: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256) or suffix not in (*SUFFIXES, ".bin"):
        raise ValueError("not a stored file")
    return data / "files" / sha256[:2] / f"{sha256}{suffix}"


def store(data: Path, source: BinaryIO, suffix: str) -> tuple[str, int, Path]:
    """Copy an upload into the store: its checksum, size and stored path (an identical file is kept once)."""
    folder = data / "files" / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    sha, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := source.read(_CHUNK):
                sha.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        target = path_of(data, sha.hexdigest(), suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp)
        else:
            os.replace(tmp, target)
        return sha.hexdigest(), size, target
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise

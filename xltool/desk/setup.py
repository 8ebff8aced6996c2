"""What ``xltool desk`` does to a data folder: start a collection (office, year, profile, forms, deadline, the
office password), add or update units from a CSV as Excel saves it (UTF-8 or GBK) and write their private links,
list the links again, revoke or reissue one, and make the office's API key."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xltool.errors import UsageError

from . import db, store
from .security import digest, hash_password, load_key, new_secret

CONFIG = "desk.json"
#: The columns of a units file, by the header a person writes (the first of each is the one in docs/desk.md).
COLUMNS = {
    "name": ("单位名称", "名称", "单位"),
    "code": ("单位代码", "代码", "统一社会信用代码"),
    "region": ("所属地区", "地区", "区划"),
    "contact": ("联系人",),
    "phone": ("电话", "联系电话", "手机"),
}


def db_url(data: Path, given: str | None = None) -> str:
    """The database of a data folder: ``given``, else the one recorded at ``init``, else its SQLite file."""
    if given:
        return given
    config = data / CONFIG
    if config.exists():
        recorded = json.loads(config.read_text(encoding="utf-8")).get("db")
        if recorded:
            return str(recorded)
    return db.sqlite_url(data)


def ensure_collection(data: Path, url: str | None = None) -> None:
    """A usage error unless ``data`` holds a collection (its schema is brought up to date on the way)."""
    with _engine(data, url).connect() as conn:
        if store.collection(conn) is None:
            raise UsageError("desk.no-collection", data=str(data))


def _engine(data: Path, url: str | None) -> Any:
    if not (data / CONFIG).exists():
        raise UsageError("desk.no-collection", data=str(data))
    engine = db.make_engine(db_url(data, url))
    db.migrate(engine)
    return engine


def init(
    data: Path,
    *,
    office: str,
    year: int,
    profile: str,
    forms: list[str],
    deadline: dt.date | None,
    base_url: str,
    password: str | None,
    url: str | None = None,
) -> str:
    """Start a collection in ``data``; returns the office password (made up when none is given)."""
    if (data / CONFIG).exists():
        raise UsageError("desk.exists", data=str(data))
    data.mkdir(parents=True, exist_ok=True)
    load_key(data, create=True)
    chosen = password or new_secret()
    engine = db.make_engine(db_url(data, url))
    db.migrate(engine)
    with engine.begin() as conn:
        if store.collection(conn) is not None:
            raise UsageError("desk.exists", data=str(data))
        store.create_collection(
            conn,
            office=office,
            year=year,
            profile=profile,
            forms=",".join(forms),
            deadline=deadline.isoformat() if deadline else None,
            base_url=base_url,
            password_hash=hash_password(chosen),
        )
        store.log(conn, "命令行", "init", detail=f"{office} {year} {profile} {','.join(forms)}")
    (data / CONFIG).write_text(json.dumps({"db": url} if url else {}, ensure_ascii=False), encoding="utf-8")
    return chosen


def read_units(path: Path) -> list[dict[str, Any]]:
    """The rows of a units file (CSV, UTF-8 with or without BOM, or GBK as a Chinese Excel saves it)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UsageError("desk.units-encoding", path=str(path))
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise UsageError("desk.units-empty", path=str(path))
    header = [cell.strip() for cell in rows[0]]
    where = {}
    for key, names in COLUMNS.items():
        for i, cell in enumerate(header):
            if cell in names:
                where[key] = i
                break
    missing = [COLUMNS[k][0] for k in ("name", "code") if k not in where]
    if missing:
        raise UsageError("desk.units-columns", path=str(path), missing="、".join(missing), found="、".join(header))
    out, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {k: (row[i].strip() if i < len(row) else "") for k, i in where.items()}
        if not values["code"] or not values["name"]:
            raise UsageError("desk.units-row", path=str(path), row=number)
        if values["code"] in seen:
            raise UsageError("desk.units-duplicate", path=str(path), row=number, code=values["code"])
        seen.add(values["code"])
        values["region"] = values.get("region", "").replace("／", "/").strip("/")
        out.append({k: (v or None) if k in ("contact", "phone") else v for k, v in values.items()})
    return out


@dataclass
class Link:
    code: str
    name: str
    link: str | None
    new: bool = False


def add_units(data: Path, path: Path, url: str | None = None) -> list[Link]:
    rows = read_units(path)
    key = load_key(data)
    engine = _engine(data, url)
    out = []
    with engine.begin() as conn:
        coll = store.collection(conn)
        assert coll is not None
        for values in rows:
            _token, new = store.upsert_unit(conn, key, values)
            unit_row = store.unit_by_code(conn, values["code"])
            assert unit_row is not None
            out.append(Link(values["code"], values["name"], store.link_of(key, coll.base_url, unit_row), new))
            store.log(
                conn, "命令行", "add-unit" if new else "update-unit", unit_code=values["code"], detail=values["name"]
            )
    return out


def links(data: Path, url: str | None = None) -> list[Link]:
    key = load_key(data)
    with _engine(data, url).connect() as conn:
        coll = store.collection(conn)
        assert coll is not None
        return [Link(row.code, row.name, store.link_of(key, coll.base_url, row)) for row in store.units(conn)]


def write_links(target: Path, rows: list[Link]) -> None:
    """``links.csv``: 单位代码, 单位名称, 链接 (UTF-8 with a BOM, so Excel opens it as it is)."""
    from xltool.io.files import atomic_output
    from xltool.io.xlsx_text import csv_text

    with atomic_output(target, force=True) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["单位代码", "单位名称", "链接"])
        for row in rows:
            writer.writerow([csv_text(row.code), csv_text(row.name), row.link or "（已停用）"])


def revoke(data: Path, code: str, url: str | None = None) -> None:
    with _engine(data, url).begin() as conn:
        if not store.revoke(conn, code):
            raise UsageError("desk.no-unit", code=code)
        store.log(conn, "命令行", "revoke", unit_code=code)


def reissue(data: Path, code: str, url: str | None = None) -> Link:
    key = load_key(data)
    with _engine(data, url).begin() as conn:
        if store.reissue(conn, key, code) is None:
            raise UsageError("desk.no-unit", code=code)
        store.log(conn, "命令行", "reissue", unit_code=code)
        coll = store.collection(conn)
        row = store.unit_by_code(conn, code)
        assert coll is not None and row is not None
        return Link(row.code, row.name, store.link_of(key, coll.base_url, row))


def api_key(data: Path, url: str | None = None) -> str:
    """A new office API key (the previous one stops working)."""
    made = new_secret()
    with _engine(data, url).begin() as conn:
        store.set_collection(conn, api_key_hash=digest(made))
        store.log(conn, "命令行", "api-key")
    return made


def set_password(data: Path, password: str, url: str | None = None) -> None:
    with _engine(data, url).begin() as conn:
        store.set_collection(conn, password_hash=hash_password(password))
        store.log(conn, "命令行", "password")

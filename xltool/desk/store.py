"""Every read and write of the desk's data, as plain functions over a SQLAlchemy connection: the collection, its
units and their links, the versions a unit uploads, 审核说明, 送审, the office's 通过 / 退回, the audit log and the
office's sessions. A unit's state is kept with the unit and changed only here."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from . import db
from .security import digest, unit_token

#: A unit's states, in the order the office's board lists them.
STATES = {
    "empty": "未报",
    "errors": "有错误",
    "draft": "未送审",
    "submitted": "待审",
    "returned": "已退回",
    "approved": "已通过",
}
#: States in which the unit may upload again (待审: withdraw first; 已通过: the approved version is frozen).
OPEN = ("empty", "errors", "draft", "returned")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def utc(value: dt.datetime) -> dt.datetime:
    """A stored time with its UTC offset (SQLite hands times back without one)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Collection:
    office: str
    year: int
    profile: str
    forms: tuple[str, ...]
    deadline: dt.date | None
    base_url: str
    password_hash: str
    api_key_hash: str | None


def collection(conn: Connection) -> Collection | None:
    row = conn.execute(select(db.collection)).first()
    if row is None:
        return None
    deadline = dt.date.fromisoformat(row.deadline) if row.deadline else None
    return Collection(
        row.office,
        row.year,
        row.profile,
        tuple(row.forms.split(",")),
        deadline,
        row.base_url,
        row.password_hash,
        row.api_key_hash,
    )


def create_collection(conn: Connection, **values: Any) -> None:
    conn.execute(insert(db.collection).values(created_at=now(), **values))


def set_collection(conn: Connection, **values: Any) -> None:
    conn.execute(update(db.collection).values(**values))


def log(
    conn: Connection,
    actor: str,
    action: str,
    *,
    unit_code: str | None = None,
    version: int | None = None,
    detail: str = "",
    address: str | None = None,
) -> None:
    conn.execute(
        insert(db.audit).values(
            at=now(), actor=actor, action=action, unit_code=unit_code, version=version, detail=detail, address=address
        )
    )


# ----------------------------------------------------------------------------------------------------- units


def upsert_unit(conn: Connection, key: bytes, values: dict[str, Any]) -> tuple[str, bool]:
    """Add a unit or update it by its code (its link is kept); returns its token and whether it is new."""
    row = conn.execute(select(db.unit).where(db.unit.c.code == values["code"])).first()
    stamp = now()
    if row is None:
        token = unit_token(key, values["code"], 1)
        conn.execute(
            insert(db.unit).values(
                **values, token_hash=digest(token), generation=1, state="empty", created_at=stamp, updated_at=stamp
            )
        )
        return token, True
    conn.execute(update(db.unit).where(db.unit.c.id == row.id).values(**values, updated_at=stamp))
    return unit_token(key, row.code, row.generation), False


def units(conn: Connection) -> list[Row[Any]]:
    return list(conn.execute(select(db.unit).order_by(db.unit.c.region, db.unit.c.code)))


def unit_by_code(conn: Connection, code: str) -> Row[Any] | None:
    return conn.execute(select(db.unit).where(db.unit.c.code == code)).first()


def unit_by_token(conn: Connection, token: str) -> Row[Any] | None:
    """The unit whose link carries ``token``; None for any other token (revoked, reissued, made up)."""
    if not token or len(token) > 100:
        return None
    return conn.execute(select(db.unit).where(db.unit.c.token_hash == digest(token))).first()


def link_of(key: bytes, base_url: str, row: Row[Any]) -> str | None:
    if row.token_hash is None:
        return None
    return f"{base_url.rstrip('/')}/u/{unit_token(key, row.code, row.generation)}"


def revoke(conn: Connection, code: str) -> bool:
    result = conn.execute(update(db.unit).where(db.unit.c.code == code).values(token_hash=None, updated_at=now()))
    return bool(result.rowcount)


def reissue(conn: Connection, key: bytes, code: str) -> str | None:
    row = unit_by_code(conn, code)
    if row is None:
        return None
    generation = row.generation + 1
    token = unit_token(key, code, generation)
    conn.execute(
        update(db.unit)
        .where(db.unit.c.id == row.id)
        .values(generation=generation, token_hash=digest(token), updated_at=now())
    )
    return token


def set_state(conn: Connection, unit_id: int, state: str) -> None:
    conn.execute(update(db.unit).where(db.unit.c.id == unit_id).values(state=state, updated_at=now()))


# -------------------------------------------------------------------------------------------------- versions


def add_version(
    conn: Connection,
    unit_row: Row[Any],
    *,
    filename: str,
    suffix: str,
    size: int,
    sha256: str,
    reports: list[dict[str, Any]],
    stated: list[dict[str, Any]],
    summary: list[dict[str, Any]],
    address: str | None,
) -> int:
    """Record an upload and what validation found; the unit's state follows it. Returns the version number."""
    number = (
        conn.execute(select(func.max(db.version.c.number)).where(db.version.c.unit_id == unit_row.id)).scalar() or 0
    ) + 1
    errors = sum(r["counts"]["error"] for r in reports)
    warnings = sum(r["counts"]["warning"] for r in reports)
    first = reports[0] if reports else {}
    score = first.get("score") or {}
    conn.execute(
        insert(db.version).values(
            unit_id=unit_row.id,
            number=number,
            uploaded_at=now(),
            filename=filename[:300],
            suffix=suffix,
            size=size,
            sha256=sha256,
            reports=json.dumps(reports, ensure_ascii=False),
            stated=json.dumps(stated, ensure_ascii=False),
            summary=json.dumps(summary, ensure_ascii=False),
            valid=all(r["valid"] for r in reports) and bool(reports),
            errors=errors,
            warnings=warnings,
            total=score.get("total"),
            grade=score.get("grade"),
            execution_rate=score.get("execution_rate"),
            address=address,
        )
    )
    set_state(conn, unit_row.id, "draft" if errors == 0 and reports else "errors")
    return number


def versions(conn: Connection, unit_id: int) -> list[Row[Any]]:
    return list(
        conn.execute(select(db.version).where(db.version.c.unit_id == unit_id).order_by(db.version.c.number.desc()))
    )


def version(conn: Connection, unit_id: int, number: int) -> Row[Any] | None:
    return conn.execute(
        select(db.version).where(db.version.c.unit_id == unit_id, db.version.c.number == number)
    ).first()


def latest(conn: Connection, unit_id: int) -> Row[Any] | None:
    return conn.execute(
        select(db.version).where(db.version.c.unit_id == unit_id).order_by(db.version.c.number.desc()).limit(1)
    ).first()


def submit(conn: Connection, unit_row: Row[Any], number: int) -> None:
    conn.execute(
        update(db.version)
        .where(db.version.c.unit_id == unit_row.id, db.version.c.number == number)
        .values(submitted_at=now())
    )
    set_state(conn, unit_row.id, "submitted")


def withdraw(conn: Connection, unit_row: Row[Any], number: int) -> None:
    conn.execute(
        update(db.version)
        .where(db.version.c.unit_id == unit_row.id, db.version.c.number == number)
        .values(submitted_at=None)
    )
    set_state(conn, unit_row.id, "draft")


def submitted(conn: Connection, unit_id: int) -> Row[Any] | None:
    """The unit's latest submitted version."""
    return conn.execute(
        select(db.version)
        .where(db.version.c.unit_id == unit_id, db.version.c.submitted_at.is_not(None))
        .order_by(db.version.c.number.desc())
        .limit(1)
    ).first()


def decide(conn: Connection, unit_row: Row[Any], version_row: Row[Any], action: str, comment: str) -> None:
    conn.execute(
        insert(db.decision).values(
            unit_id=unit_row.id, version_id=version_row.id, action=action, comment=comment, at=now()
        )
    )
    set_state(conn, unit_row.id, "approved" if action == "approve" else "returned")


def decisions(conn: Connection, unit_id: int) -> list[Row[Any]]:
    return list(
        conn.execute(
            select(db.decision, db.version.c.number)
            .join(db.version, db.version.c.id == db.decision.c.version_id)
            .where(db.decision.c.unit_id == unit_id)
            .order_by(db.decision.c.at.desc())
        )
    )


def explain(conn: Connection, version_id: int, finding: str, text: str) -> None:
    conn.execute(insert(db.explanation).values(version_id=version_id, finding=finding, text=text, created_at=now()))


def explanations(conn: Connection, version_id: int) -> dict[str, str]:
    """The latest 审核说明 of each finding of a version."""
    rows = conn.execute(
        select(db.explanation).where(db.explanation.c.version_id == version_id).order_by(db.explanation.c.id)
    )
    return {row.finding: row.text for row in rows}


def summary_versions(conn: Connection) -> list[tuple[Row[Any], Row[Any]]]:
    """What the summary is built from: each unit's latest submitted version, else its latest upload."""
    out = []
    for unit_row in units(conn):
        chosen = submitted(conn, unit_row.id) or latest(conn, unit_row.id)
        if chosen is not None:
            out.append((unit_row, chosen))
    return out


def audit_rows(conn: Connection) -> list[Row[Any]]:
    return list(conn.execute(select(db.audit).order_by(db.audit.c.id)))


# -------------------------------------------------------------------------------------------- office sessions


def open_session(conn: Connection, session_id: str, csrf: str, hours: int, address: str | None) -> None:
    stamp = now()
    conn.execute(
        insert(db.office_session).values(
            id_hash=digest(session_id),
            csrf=csrf,
            created_at=stamp,
            expires_at=stamp + dt.timedelta(hours=hours),
            address=address,
        )
    )


def session(conn: Connection, session_id: str | None) -> Row[Any] | None:
    if not session_id or len(session_id) > 100:
        return None
    row = conn.execute(select(db.office_session).where(db.office_session.c.id_hash == digest(session_id))).first()
    if row is None:
        return None
    return row if utc(row.expires_at) > now() else None


def close_session(conn: Connection, session_id: str) -> None:
    conn.execute(db.office_session.delete().where(db.office_session.c.id_hash == digest(session_id)))

"""The desk's tables (SQLAlchemy Core), its engine (SQLite in the data folder by default, WAL; PostgreSQL by URL)
and its schema migrations (Alembic, run to the newest on every start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)

metadata = MetaData()

#: The one collection a data folder holds: who collects, which year, by which profile and forms, until when.
collection = Table(
    "collection",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("office", String(200), nullable=False),
    Column("year", Integer, nullable=False),
    Column("profile", String(200), nullable=False),
    Column("forms", String(100), nullable=False),  # department,project
    Column("deadline", String(10)),  # YYYY-MM-DD
    Column("base_url", String(300), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("api_key_hash", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: A unit of the collection, reached by its private link (only the token's hash is kept).
unit = Table(
    "unit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(100), nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("region", String(500), nullable=False, default=""),
    Column("contact", String(100)),
    Column("phone", String(100)),
    Column("token_hash", String(64), unique=True),  # None: the link is revoked
    Column("generation", Integer, nullable=False, default=1),  # raised when the link is reissued
    Column("state", String(20), nullable=False, default="empty"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

#: Every upload of a unit, never replaced: its bytes by checksum, and what validation found.
version = Table(
    "version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("unit.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("filename", String(300), nullable=False),  # as the clerk's computer named it: shown, never a path
    Column("suffix", String(10), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("reports", Text, nullable=False),  # the validate --format json objects, a JSON list
    Column("stated", Text, nullable=False),  # per document: the 执行率, 总分, 等次 the unit wrote (JSON list)
    Column("summary", Text, nullable=False),  # per document: what consolidate takes from the file (JSON list)
    Column("valid", Boolean, nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("total", Float),
    Column("grade", String(20)),
    Column("execution_rate", Float),
    Column("submitted_at", DateTime(timezone=True)),
    Column("address", String(100)),
    UniqueConstraint("unit_id", "number"),
)

#: A unit's 审核说明 on a warning of one version.
explanation = Table(
    "explanation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("version.id"), nullable=False, index=True),
    Column("finding", String(300), nullable=False),  # code@sheet!cell
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: The office's 通过 / 退回 of a submitted version, with its comment.
decision = Table(
    "decision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("unit.id"), nullable=False, index=True),
    Column("version_id", Integer, ForeignKey("version.id"), nullable=False),
    Column("action", String(20), nullable=False),  # approve | return
    Column("comment", Text, nullable=False, default=""),
    Column("at", DateTime(timezone=True), nullable=False),
)

#: Every change of state: who, when, what, from which address.
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(200), nullable=False),
    Column("action", String(50), nullable=False),
    Column("unit_code", String(100)),
    Column("version", Integer),
    Column("detail", Text, nullable=False, default=""),
    Column("address", String(100)),
)

#: Office sessions (the cookie holds the id; only its hash is kept).
office_session = Table(
    "office_session",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("address", String(100)),
)


def sqlite_url(data: Path) -> str:
    return f"sqlite:///{(data / 'desk.sqlite3').resolve()}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``: SQLite with WAL, foreign keys and a busy timeout (many uploads write at once);
    PostgreSQL through psycopg (``postgresql://`` is read as ``postgresql+psycopg://``)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi: Any, _record: Any) -> None:
            cursor = dbapi.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (xltool/desk/migrations)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

"""The desk's first schema: collection, units, versions, explanations, decisions, audit log, office sessions."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "collection",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("office", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("profile", sa.String(200), nullable=False),
        sa.Column("forms", sa.String(100), nullable=False),
        sa.Column("deadline", sa.String(10)),
        sa.Column("base_url", sa.String(300), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False),
        sa.Column("api_key_hash", sa.String(64)),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("region", sa.String(500), nullable=False),
        sa.Column("contact", sa.String(100)),
        sa.Column("phone", sa.String(100)),
        sa.Column("token_hash", sa.String(64), unique=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
    )
    op.create_table(
        "version",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("uploaded_at", _WHEN, nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("suffix", sa.String(10), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("reports", sa.Text, nullable=False),
        sa.Column("stated", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("valid", sa.Boolean, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("total", sa.Float),
        sa.Column("grade", sa.String(20)),
        sa.Column("execution_rate", sa.Float),
        sa.Column("submitted_at", _WHEN),
        sa.Column("address", sa.String(100)),
        sa.UniqueConstraint("unit_id", "number"),
    )
    op.create_table(
        "explanation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("version.id"), nullable=False, index=True),
        sa.Column("finding", sa.String(300), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), nullable=False, index=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("version.id"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("at", _WHEN, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", _WHEN, nullable=False, index=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("unit_code", sa.String(100)),
        sa.Column("version", sa.Integer),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("address", sa.String(100)),
    )
    op.create_table(
        "office_session",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("address", sa.String(100)),
    )


def downgrade() -> None:
    for name in ("office_session", "audit", "decision", "explanation", "version", "unit", "collection"):
        op.drop_table(name)

"""Developer applications with their keys, and the ledger of data API calls

Revision ID: 7c1e5a2b9d30
Revises:
Create Date: 2026-12-04 11:40:00

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = '7c1e5a2b9d30'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "govdata_app",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False, index=True),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText),
        sa.Column("homepage", sa.UnicodeText),
        sa.Column("key", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("secret_hash", sa.UnicodeText, nullable=False),
        sa.Column("scope", ARRAY(sa.UnicodeText), nullable=False),
        sa.Column("plan", sa.UnicodeText, nullable=False),
        sa.Column("expires_at", sa.DateTime),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("rotated_at", sa.DateTime),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "govdata_api_call",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("app_id", sa.UnicodeText, index=True),
        sa.Column("user_id", sa.UnicodeText, index=True),
        sa.Column("api", sa.UnicodeText, nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, index=True),
        sa.Column("called_at", sa.DateTime, nullable=False, index=True),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("client", sa.UnicodeText),
    )


def downgrade() -> None:
    op.drop_table("govdata_api_call")
    op.drop_table("govdata_app")

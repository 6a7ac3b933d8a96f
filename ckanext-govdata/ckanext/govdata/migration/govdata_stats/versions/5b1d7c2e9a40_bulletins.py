"""Bulletins: the weekly bulletin ranking departments and the departments' daily notices

Revision ID: 5b1d7c2e9a40
Revises: 3c8e5a1f7b20
Create Date: 2026-12-04 09:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "5b1d7c2e9a40"
down_revision = "3c8e5a1f7b20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "govdata_bulletin",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("department_id", sa.UnicodeText, nullable=False),
        sa.Column("generated_at", sa.DateTime, nullable=False),
        sa.Column("content", JSONB, nullable=False),
        sa.Column("mailed_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("kind", "period_start", "department_id"),
    )
    op.create_index("ix_govdata_bulletin_department_id", "govdata_bulletin", ["department_id"])


def downgrade() -> None:
    op.drop_index("ix_govdata_bulletin_department_id", "govdata_bulletin")
    op.drop_table("govdata_bulletin")

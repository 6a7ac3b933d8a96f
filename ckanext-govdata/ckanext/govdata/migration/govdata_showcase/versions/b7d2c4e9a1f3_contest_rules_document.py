"""A contest's rules document

Revision ID: b7d2c4e9a1f3
Revises: aaa6bfcaba07
Create Date: 2026-11-28 17:20:00

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = 'b7d2c4e9a1f3'
down_revision = 'aaa6bfcaba07'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("govdata_contest", sa.Column("rules_document", JSONB, nullable=True))


def downgrade() -> None:
    op.drop_column("govdata_contest", "rules_document")

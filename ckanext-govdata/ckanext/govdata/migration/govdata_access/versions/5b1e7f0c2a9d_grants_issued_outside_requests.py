"""Grants issued outside a request (for a contest team): where they come from, and why

Revision ID: 5b1e7f0c2a9d
Revises: c6fc8cc6e4c8
Create Date: 2026-11-28 17:05:00

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '5b1e7f0c2a9d'
down_revision = 'c6fc8cc6e4c8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("govdata_access_grant", sa.Column("source", sa.UnicodeText, nullable=True))
    op.add_column("govdata_access_grant", sa.Column("note", sa.UnicodeText, nullable=True))
    op.create_index("govdata_access_grant_source_idx", "govdata_access_grant", ["source"])


def downgrade() -> None:
    op.drop_index("govdata_access_grant_source_idx", table_name="govdata_access_grant")
    op.drop_column("govdata_access_grant", "note")
    op.drop_column("govdata_access_grant", "source")

"""Showcase moderation reviews

Revision ID: e9276b18fd45
Revises:
Create Date: 2026-11-28 14:14:51.466789

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'e9276b18fd45'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "govdata_showcase_review",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False),
        sa.Column("decision", sa.UnicodeText, nullable=False),
        sa.Column("comment", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("reviewer_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("govdata_showcase_review_package_id_idx", "govdata_showcase_review", ["package_id"])


def downgrade() -> None:
    op.drop_table("govdata_showcase_review")

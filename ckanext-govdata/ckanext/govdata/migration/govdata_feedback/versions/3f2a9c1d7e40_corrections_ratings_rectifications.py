"""Error reports, ratings, rectification items and feedback notices

Revision ID: 3f2a9c1d7e40
Revises:
Create Date: 2026-12-04 08:00:00

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '3f2a9c1d7e40'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "govdata_correction",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id"), nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        sa.Column("location", sa.UnicodeText),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("attachment", JSONB),
        sa.Column("state", sa.UnicodeText, nullable=False, index=True),
        sa.Column("limit_days", sa.Integer, nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False, index=True),
        sa.Column("resolved_at", sa.DateTime),
        sa.Column("resolution_note", sa.UnicodeText),
        sa.Column("fixed_resource_id", sa.UnicodeText),
        sa.Column("fixed_activity_id", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "govdata_correction_event",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("correction_id", sa.UnicodeText, sa.ForeignKey("govdata_correction.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("actor_id", sa.UnicodeText),
        sa.Column("from_state", sa.UnicodeText),
        sa.Column("to_state", sa.UnicodeText),
        sa.Column("note", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "govdata_rating",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id"), nullable=False, index=True),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("value", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.UniqueConstraint("user_id", "package_id", name="govdata_rating_user_package_key"),
    )
    op.create_table(
        "govdata_rectification",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("rating_id", sa.UnicodeText, sa.ForeignKey("govdata_rating.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id"), nullable=False, index=True),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        sa.Column("reason", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False, index=True),
        sa.Column("limit_days", sa.Integer, nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False, index=True),
        sa.Column("closed_at", sa.DateTime),
        sa.Column("closed_by", sa.UnicodeText),
        sa.Column("note", sa.UnicodeText),
    )
    op.create_table(
        "govdata_feedback_notice",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("correction_id", sa.UnicodeText, sa.ForeignKey("govdata_correction.id", ondelete="CASCADE")),
        sa.Column("rectification_id", sa.UnicodeText,
                  sa.ForeignKey("govdata_rectification.id", ondelete="CASCADE")),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("read_at", sa.DateTime),
    )


def downgrade() -> None:
    op.drop_table("govdata_feedback_notice")
    op.drop_table("govdata_rectification")
    op.drop_table("govdata_rating")
    op.drop_table("govdata_correction_event")
    op.drop_table("govdata_correction")

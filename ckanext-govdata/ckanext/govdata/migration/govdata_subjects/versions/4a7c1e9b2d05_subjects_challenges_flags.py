"""Data subjects: verified subjects, verifications under way, flagged rows

Revision ID: 4a7c1e9b2d05
Revises:
Create Date: 2026-12-04 11:05:00

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '4a7c1e9b2d05'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "govdata_subject",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("document_type", sa.UnicodeText, nullable=False),
        sa.Column("number", sa.UnicodeText, nullable=False),
        sa.Column("number_key", sa.UnicodeText, nullable=False),
        sa.Column("masked", sa.UnicodeText, nullable=False),
        sa.Column("agent_name", sa.UnicodeText),
        sa.Column("provider", sa.UnicodeText, nullable=False),
        sa.Column("verified_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("user_id", "number_key", name="govdata_subject_user_number_key"),
    )
    op.create_index("ix_govdata_subject_user_id", "govdata_subject", ["user_id"])
    op.create_index("ix_govdata_subject_number_key", "govdata_subject", ["number_key"])
    op.create_table(
        "govdata_subject_challenge",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("document_type", sa.UnicodeText, nullable=False),
        sa.Column("number", sa.UnicodeText),
        sa.Column("masked", sa.UnicodeText, nullable=False),
        sa.Column("agent_name", sa.UnicodeText),
        sa.Column("provider", sa.UnicodeText, nullable=False),
        sa.Column("provider_state", JSONB, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("outcome", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("ix_govdata_subject_challenge_user_id", "govdata_subject_challenge", ["user_id"])
    op.create_table(
        "govdata_subject_flag",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("subject_id", sa.UnicodeText, sa.ForeignKey("govdata_subject.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("correction_id", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("row_id", sa.BigInteger, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("ix_govdata_subject_flag_subject_id", "govdata_subject_flag", ["subject_id"])
    op.create_index("ix_govdata_subject_flag_correction_id", "govdata_subject_flag", ["correction_id"])


def downgrade() -> None:
    op.drop_table("govdata_subject_flag")
    op.drop_table("govdata_subject_challenge")
    op.drop_table("govdata_subject")

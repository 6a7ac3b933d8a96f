"""Data contests

Revision ID: aaa6bfcaba07
Revises: 01a5f4dea243
Create Date: 2026-11-28 14:27:16.472384

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = 'aaa6bfcaba07'
down_revision = '01a5f4dea243'
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.UnicodeText, primary_key=True)


def _reference(name: str, table: str, **options) -> sa.Column:
    ondelete = options.pop("ondelete", None)
    return sa.Column(name, sa.UnicodeText, sa.ForeignKey(f"{table}.id", ondelete=ondelete), **options)


def upgrade() -> None:
    op.create_table(
        "govdata_contest",
        _id(),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("rules_url", sa.UnicodeText, nullable=False, server_default=""),
        *[
            sa.Column(phase, sa.Date, nullable=False)
            for phase in (
                "registration_opens", "registration_closes", "submission_opens", "submission_closes",
                "review_opens", "review_closes", "results_date",
            )
        ],
        sa.Column("criteria", JSONB, nullable=False, server_default="[]"),
        sa.Column("packages", JSONB, nullable=False, server_default="[]"),
        sa.Column("results_published", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "govdata_contest_track",
        _id(),
        _reference("contest_id", "govdata_contest", nullable=False, ondelete="CASCADE"),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("contest_id", "name", name="govdata_contest_track_name_key"),
    )
    op.create_table(
        "govdata_contest_team",
        _id(),
        _reference("contest_id", "govdata_contest", nullable=False, ondelete="CASCADE"),
        _reference("track_id", "govdata_contest_track", nullable=False),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("organisation", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("members", JSONB, nullable=False, server_default="[]"),
        _reference("leader_id", "user", nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.UniqueConstraint("contest_id", "name", name="govdata_contest_team_name_key"),
    )
    op.create_table(
        "govdata_contest_team_account",
        _reference("team_id", "govdata_contest_team", primary_key=True, ondelete="CASCADE"),
        _reference("user_id", "user", primary_key=True, ondelete="CASCADE"),
    )
    op.create_index("govdata_contest_team_account_user_id_idx", "govdata_contest_team_account", ["user_id"])
    op.create_table(
        "govdata_contest_entry",
        _id(),
        _reference("contest_id", "govdata_contest", nullable=False, ondelete="CASCADE"),
        _reference("team_id", "govdata_contest_team", nullable=False, ondelete="CASCADE"),
        _reference("track_id", "govdata_contest_track", nullable=False),
        _reference("package_id", "package", nullable=False, unique=True, ondelete="CASCADE"),
        sa.Column("submitted", sa.DateTime, nullable=False),
        sa.Column("award", sa.UnicodeText, nullable=True),
        sa.Column("rank", sa.Integer, nullable=True),
    )
    op.create_table(
        "govdata_contest_assignment",
        _reference("entry_id", "govdata_contest_entry", primary_key=True, ondelete="CASCADE"),
        _reference("judge_id", "user", primary_key=True, ondelete="CASCADE"),
    )
    op.create_index("govdata_contest_assignment_judge_id_idx", "govdata_contest_assignment", ["judge_id"])
    op.create_table(
        "govdata_contest_score",
        _reference("entry_id", "govdata_contest_entry", primary_key=True, ondelete="CASCADE"),
        _reference("judge_id", "user", primary_key=True, ondelete="CASCADE"),
        sa.Column("criterion", sa.UnicodeText, primary_key=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("comment", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("updated", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "govdata_contest_score",
        "govdata_contest_assignment",
        "govdata_contest_entry",
        "govdata_contest_team_account",
        "govdata_contest_team",
        "govdata_contest_track",
        "govdata_contest",
    ):
        op.drop_table(table)

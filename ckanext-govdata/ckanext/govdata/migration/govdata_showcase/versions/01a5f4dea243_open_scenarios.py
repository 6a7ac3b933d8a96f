"""Open scenarios

Revision ID: 01a5f4dea243
Revises: e9276b18fd45
Create Date: 2026-11-28 14:24:04.597381

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '01a5f4dea243'
down_revision = 'e9276b18fd45'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "govdata_scenario",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("name", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("image", JSONB, nullable=True),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "govdata_scenario_package",
        sa.Column("scenario_id", sa.UnicodeText, sa.ForeignKey("govdata_scenario.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("govdata_scenario_package")
    op.drop_table("govdata_scenario")

"""Entries without data (数据目录100%挂载): counted apart from the figures

Revision ID: 3c8e5a1f7b20
Revises: 9ed80f9d7e6f
Create Date: 2026-12-04 07:30:00

Snapshots stored before this revision counted every entry as serving data, and the counters
agree with them, so the figures stay consistent: each entry is re-judged on its next change,
and ``ckan govdata stats rebuild`` re-judges them all at once (run it after upgrading).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "3c8e5a1f7b20"
down_revision = "9ed80f9d7e6f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("govdata_stats_package", sa.Column("serves_data", sa.Boolean, nullable=False, server_default=sa.true()))
    op.add_column("govdata_stats_counter", sa.Column("without_data", sa.BigInteger, nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("govdata_stats_counter", "without_data")
    op.drop_column("govdata_stats_package", "serves_data")

"""The audit trail records why a read was allowed: a grant, the department's own staff, the data
bureau (sysadmin), or the data subject themselves (我的数据)

Revision ID: 8f2c6d1a4b93
Revises: 6e3b9a4d1f72
Create Date: 2026-12-04 15:00:00

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '8f2c6d1a4b93'
down_revision = '6e3b9a4d1f72'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Earlier entries stay without one (the trail is append-only): they were all reads under a
    # grant or by the subject, which grant_id and the channel tell.
    op.add_column("govdata_access_log", sa.Column("basis", sa.UnicodeText, nullable=True))


def downgrade() -> None:
    op.drop_column("govdata_access_log", "basis")

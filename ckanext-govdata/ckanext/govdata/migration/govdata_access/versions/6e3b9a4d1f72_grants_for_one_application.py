"""A grant may be for one application only (a data subject authorising an app key), and the audit
trail names the application whose key made a read

Revision ID: 6e3b9a4d1f72
Revises: 9d4e2b7a1c63
Create Date: 2026-12-04 14:20:00

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '6e3b9a4d1f72'
down_revision = '9d4e2b7a1c63'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No foreign key: applications are govdata_devkeys' table, which may not be installed.
    op.add_column("govdata_access_grant", sa.Column("app_id", sa.UnicodeText, nullable=True))
    op.create_index("govdata_access_grant_app_idx", "govdata_access_grant", ["app_id"])
    op.add_column("govdata_access_log", sa.Column("app_id", sa.UnicodeText, nullable=True))


def downgrade() -> None:
    op.drop_column("govdata_access_log", "app_id")
    op.drop_index("govdata_access_grant_app_idx", table_name="govdata_access_grant")
    op.drop_column("govdata_access_grant", "app_id")

"""The access log becomes the audit trail: the department and the data subject of each read, and
a trigger that refuses to change or delete an entry

Revision ID: 9d4e2b7a1c63
Revises: 3a7d2e91c4b5
Create Date: 2026-12-04 11:00:00

"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '9d4e2b7a1c63'
down_revision = '3a7d2e91c4b5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("govdata_access_log", sa.Column("organization_id", sa.UnicodeText, nullable=True))
    op.add_column("govdata_access_log", sa.Column("subject_key", sa.UnicodeText, nullable=True))
    op.add_column("govdata_access_log", sa.Column("subject_masked", sa.UnicodeText, nullable=True))
    op.create_index("govdata_access_log_organization_idx", "govdata_access_log", ["organization_id"])
    op.create_index("govdata_access_log_subject_idx", "govdata_access_log", ["subject_key"])
    # Entries are only ever added: neither the portal nor a mistaken query may rewrite the trail.
    op.execute("""
        CREATE OR REPLACE FUNCTION govdata_access_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'govdata_access_log is append-only: % refused', TG_OP;
        END
        $$
    """)
    op.execute("""
        CREATE TRIGGER govdata_access_log_append_only BEFORE UPDATE OR DELETE ON govdata_access_log
        FOR EACH ROW EXECUTE FUNCTION govdata_access_log_refuse_change()
    """)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS govdata_access_log_append_only ON govdata_access_log")
    op.execute("DROP FUNCTION IF EXISTS govdata_access_log_refuse_change()")
    op.drop_index("govdata_access_log_subject_idx", table_name="govdata_access_log")
    op.drop_index("govdata_access_log_organization_idx", table_name="govdata_access_log")
    op.drop_column("govdata_access_log", "subject_masked")
    op.drop_column("govdata_access_log", "subject_key")
    op.drop_column("govdata_access_log", "organization_id")

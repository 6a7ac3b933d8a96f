"""Access requests, events, grants, access log, notices and workday overrides

Revision ID: c6fc8cc6e4c8
Revises:
Create Date: 2026-11-28 14:07:13.106863

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = 'c6fc8cc6e4c8'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "govdata_access_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id"), nullable=False, index=True),
        sa.Column("organization_id", sa.UnicodeText, index=True),
        sa.Column("resource_ids", JSONB, nullable=False, server_default="[]"),
        sa.Column("applicant_type", sa.UnicodeText, nullable=False),
        sa.Column("applicant_name", sa.UnicodeText, nullable=False),
        sa.Column("credit_code", sa.UnicodeText),
        sa.Column("contact_phone", sa.UnicodeText),
        sa.Column("contact_email", sa.UnicodeText),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("scenario", sa.UnicodeText, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("fields_needed", JSONB, nullable=False, server_default="[]"),
        sa.Column("commitments", sa.UnicodeText, nullable=False),
        sa.Column("agreement_accepted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("attachments", JSONB, nullable=False, server_default="[]"),
        sa.Column("subject_id", sa.UnicodeText),
        sa.Column("subject_consent", sa.UnicodeText),
        sa.Column("fingerprint", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False, index=True),
        sa.Column("platform_holds_data", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("limit_days", sa.Integer),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("due_date", sa.Date, index=True),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decision_reason", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "govdata_access_request_event",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column(
            "request_id",
            sa.UnicodeText,
            sa.ForeignKey("govdata_access_request.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("actor_id", sa.UnicodeText),
        sa.Column("from_state", sa.UnicodeText),
        sa.Column("to_state", sa.UnicodeText),
        sa.Column("note", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "govdata_access_grant",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("request_id", sa.UnicodeText, sa.ForeignKey("govdata_access_request.id"), unique=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id"), nullable=False),
        sa.Column("resource_ids", JSONB, nullable=False, server_default="[]"),
        sa.Column("row_filter", JSONB),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("expires_on", sa.Date, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
        sa.Column("revoked_by", sa.UnicodeText),
        sa.Column("revoke_reason", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("govdata_access_grant_user_package_idx", "govdata_access_grant", ["user_id", "package_id"])
    op.create_table(
        "govdata_access_log",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("grant_id", sa.UnicodeText, index=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("channel", sa.UnicodeText, nullable=False),
        sa.Column("amount", sa.BigInteger),
        sa.Column("unit", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False, index=True),
    )
    op.create_table(
        "govdata_access_notice",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column(
            "request_id",
            sa.UnicodeText,
            sa.ForeignKey("govdata_access_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("read_at", sa.DateTime),
    )
    op.create_table(
        "govdata_workday_override",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("is_workday", sa.Boolean, nullable=False),
        sa.Column("note", sa.UnicodeText),
        sa.Column("modified", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("govdata_workday_override")
    op.drop_table("govdata_access_notice")
    op.drop_table("govdata_access_log")
    op.drop_index("govdata_access_grant_user_package_idx", table_name="govdata_access_grant")
    op.drop_table("govdata_access_grant")
    op.drop_table("govdata_access_request_event")
    op.drop_table("govdata_access_request")

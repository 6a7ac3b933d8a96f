"""Data demands: demands, their steps, supports and notices

Revision ID: 3d7a1c9e5b20
Revises:
Create Date: 2026-12-04 08:00:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3d7a1c9e5b20"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "govdata_demand",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id"), nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("domain", sa.UnicodeText),
        sa.Column("suggested_organization_id", sa.UnicodeText),
        sa.Column("contact_name", sa.UnicodeText, nullable=False),
        sa.Column("contact_phone", sa.UnicodeText),
        sa.Column("contact_email", sa.UnicodeText),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("routed_at", sa.DateTime),
        sa.Column("confirm_due", sa.Date),
        sa.Column("provide_due", sa.Date),
        sa.Column("confirmed_at", sa.DateTime),
        sa.Column("provided_at", sa.DateTime),
        sa.Column("reason", sa.UnicodeText),
        sa.Column("package_id", sa.UnicodeText),
        sa.Column("resource_id", sa.UnicodeText),
        sa.Column("supporters", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    for column in ("user_id", "state", "organization_id", "confirm_due", "provide_due"):
        op.create_index(f"ix_govdata_demand_{column}", "govdata_demand", [column])

    op.create_table(
        "govdata_demand_event",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("demand_id", sa.UnicodeText, sa.ForeignKey("govdata_demand.id", ondelete="CASCADE"), nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("actor_id", sa.UnicodeText),
        sa.Column("from_state", sa.UnicodeText),
        sa.Column("to_state", sa.UnicodeText),
        sa.Column("note", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("ix_govdata_demand_event_demand_id", "govdata_demand_event", ["demand_id"])

    op.create_table(
        "govdata_demand_support",
        sa.Column("demand_id", sa.UnicodeText, sa.ForeignKey("govdata_demand.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.UnicodeText, primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False),
    )

    op.create_table(
        "govdata_demand_notice",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("demand_id", sa.UnicodeText, sa.ForeignKey("govdata_demand.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("read_at", sa.DateTime),
    )
    op.create_index("ix_govdata_demand_notice_user_id", "govdata_demand_notice", ["user_id"])


def downgrade() -> None:
    op.drop_table("govdata_demand_notice")
    op.drop_table("govdata_demand_support")
    op.drop_table("govdata_demand_event")
    op.drop_table("govdata_demand")

"""Data quality: rules, runs and results

Revision ID: 5b8e2d4f1a90
Revises:
Create Date: 2026-12-04 08:40:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "5b8e2d4f1a90"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "govdata_quality_rule",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("dimension", sa.UnicodeText, nullable=False),
        sa.Column("columns", JSONB, nullable=False, server_default="[]"),
        sa.Column("params", JSONB, nullable=False, server_default="{}"),
        sa.Column("creator_user_id", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_index("ix_govdata_quality_rule_package_id", "govdata_quality_rule", ["package_id"])
    op.create_index("ix_govdata_quality_rule_resource_id", "govdata_quality_rule", ["resource_id"])

    op.create_table(
        "govdata_quality_run",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("trigger", sa.UnicodeText, nullable=False),
        sa.Column("requested_by", sa.UnicodeText),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("finished", sa.DateTime),
        sa.Column("error", sa.UnicodeText),
    )
    for column in ("package_id", "organization_id", "finished"):
        op.create_index(f"ix_govdata_quality_run_{column}", "govdata_quality_run", [column])

    op.create_table(
        "govdata_quality_result",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("run_id", sa.UnicodeText, sa.ForeignKey("govdata_quality_run.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("rule_id", sa.UnicodeText, sa.ForeignKey("govdata_quality_rule.id", ondelete="SET NULL")),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("organization_id", sa.UnicodeText),
        sa.Column("resource_id", sa.UnicodeText, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("dimension", sa.UnicodeText, nullable=False),
        sa.Column("columns", JSONB, nullable=False, server_default="[]"),
        sa.Column("checked", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("failed", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("error", sa.UnicodeText),
    )
    for column in ("run_id", "rule_id", "package_id"):
        op.create_index(f"ix_govdata_quality_result_{column}", "govdata_quality_result", [column])


def downgrade() -> None:
    op.drop_table("govdata_quality_result")
    op.drop_table("govdata_quality_run")
    op.drop_table("govdata_quality_rule")

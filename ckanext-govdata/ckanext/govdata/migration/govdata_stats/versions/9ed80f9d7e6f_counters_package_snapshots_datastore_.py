"""Counters, package snapshots, datastore row counts and usage tables

Revision ID: 9ed80f9d7e6f
Revises:
Create Date: 2026-11-28 14:32:05.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision: str = "9ed80f9d7e6f"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTER_KEY = ("audience", "scope", "scope_key")


def upgrade() -> None:
    op.create_table(
        "govdata_stats_package",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("type", sa.UnicodeText, nullable=False),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("staff", sa.Boolean, nullable=False),
        sa.Column("owner_org", sa.UnicodeText),
        sa.Column("domain", sa.UnicodeText),
        sa.Column("catalogue_class", sa.UnicodeText),
        sa.Column("resource_library", sa.UnicodeText),
        sa.Column("open_condition", sa.UnicodeText),
        sa.Column("formats", ARRAY(sa.UnicodeText), nullable=False, server_default="{}"),
        sa.Column("issued_month", sa.UnicodeText),
        sa.Column("data_items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("records", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("records_measured", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("update_frequency", sa.UnicodeText),
        sa.Column("last_updated", sa.Date),
    )
    op.create_index("ix_govdata_stats_package_owner_org", "govdata_stats_package", ["owner_org"])

    op.create_table(
        "govdata_stats_datastore_table",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("rows", sa.BigInteger, nullable=False, server_default="0"),
    )
    op.create_index("ix_govdata_stats_datastore_table_package_id", "govdata_stats_datastore_table", ["package_id"])

    op.create_table(
        "govdata_stats_counter",
        *(sa.Column(name, sa.UnicodeText, primary_key=True) for name in (*COUNTER_KEY, "dimension", "key")),
        *(
            sa.Column(name, sa.BigInteger, nullable=False, server_default="0")
            for name in ("packages", "datasets", "apis", "showcases", "data_items", "records", "declared_records")
        ),
    )
    op.create_table(
        "govdata_stats_key_count",
        *(sa.Column(name, sa.UnicodeText, primary_key=True) for name in (*COUNTER_KEY, "dimension")),
        sa.Column("keys", sa.BigInteger, nullable=False, server_default="0"),
    )

    op.create_table(
        "govdata_stats_usage",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("caller", sa.UnicodeText, primary_key=True),
        sa.Column("department_id", sa.UnicodeText, nullable=False),
        sa.Column("count", sa.BigInteger, nullable=False, server_default="0"),
    )
    op.create_index("ix_govdata_stats_usage_department_id", "govdata_stats_usage", ["department_id"])
    op.create_table(
        "govdata_stats_usage_daily",
        sa.Column("scope", sa.UnicodeText, primary_key=True),
        sa.Column("scope_key", sa.UnicodeText, primary_key=True),
        sa.Column("kind", sa.UnicodeText, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("count", sa.BigInteger, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    for table in (
        "govdata_stats_usage_daily",
        "govdata_stats_usage",
        "govdata_stats_key_count",
        "govdata_stats_counter",
        "govdata_stats_datastore_table",
        "govdata_stats_package",
    ):
        op.drop_table(table)

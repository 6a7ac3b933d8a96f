"""The identity document a request's data subject is named by (mainland ID, permit, passport …)

Revision ID: 3a7d2e91c4b5
Revises: 5b1e7f0c2a9d
Create Date: 2026-12-04 10:50:00

Requests made before document types were recorded named a person by a mainland ID number and an
enterprise by its credit code: they are filled in from the dataset's subject type.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '3a7d2e91c4b5'
down_revision = '5b1e7f0c2a9d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("govdata_access_request", sa.Column("subject_document_type", sa.UnicodeText, nullable=True))
    op.execute(
        """
        UPDATE govdata_access_request AS request SET subject_document_type =
            CASE WHEN package.extras ->> 'data_subject_type' = 'enterprise' THEN 'credit_code' ELSE 'resident_id' END
        FROM package WHERE package.id = request.package_id AND request.subject_id IS NOT NULL
        """
    )


def downgrade() -> None:
    op.drop_column("govdata_access_request", "subject_document_type")

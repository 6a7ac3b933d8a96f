"""Tables of conditional opening: requests, their history, notices (grants: ``ckanext.govdata.grants``).

Created by the alembic migrations in ``migration/govdata_access`` (which also create the
calendar's ``govdata_workday_override``, modelled in ``calendar.model``); everything else reaches
them through the actions in ``logic/`` (and ``open_condition``, which reads grants on
every data access).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan.model.base import BaseModel
from ckan.model.types import make_uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.govdata.calendar import utcnow
from ckanext.govdata.workflow_model import StepColumns


class AccessRequest(BaseModel):
    """An application (申请) for data of a conditional dataset."""

    __tablename__ = "govdata_access_request"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id"), index=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("package.id"), index=True)
    # The department at the time of the request: reviews and the ledger filter on it.
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    resource_ids: Mapped[list[str]] = mapped_column(JSONB, default=list)
    applicant_type: Mapped[str] = mapped_column(sa.UnicodeText)
    applicant_name: Mapped[str] = mapped_column(sa.UnicodeText)
    credit_code: Mapped[str | None] = mapped_column(sa.UnicodeText)
    contact_phone: Mapped[str | None] = mapped_column(sa.UnicodeText)
    contact_email: Mapped[str | None] = mapped_column(sa.UnicodeText)
    purpose: Mapped[str] = mapped_column(sa.UnicodeText)
    scenario: Mapped[str] = mapped_column(sa.UnicodeText)
    period_start: Mapped[dt.date] = mapped_column(sa.Date)
    period_end: Mapped[dt.date] = mapped_column(sa.Date)
    fields_needed: Mapped[list[str]] = mapped_column(JSONB, default=list)
    commitments: Mapped[str] = mapped_column(sa.UnicodeText)
    agreement_accepted: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    # Data-subject authorised use: whose rows, and how the subject consented.
    subject_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # Which identity document ``subject_id`` is the number of (validators.identity).
    subject_document_type: Mapped[str | None] = mapped_column(sa.UnicodeText)
    subject_consent: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # Fingerprint of the submitted content: a repeated identical create returns the same request.
    fingerprint: Mapped[str] = mapped_column(sa.UnicodeText)
    state: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    platform_holds_data: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    limit_days: Mapped[int | None] = mapped_column(sa.Integer)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    due_date: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    decision_reason: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    modified: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)


class AccessRequestEvent(StepColumns, BaseModel):
    """One step of a request: the ledger (台账) is built from these."""

    __tablename__ = "govdata_access_request_event"

    request_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_access_request.id", ondelete="CASCADE"), index=True
    )


class AccessNotice(BaseModel):
    """An in-app notice (站内通知) about a request, shown to its recipient until read."""

    __tablename__ = "govdata_access_notice"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    request_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_access_request.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)


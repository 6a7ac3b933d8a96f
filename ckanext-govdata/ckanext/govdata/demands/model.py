"""Tables of data demands: the demands, their steps (the ledger), supports and in-app notices.

Created by the alembic migrations in ``migration/govdata_demands``; everything else reaches
them through the actions in ``logic/``.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from ckan.model.base import BaseModel
from ckan.model.types import make_uuid
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.govdata.calendar import utcnow
from ckanext.govdata.workflow_model import StepColumns


class Demand(BaseModel):
    """A demand (数据需求) for data the portal does not publish yet."""

    __tablename__ = "govdata_demand"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(sa.UnicodeText)
    description: Mapped[str] = mapped_column(sa.UnicodeText)
    purpose: Mapped[str] = mapped_column(sa.UnicodeText)
    domain: Mapped[str | None] = mapped_column(sa.UnicodeText)
    suggested_organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    contact_name: Mapped[str] = mapped_column(sa.UnicodeText)
    contact_phone: Mapped[str | None] = mapped_column(sa.UnicodeText)
    contact_email: Mapped[str | None] = mapped_column(sa.UnicodeText)
    state: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    # The department the bureau routed the demand to: it alone sees and acts on it.
    organization_id: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    submitted_at: Mapped[dt.datetime] = mapped_column(sa.DateTime)
    routed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    confirm_due: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    provide_due: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    provided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    reason: Mapped[str | None] = mapped_column(sa.UnicodeText)
    # The dataset (and resource) that answers the demand: provided, or open already.
    package_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    resource_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    supporters: Mapped[int] = mapped_column(sa.Integer, default=0)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    modified: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)


class DemandEvent(StepColumns, BaseModel):
    """One step of a demand: the ledger (供需台账) is built from these."""

    __tablename__ = "govdata_demand_event"

    demand_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_demand.id", ondelete="CASCADE"), index=True
    )


class DemandSupport(BaseModel):
    """A user's support (+1) for a demand: one per user and demand."""

    __tablename__ = "govdata_demand_support"

    demand_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("govdata_demand.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class DemandNotice(BaseModel):
    """An in-app notice (站内通知) about a demand, shown to its recipient until read."""

    __tablename__ = "govdata_demand_notice"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    demand_id: Mapped[str] = mapped_column(sa.UnicodeText, sa.ForeignKey("govdata_demand.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)

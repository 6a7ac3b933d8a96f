"""The columns every workflow's step table shares (the rows of its ledger, 台账).

A feature's step model adds the key of its object: ``class DemandEvent(StepColumns, BaseModel)``
with ``demand_id``; its migration creates the same columns.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.govdata.calendar import utcnow


class StepColumns:
    """One step of a workflow's object: which operation (``action``), by whom, from which state
    to which, with the actor's note."""

    # A sequence, not a uuid: steps of one transaction share a timestamp but keep their order.
    id: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(sa.UnicodeText)
    actor_id: Mapped[str | None] = mapped_column(sa.UnicodeText)
    from_state: Mapped[str | None] = mapped_column(sa.UnicodeText)
    to_state: Mapped[str | None] = mapped_column(sa.UnicodeText)
    note: Mapped[str | None] = mapped_column(sa.UnicodeText)
    created: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)

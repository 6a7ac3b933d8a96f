"""Telling people about a demand: in-app notices in the transaction, mail after it.

Actions collect the mails of their step in ``Outbox`` and send them once the step is committed,
so nobody is told about a step that was rolled back.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.govdata import mailing, open_condition
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.demands import labels, workflow
from ckanext.govdata.demands.model import Demand, DemandNotice


@dataclasses.dataclass
class Outbox:
    """Notices written in the step's transaction, and the mails to send after it."""

    mails: list[tuple[list[str], str, str]] = dataclasses.field(default_factory=list)

    def tell(self, user_ids: Iterable[str], demand: Demand, kind: str) -> None:
        recipients = sorted(set(user_ids))
        for user_id in recipients:
            model.Session.add(DemandNotice(user_id=user_id, demand_id=demand.id, kind=kind, created=utcnow()))
        self.mails.append((recipients, demand.id, kind))

    def send(self) -> int:
        """Mail every recipient; failures are logged, never raised. Returns mails sent."""
        return sum(mail(user_ids, demand_id, kind) for user_ids, demand_id, kind in self.mails)


def mail(user_ids: Iterable[str], demand_id: str, kind: str) -> int:
    demand = model.Session.get(Demand, demand_id)
    if demand is None:
        return 0
    sent = 0
    link = tk.url_for("govdata_demands.read", demand_id=demand.id, _external=True)
    due = demand.confirm_due if demand.state == workflow.ROUTED else demand.provide_due
    for user_id in set(user_ids):
        user = model.User.get(user_id)
        if user is None or not user.email or user.state != "active":
            continue
        subject = labels.notice_label(kind)
        lines = [subject, "", f"{tk._('Name of the data needed')}: {demand.title}",
                 f"{tk._('State')}: {labels.state_label(demand.state)}"]
        if demand.state in workflow.PENDING_STATES and due is not None:
            lines.append(f"{tk._('Deadline')}: {due.isoformat()}")
        if demand.reason:
            lines.append(f"{tk._('Reason')}: {demand.reason}")
        sent += mailing.mail_user(user, subject, "\n".join([*lines, link]), f"demand {demand.id}")
    return sent


def bureau_ids() -> list[str]:
    rows = model.Session.query(model.User.id).filter(model.User.sysadmin.is_(True), model.User.state == "active")
    return [row[0] for row in rows]


def department_ids(organization_id: str | None) -> list[str]:
    """The department's editors and admins: they confirm and provide."""
    if not organization_id:
        return []
    rows = (
        model.Session.query(model.Member.table_id)
        .join(model.User, model.User.id == model.Member.table_id)
        .filter(model.Member.group_id == organization_id, model.Member.table_name == "user",
                model.Member.state == "active", model.Member.capacity.in_(open_condition.STAFF_ROLES),
                model.User.state == "active")
    )
    return [row[0] for row in rows]

"""Telling people about reports and rectifications: in-app notices in the transaction, mail
after it (as access requests do)."""
from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.govdata import mailing, open_condition
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.feedback import labels
from ckanext.govdata.feedback.model import Correction, FeedbackNotice, Rectification

# A notice to send once the transaction is committed: recipients, item, kind.
Pending = tuple[list[str], Correction | Rectification, str]


def department_staff(organization_id: str | None) -> list[str]:
    """The department's editors and admins: the people who fix its data."""
    if not organization_id:
        return []
    rows = (
        model.Session.query(model.Member.table_id)
        .filter(model.Member.group_id == organization_id)
        .filter(model.Member.table_name == "user", model.Member.state == "active")
        .filter(model.Member.capacity.in_(open_condition.STAFF_ROLES))
    )
    return [row[0] for row in rows]


def notify(user_ids: Iterable[str], item: Correction | Rectification, kind: str) -> Pending:
    """An in-app notice to each user; returns what ``mail`` sends after the commit."""
    recipients = sorted(set(user_ids))
    for user_id in recipients:
        notice = FeedbackNotice(user_id=user_id, kind=kind, created=utcnow())
        if isinstance(item, Correction):
            notice.correction_id = item.id
        else:
            notice.rectification_id = item.id
        model.Session.add(notice)
    return recipients, item, kind


def _link(item: Correction | Rectification) -> str:
    if isinstance(item, Correction):
        return tk.url_for("govdata_feedback.correction_read", correction_id=item.id, _external=True)
    return tk.url_for("govdata_feedback.queue", _external=True)


def mail(pending: Iterable[Pending]) -> int:
    """Mail each recipient; failures are logged, never raised. Returns the mails sent."""
    sent = 0
    for user_ids, item, kind in pending:
        package = model.Package.get(item.package_id)
        body = "\n".join([
            labels.notice_label(kind),
            "",
            f"{tk._('Dataset')}: {package.title if package else item.package_id}",
            f"{tk._('Deadline')}: {item.due_date.isoformat()}",
            _link(item),
        ])
        for user_id in user_ids:
            user = model.User.get(user_id)
            if user is None or not user.email:
                continue
            sent += mailing.mail_user(user, labels.notice_label(kind), body, item.id)
    return sent

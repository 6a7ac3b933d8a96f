"""Telling people about a request: in-app notices in the transaction, mail after it."""
from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.govdata import mailing, open_condition
from ckanext.govdata.access import dictization, labels, workflow
from ckanext.govdata.access.model import AccessNotice, AccessRequest
from ckanext.govdata.calendar import utcnow


def notify(user_ids: Iterable[str], request: AccessRequest, kind: str) -> None:
    """An in-app notice to each user; mail goes out after commit (see mail)."""
    for user_id in set(user_ids):
        model.Session.add(AccessNotice(user_id=user_id, request_id=request.id, kind=kind, created=utcnow()))


def mail(user_ids: Iterable[str], request: AccessRequest, kind: str) -> int:
    """Mail each user about the request; failures are logged, never raised. Returns mails sent."""
    sent = 0
    package = model.Package.get(request.package_id)
    link = tk.url_for("govdata_access.request_read", request_id=request.id, _external=True)
    for user_id in set(user_ids):
        user = model.User.get(user_id)
        if user is None or not user.email:
            continue
        body = "\n".join(
            [
                labels.notice_label(kind),
                "",
                f"{tk._('Dataset')}: {package.title if package else request.package_id}",
                f"{tk._('Applicant')}: {request.applicant_name}",
                f"{tk._('Deadline')}: {dictization.isoformat(request.due_date) or '-'}",
                link,
            ]
        )
        sent += mailing.mail_user(user, labels.notice_label(kind), body, f"request {request.id}")
    return sent


def reviewer_ids(request: AccessRequest) -> list[str]:
    """Who acts next on the request as it stands: bureau staff (sysadmins), or the department."""
    if workflow.acting_role(request.state) == workflow.BUREAU:
        rows = model.Session.query(model.User.id).filter(model.User.sysadmin.is_(True), model.User.state == "active")
    else:
        rows = (
            model.Session.query(model.Member.table_id)
            .filter(model.Member.group_id == request.organization_id)
            .filter(model.Member.table_name == "user", model.Member.state == "active")
            .filter(model.Member.capacity.in_(open_condition.STAFF_ROLES))
        )
    return [row[0] for row in rows]

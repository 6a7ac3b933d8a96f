"""Reminding departments of their entries overdue for an update (一日一告知): a mail to each
department's editors and admins listing them, sent daily from cron."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.govdata import mailing
from ckanext.govdata.messages import bilingual

STAFF_ROLES = ("editor", "admin")
LISTED = 50


def _staff(department_id: str) -> list[model.User]:
    rows = (
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(model.Member.group_id == department_id, model.Member.table_name == "user",
                model.Member.state == "active", model.Member.capacity.in_(STAFF_ROLES), model.User.state == "active")
    )
    return [user for user in rows if user.email]


def send(overdue: list[dict[str, Any]]) -> dict[str, int]:
    """Mail each department's staff the department's overdue entries (as ``govdata_overdue_list``
    gives them); failures are logged, never raised."""
    by_department: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in overdue:
        by_department[entry["department"]["id"]].append(entry)
    mails = 0
    for department_id, entries in by_department.items():
        department = model.Group.get(department_id)
        if department is None:
            continue
        subject = bilingual("{count} entries overdue for an update: {department}", count=len(entries),
                            department=department.title)
        lines = [f"- {entry['title']} ({entry['last_updated'] or '-'}, {entry['days_since_update'] or '-'})"
                 for entry in entries[:LISTED]]
        if len(entries) > LISTED:
            lines.append("…")
        link = tk.url_for("govdata_curation.reports", department=department.name, _external=True) + "#overdue"
        body = "\n".join([subject, "", *lines, "", link])
        for user in _staff(department_id):
            mails += mailing.mail_user(user, subject, body, "overdue entries")
    return {"departments": len(by_department), "entries": len(overdue), "mails": mails}

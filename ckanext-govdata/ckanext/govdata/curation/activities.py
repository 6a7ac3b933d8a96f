"""Review steps in the dataset's activity stream: who did what, when, and their comment.

Their types end in " package", so CKAN's activity lists filter them by permission labels: the
steps (and the comments in them) are seen by the department's members and sysadmins only.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.activity.model import Activity

from ckanext.govdata.curation import review

# Operation → activity type (each has its snippet in templates/snippets/activities/).
TYPES = {
    "submit": "submitted package",
    review.PUBLISH: "published package",
    review.RETURN: "returned package",
    review.UNPUBLISH: "unpublished package",
}


def record(context: dict[str, Any], package: model.Package, operation: str, before: str, after: str,
           comment: str) -> None:
    if not tk.asbool(tk.config.get("ckan.activity_streams_enabled", True)):
        return
    user = model.User.get(context["user"]) if context.get("user") else None
    actor = user or model.User.get(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
    assert actor is not None
    model.Session.add(Activity(
        actor.id, package.id, TYPES[operation],
        {
            "package": {"id": package.id, "name": package.name, "title": package.title, "type": package.type,
                        "owner_org": package.owner_org},
            "actor": actor.name,
            "review": {"from": before, "to": after, "comment": comment},
        },
        permission_labels=[f"member-{package.owner_org}"],
    ))


def steps(package_id: str) -> list[dict[str, Any]]:
    """The entry's review steps, oldest first."""
    rows = (
        model.Session.query(Activity, model.User.name)
        .outerjoin(model.User, model.User.id == Activity.user_id)
        .filter(Activity.object_id == package_id, Activity.activity_type.in_(TYPES.values()))
        .order_by(Activity.timestamp)
    )
    return [
        {
            "operation": next(name for name, kind in TYPES.items() if kind == activity.activity_type),
            "actor": user_name,
            "timestamp": activity.timestamp.isoformat(),
            "from": activity.data.get("review", {}).get("from"),
            "to": activity.data.get("review", {}).get("to"),
            "comment": activity.data.get("review", {}).get("comment", ""),
        }
        for activity, user_name in rows
    ]

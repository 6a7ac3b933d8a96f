"""Actions on the caller's in-app notices about reports and rectification items."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.feedback import dictization
from ckanext.govdata.feedback.logic import common, schema
from ckanext.govdata.feedback.model import Correction, FeedbackNotice, Rectification


@tk.side_effect_free
def govdata_feedback_notice_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The caller's unread notices about error reports and rectification items, newest first."""
    tk.check_access("govdata_feedback_notice_list", context, data_dict)
    caller = common.viewer(context)
    notices = (
        model.Session.query(FeedbackNotice)
        .filter(FeedbackNotice.user_id == caller.user_id, FeedbackNotice.read_at.is_(None))
        .order_by(FeedbackNotice.created.desc())
        .limit(50)
        .all()
    )
    result = []
    for notice in notices:
        item: Correction | Rectification | None = (
            model.Session.get(Correction, notice.correction_id) if notice.correction_id
            else model.Session.get(Rectification, notice.rectification_id or "")
        )
        package = model.Package.get(item.package_id) if item is not None else None
        result.append({
            "id": notice.id,
            "kind": notice.kind,
            "created": dictization.isoformat(notice.created),
            "correction_id": notice.correction_id,
            "rectification_id": notice.rectification_id,
            "package_title": package.title if package else None,
            "due_date": dictization.isoformat(item.due_date) if item is not None else None,
        })
    return result


@action_steps.atomic
def govdata_feedback_notice_read(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mark the caller's notices read: one notice (``id``), those about one report
    (``correction_id``), or every one."""
    data = action_steps.validate(data_dict, schema.notice_read_schema(), context)
    tk.check_access("govdata_feedback_notice_read", context, data)
    caller = common.viewer(context)
    query = model.Session.query(FeedbackNotice).filter(
        FeedbackNotice.user_id == caller.user_id, FeedbackNotice.read_at.is_(None)
    )
    if data.get("id"):
        query = query.filter(FeedbackNotice.id == data["id"])
    if data.get("correction_id"):
        query = query.filter(FeedbackNotice.correction_id == data["correction_id"])
    marked = query.update({FeedbackNotice.read_at: utcnow()}, synchronize_session=False)
    action_steps.finish(context)
    return {"marked": marked}

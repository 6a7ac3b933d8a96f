"""Actions on ratings (好差评) and the rectification items bad ratings open (差评整改).

A user rates a published dataset or API interface good or bad (a reason required for bad), once,
changeable. Every bad rating opens a rectification item for the department, due in
``ckanext.govdata.feedback.rectification_limit_days`` working days; a bad rating changed (a new
reason) keeps its open item, one changed to good withdraws it, a new bad rating after a
rectified item opens a new one.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, settings
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.feedback import dictization, notify, queries, workflow
from ckanext.govdata.feedback.logic import common, schema
from ckanext.govdata.feedback.logic.schema import _error
from ckanext.govdata.feedback.model import Rating, Rectification
from ckanext.govdata.feedback.workflow import OPEN, RECTIFICATIONS


def _open_item(rating: Rating) -> Rectification | None:
    return (
        model.Session.query(Rectification)
        .filter(Rectification.rating_id == rating.id, Rectification.state == OPEN)
        .with_for_update()
        .one_or_none()
    )


@action_steps.atomic
def govdata_rating_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Rate a published dataset or API interface, or change one's rating of it.

    :param package_id: the dataset (id or name)
    :param value: ``good`` or ``bad``
    :param reason: required for ``bad``
    :returns: the rating, the dataset's counts and the open rectification item, if any
    """
    data = action_steps.validate(data_dict, schema.rating_create_schema(), context)
    tk.check_access("govdata_rating_create", context, data)
    caller = common.viewer(context)
    assert caller.user_id is not None
    package = common.published_dataset(data["package_id"])
    if data["value"] == "bad" and not data.get("reason"):
        raise tk.ValidationError({"reason": [_error("reason", "{field} is required for a bad rating")]})
    now = utcnow()
    # One rating per user and dataset: the row lock (or the unique key) serialises a double click.
    rating = (
        model.Session.query(Rating)
        .filter(Rating.user_id == caller.user_id, Rating.package_id == package.id)
        .with_for_update()
        .one_or_none()
    )
    if rating is None:
        rating = Rating(user_id=caller.user_id, package_id=package.id, created=now)
        model.Session.add(rating)
    rating.organization_id = package.owner_org
    rating.value = data["value"]
    rating.reason = data.get("reason") or None
    rating.modified = now
    model.Session.flush()

    item = _open_item(rating)
    pending = []
    if data["value"] == "bad":
        if item is None:
            limit = settings.current().feedback.rectification_limit_days
            item = Rectification(
                rating_id=rating.id, package_id=package.id, organization_id=package.owner_org, reason=rating.reason,
                state=OPEN, limit_days=limit, opened_at=now,
                due_date=calendar.add_workdays(calendar.local_date(now), limit),
            )
            model.Session.add(item)
            model.Session.flush()
            pending.append(notify.notify(notify.department_staff(item.organization_id), item, "rectification_opened"))
        else:
            item.reason = rating.reason or item.reason
    elif item is not None:
        next_state = workflow.transition(RECTIFICATIONS, item, "withdraw")
        if next_state is not None:
            item.state = next_state
            item.closed_at = now
            item.closed_by = caller.user_id
            item = None
    action_steps.finish(context)
    notify.mail(pending)
    return {
        "rating": dictization.rating_dict(rating),
        "counts": queries.rating_counts(package.id),
        "rectification": dictization.rectification_dict(item, rating) if item is not None else None,
    }


@tk.side_effect_free
def govdata_rating_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The good and bad ratings of a published dataset (public), and the caller's own rating.

    No rater is named and no reason is shown: those are for the department.
    """
    data = action_steps.validate(data_dict, schema.rating_summary_schema(), context)
    tk.check_access("govdata_rating_summary", context, data)
    package = common.published_dataset(data["package_id"])
    caller = common.viewer(context)
    mine = None
    if caller.user_id is not None:
        rating = (
            model.Session.query(Rating)
            .filter(Rating.user_id == caller.user_id, Rating.package_id == package.id)
            .one_or_none()
        )
        mine = dictization.rating_dict(rating) if rating is not None else None
    return {"package_id": package.id, "counts": queries.rating_counts(package.id), "mine": mine}


@tk.side_effect_free
def govdata_rectification_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Rectification items the caller may see, newest first.

    :param scope: ``mine`` (default: those of the caller's own bad ratings) or ``review`` (their
        departments'; every one for sysadmins)
    :param state, organization_id, package_id, overdue: filters
    :param limit, offset: paging (default 50)
    """
    data = action_steps.validate(data_dict, schema.list_schema(), context)
    tk.check_access("govdata_rectification_list", context, data)
    query = queries.filtered(
        Rectification, queries.scoped(Rectification, common.viewer(context), data.get("scope") or "mine"), data
    )
    rows = (
        query.order_by(Rectification.opened_at.desc())
        .offset(data.get("offset") or 0)
        .limit(data.get("limit") or 50)
        .all()
    )
    return {"count": query.count(), "results": [dictization.rectification_dict(row) for row in rows]}


@action_steps.atomic
def govdata_rectification_rectify(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The department records what it changed for a bad rating (``note``, required); the rater
    is told."""
    data = action_steps.validate(data_dict, schema.rectify_schema(), context)
    item = queries.get(Rectification, data["id"], lock=True)
    tk.check_access("govdata_rectification_rectify", context, {"id": item.id})
    next_state = workflow.transition(RECTIFICATIONS, item, "rectify")
    assert next_state is not None  # rectifying has no settled states in the table
    caller = common.viewer(context)
    item.state = next_state
    item.closed_at = utcnow()
    item.closed_by = caller.user_id
    item.note = data["note"]
    rating = model.Session.get(Rating, item.rating_id)
    pending = [notify.notify([rating.user_id] if rating else [], item, "rectification_rectified")]
    action_steps.finish(context)
    notify.mail(pending)
    return dictization.rectification_dict(item, rating)


@tk.side_effect_free
def govdata_rectification_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Bad ratings per department and their rectification on time (差评按期整改率, target 100%).
    The bureau sees every department, a department's staff their own.

    :param organization_id: one department (optional)
    :param date_from, date_to: items opened in this period (local dates, optional)
    """
    data = action_steps.validate(data_dict, schema.stats_schema(), context)
    tk.check_access("govdata_rectification_stats", context, data)
    departments = common.departments_asked(context, data)
    return {
        "departments": queries.rectification_stats(departments, data),
        "limit_days": settings.current().feedback.rectification_limit_days,
    }

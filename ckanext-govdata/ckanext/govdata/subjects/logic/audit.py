"""The audit trail: every read of conditional or data-subject data (the access log), for the
department whose data was read, the bureau, and the subject whose rows were read.

Entries are written on the data paths (``open_condition.log_access`` / ``record_read``): no
action here changes or deletes one, and the table's trigger refuses UPDATE and DELETE.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, spreadsheets
from ckanext.govdata.grants import AccessLog, user_name
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.subjects import applications, queries
from ckanext.govdata.subjects.logic.schema import audit_export_schema, audit_list_schema, subject_audit_schema
from ckanext.govdata.validators import subject_keys

EXPORT_ROWS = 100_000
# Column key → heading (English msgid) of the list page and the export.
COLUMNS = (
    ("created", "Time"),
    ("user_name", "User"),
    ("app_name", "Application"),
    ("organization_title", "Department"),
    ("package_title", "Dataset"),
    ("resource_id", "Resource"),
    ("channel", "Path"),
    ("basis", "Basis"),
    ("grant_id", "Grant"),
    ("subject_masked", "Data subject"),
    ("amount", "Amount"),
    ("unit", "Unit"),
)


def _filtered(query: sa.orm.Query, data: dict[str, Any]) -> sa.orm.Query:
    if data.get("package_id"):
        package = model.Package.get(data["package_id"])
        query = query.filter(AccessLog.package_id == (package.id if package else data["package_id"]))
    if data.get("organization_id"):
        organization = model.Group.get(data["organization_id"])
        query = query.filter(AccessLog.organization_id == (organization.id if organization else data["organization_id"]))
    if data.get("user"):
        user = model.User.get(data["user"])
        query = query.filter(AccessLog.user_id == (user.id if user else data["user"]))
    if data.get("subject"):
        query = query.filter(AccessLog.subject_key == subject_keys.key(data["subject"]))
    if data.get("channel"):
        query = query.filter(AccessLog.channel == data["channel"])
    if data.get("basis"):
        query = query.filter(_basis_is(data["basis"]))
    if data.get("date_from"):
        query = query.filter(AccessLog.created >= calendar.day_starts_at(data["date_from"]))
    if data.get("date_to"):
        query = query.filter(AccessLog.created < calendar.day_starts_at(data["date_to"] + dt.timedelta(days=1)))
    return query


def _scoped(viewer: Viewer) -> sa.orm.Query:
    query = model.Session.query(AccessLog)
    if not viewer.sysadmin:
        query = query.filter(AccessLog.organization_id.in_(sorted(viewer.staff_orgs()) or [""]))
    return query


def _basis_is(basis: str) -> sa.ColumnElement[bool]:
    """Entries of ``basis``, counting those written before it was recorded (grant or subject)."""
    if basis == "subject":
        return sa.or_(AccessLog.basis == basis, sa.and_(AccessLog.basis.is_(None), AccessLog.channel == "mydata"))
    if basis == "grant":
        return sa.or_(AccessLog.basis == basis, sa.and_(AccessLog.basis.is_(None), AccessLog.channel != "mydata"))
    return AccessLog.basis == basis


def _entry_dict(entry: AccessLog) -> dict[str, Any]:
    package = model.Package.get(entry.package_id)
    organization = model.Group.get(entry.organization_id) if entry.organization_id else None
    app = applications.shown(entry.app_id)
    return {
        "id": entry.id,
        "created": entry.created.isoformat(),
        "user_name": user_name(entry.user_id),
        # The application whose key made the read (data API calls), with its owner.
        "app_id": entry.app_id,
        "app_name": app["name"] if app else None,
        "app_owner": app.get("owner_title") if app else None,
        "package_id": entry.package_id,
        "package_name": package.name if package else None,
        "package_title": package.title if package else None,
        "organization_id": entry.organization_id,
        "organization_title": organization.title if organization else None,
        "resource_id": entry.resource_id,
        "channel": entry.channel,
        "basis": entry.basis or ("subject" if entry.channel == "mydata" else "grant"),
        "grant_id": entry.grant_id,
        "subject_masked": entry.subject_masked,
        "amount": entry.amount,
        "unit": entry.unit,
    }


def _page(query: sa.orm.Query, data: dict[str, Any]) -> dict[str, Any]:
    rows = (
        query.order_by(AccessLog.created.desc(), AccessLog.id.desc())
        .offset(data.get("offset") or 0)
        .limit(data.get("limit") or 50)
        .all()
    )
    return {"count": query.count(), "results": [_entry_dict(row) for row in rows]}


@tk.side_effect_free
def govdata_audit_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reads of conditional and subject data, newest first: the bureau sees all, a department's
    staff their datasets'.

    :param package_id, organization_id, user, channel, basis, date_from, date_to: filters
    :param subject: a document number; entries about that subject (matched by its key)
    :param limit, offset: paging (default 50)
    """
    data = action_steps.validate(data_dict, audit_list_schema(), context)
    tk.check_access("govdata_audit_list", context, data)
    return _page(_filtered(_scoped(Viewer.from_context(context)), data), data)


def _cell(key: str, value: Any) -> Any:
    if key == "created" and value:
        return calendar.local_minute(dt.datetime.fromisoformat(value))
    if key == "channel" and value:
        return tk._(CHANNEL_LABELS.get(value, value))
    if key == "basis" and value:
        return tk._(BASIS_LABELS.get(value, value))
    return "" if value is None else value


CHANNEL_LABELS = {
    "download": "Download",
    "dump": "Table download",
    "datastore_search": "Data API (datastore_search)",
    "datastore_search_sql": "Data API (SQL)",
    "mydata": "My data",
    "dataapi": "Data API",
}

BASIS_LABELS = {
    "grant": "Grant",
    "department": "The department's staff",
    "sysadmin": "The data bureau",
    "subject": "The data subject",
}


def _rows(entries: list[dict[str, Any]]) -> Iterator[list[Any]]:
    return ([_cell(key, entry.get(key)) for key, _title in COLUMNS] for entry in entries)


@tk.side_effect_free
def govdata_audit_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The audit trail the caller may see, with ``govdata_audit_list``'s filters, as xlsx
    (default) or CSV: ``filename``, ``mimetype``, ``count`` and the file as ``content_base64``.
    Subjects appear masked."""
    data = action_steps.validate(data_dict, audit_export_schema(), context)
    tk.check_access("govdata_audit_export", context, data)
    query = _filtered(_scoped(Viewer.from_context(context)), data)
    entries = [_entry_dict(row) for row in query.order_by(AccessLog.created.desc()).limit(EXPORT_ROWS)]
    file_format = data.get("format") or "xlsx"
    headings = [tk._(title) for _key, title in COLUMNS]
    content = (spreadsheets.xlsx(spreadsheets.Sheet(tk._("Audit trail"), headings, _rows(entries)))
               if file_format == "xlsx" else spreadsheets.csv_file(headings, _rows(entries)))
    return spreadsheets.exported(f"audit-trail-{calendar.today().isoformat()}", file_format, content, len(entries))


@tk.side_effect_free
def govdata_subject_audit_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Who read the rows about the caller's subjects (or the one ``subject_id``), newest first,
    the caller's own 我的数据 reads included."""
    data = action_steps.validate(data_dict, subject_audit_schema(), context)
    tk.check_access("govdata_subject_audit_list", context, data)
    subjects = queries.subjects_of(Viewer.from_context(context).user_id or "")
    keys = [s.number_key for s in subjects if not data.get("subject_id") or s.id == data["subject_id"]]
    query = model.Session.query(AccessLog).filter(AccessLog.subject_key.in_(keys or [""]))
    return _page(query, data)

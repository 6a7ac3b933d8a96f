"""我的数据: the rows about a verified subject across every dataset that declares a subject
column, read in one call, each table read entered in the audit trail; and a row flagged as
wrong, which becomes an error report (纠错) of the dataset's department."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, open_condition, settings
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.subjects import queries
from ckanext.govdata.subjects.logic.schema import _error, flag_schema, rows_schema
from ckanext.govdata.subjects.model import Subject, SubjectFlag
from ckanext.govdata.validators import subject_keys


def _search_as_portal(resource_id: str, column: str, number: str, limit: int, row_id: int | None = None
                      ) -> dict[str, Any] | None:
    """The datastore's own search (bound parameters), filtered to the subject's rows.

    It runs without the caller's grants: a grant someone else gave the caller must not add other
    subjects' rows to the page about the caller. None when the table has no such column.
    """
    context: Context = {"ignore_auth": True, "user": ""}
    filters: dict[str, Any] = {column: number}
    if row_id is not None:
        filters["_id"] = row_id
    try:
        return tk.get_action("datastore_search")(context, {
            "resource_id": resource_id, "filters": filters, "limit": limit, "include_total": True,
        })
    except (tk.ValidationError, tk.ObjectNotFound):
        return None


def _masked_records(records: list[dict[str, Any]], column: str, subject: Subject) -> list[dict[str, Any]]:
    """The subject column is shown masked, like every document number on the portal."""
    for record in records:
        if record.get(column) is not None:
            record[column] = subject_keys.mask(str(record[column]), subject.document_type)
    return records


def _subjects_asked(viewer: Viewer, subject_id: str | None) -> list[Subject]:
    subjects = queries.subjects_of(viewer.user_id or "")
    return [subject for subject in subjects if subject_id is None or subject.id == subject_id]


@tk.side_effect_free
def govdata_subject_rows(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The rows about the caller's verified subjects (or the one ``subject_id``), in every
    dataset about subjects of their kind that names its subject column (or the one
    ``package_id``), with no request per dataset. Each table read is one audit-trail entry
    (path ``mydata``).

    :returns: one entry per subject and table: ``subject``, ``package_id``, ``package_title``,
        ``resource_id``, ``resource_name``, ``column``, ``fields``, ``records`` (the subject
        column masked) and ``total``
    """
    data = action_steps.validate(data_dict, rows_schema(), context)
    tk.check_access("govdata_subject_rows", context, data)
    viewer = Viewer.from_context(context)
    limit = settings.current().subjects.rows_per_table
    found: list[dict[str, Any]] = []
    for subject in _subjects_asked(viewer, data.get("subject_id")):
        for package in queries.subject_datasets(subject.kind):
            if data.get("package_id") and data["package_id"] not in (package.id, package.name):
                continue
            column = package.extras["subject_id_column"]
            for resource in queries.datastore_resources(package):
                result = _search_as_portal(resource.id, column, subject.number, limit)
                if result is None:
                    continue
                records = result.get("records") or []
                open_condition.record_read(
                    viewer.user_id or "", package.id, resource.id, "mydata", len(records), "rows",
                    subject_number=subject.number, basis="subject",
                )
                if not records:
                    continue
                found.append({
                    "subject": queries.subject_dict(subject),
                    "package_id": package.id,
                    "package_name": package.name,
                    "package_title": package.title,
                    "organization_id": package.owner_org,
                    "resource_id": resource.id,
                    "resource_name": resource.name,
                    "column": column,
                    "fields": [field for field in result.get("fields") or [] if field.get("id") != "_full_text"],
                    "records": _masked_records(records, column, subject),
                    "total": result.get("total", len(records)),
                    "condition": open_condition.condition_of(package),
                })
    return found


@action_steps.atomic
def govdata_subject_row_flag(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Flag one of the subject's rows as wrong: an error report (纠错) of the dataset's
    department, with its two-working-day limit, linked to the subject.

    :param subject_id: the caller's verified subject
    :param resource_id: the table
    :param row: the row's ``_id``
    :param description: what is wrong
    :returns: the error report (``govdata_correction_show``)
    """
    data = action_steps.validate(data_dict, flag_schema(), context)
    tk.check_access("govdata_subject_row_flag", context, data)
    subject = model.Session.get(Subject, data["subject_id"])
    assert subject is not None
    resource = model.Resource.get(data["resource_id"])
    package = resource.package if resource is not None and resource.state == "active" else None
    allowed = {item.id for item in queries.subject_datasets(subject.kind)}
    if package is None or package.id not in allowed:
        raise tk.ValidationError({"resource_id": [_error("resource_id", "{field} holds no rows about you")]})
    column = package.extras["subject_id_column"]
    found = _search_as_portal(resource.id, column, subject.number, 1, row_id=data["row"])
    if not found or not found.get("records"):
        raise tk.ValidationError({"row": [_error("row", "{field} is not a row about you")]})
    report_context: Context = {**context, "defer_commit": True}
    correction = tk.get_action("govdata_correction_create")(report_context, {
        "package_id": package.id,
        "resource_id": resource.id,
        "location": tk._("Row _id {row} of {resource}, flagged by its data subject").format(
            row=data["row"], resource=resource.name or resource.id),
        "description": data["description"],
    })
    model.Session.add(SubjectFlag(
        subject_id=subject.id, correction_id=correction["id"], package_id=package.id, resource_id=resource.id,
        row_id=data["row"],
    ))
    action_steps.finish(context)
    return correction

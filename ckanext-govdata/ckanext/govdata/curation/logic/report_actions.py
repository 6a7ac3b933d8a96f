"""The directory's checks for staff: published entries without data, and likely duplicates."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps
from ckanext.govdata.curation import checks, reminders
from ckanext.govdata.curation.logic import common, schema


def _titles(ids: set[str | None]) -> dict[str | None, str]:
    rows = model.Session.query(model.Group.id, model.Group.title).filter(model.Group.id.in_([i for i in ids if i]))
    return dict(rows.all())


def govdata_catalogue_without_data(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Published entries that serve no data (数据目录100%挂载), by department.

    :param id: one department (id or name); default: the user's departments (all for the bureau)
    :returns: ``count`` and ``departments``: title and entries (id, name, title, type)
    """
    data = action_steps.validate(data_dict, schema.report_schema(), context)
    tk.check_access("govdata_catalogue_without_data", context, data)
    found = checks.without_data(common.report_departments(context, data.get("id")))
    return _by_department(found)


def _by_department(found: list[dict[str, Any]]) -> dict[str, Any]:
    """A report's entries grouped by department, the departments in title order."""
    titles = _titles({entry["owner_org"] for entry in found})
    grouped: dict[str | None, list[dict[str, Any]]] = {}
    for entry in found:
        grouped.setdefault(entry["owner_org"], []).append(entry)
    return {"count": len(found), "departments": [
        {"id": department_id, "title": titles.get(department_id, ""), "entries": entries}
        for department_id, entries in sorted(grouped.items(), key=lambda item: titles.get(item[0], ""))
    ]}


def govdata_catalogue_grade_violations(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Entries opened further than their security grade allows (分级分类), by department: staff
    change the grade or the open condition (saving, importing and publishing refuse them now).

    :param id: one department (id or name); default: the user's departments (all for the bureau)
    :returns: ``count`` and ``departments``: title and entries (id, name, title, type,
        security_grade, open_condition, allowed conditions, review_state)
    """
    data = action_steps.validate(data_dict, schema.report_schema(), context)
    tk.check_access("govdata_catalogue_grade_violations", context, data)
    found = checks.grade_violations(common.report_departments(context, data.get("id")))
    return _by_department(found)


def govdata_catalogue_duplicates(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Likely duplicate entries (一数一源): pairs with the reason (title in one department, or
    data items) and their similarity. A department's staff see pairs involving their entries.

    :param id: one department (id or name); default: the user's departments (all for the bureau)
    """
    data = action_steps.validate(data_dict, schema.report_schema(), context)
    tk.check_access("govdata_catalogue_duplicates", context, data)
    departments = common.report_departments(context, data.get("id"))
    everything = checks.entries()
    mine = everything if departments is None else [entry for entry in everything if entry.owner_org in departments]
    pairs = checks.duplicate_pairs(mine, everything)
    titles = _titles({entry["owner_org"] for pair in pairs for entry in pair["entries"]})
    for pair in pairs:
        for entry in pair["entries"]:
            entry["department"] = titles.get(entry["owner_org"], "")
    return {"count": len(pairs), "pairs": pairs}


def govdata_overdue_reminders_send(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mail every department's editors and admins the list of their entries overdue for an
    update; run daily from cron (``ckan govdata catalogue remind-overdue``). Sysadmins only.

    :returns: ``departments``, ``entries`` and ``mails`` sent
    """
    tk.check_access("govdata_overdue_reminders_send", context, data_dict)
    overdue = tk.get_action("govdata_overdue_list")(dict(context), {})
    return reminders.send(overdue["entries"])

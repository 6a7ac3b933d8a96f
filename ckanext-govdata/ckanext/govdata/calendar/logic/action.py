"""Actions on the working-day calendar (工作日历): show a year, set or forget a day, import a schedule."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, documents
from ckanext.govdata.calendar.logic import schema
from ckanext.govdata.calendar.logic.schema import FIELDS


@tk.side_effect_free
def govdata_workday_calendar_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Where a year's working days come from, and the staff's overrides in it.

    :param year: default this year (local time)
    :returns: ``known`` false means Monday–Friday is assumed: the schedule must be imported
    """
    data = action_steps.validate(data_dict, schema.calendar_show_schema(), context)
    tk.check_access("govdata_workday_calendar_show", context, data)
    year = data.get("year") or calendar.today().year
    overrides = calendar.list_overrides(year)
    if calendar.package_knows(year):
        source = "package"
    elif overrides:
        source = "overrides"
    else:
        source = "fallback"
    return {"year": year, "known": source != "fallback", "source": source, "overrides": overrides,
            "missing_years": calendar.missing_schedule_years()}


@action_steps.atomic
def govdata_workday_override_set(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mark one day as a working day or not (调休, a holiday the package does not know yet)."""
    data = action_steps.validate(data_dict, schema.override_set_schema(), context)
    tk.check_access("govdata_workday_override_set", context, data)
    calendar.set_override(data["day"], data["is_workday"], data.get("note"))
    action_steps.finish(context)
    return {"day": data["day"].isoformat(), "is_workday": data["is_workday"], "note": data.get("note") or ""}


@action_steps.atomic
def govdata_workday_override_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    data = action_steps.validate(data_dict, schema.override_delete_schema(), context)
    tk.check_access("govdata_workday_override_delete", context, data)
    removed = calendar.remove_override(data["day"])
    action_steps.finish(context)
    return {"day": data["day"].isoformat(), "removed": removed}


@action_steps.atomic
def govdata_workday_schedule_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import a year's schedule (the State Council's notice) from an uploaded CSV or YAML file.

    :param upload: the file; CSV columns ``date,is_workday,note``, dates may be ranges such
        as ``2027-10-01..2027-10-07``
    """
    uploads = documents.uploads(data_dict.get("upload"))
    if not uploads:
        raise tk.ValidationError({"upload": [FIELDS.message("upload", "{field} is required")]})
    if len(uploads) > 1:
        raise tk.ValidationError({"upload": [FIELDS.message("upload", "{field} cannot be read: {reason}", reason="one file at a time")]})
    tk.check_access("govdata_workday_schedule_import", context, {})
    upload = uploads[0]
    try:
        content = upload.stream.read(calendar.MAX_SCHEDULE_BYTES + 1)
        if len(content) > calendar.MAX_SCHEDULE_BYTES:
            raise calendar.ScheduleError(f"{upload.filename}: larger than {calendar.MAX_SCHEDULE_BYTES} bytes")
        text = content.decode("utf-8-sig")
        days = calendar.parse_schedule(text, calendar.schedule_format(upload.filename or ""), upload.filename or "")
    except (UnicodeDecodeError, calendar.ScheduleError) as error:
        raise tk.ValidationError({"upload": [FIELDS.message("upload", "{field} cannot be read: {reason}", reason=error)]}) from None
    imported = calendar.save_schedule(days)
    action_steps.finish(context)
    return {"imported": imported}

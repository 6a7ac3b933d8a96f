"""The ledger (台账) export: every request reviewed, with its steps, as xlsx or CSV."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, spreadsheets
from ckanext.govdata.access import dictization, labels, queries
from ckanext.govdata.access.logic import common, schema
from ckanext.govdata.access.model import AccessRequest


def _local_time(value: str | None) -> str:
    if not value:
        return ""
    return calendar.local_minute(dt.datetime.fromisoformat(value))


def _ledger_cell(key: str, value: Any) -> Any:
    if key in ("submitted_at", "decided_at", "created"):
        return _local_time(value)
    if key in ("state", "from_state", "to_state"):
        return labels.state_label(value)
    if key == "action":
        return labels.step_label(value)
    if key == "timeliness":
        return labels.timeliness_label(value)
    if key == "applicant_type":
        return labels.applicant_type_label(value)
    return "" if value is None else value


@tk.side_effect_free
def govdata_access_ledger_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The ledger of the requests the caller reviews, as an xlsx workbook or CSV file.

    Takes the filters of ``govdata_access_request_list``; returns ``filename``, ``mimetype``
    and the file as ``content_base64``.
    """
    data = action_steps.validate(data_dict, schema.ledger_export_schema(), context)
    tk.check_access("govdata_access_ledger_export", context, data)
    query = queries.filtered(queries.scoped(common.viewer(context), "review"), data)
    requests = [dictization.request_dict(row, detail=True) for row in query.order_by(AccessRequest.submitted_at)]
    file_format = data.get("format") or "xlsx"
    content = spreadsheets.ledger(file_format, tk._("Requests"), requests, labels.ledger_columns(), labels.step_columns(), _ledger_cell)
    return spreadsheets.exported(f"access-ledger-{calendar.today().isoformat()}", file_format, content, len(requests))

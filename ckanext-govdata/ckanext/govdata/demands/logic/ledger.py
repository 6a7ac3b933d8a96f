"""The ledger (供需台账) export: every demand the caller handles, with its steps, as xlsx or CSV."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, spreadsheets
from ckanext.govdata.demands import dictization, labels, queries
from ckanext.govdata.demands.logic import common, schema
from ckanext.govdata.demands.model import Demand


def _local_time(value: str | None) -> str:
    if not value:
        return ""
    return calendar.local_minute(dt.datetime.fromisoformat(value))


def _cell(key: str, value: Any) -> Any:
    if key in ("submitted_at", "routed_at", "confirmed_at", "provided_at", "created"):
        return _local_time(value)
    if key in ("state", "from_state", "to_state"):
        return labels.state_label(value)
    if key == "action":
        return labels.step_label(value)
    if key.endswith("timeliness"):
        return labels.timeliness_label(value)
    return "" if value is None else value


@tk.side_effect_free
def govdata_demand_ledger_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The ledger of the demands the caller handles (bureau: all; a department: its own), as an
    xlsx workbook (demands, and their steps) or a CSV file.

    Takes the filters of ``govdata_demand_list``; returns ``filename``, ``mimetype``, ``count``
    and the file as ``content_base64``.
    """
    data = action_steps.validate(data_dict, schema.ledger_export_schema(), context)
    tk.check_access("govdata_demand_ledger_export", context, data)
    caller = common.viewer(context)
    query = queries.filtered(queries.scoped(caller, "queue"), data)
    demands = [
        dictization.demand_dict(row, caller, detail=True) for row in query.order_by(Demand.submitted_at, Demand.id)
    ]
    file_format = data.get("format") or "xlsx"
    content = spreadsheets.ledger(file_format, tk._("Demands"), demands, labels.ledger_columns(), labels.step_columns(), _cell)
    return spreadsheets.exported(f"demand-ledger-{calendar.today().isoformat()}", file_format, content, len(demands))

"""Checks when the data changes: after datastore_create (also how xloader creates its tables),
datastore_upsert and datastore_delete on a table with rules, a run of the dataset's checks is
queued. The job runs after the loading job before it in the queue, on the loaded table."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata.quality import jobs
from ckanext.govdata.quality.model import Rule


def _queue_for(resource_id: Any, context: Context) -> None:
    if not isinstance(resource_id, str):
        return
    rule = model.Session.query(Rule).filter(Rule.resource_id == resource_id).first()
    if rule is None:
        return
    package = model.Package.get(rule.package_id)
    user = model.User.get(context.get("user") or "")
    run = jobs.new_run(rule.package_id, package.owner_org if package else None, jobs.DATA_CHANGE,
                       user.id if user else None)
    model.Session.commit()
    jobs.enqueue(run.id)


def _after(action_name: str) -> Any:
    @tk.chained_action
    def action(original_action: Any, context: Context, data_dict: DataDict) -> Any:
        result = original_action(context, data_dict)
        resource_id = result.get("resource_id") if isinstance(result, dict) else None
        _queue_for(resource_id or (data_dict or {}).get("resource_id"), context)
        return result

    action.__name__ = action_name
    return action


def chained_actions() -> dict[str, Any]:
    return {name: _after(name) for name in ("datastore_create", "datastore_upsert", "datastore_delete")}

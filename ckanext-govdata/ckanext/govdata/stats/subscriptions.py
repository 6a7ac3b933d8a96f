"""Signal receivers that keep the counters and the usage tracking up to date.

Dataset create / update / delete reach the counters through IPackageController (inside the
action's transaction); everything CKAN changes without those hooks arrives here.
"""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model, types
from flask import has_request_context, request

from ckanext.govdata import action_steps
from ckanext.govdata.stats import counters, usage

# Sent by whatever serves the data API of an API interface (type ``dataservice``), with the
# dataservice's package id as sender: ``tk.signals.ckanext.signal(DATASERVICE_CALLED).send(id)``.
DATASERVICE_CALLED = "govdata_dataservice_called"
# A batch of data API calls written to the call ledger (govdata_devkeys), with ``connection``
# (the flush's transaction) and ``calls`` [(local day, package id, caller)].
CALLS_FLUSHED = "govdata_api_calls_flushed"
DATASTORE_WRITES = ("datastore_create", "datastore_upsert", "datastore_delete", "datastore_records_delete")
BULK_CHANGES = ("bulk_update_public", "bulk_update_private", "bulk_update_delete")
# After these, a package may have vanished or lost its department without a dataset hook.
OWNERSHIP_CHANGES = ("dataset_purge", "organization_delete", "organization_purge", "group_purge")
TRACKED_DATA_ACTIONS = ("datastore_search", "datastore_search_sql")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

ORPHANED_SNAPSHOTS = sa.text(
    "SELECT s.package_id FROM govdata_stats_package s WHERE NOT EXISTS ("
    " SELECT 1 FROM package p WHERE p.id = s.package_id AND p.owner_org IS NOT DISTINCT FROM s.owner_org)"
)


def get_subscriptions() -> types.SignalMapping:
    action_succeeded: list[Any] = []
    action_succeeded += [{"sender": name, "receiver": datastore_written} for name in DATASTORE_WRITES]
    action_succeeded += [{"sender": name, "receiver": bulk_changed} for name in BULK_CHANGES]
    action_succeeded += [{"sender": name, "receiver": ownership_changed} for name in OWNERSHIP_CHANGES]
    action_succeeded += [{"sender": "package_owner_org_update", "receiver": owner_changed}]
    action_succeeded += [{"sender": name, "receiver": data_api_called} for name in TRACKED_DATA_ACTIONS]
    return {
        tk.signals.action_succeeded: action_succeeded,
        tk.signals.resource_download: [resource_downloaded],
        tk.signals.ckanext.signal(DATASERVICE_CALLED): [dataservice_called],
        tk.signals.ckanext.signal(CALLS_FLUSHED): [calls_flushed],
    }


def _commit(kwargs: dict[str, Any]) -> None:
    """Commit, unless the action ran inside another that commits (package_update …)."""
    if not (kwargs.get("context") or {}).get("defer_commit"):
        model.repo.commit()


def datastore_written(action: str, **kwargs: Any) -> None:
    data_dict, result = kwargs.get("data_dict") or {}, kwargs.get("result") or {}
    resource_id = result.get("resource_id") or data_dict.get("resource_id") or data_dict.get("id")
    if resource_id:
        counters.refresh_resource_table(resource_id)
        _commit(kwargs)


def bulk_changed(action: str, **kwargs: Any) -> None:
    counters.refresh((kwargs.get("data_dict") or {}).get("datasets") or [])
    _commit(kwargs)


def owner_changed(action: str, **kwargs: Any) -> None:
    package = model.Package.get((kwargs.get("data_dict") or {}).get("id"))
    if package and not action_steps.batched(kwargs.get("context") or {}, package.id):
        counters.refresh([package.id])
        _commit(kwargs)


def ownership_changed(action: str, **kwargs: Any) -> None:
    counters.refresh(model.Session.execute(ORPHANED_SNAPSHOTS).scalars().all())
    _commit(kwargs)


def _is_api_request(action: str) -> bool:
    """Counts calls made by API clients, not the internal calls of CKAN or its pages."""
    if not has_request_context() or request.endpoint != "api.action":
        return False
    return (request.view_args or {}).get("logic_function") == action


def data_api_called(action: str, **kwargs: Any) -> None:
    if not _is_api_request(action):
        return
    data_dict = kwargs.get("data_dict") or {}
    if action == "datastore_search_sql":
        # The tables a query reads are named by their resource ids.
        resource_ids = sorted(set(UUID.findall(str(data_dict.get("sql", "")).lower()))) or [""]
    else:
        resource_ids = [str(data_dict.get("resource_id") or "")]
    for resource_id in resource_ids:
        usage.track(usage.API_CALL, resource_id=resource_id)


def resource_downloaded(resource_id: str, **kwargs: Any) -> None:
    usage.track(usage.DOWNLOAD, resource_id=resource_id)


def dataservice_called(package_id: str, **kwargs: Any) -> None:
    usage.track(usage.API_CALL, package_id=package_id)


def calls_flushed(sender: str, **kwargs: Any) -> None:
    usage.write_calls(kwargs["connection"], kwargs["calls"])

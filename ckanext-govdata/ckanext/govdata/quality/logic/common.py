"""What the quality actions share: refusals naming a field, the dataset and its tables, and
the dictionaries the actions return."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata.quality import figures
from ckanext.govdata.quality.logic.schema import FIELDS
from ckanext.govdata.quality.model import Result, Rule, Run


def refused(field: str, msgid: str, **params: Any) -> tk.ValidationError:
    return tk.ValidationError({field: [FIELDS.message(field, msgid, **params)]})


def rule_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id, "package_id": rule.package_id, "resource_id": rule.resource_id, "kind": rule.kind,
        "dimension": rule.dimension, "columns": list(rule.columns or ()), "params": dict(rule.params or {}),
        "created": rule.created.isoformat(), "modified": rule.modified.isoformat(),
    }


def package_of(package_id: str) -> dict[str, Any]:
    try:
        return tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    except (tk.ObjectNotFound, tk.ValidationError):
        raise refused("package_id", "{field} not found") from None


def table_ids(package: dict[str, Any]) -> list[str]:
    return [resource["id"] for resource in package.get("resources") or [] if resource.get("datastore_active")]


def table_of(package: dict[str, Any], resource_id: str | None) -> str:
    """The rule's table: the one named, which must be one of the dataset's datastore tables, or
    the dataset's only table."""
    tables = table_ids(package)
    if resource_id:
        if resource_id not in tables:
            raise refused("resource_id", "{field} is not a data table of this dataset")
        return resource_id
    if len(tables) != 1:
        raise refused("resource_id", "{field} is required when the dataset has no or several data tables")
    return tables[0]


def run_dict(run: Run) -> dict[str, Any]:
    return {
        "id": run.id, "package_id": run.package_id, "organization_id": run.organization_id, "state": run.state,
        "trigger": run.trigger, "created": run.created.isoformat(),
        "finished": run.finished.isoformat() if run.finished else None, "error": run.error,
    }


def result_dict(result: Result) -> dict[str, Any]:
    return {
        "rule_id": result.rule_id, "resource_id": result.resource_id, "kind": result.kind,
        "dimension": result.dimension, "columns": list(result.columns or ()), "checked": result.checked,
        "failed": result.failed, "pass_rate": figures.rate(result.checked - result.failed, result.checked),
        "error": result.error,
    }

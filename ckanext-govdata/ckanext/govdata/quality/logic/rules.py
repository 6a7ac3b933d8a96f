"""Actions on the quality rules of a dataset: create, update, delete, list, and propose rules
from the dataset's data items."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps
from ckanext.govdata.quality import checks, jobs, proposals, verdicts
from ckanext.govdata.quality.kinds import KINDS
from ckanext.govdata.quality.logic import common
from ckanext.govdata.quality.logic.schema import FIELDS, id_schema, package_schema, rule_schema, rule_update_schema
from ckanext.govdata.quality.model import Rule


def _params(data: dict[str, Any], kind: str, context: Context) -> dict[str, Any]:
    """The parameters ``kind`` needs, checked; a refusal names the field."""
    if kind == "type":
        if not data.get("type"):
            raise common.refused("type", "{field} is required")
        return {"type": data["type"]}
    if kind == "format":
        if not data.get("format"):
            raise common.refused("format", "{field} is required")
        return {"format": data["format"]}
    if kind == "pattern":
        pattern = data.get("pattern")
        if not pattern:
            raise common.refused("pattern", "{field} is required")
        if not checks.pattern_is_valid(jobs.read_engine(), pattern):
            raise common.refused("pattern", "{field} is not a valid regular expression")
        return {"pattern": pattern}
    if kind == "code_list":
        codes = data.get("codes") or []
        if not codes or len(codes) > 1000 or any(len(code) > 200 for code in codes):
            raise common.refused("codes", "{field} must list 1 to 1000 codes of at most 200 characters")
        return {"codes": codes}
    if kind == "reference":
        target_id, column = data.get("target_resource_id"), data.get("target_column")
        if not target_id:
            raise common.refused("target_resource_id", "{field} is required")
        try:
            target = tk.get_action("resource_show")(dict(context), {"id": target_id})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            raise common.refused("target_resource_id", "{field} not found") from None
        columns = checks.table_columns(jobs.read_engine(), target["id"]) if target.get("datastore_active") else None
        if columns is None:
            raise common.refused("target_resource_id", "{field} is not a data table")
        if not column or column not in columns:
            raise common.refused("target_column", "{field} is not a data item of the referenced table")
        return {"resource_id": target["id"], "column": column}
    return {}


def _checked_rule(data: dict[str, Any], package: dict[str, Any], context: Context) -> dict[str, Any]:
    kind = KINDS[data["kind"]]
    resource_id = common.table_of(package, data.get("resource_id"))
    columns = list(dict.fromkeys(data.get("columns") or []))
    wanted = {"one": (1, 1), "many": (1, 10), "none": (0, 0)}[kind.columns]
    if not wanted[0] <= len(columns) <= wanted[1]:
        raise common.refused("columns", "{field}: this rule kind needs {low} to {high} data items",
                       low=wanted[0], high=wanted[1])
    present = checks.table_columns(jobs.read_engine(), resource_id) or {}
    unknown = [column for column in columns if column not in present or column == checks.ROW_ID]
    if unknown:
        raise common.refused("columns", "{field} not in the data table: {names}", names=", ".join(unknown))
    return {
        "resource_id": resource_id, "kind": kind.name, "dimension": data.get("dimension") or kind.dimension,
        "columns": columns, "params": _params(data, kind.name, context),
    }


def _rule(rule_id: Any) -> Rule:
    rule = model.Session.get(Rule, rule_id) if isinstance(rule_id, str) else None
    if rule is None:
        raise tk.ObjectNotFound(FIELDS.message("id", "{field} not found"))
    return rule


@action_steps.atomic
def govdata_quality_rule_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Attach a rule to data items of a dataset's table.

    :param package_id: the dataset
    :param resource_id: its datastore table (optional when it has only one)
    :param kind: required, type, format, pattern, code_list, unique, reference or record_count
    :param columns: the data items (column names) checked; several for a composite key
    :param dimension: one of the six dimensions (optional; each kind has its own)
    :param type, format, pattern, codes, target_resource_id, target_column: what the kind needs
    """
    data = action_steps.validate(data_dict, rule_schema(), context)
    tk.check_access("govdata_quality_rule_create", context, data)
    package = common.package_of(data["package_id"])
    fields = _checked_rule(data, package, context)
    user = model.User.get(context.get("user") or "")
    rule = Rule(package_id=package["id"], creator_user_id=user.id if user else None, **fields)
    model.Session.add(rule)
    model.Session.flush()
    action_steps.finish(context)
    return common.rule_dict(rule)


@action_steps.atomic
def govdata_quality_rule_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a rule (all its fields, as for create; the dataset stays)."""
    data = action_steps.validate(data_dict, rule_update_schema(), context)
    tk.check_access("govdata_quality_rule_update", context, data)
    rule = _rule(data["id"])
    previous_table = rule.resource_id
    fields = _checked_rule(data, common.package_of(rule.package_id), context)
    for key, value in fields.items():
        setattr(rule, key, value)
    action_steps.finish(context)
    _forget_verdicts_unless_ruled(previous_table)
    return common.rule_dict(rule)


@action_steps.atomic
def govdata_quality_rule_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Delete a rule; the results of past runs stay, without it."""
    rule_id = action_steps.validate(data_dict, id_schema(), context)["id"]
    tk.check_access("govdata_quality_rule_delete", context, {"id": rule_id})
    rule = _rule(rule_id)
    model.Session.delete(rule)
    action_steps.finish(context)
    _forget_verdicts_unless_ruled(rule.resource_id)
    return {"id": rule_id}


def _forget_verdicts_unless_ruled(resource_id: str) -> None:
    """Drop a table's kept verdicts and their triggers once no rule is left on it (a changed
    rule set is seen by the next check, which builds them again)."""
    if model.Session.query(Rule).filter(Rule.resource_id == resource_id).first() is None:
        from ckanext.datastore.backend.postgres import get_write_engine

        verdicts.drop(get_write_engine(), resource_id)


@tk.side_effect_free
def govdata_quality_rule_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The rules of a dataset, oldest first.

    :param package_id: the dataset
    """
    package_id = action_steps.validate(data_dict, package_schema(), context)["package_id"]
    tk.check_access("govdata_quality_rule_list", context, {"package_id": package_id})
    package = common.package_of(package_id)
    rules = model.Session.query(Rule).filter(Rule.package_id == package["id"]).order_by(Rule.created, Rule.id)
    return [common.rule_dict(rule) for rule in rules]


@tk.side_effect_free
def govdata_quality_rules_propose(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Rules that suit the dataset's data items (their types, keys and names), for each of its
    tables, leaving out those the dataset has already. Nothing is saved: staff choose.

    :param package_id: the dataset
    """
    package_id = action_steps.validate(data_dict, package_schema(), context)["package_id"]
    tk.check_access("govdata_quality_rules_propose", context, {"package_id": package_id})
    package = common.package_of(package_id)
    existing = {
        proposals.signature(rule.resource_id, rule.kind, list(rule.columns or ()), dict(rule.params or {}))
        for rule in model.Session.query(Rule).filter(Rule.package_id == package["id"])
    }
    found = []
    engine = jobs.read_engine()
    for resource_id in common.table_ids(package):
        columns = checks.table_columns(engine, resource_id) or {}
        for proposal in proposals.propose(package, resource_id, columns):
            if proposals.signature(resource_id, proposal["kind"], proposal["columns"], proposal["params"]) not in existing:
                found.append(proposal)
    return found

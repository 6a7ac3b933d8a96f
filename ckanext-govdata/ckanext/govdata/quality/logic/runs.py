"""Actions on the runs of the quality checks: queue one, show the latest results, and read the
rows failing a rule (the department's own data)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, settings
from ckanext.govdata.quality import checks, figures, jobs
from ckanext.govdata.quality.logic import common
from ckanext.govdata.quality.logic.schema import failing_rows_schema, package_schema
from ckanext.govdata.quality.model import Result, Rule, Run


def govdata_quality_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Queue a run of all the rules of a dataset as a background job.

    :param package_id: the dataset
    :returns: the queued run
    """
    package_id = action_steps.validate(data_dict, package_schema(), context)["package_id"]
    tk.check_access("govdata_quality_check", context, {"package_id": package_id})
    package = common.package_of(package_id)
    if not model.Session.query(Rule.id).filter(Rule.package_id == package["id"]).first():
        raise common.refused("package_id", "{field} has no quality rules to check")
    user = model.User.get(context.get("user") or "")
    run = jobs.new_run(package["id"], package.get("owner_org"), jobs.MANUAL, user.id if user else None)
    action_steps.finish(context)
    jobs.enqueue(run.id)
    return common.run_dict(run)


@tk.side_effect_free
def govdata_quality_result_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The latest finished run of a dataset's checks with one result per rule, its pass rates
    per dimension and overall against the target, and the run still to come, if any.

    :param package_id: the dataset
    """
    package_id = action_steps.validate(data_dict, package_schema(), context)["package_id"]
    tk.check_access("govdata_quality_result_show", context, {"package_id": package_id})
    package = common.package_of(package_id)
    runs = model.Session.query(Run).filter(Run.package_id == package["id"])
    latest = runs.filter(Run.state.in_((jobs.DONE, jobs.FAILED))).order_by(Run.finished.desc()).first()
    pending = runs.filter(Run.state == jobs.QUEUED).order_by(Run.created.desc()).first()
    results = (
        model.Session.query(Result).filter(Result.run_id == latest.id).order_by(Result.dimension, Result.kind).all()
        if latest else []
    )
    totals = figures.Tally()
    by_dimension: dict[str, figures.Tally] = {}
    for result in results:
        totals.add(result.checked, result.failed)
        by_dimension.setdefault(result.dimension, figures.Tally()).add(result.checked, result.failed)
    return {
        "package_id": package["id"],
        "target": settings.current().quality.target,
        "run": common.run_dict(latest) if latest else None,
        "pending": common.run_dict(pending) if pending else None,
        "results": [common.result_dict(result) for result in results],
        "pass_rate": totals.rate(),
        "dimensions": {name: tally.as_dict() for name, tally in sorted(by_dimension.items())},
    }


@tk.side_effect_free
def govdata_quality_failing_rows(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The rows of a rule's table that fail it now, at most ``failing_rows_max`` of them, in
    table order: for the dataset's department (and the bureau) only.

    :param rule_id: the rule
    :returns: ``{"rule": ..., "columns": [...], "rows": [[...], ...]}``
    """
    data = action_steps.validate(data_dict, failing_rows_schema(), context)
    tk.check_access("govdata_quality_failing_rows", context, data)
    rule = model.Session.get(Rule, data["rule_id"])
    if rule is None:
        raise tk.ObjectNotFound(common.refused("rule_id", "{field} not found").error_dict["rule_id"][0])
    options = settings.current().quality
    engine = jobs.read_engine()
    if jobs.missing_columns(rule, engine, {rule.resource_id: checks.table_columns(engine, rule.resource_id)}):
        return {"rule_id": rule.id, "columns": [], "rows": []}
    columns, rows = checks.failing_rows(engine, rule.resource_id, jobs.spec(rule), options.failing_rows_max,
                                        options.statement_timeout)
    return {"rule_id": rule.id, "columns": columns, "rows": [list(row) for row in rows]}

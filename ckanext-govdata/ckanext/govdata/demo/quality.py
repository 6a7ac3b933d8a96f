"""The demo's quality checks (数据质量): the rules proposed from the data items of every
datastore-backed demo dataset (not the sample tables behind data APIs), attached and checked,
with a week-old run before today's, so the quality pages and figures (pass rates and their
trend) are not empty on a new portal.

Idempotent: a dataset that has rules already is left as it is.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import click
import sqlalchemy as sa
from ckan import model

from ckanext.govdata.calendar import utcnow
from ckanext.govdata.demo.api_tables import SAMPLE_FLAG
from ckanext.govdata.quality import jobs
from ckanext.govdata.quality.model import Rule, Run

EARLIER_RUN_DAYS_AGO = 7


def _datastore_packages() -> list[str]:
    rows = (
        model.Session.query(model.Resource.package_id)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .filter(model.Resource.state == "active", model.Package.state == "active")
        .filter(sa.text("resource.extras::jsonb ->> 'datastore_active' = 'true'"))
        .filter(sa.text(f"(resource.extras::jsonb ->> '{SAMPLE_FLAG}') IS DISTINCT FROM 'true'"))
        .distinct()
    )
    return sorted(package_id for (package_id,) in rows)


def _check_now(package_id: str, days_ago: int = 0) -> None:
    package = model.Package.get(package_id)
    run = jobs.new_run(package_id, package.owner_org if package else None, jobs.MANUAL, None)
    model.Session.commit()
    jobs.run_checks(run.id)
    if days_ago:
        run = model.Session.get(Run, run.id)
        if run is not None and run.finished is not None:
            run.created = run.created - dt.timedelta(days=days_ago)
            run.finished = run.finished - dt.timedelta(days=days_ago)
            model.Session.commit()


def load(context: dict[str, Any]) -> None:
    attached = checked = 0
    for package_id in _datastore_packages():
        if model.Session.query(Rule.id).filter(Rule.package_id == package_id).first():
            continue
        proposals = tk.get_action("govdata_quality_rules_propose")(dict(context), {"package_id": package_id})
        for proposal in proposals:
            try:
                tk.get_action("govdata_quality_rule_create")(dict(context), proposal)
                attached += 1
            except tk.ValidationError as error:
                click.secho(f"Quality rule for {package_id} refused: {error.error_dict}", fg="yellow")
        if proposals:
            _check_now(package_id, days_ago=EARLIER_RUN_DAYS_AGO)
            _check_now(package_id)
            checked += 1
    click.secho(f"Quality: {attached} rules attached to {checked} datasets, checked ({utcnow():%Y-%m-%d}).", fg="green")

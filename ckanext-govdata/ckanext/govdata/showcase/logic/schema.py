"""Schemas of the showcase, scenario and contest actions, built from CKAN's validators and ours."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata.showcase import contests, workflow
from ckanext.govdata.showcase.logic import validation as v

ignore_missing = tk.get_validator("ignore_missing")
unicode_safe = tk.get_validator("unicode_safe")

Schema = dict[str, Any]



def showcase_moderate_schema() -> Schema:
    return {
        "id": [v.required, unicode_safe],
        "decision": [v.required, v.one_of(workflow.DECISIONS)],
        "comment": [ignore_missing, unicode_safe],
    }


def showcase_id_schema() -> Schema:
    return {"id": [v.required, unicode_safe]}


def scenario_create_schema() -> Schema:
    return {
        "name": [v.required, v.url_name, unicode_safe],
        "title": [v.required, unicode_safe],
        "description": [ignore_missing, unicode_safe],
        "packages": [ignore_missing, v.catalogue_packages],
        "position": [ignore_missing, v.whole_number(0, 100000)],
    }


def scenario_update_schema() -> Schema:
    schema = scenario_create_schema()
    schema.update(
        {
            "id": [v.required, unicode_safe],
            "name": [ignore_missing, v.url_name, unicode_safe],
            "title": [ignore_missing, v.required, unicode_safe],
            "remove_image": [ignore_missing, tk.get_validator("boolean_validator")],
        }
    )
    return schema


def contest_create_schema() -> Schema:
    schema: Schema = {
        "name": [v.required, v.url_name, unicode_safe],
        "title": [v.required, unicode_safe],
        "year": [v.required, v.whole_number(2000, 2100)],
        "description": [ignore_missing, unicode_safe],
        "rules_url": [ignore_missing, v.http_url],
        "criteria": [v.required, v.criteria],
        "tracks": [v.required, v.tracks],
        "packages": [ignore_missing, v.catalogue_packages],
    }
    for field in contests.DATE_FIELDS:
        schema[field] = [v.required, v.iso_date]
    return schema


def contest_update_schema() -> Schema:
    schema = {
        field: [ignore_missing, *validators[1:]] if validators[0] is v.required else validators
        for field, validators in contest_create_schema().items()
    }
    schema["id"] = [v.required, unicode_safe]
    schema["remove_rules"] = [ignore_missing, tk.get_validator("boolean_validator")]
    return schema


def contest_team_register_schema() -> Schema:
    return {
        "contest": [v.required, unicode_safe],
        "name": [v.required, unicode_safe],
        "organisation": [ignore_missing, unicode_safe],
        "track": [v.required, unicode_safe],
        "members": [ignore_missing, v.as_list],
        "accounts": [ignore_missing, v.user_names],
    }


def contest_team_update_schema() -> Schema:
    return {
        "id": [v.required, unicode_safe],
        "name": [ignore_missing, v.required, unicode_safe],
        "organisation": [ignore_missing, unicode_safe],
        "track": [ignore_missing, v.required, unicode_safe],
        "members": [ignore_missing, v.as_list, v.required],
        "accounts": [ignore_missing, v.user_names],
    }


def contest_entry_submit_schema() -> Schema:
    return {
        "team": [v.required, unicode_safe],
        "showcase": [ignore_missing, unicode_safe],
    }


def contest_judge_assign_schema() -> Schema:
    return {
        "entry": [v.required, unicode_safe],
        "judges": [ignore_missing, v.user_names],
    }


def contest_score_submit_schema() -> Schema:
    return {
        "entry": [v.required, unicode_safe],
        "scores": [v.required],
        "comment": [ignore_missing, unicode_safe],
    }


def contest_results_publish_schema() -> Schema:
    return {
        "contest": [v.required, unicode_safe],
        "awards": [ignore_missing, v.as_records],
    }


def contest_entry_list_schema() -> Schema:
    return {
        "contest": [v.required, unicode_safe],
        "assigned": [ignore_missing, v.yes_no],
        "public": [ignore_missing, v.yes_no],
    }


def contest_id_schema() -> Schema:
    return {"id": [v.required, unicode_safe]}

"""Schemas of the showcase, scenario and contest actions, built from CKAN's validators and the
package's shared ones (``ckanext.govdata.validators``), which name each refused field."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata.showcase import contests, workflow
from ckanext.govdata.showcase.logic import validation as v
from ckanext.govdata.validators import Fields

ignore_missing = tk.get_validator("ignore_missing")
unicode_safe = tk.get_validator("unicode_safe")

Schema = dict[str, Any]

# Field labels in English; their Chinese is in the zh_Hans_CN catalogue.
fields = Fields({
    "id": "ID",
    "decision": "Decision",
    "comment": "Comment to the author",
    "name": "URL name",
    "title": "Title",
    "description": "Description",
    "packages": "Datasets and APIs",
    "position": "Order on the scenarios page",
    "remove_image": "Remove the current picture",
    "year": "Year",
    "rules_url": "Rules document (link)",
    "criteria": "Judging criteria",
    "tracks": "Tracks",
    "remove_rules": "Remove",
    "registration_opens": "Registration opens",
    "registration_closes": "Registration closes",
    "submission_opens": "Submission opens",
    "submission_closes": "Submission closes",
    "review_opens": "Review opens",
    "review_closes": "Review closes",
    "results_date": "Results announced",
    "contest": "Contest",
    "organisation": "Organisation",
    "track": "Track",
    "members": "Members",
    "accounts": "Other accounts of the team",
    "team": "Team",
    "showcase": "Showcase",
    "entry": "Entry",
    "judges": "Judges",
    "scores": "Scores",
    "awards": "Awards",
    "assigned": "Entries to judge",
    "public": "Published",
})
# A team's name is labelled as the team form shows it.
team_fields = Fields(dict(fields.labels, name="Team name"))


def showcase_moderate_schema() -> Schema:
    return {
        "id": [fields.required, unicode_safe],
        "decision": [fields.required, fields.choice(workflow.DECISIONS)],
        "comment": [ignore_missing, unicode_safe],
    }


def showcase_id_schema() -> Schema:
    return {"id": [fields.required, unicode_safe]}


def scenario_create_schema() -> Schema:
    return {
        "name": [fields.required, fields.url_name, unicode_safe],
        "title": [fields.required, unicode_safe],
        "description": [ignore_missing, unicode_safe],
        "packages": [ignore_missing, v.catalogue_packages],
        "position": [ignore_missing, fields.whole_number(0, 100000)],
    }


def scenario_update_schema() -> Schema:
    schema = scenario_create_schema()
    schema.update(
        {
            "id": [fields.required, unicode_safe],
            "name": [ignore_missing, fields.url_name, unicode_safe],
            "title": [ignore_missing, fields.required, unicode_safe],
            "remove_image": [ignore_missing, fields.flag],
        }
    )
    return schema


def _contest_schema(first: Any) -> Schema:
    """The contest's fields; ``first`` leads each field a new contest must have."""
    schema: Schema = {
        "name": [first, fields.url_name, unicode_safe],
        "title": [first, unicode_safe],
        "year": [first, fields.whole_number(2000, 2100)],
        "description": [ignore_missing, unicode_safe],
        "rules_url": [ignore_missing, fields.http_url],
        "criteria": [first, v.criteria],
        "tracks": [first, v.tracks],
        "packages": [ignore_missing, v.catalogue_packages],
    }
    for field in contests.DATE_FIELDS:
        schema[field] = [first, fields.iso_date]
    return schema


def contest_create_schema() -> Schema:
    return _contest_schema(fields.required)


def contest_update_schema() -> Schema:
    schema = _contest_schema(ignore_missing)
    schema["id"] = [fields.required, unicode_safe]
    schema["remove_rules"] = [ignore_missing, fields.flag]
    return schema


def contest_team_register_schema() -> Schema:
    return {
        "contest": [team_fields.required, unicode_safe],
        "name": [team_fields.required, unicode_safe],
        "organisation": [ignore_missing, unicode_safe],
        "track": [team_fields.required, unicode_safe],
        "members": [ignore_missing, v.as_list],
        "accounts": [ignore_missing, v.user_names],
    }


def contest_team_update_schema() -> Schema:
    return {
        "id": [team_fields.required, unicode_safe],
        "name": [ignore_missing, team_fields.required, unicode_safe],
        "organisation": [ignore_missing, unicode_safe],
        "track": [ignore_missing, team_fields.required, unicode_safe],
        "members": [ignore_missing, v.as_list, team_fields.required],
        "accounts": [ignore_missing, v.user_names],
    }


def contest_entry_submit_schema() -> Schema:
    return {
        "team": [fields.required, unicode_safe],
        "showcase": [ignore_missing, unicode_safe],
    }


def contest_judge_assign_schema() -> Schema:
    return {
        "entry": [fields.required, unicode_safe],
        "judges": [ignore_missing, v.user_names],
    }


def contest_score_submit_schema() -> Schema:
    return {
        "entry": [fields.required, unicode_safe],
        "scores": [fields.required],
        "comment": [ignore_missing, unicode_safe],
    }


def contest_results_publish_schema() -> Schema:
    return {
        "contest": [fields.required, unicode_safe],
        "awards": [ignore_missing, v.as_records],
    }


def contest_entry_list_schema() -> Schema:
    return {
        "contest": [fields.required, unicode_safe],
        "assigned": [ignore_missing, fields.flag],
        "public": [ignore_missing, fields.flag],
    }


def contest_id_schema() -> Schema:
    return {"id": [fields.required, unicode_safe]}

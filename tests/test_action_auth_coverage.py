"""Every action our plugins add has an auth function of its own name, and the action API refuses
it (403) to an anonymous visitor and to a plain registered user.

The few actions open to more callers are listed below with the reason; for each of those, a
call they must still refuse is made instead. A new action that is in none of the lists fails
``test_every_action_has_a_refusal_case``.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import ckan.plugins as p
import pytest
from ckan import authz
from ckan.tests.helpers import call_action

from ckanext.govdata.curation import background
from tests import factories
from tests.subjects import world as subjects_world

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

PLUGINS = (
    "govdata", "govdata_access", "govdata_stats", "govdata_showcase", "govdata_curation", "govdata_demands",
    "govdata_feedback", "govdata_quality", "govdata_subjects", "govdata_devkeys",
)

Payload = Callable[[dict[str, Any]], dict[str, Any]]
Call = tuple[str, Payload]


def _request_update(w: dict[str, Any]) -> dict[str, Any]:
    fields = factories.request_fields(w["dataset"]["id"], subject_id="", subject_consent="", purpose="改用途")
    return {"id": w["request"]["id"], **fields}


# Refused to anonymous visitors and to plain registered users alike.
REFUSED: dict[str, Payload] = {
    "govdata_access_request_show": lambda w: {"id": w["request"]["id"]},
    "govdata_access_request_update": _request_update,
    "govdata_access_request_submit": lambda w: {"id": w["request"]["id"]},
    "govdata_access_request_review": lambda w: {"id": w["request"]["id"], "outcome": "pass"},
    "govdata_access_request_decide": lambda w: {"id": w["request"]["id"], "decision": "approve"},
    "govdata_access_request_withdraw": lambda w: {"id": w["request"]["id"]},
    "govdata_access_grant_revoke": lambda w: {"id": w["grant"]["id"], "reason": "撤销"},
    "govdata_access_ledger_export": lambda w: {},
    "govdata_access_request_counts": lambda w: {},
    "govdata_access_request_decision_times": lambda w: {},
    "govdata_access_reminders_send": lambda w: {},
    "govdata_workday_override_set": lambda w: {"day": "2027-01-04", "is_workday": False},
    "govdata_workday_override_delete": lambda w: {"day": "2027-01-04"},
    "govdata_workday_schedule_import": lambda w: {
        "upload": (io.BytesIO(b"date,is_workday,note\n2027-01-04,false,test\n"), "schedule.csv")
    },
    "govdata_department_report": lambda w: {},
    "govdata_app_show": lambda w: {"id": w["app"]["id"]},
    "govdata_app_update": lambda w: {"id": w["app"]["id"], "name": "改名"},
    "govdata_app_rotate": lambda w: {"id": w["app"]["id"]},
    "govdata_app_revoke": lambda w: {"id": w["app"]["id"]},
    "govdata_api_usage": lambda w: {"organization_id": w["dataset"]["owner_org"]},
    "govdata_bulletin_generate": lambda w: {"kind": "daily"},
    "govdata_bulletin_list": lambda w: {},
    "govdata_bulletin_show": lambda w: {"id": w["bulletin"]},
    "govdata_stats_refresh": lambda w: {"package_ids": [w["dataset"]["id"]]},
    "govdata_catalogue_import": lambda w: {"upload": (io.BytesIO(b"\xe8\xb5\x84\xe6\xba\x90\xe4\xbb\xa3\xe7\xa0\x81\n"), "directory.csv")},
    "govdata_catalogue_returned_show": lambda w: {"token": "abc"},
    "govdata_catalogue_import_status": lambda w: {"job": w["import_job"]},
    "govdata_review_submit": lambda w: {"id": w["dataset"]["id"]},
    "govdata_review_decide": lambda w: {"id": w["dataset"]["id"], "decision": "unpublish", "comment": "撤回"},
    "govdata_review_show": lambda w: {"id": w["dataset"]["id"]},
    "govdata_review_list": lambda w: {},
    "govdata_catalogue_without_data": lambda w: {},
    "govdata_catalogue_duplicates": lambda w: {},
    "govdata_catalogue_grade_violations": lambda w: {},
    "govdata_overdue_list": lambda w: {},
    "govdata_catalogue_item_mismatches": lambda w: {},
    "govdata_overdue_reminders_send": lambda w: {},
    "govdata_data_items_propose": lambda w: {"id": w["dataset"]["id"]},
    "govdata_data_items_apply": lambda w: {"id": w["dataset"]["id"]},
    "govdata_search_synonym_list": lambda w: {},
    "govdata_search_synonym_save": lambda w: {"names": "测试甲,测试乙"},
    "govdata_search_synonym_delete": lambda w: {"name": "人社局"},
    "govdata_showcase_update": lambda w: {"id": w["showcase"]["id"], "title": "改标题"},
    "govdata_showcase_moderate": lambda w: {"id": w["showcase"]["id"], "decision": "published"},
    "govdata_showcase_review_list": lambda w: {"id": w["showcase"]["id"]},
    "govdata_scenario_create": lambda w: {"name": "scenario-new", "title": "新场景"},
    "govdata_scenario_update": lambda w: {"id": w["scenario"]["id"], "title": "改标题"},
    "govdata_scenario_delete": lambda w: {"id": w["scenario"]["id"]},
    "govdata_contest_create": lambda w: {"name": "contest-new", "title": "新大赛"},
    "govdata_contest_update": lambda w: {"id": w["contest"]["id"], "title": "改标题"},
    "govdata_contest_team_update": lambda w: {"id": w["team"]["id"], "name": "改队名"},
    "govdata_contest_entry_submit": lambda w: {"team": w["team"]["id"], **factories.showcase_fields()},
    "govdata_contest_judge_assign": lambda w: {"entry": w["entry"]["id"], "judges": [w["sysadmin"]["name"]]},
    "govdata_contest_score_submit": lambda w: {"entry": w["entry"]["id"], "scores": {"innovation": 40, "value": 60}},
    "govdata_contest_results_publish": lambda w: {"contest": w["contest"]["id"]},
    "govdata_demand_route": lambda w: {"id": w["demand"]["id"], "organization_id": w["dataset"]["owner_org"]},
    "govdata_demand_confirm": lambda w: {"id": w["demand"]["id"], "decision": "accept"},
    "govdata_demand_provide": lambda w: {"id": w["demand"]["id"], "package_id": w["dataset"]["id"]},
    "govdata_demand_withdraw": lambda w: {"id": w["demand"]["id"]},
    "govdata_demand_ledger_export": lambda w: {"format": "csv"},
    "govdata_demand_reminders_send": lambda w: {},
    "govdata_demand_figures": lambda w: {},
    "govdata_correction_show": lambda w: {"id": w["correction"]["id"]},
    "govdata_correction_decide": lambda w: {"id": w["correction"]["id"], "decision": "reject", "note": "无误"},
    "govdata_correction_withdraw": lambda w: {"id": w["correction"]["id"]},
    "govdata_correction_stats": lambda w: {},
    "govdata_rectification_rectify": lambda w: {"id": w["rectification"]["id"], "note": "已整改"},
    "govdata_rectification_stats": lambda w: {},
    "govdata_quality_rule_create": lambda w: {"package_id": w["dataset"]["id"], "kind": "required",
                                              "columns": ["company"]},
    "govdata_quality_rule_update": lambda w: {"id": w["quality_rule"]["id"], "kind": "required", "columns": ["company"]},
    "govdata_quality_rule_delete": lambda w: {"id": w["quality_rule"]["id"]},
    "govdata_quality_rule_list": lambda w: {"package_id": w["dataset"]["id"]},
    "govdata_quality_rules_propose": lambda w: {"package_id": w["dataset"]["id"]},
    "govdata_quality_check": lambda w: {"package_id": w["dataset"]["id"]},
    "govdata_quality_result_show": lambda w: {"package_id": w["dataset"]["id"]},
    "govdata_quality_failing_rows": lambda w: {"rule_id": w["quality_rule"]["id"]},
    "govdata_quality_figures": lambda w: {},
    "govdata_subject_verify_confirm": lambda w: {"challenge_id": w["challenge"], "answer": "123456"},
    "govdata_subject_row_flag": lambda w: {"subject_id": w["subject"]["id"], "resource_id": w["table"]["id"],
                                           "row": 1, "description": "有误"},
    "govdata_subject_grant_create": lambda w: {"subject_id": w["subject"]["id"], "package_id": w["dataset"]["id"],
                                               "grantee": w["sysadmin"]["name"], "purpose": "核验",
                                               "expires_on": "2030-01-01"},
    "govdata_subject_grant_revoke": lambda w: {"id": w["subject_grant"]["id"]},
    "govdata_audit_list": lambda w: {},
    "govdata_audit_export": lambda w: {"format": "csv"},
}

# Open to every signed-in user for their own things; refused to anonymous visitors. The plain
# user is refused the call given instead (someone else's, or the staff variant).
SIGNED_IN: dict[str, tuple[str, Payload, Call]] = {
    "govdata_app_create": (
        "anyone registered may register an application and get a key",
        lambda w: {"name": "我的应用"},
        ("govdata_app_show", lambda w: {"id": w["app"]["id"]}),
    ),
    "govdata_app_list": (
        "lists the caller's own applications",
        lambda w: {},
        ("govdata_app_list", lambda w: {"user_id": w["sysadmin"]["id"]}),
    ),
    "govdata_app_public_show": (
        "an application's name and owner by its key, for data subjects who authorise it",
        lambda w: {"id": w["app"]["key"]},
        ("govdata_app_show", lambda w: {"id": w["app"]["id"]}),
    ),
    "govdata_app_usage": (
        "usage of the caller's own applications",
        lambda w: {},
        ("govdata_app_usage", lambda w: {"id": w["app"]["id"]}),
    ),
    "govdata_access_request_create": (
        "anyone registered may apply for conditional data",
        lambda w: factories.request_fields(w["dataset"]["id"], subject_id="", subject_consent=""),
        ("govdata_access_request_update", _request_update),
    ),
    "govdata_access_request_list": (
        "lists the caller's own requests (scope=review is empty for non-staff)",
        lambda w: {},
        ("govdata_access_ledger_export", lambda w: {}),
    ),
    "govdata_access_grant_list": (
        "lists the caller's own grants",
        lambda w: {},
        ("govdata_access_grant_revoke", lambda w: {"id": w["grant"]["id"], "reason": "撤销"}),
    ),
    "govdata_access_notice_list": (
        "lists the caller's own notices",
        lambda w: {},
        ("govdata_access_request_show", lambda w: {"id": w["request"]["id"]}),
    ),
    "govdata_access_notice_read": (
        "marks the caller's own notices read (filtered on the caller)",
        lambda w: {"id": w["request"]["id"]},
        ("govdata_access_request_show", lambda w: {"id": w["request"]["id"]}),
    ),
    "govdata_showcase_create": (
        "anyone registered may submit a showcase for moderation",
        lambda w: factories.showcase_fields(),
        ("govdata_showcase_update", lambda w: {"id": w["showcase"]["id"], "title": "改标题"}),
    ),
    "govdata_correction_create": (
        "anyone registered may report an error in published data",
        lambda w: {"package_id": w["dataset"]["id"], "description": "电话号码少一位"},
        ("govdata_correction_withdraw", lambda w: {"id": w["correction"]["id"]}),
    ),
    "govdata_correction_list": (
        "lists the caller's own reports (scope=review is empty for non-staff)",
        lambda w: {},
        ("govdata_correction_stats", lambda w: {}),
    ),
    "govdata_rating_create": (
        "anyone registered may rate published data",
        lambda w: {"package_id": w["dataset"]["id"], "value": "good"},
        ("govdata_rectification_rectify", lambda w: {"id": w["rectification"]["id"], "note": "已整改"}),
    ),
    "govdata_rectification_list": (
        "lists the items of the caller's own bad ratings (scope=review is empty for non-staff)",
        lambda w: {},
        ("govdata_rectification_stats", lambda w: {}),
    ),
    "govdata_feedback_notice_list": (
        "lists the caller's own notices",
        lambda w: {},
        ("govdata_correction_show", lambda w: {"id": w["correction"]["id"]}),
    ),
    "govdata_feedback_notice_read": (
        "marks the caller's own notices read (filtered on the caller)",
        lambda w: {},
        ("govdata_correction_show", lambda w: {"id": w["correction"]["id"]}),
    ),
    "govdata_contest_team_register": (
        "anyone registered may register a team while registration is open",
        lambda w: {"contest": w["contest"]["id"], "name": "新队伍", "organisation": "绍兴文理学院", "track": "city",
                   "members": ["王五"]},
        ("govdata_contest_team_update", lambda w: {"id": w["team"]["id"], "name": "改队名"}),
    ),
    "govdata_demand_create": (
        "anyone registered may submit a data demand (rate-limited)",
        lambda w: factories.demand_fields(),
        ("govdata_demand_withdraw", lambda w: {"id": w["demand"]["id"]}),
    ),
    "govdata_demand_support": (
        "anyone registered but the requester may support a demand once",
        lambda w: {"id": w["demand"]["id"]},
        ("govdata_demand_confirm", lambda w: {"id": w["demand"]["id"], "decision": "accept"}),
    ),
    "govdata_demand_notice_list": (
        "lists the caller's own notices",
        lambda w: {},
        ("govdata_demand_ledger_export", lambda w: {}),
    ),
    "govdata_demand_notice_read": (
        "marks the caller's own notices read (filtered on the caller)",
        lambda w: {"id": w["demand"]["id"]},
        ("govdata_demand_route", lambda w: {"id": w["demand"]["id"], "outcome": "dismiss", "reason": "x"}),
    ),
    "govdata_subject_verify_start": (
        "anyone registered may prove who they are",
        lambda w: {"document_type": "credit_code", "number": factories.credit_code("91330600MA2BC0KY2"),
                   "agent_name": "经办人"},
        ("govdata_subject_verify_confirm", lambda w: {"challenge_id": w["challenge"], "answer": "123456"}),
    ),
    "govdata_subject_list": (
        "lists the caller's own verified subjects",
        lambda w: {},
        ("govdata_audit_list", lambda w: {}),
    ),
    "govdata_subject_rows": (
        "the rows about the caller's own subjects (none for a plain user)",
        lambda w: {},
        ("govdata_subject_rows", lambda w: {"subject_id": w["subject"]["id"]}),
    ),
    "govdata_subject_grant_list": (
        "lists the grants the caller's own subjects issued",
        lambda w: {},
        ("govdata_subject_grant_list", lambda w: {"subject_id": w["subject"]["id"]}),
    ),
    "govdata_subject_audit_list": (
        "the trail of reads of the caller's own subjects' rows",
        lambda w: {},
        ("govdata_subject_audit_list", lambda w: {"subject_id": w["subject"]["id"]}),
    ),
}

# Open to everyone, anonymous visitors included; both are refused the call given instead.
PUBLIC: dict[str, tuple[str, Payload, Call]] = {
    "govdata_statistics": (
        "the published figures are public; staff figures are not",
        lambda w: {},
        ("govdata_statistics", lambda w: {"audience": "staff"}),
    ),
    "govdata_workday_calendar_show": (
        "the working-day calendar behind every published deadline",
        lambda w: {},
        ("govdata_workday_override_set", lambda w: {"day": "2027-01-04", "is_workday": False}),
    ),
    "govdata_showcase_list_for_package": (
        "published showcases shown on a dataset's page",
        lambda w: {"id": w["dataset"]["id"]},
        ("govdata_showcase_review_list", lambda w: {"id": w["showcase"]["id"]}),
    ),
    "govdata_scenario_show": (
        "open scenarios are public pages",
        lambda w: {"id": w["scenario"]["id"]},
        ("govdata_scenario_update", lambda w: {"id": w["scenario"]["id"], "title": "改标题"}),
    ),
    "govdata_scenario_list": (
        "open scenarios are public pages",
        lambda w: {},
        ("govdata_scenario_create", lambda w: {"name": "scenario-new", "title": "新场景"}),
    ),
    "govdata_contest_show": (
        "contests are announced publicly",
        lambda w: {"id": w["contest"]["id"]},
        ("govdata_contest_update", lambda w: {"id": w["contest"]["id"], "title": "改标题"}),
    ),
    "govdata_contest_list": (
        "contests are announced publicly",
        lambda w: {},
        ("govdata_contest_create", lambda w: {"name": "contest-new", "title": "新大赛"}),
    ),
    "govdata_contest_team_show": (
        "registered teams are listed publicly",
        lambda w: {"id": w["team"]["id"]},
        ("govdata_contest_team_update", lambda w: {"id": w["team"]["id"], "name": "改队名"}),
    ),
    "govdata_contest_entry_list": (
        "published entries are public; the action narrows the rest to each caller",
        lambda w: {"contest": w["contest"]["id"]},
        ("govdata_contest_score_submit", lambda w: {"entry": w["entry"]["id"], "scores": {"innovation": 40}}),
    ),
    "govdata_rating_summary": (
        "a published dataset's good and bad counts are shown on its page",
        lambda w: {"package_id": w["dataset"]["id"]},
        ("govdata_correction_stats", lambda w: {}),
    ),
    "govdata_search_suggest": (
        "the search box's suggestions; the action narrows them to what each caller finds by search",
        lambda w: {"q": "公交"},
        ("govdata_department_report", lambda w: {}),
    ),
    "govdata_demand_list": (
        "the public demand list, without the requesters' details; scope=queue is empty for non-staff",
        lambda w: {},
        ("govdata_demand_provide", lambda w: {"id": w["demand"]["id"], "package_id": w["dataset"]["id"]}),
    ),
    "govdata_demand_show": (
        "a routed demand is public, without the requester's details",
        lambda w: {"id": w["demand"]["id"]},
        ("govdata_demand_reminders_send", lambda w: {}),
    ),
}


def our_actions() -> dict[str, Any]:
    """Actions our plugins register, without the core actions they chain."""
    actions: dict[str, Any] = {}
    for plugin in PLUGINS:
        for name, function in p.get_plugin(plugin).get_actions().items():
            if not getattr(function, "chained_action", False):
                actions[name] = function
    return actions


@pytest.fixture
def world() -> dict[str, Any]:
    """One of each object the actions work on, owned by other people than the callers."""
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
    applicant = factories.user()
    request = factories.access_request(applicant, dataset["id"], subject_id="", subject_consent="")
    leader = factories.user()
    contest = factories.contest()
    team = factories.contest_team(contest["id"], leader)
    sysadmin = factories.sysadmin()
    reporter = factories.user()
    reporter_context = {"user": reporter["name"], "ignore_auth": False}
    correction = call_action("govdata_correction_create", dict(reporter_context), package_id=dataset["id"],
                             description="数据有误")
    subject = subjects_world.stored_subject(applicant["id"], "91330600MA2BC0JX1X", "credit_code")
    rated = call_action("govdata_rating_create", dict(reporter_context), package_id=dataset["id"], value="bad",
                        reason="缺少说明")
    return {
        "sysadmin": sysadmin,
        "dataset": dataset,
        "request": request,
        "grant": factories.grant(applicant["id"], dataset["id"]),
        "showcase": factories.showcase(),
        "scenario": call_action("govdata_scenario_create", {"user": sysadmin["name"]}, name="scenario-1", title="场景"),
        "contest": contest,
        "team": team,
        "entry": factories.contest_entry(team["id"], leader),
        "demand": factories.routed_demand(applicant, department["id"]),
        "correction": correction,
        "rectification": rated["rectification"],
        "bulletin": call_action("govdata_bulletin_generate", {"user": sysadmin["name"]}, kind="weekly")["bulletins"][0],
        # Someone else's background import.
        "import_job": background.start(sysadmin["name"], "目录.csv", b"", partial=False, confirm_duplicates=False,
                                       rows=1)["id"],
        "subject": subject,
        "challenge": subjects_world.stored_challenge(applicant["id"]),
        "table": next(r for r in dataset["resources"] if r.get("datastore_active")),
        "subject_grant": factories.grant(sysadmin["id"], dataset["id"], source=f"subject:{subject['id']}",
                                         row_filter={"column": "credit_code", "value": "91330600MA2BC0JX1X"}),
        "app": call_action("govdata_app_create", {"user": applicant["name"], "ignore_auth": False}, name="他人的应用"),
        "quality_rule": call_action("govdata_quality_rule_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
                                    kind="required", columns=["credit_code"]),
    }


def _post(app: Any, action: str, data: dict[str, Any], user: dict[str, Any] | None) -> Any:
    headers = {"Authorization": user["token"]} if user else {}
    if any(isinstance(value, tuple) for value in data.values()):
        return app.post(f"/api/3/action/{action}", data=data, headers=headers)
    return app.post(f"/api/3/action/{action}", json=data, headers=headers)


def test_every_action_has_a_refusal_case():
    listed = set(REFUSED) | set(SIGNED_IN) | set(PUBLIC)

    assert set(our_actions()) == listed
    assert not set(REFUSED) & set(SIGNED_IN) and not set(REFUSED) & set(PUBLIC) and not set(SIGNED_IN) & set(PUBLIC)
    assert len(SIGNED_IN) + len(PUBLIC) < len(REFUSED), "the lists of open actions are meant to stay short"


def test_every_action_has_an_auth_function_of_its_name():
    registered = set(authz.auth_functions_list())

    assert sorted(set(our_actions()) - registered) == []


def test_the_action_api_refuses_every_action_to_those_not_entitled(app, world):
    anonymous, plain_user = None, factories.user()
    wrong: list[str] = []

    def expect(status: int, action: str, payload: Payload, caller: dict[str, Any] | None) -> None:
        response = _post(app, action, payload(world), caller)
        if response.status_code != status:
            who = "anonymous" if caller is None else "plain user"
            wrong.append(f"{action} as {who}: {response.status_code} (wanted {status}) {response.body[:300]}")

    for action, payload in REFUSED.items():
        expect(403, action, payload, anonymous)
        expect(403, action, payload, plain_user)
    for action, (_reason, payload, (refused_action, refused_payload)) in SIGNED_IN.items():
        expect(403, action, payload, anonymous)
        expect(200, action, payload, plain_user)
        expect(403, refused_action, refused_payload, plain_user)
    for action, (_reason, payload, (refused_action, refused_payload)) in PUBLIC.items():
        expect(200, action, payload, anonymous)
        expect(403, refused_action, refused_payload, anonymous)
        expect(403, refused_action, refused_payload, plain_user)

    assert not wrong, "\n".join(wrong)

"""A demand's full cycle through the action API, with working-day deadlines from the calendar."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests.helpers import call_action
from freezegun import freeze_time

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

# 10:00 in Beijing on Wednesday 30 September 2026, the eve of the National Day holiday
# (1–7 October off; Saturday 10 October an adjusted working day, Sunday 11 October not).
EVE_OF_NATIONAL_DAY = "2026-09-30 02:00:00"


def _as(user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user["name"], "ignore_auth": False}


@pytest.fixture
def world() -> dict[str, Any]:
    department = factories.department()
    return {
        "department": department,
        "editor": factories.member(department["id"], "editor", email="editor@sx.gov.cn"),
        "requester": factories.user(email="requester@example.com"),
        "bureau": factories.sysadmin(email="bureau@sx.gov.cn"),
        "dataset": factories.dataset(department["id"]),
    }


def test_a_submitted_demand_waits_for_routing_and_tells_the_bureau(world):
    demand = factories.demand(world["requester"], suggested_organization_id=world["department"]["name"])

    notices = call_action("govdata_demand_notice_list", _as(world["bureau"]))

    assert demand["state"] == "submitted"
    assert demand["suggested_organization_id"] == world["department"]["id"]
    assert demand["organization_id"] is None and demand["due_date"] is None
    assert [event["action"] for event in demand["events"]] == ["submitted"]
    assert [(n["kind"], n["demand_id"]) for n in notices] == [("new_demand", demand["id"])]


def test_deadlines_skip_the_national_day_holiday_and_count_the_adjusted_saturday(world):
    with freeze_time(EVE_OF_NATIONAL_DAY):
        demand = factories.demand(world["requester"])
        routed = call_action("govdata_demand_route", _as(world["bureau"]), id=demand["id"],
                             organization_id=world["department"]["id"])

    # Working days after 30 Sep: 8 Oct, 9 Oct, Sat 10 Oct (adjusted), 12 Oct, 13 Oct … 20 Oct.
    assert routed["state"] == "routed"
    assert routed["confirm_due"] == "2026-10-13"
    assert routed["provide_due"] == "2026-10-20"
    assert routed["due_date"] == "2026-10-13"


def test_the_full_cycle_on_time_records_each_step_with_working_days(world):
    editor = _as(world["editor"])
    with freeze_time(EVE_OF_NATIONAL_DAY):
        demand = factories.demand(world["requester"])
        call_action("govdata_demand_route", _as(world["bureau"]), id=demand["id"],
                    organization_id=world["department"]["id"], reason="请交通局办理")
    with freeze_time("2026-10-10 02:00:00"):  # the adjusted working Saturday
        accepted = call_action("govdata_demand_confirm", dict(editor), id=demand["id"], decision="accept")
    with freeze_time("2026-10-20 08:00:00"):  # the last day, 16:00 in Beijing
        provided = call_action("govdata_demand_provide", dict(editor), id=demand["id"],
                               package_id=world["dataset"]["name"])
    with freeze_time("2026-10-21 02:00:00"):
        shown = call_action("govdata_demand_show", _as(world["requester"]), id=demand["id"])

    assert accepted["state"] == "accepted" and accepted["due_date"] == "2026-10-20"
    assert provided["state"] == "provided"
    assert provided["package_id"] == world["dataset"]["id"]
    assert (shown["confirm_days_taken"], shown["confirm_timeliness"]) == (3, "on_time")
    assert (shown["provide_days_taken"], shown["provide_timeliness"]) == (10, "on_time")
    steps = [(e["action"], e["working_days"], e["timeliness"]) for e in shown["events"]]
    assert steps == [("submitted", 0, None), ("routed", 0, None), ("accepted", 3, "on_time"),
                     ("provided", 7, "on_time")]


def test_a_late_confirmation_is_overdue_and_the_list_flags_it(world):
    with freeze_time(EVE_OF_NATIONAL_DAY):
        demand = factories.routed_demand(world["requester"], world["department"]["id"])
    with freeze_time("2026-10-13 09:00:00"):  # 17:00 in Beijing on the deadline
        on_the_day = call_action("govdata_demand_list", _as(world["editor"]), scope="queue")["results"][0]
    with freeze_time("2026-10-14 02:00:00"):
        late = call_action("govdata_demand_list", _as(world["editor"]), scope="queue")["results"][0]
        overdue_only = call_action("govdata_demand_list", _as(world["editor"]), scope="queue", overdue=True)
        declined = call_action("govdata_demand_confirm", _as(world["editor"]), id=demand["id"],
                               decision="decline", reason="涉及个人隐私，不予开放")

    assert on_the_day["overdue"] is False and on_the_day["confirm_timeliness"] == "on_time"
    assert late["overdue"] is True and late["confirm_timeliness"] == "overdue"
    assert overdue_only["count"] == 1
    assert declined["state"] == "declined" and declined["confirm_timeliness"] == "overdue"
    assert declined["confirm_days_taken"] == 6
    assert declined["reason"] == "涉及个人隐私，不予开放"


def test_already_open_links_the_dataset_and_answers_the_demand(world):
    demand = factories.routed_demand(world["requester"], world["department"]["id"])

    answered = call_action("govdata_demand_confirm", _as(world["editor"]), id=demand["id"],
                           decision="already_open", package_id=world["dataset"]["id"])

    assert answered["state"] == "already_open"
    assert answered["package_name"] == world["dataset"]["name"]
    assert answered["confirm_timeliness"] == "on_time" and answered["provided_at"] == answered["confirmed_at"]


def test_the_requester_is_told_at_each_step_in_app_and_by_mail(world, mail_server):
    demand = factories.routed_demand(world["requester"], world["department"]["id"])
    after_routing = call_action("govdata_demand_notice_list", _as(world["requester"]))
    department_told = call_action("govdata_demand_notice_list", _as(world["editor"]))
    call_action("govdata_demand_notice_read", _as(world["requester"]), id=demand["id"])
    call_action("govdata_demand_confirm", _as(world["editor"]), id=demand["id"], decision="accept")
    call_action("govdata_demand_provide", _as(world["editor"]), id=demand["id"], package_id=world["dataset"]["id"])

    unread = call_action("govdata_demand_notice_list", _as(world["requester"]))
    mails = mail_server.get_smtp_messages()
    to_requester = [mail for mail in mails if "requester@example.com" in mail[2]]

    assert [n["kind"] for n in after_routing] == ["routed"]
    assert [n["kind"] for n in department_told] == ["to_confirm"]
    assert sorted(n["kind"] for n in unread) == ["accepted", "provided"]
    assert len(to_requester) == 3
    assert any("editor@sx.gov.cn" in mail[2] for mail in mails)


def test_the_bureau_reroutes_to_another_department_and_the_deadlines_restart(world):
    other = factories.department()
    with freeze_time("2026-11-02 02:00:00"):  # Monday
        demand = factories.routed_demand(world["requester"], world["department"]["id"])
    with freeze_time("2026-11-04 02:00:00"):
        rerouted = call_action("govdata_demand_route", _as(world["bureau"]), id=demand["id"],
                               organization_id=other["id"], reason="应由其他部门办理")

    assert demand["confirm_due"] == "2026-11-09"
    assert rerouted["organization_id"] == other["id"] and rerouted["confirm_due"] == "2026-11-11"
    assert [e["action"] for e in rerouted["events"]][-1] == "rerouted"


def test_the_bureau_dismisses_a_demand_with_a_reason_and_it_stays_off_the_public_list(world):
    demand = factories.demand(world["requester"])

    without_reason = _refusal("govdata_demand_route", _as(world["bureau"]), id=demand["id"], outcome="dismiss")
    dismissed = call_action("govdata_demand_route", _as(world["bureau"]), id=demand["id"], outcome="dismiss",
                            reason="与开放数据无关")
    public = call_action("govdata_demand_list", {})

    assert "reason" in without_reason
    assert dismissed["state"] == "dismissed"
    assert public["count"] == 0


def test_the_requester_withdraws_before_confirmation_only(world):
    first = factories.routed_demand(world["requester"], world["department"]["id"])
    second = factories.routed_demand(world["requester"], world["department"]["id"])
    call_action("govdata_demand_confirm", _as(world["editor"]), id=second["id"], decision="accept")

    withdrawn = call_action("govdata_demand_withdraw", _as(world["requester"]), id=first["id"])
    again = call_action("govdata_demand_withdraw", _as(world["requester"]), id=first["id"])
    refused = _refusal("govdata_demand_withdraw", _as(world["requester"]), id=second["id"])

    assert withdrawn["state"] == again["state"] == "withdrawn"
    assert "state" in refused


def test_others_support_a_demand_once_each_but_not_the_requester(world):
    demand = factories.routed_demand(world["requester"], world["department"]["id"])
    supporter, another = factories.user(), factories.user()

    call_action("govdata_demand_support", _as(supporter), id=demand["id"])
    twice = call_action("govdata_demand_support", _as(supporter), id=demand["id"])
    call_action("govdata_demand_support", _as(another), id=demand["id"])
    by_supporters = call_action("govdata_demand_list", {}, sort="supporters")

    assert twice["supporters"] == 1 and twice["supported"] is True
    assert by_supporters["results"][0]["supporters"] == 2
    with pytest.raises(Exception, match="own demand"):
        call_action("govdata_demand_support", _as(world["requester"]), id=demand["id"])


def test_provide_needs_a_published_dataset(world):
    demand = factories.routed_demand(world["requester"], world["department"]["id"])
    call_action("govdata_demand_confirm", _as(world["editor"]), id=demand["id"], decision="accept")
    private = factories.dataset(world["department"]["id"], private=True)

    missing = _refusal("govdata_demand_provide", _as(world["editor"]), id=demand["id"])
    unpublished = _refusal("govdata_demand_provide", _as(world["editor"]), id=demand["id"], package_id=private["id"])
    wrong_resource = _refusal("govdata_demand_provide", _as(world["editor"]), id=demand["id"],
                              package_id=world["dataset"]["id"], resource_id="no-such-resource")

    assert "数据集" in missing["package_id"][0] and "Dataset" in missing["package_id"][0]
    assert "published" in unpublished["package_id"][0]
    assert "resource_id" in wrong_resource
    assert call_action("govdata_demand_show", _as(world["editor"]), id=demand["id"])["state"] == "accepted"


def _refusal(action: str, context: dict[str, Any], **data: Any) -> dict[str, Any]:
    from ckan.logic import ValidationError

    with pytest.raises(ValidationError) as refused:
        call_action(action, context, **data)
    return refused.value.error_dict

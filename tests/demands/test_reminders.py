"""Departments are reminded of demands due soon and overdue, by mail and in-app, once each."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.cli.cli import ckan
from ckan.tests.helpers import call_action
from freezegun import freeze_time

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def routed() -> dict[str, Any]:
    department = factories.department()
    editor = factories.member(department["id"], "editor", email="editor@sx.gov.cn")
    bureau = factories.sysadmin(email="bureau@sx.gov.cn")
    with freeze_time("2026-09-30 02:00:00"):  # confirm by 13 Oct, provide by 20 Oct (National Day between)
        demand = factories.routed_demand(factories.user(), department["id"])
    return {"demand": demand, "editor": editor, "bureau": bureau}


def test_reminders_go_once_before_and_once_after_each_deadline(routed, mail_server):
    site = {"user": routed["bureau"]["name"], "ignore_auth": False}
    with freeze_time("2026-10-10 01:00:00"):  # the adjusted Saturday: two working days left
        too_early = call_action("govdata_demand_reminders_send", dict(site))
    with freeze_time("2026-10-12 01:00:00"):
        due_soon = call_action("govdata_demand_reminders_send", dict(site))
        repeated = call_action("govdata_demand_reminders_send", dict(site))
    with freeze_time("2026-10-14 01:00:00"):
        overdue = call_action("govdata_demand_reminders_send", dict(site))
        notices = call_action("govdata_demand_notice_list", {"user": routed["editor"]["name"]})
        call_action("govdata_demand_confirm", {"user": routed["editor"]["name"]}, id=routed["demand"]["id"],
                    decision="accept")
    with freeze_time("2026-10-21 01:00:00"):
        provision_overdue = call_action("govdata_demand_reminders_send", dict(site))
        ledger = call_action("govdata_demand_show", dict(site), id=routed["demand"]["id"])

    assert (too_early["due_soon"], too_early["overdue"]) == (0, 0)
    assert due_soon["due_soon"] == 1 and repeated["due_soon"] == 0
    assert overdue["overdue"] == 1
    assert provision_overdue["overdue"] == 1
    assert sorted(notice["kind"] for notice in notices) == ["due_soon", "overdue", "to_confirm"]
    reminders = [event["note"] for event in ledger["events"] if event["action"] == "reminded"]
    assert reminders == ["due_soon:routed:2026-10-13", "overdue:routed:2026-10-13", "overdue:accepted:2026-10-20"]
    recipients = [message[2] for message in mail_server.get_smtp_messages()]
    assert ["bureau@sx.gov.cn"] in recipients and ["editor@sx.gov.cn"] in recipients


def test_the_reminder_command_runs_from_cron(routed, cli, mail_server):
    result = cli.invoke(ckan, ["govdata-demands", "remind", "--today", "2026-10-14"])

    assert result.exit_code == 0, result.output
    assert "overdue: 1" in result.output


def test_only_the_bureau_sends_reminders(routed):
    from ckan.logic import NotAuthorized

    with pytest.raises(NotAuthorized):
        call_action("govdata_demand_reminders_send", {"user": routed["editor"]["name"], "ignore_auth": False})


def test_figures_per_department_count_working_days_and_on_time_rates(routed):
    site = {"user": routed["bureau"]["name"], "ignore_auth": False}
    editor = {"user": routed["editor"]["name"], "ignore_auth": False}
    department_id = routed["demand"]["organization_id"]
    dataset = factories.dataset(department_id)
    with freeze_time("2026-09-30 02:00:00"):
        late = factories.routed_demand(factories.user(), department_id)
    with freeze_time("2026-10-09 02:00:00"):
        call_action("govdata_demand_confirm", dict(editor), id=routed["demand"]["id"], decision="accept")
    with freeze_time("2026-10-15 02:00:00"):
        call_action("govdata_demand_confirm", dict(editor), id=late["id"], decision="accept")
        call_action("govdata_demand_provide", dict(editor), id=routed["demand"]["id"], package_id=dataset["id"])
    with freeze_time("2026-10-22 02:00:00"):
        figures = call_action("govdata_demand_figures", dict(site))[department_id]

    assert figures["routed"] == 2 and figures["confirmed"] == 2
    assert figures["confirmed_on_time"] == 1 and figures["confirm_on_time_rate"] == 0.5
    assert figures["days_to_confirm"] == (2 + 7) / 2
    assert (figures["provided"], figures["provided_on_time"], figures["days_to_provide"]) == (1, 1, 7)
    assert figures["overdue"] == 1  # the late one is past its provision deadline (20 Oct)
    # The provision still waiting past its deadline counts against the department.
    assert figures["provide_on_time_rate"] == 0.5
    assert figures["on_time_rate"] == (1 + 1) / (2 + 2)

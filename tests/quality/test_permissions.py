"""Quality rules, results and failing rows from outside: anonymous, a plain user, another
department's staff, the department's staff and a sysadmin, through the action API and the page."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata.quality import jobs
from tests import factories
from tests.quality.test_checks import ROWS, text_table

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def world() -> dict[str, Any]:
    department, other = factories.department(), factories.department()
    dataset = factories.dataset(department["id"])
    table = text_table(dataset["id"], ROWS)
    sysadmin = factories.sysadmin()
    rule = call_action("govdata_quality_rule_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
                       kind="required", columns=["credit_code"])
    run = call_action("govdata_quality_check", {"user": sysadmin["name"]}, package_id=dataset["id"])
    jobs.run_checks(run["id"])
    return {
        "dataset": dataset, "table": table, "rule": rule, "department": department,
        "callers": {
            "anonymous": None, "plain": factories.user(), "other department": factories.member(other["id"]),
            "department": factories.member(department["id"]), "sysadmin": sysadmin,
        },
    }


def _post(app: Any, action: str, data: dict[str, Any], caller: dict[str, Any] | None) -> Any:
    headers = {"Authorization": caller["token"]} if caller else {}
    return app.post(f"/api/3/action/{action}", json=data, headers=headers)


ALLOWED = {"department", "sysadmin"}


@pytest.mark.parametrize("who", ["anonymous", "plain", "other department", "department", "sysadmin"])
def test_only_the_department_and_sysadmins_manage_checks_and_read_failing_rows(app, world, who):
    caller = world["callers"][who]
    calls = [
        ("govdata_quality_rule_list", {"package_id": world["dataset"]["id"]}),
        ("govdata_quality_result_show", {"package_id": world["dataset"]["id"]}),
        ("govdata_quality_failing_rows", {"rule_id": world["rule"]["id"]}),
        ("govdata_quality_rules_propose", {"package_id": world["dataset"]["id"]}),
        ("govdata_quality_check", {"package_id": world["dataset"]["id"]}),
        ("govdata_quality_rule_create", {"package_id": world["dataset"]["id"], "kind": "required",
                                         "columns": ["phone"]}),
        ("govdata_quality_figures", {"organization_id": world["department"]["id"]}),
    ]
    wanted = 200 if who in ALLOWED else 403
    for action, data in calls:
        assert _post(app, action, data, caller).status_code == wanted, action

    download = app.get(f"/dataset/{world['dataset']['name']}/quality/{world['rule']['id']}/failing.csv",
                       headers={"Authorization": caller["token"]} if caller else {})
    if who in ALLOWED:
        assert download.status_code == 200
        assert download.body.lstrip("\ufeff").splitlines()[1].startswith("3,")
    else:
        assert download.status_code == 403 and "3," not in download.body
    page = app.get(f"/dataset/{world['dataset']['name']}/quality",
                   headers={"Authorization": caller["token"]} if caller else {})
    assert page.status_code == (200 if who in ALLOWED else 403)


def test_all_departments_figures_are_the_bureaus(app, world):
    assert _post(app, "govdata_quality_figures", {}, world["callers"]["department"]).status_code == 403
    assert _post(app, "govdata_quality_figures", {}, world["callers"]["sysadmin"]).status_code == 200


def test_another_department_cannot_delete_or_change_a_rule(app, world):
    other = world["callers"]["other department"]
    assert _post(app, "govdata_quality_rule_delete", {"id": world["rule"]["id"]}, other).status_code == 403
    assert _post(app, "govdata_quality_rule_update", {"id": world["rule"]["id"], "kind": "required",
                                                      "columns": ["phone"]}, other).status_code == 403
    assert len(call_action("govdata_quality_rule_list", {"user": world["callers"]["sysadmin"]["name"]},
                           package_id=world["dataset"]["id"])) == 1


@pytest.mark.parametrize(("who", "linked"), [
    ("anonymous", False), ("plain", False), ("other department", False), ("department", True), ("sysadmin", True),
])
def test_the_dataset_page_links_the_quality_page_for_those_who_may_open_it(app, world, who, linked):
    caller = world["callers"][who]
    headers = {"Authorization": caller["token"]} if caller else {}
    quality_url = f"/dataset/{world['dataset']['name']}/quality"

    page = app.get(f"/dataset/{world['dataset']['name']}", headers=headers).get_data(as_text=True)

    assert (f'href="{quality_url}"' in page) is linked
    if linked:
        assert app.get(quality_url, headers=headers).status_code == 200

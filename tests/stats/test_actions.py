"""govdata_statistics and govdata_department_report through the action API."""
from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from ckan.tests.helpers import call_action
from freezegun import freeze_time

from ckanext.govdata import calendar
from ckanext.govdata.stats import usage
from tests import factories

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
    pytest.mark.ckan_config("ckanext.govdata.stats.flush_interval", 0),
]
API = "/api/3/action"


def _get(app, action: str, status: int = 200, token: str | None = None, **params: str) -> dict:
    headers = {"Authorization": token} if token else {}
    response = app.get(f"{API}/{action}", query_string=params, headers=headers, status=status)
    return response.json


@pytest.fixture
def catalogue() -> dict:
    transport = factories.department(title="交通运输局")
    health = factories.department(title="卫生健康委")
    factories.dataset_with_data(transport["id"], catalogue_class="公交客运", resource_library="theme-transport")
    factories.dataservice(transport["id"], catalogue_class="公交客运")
    factories.dataset_with_data(health["id"], domain="health", catalogue_class="门诊", private=True)
    return {"transport": transport, "health": health}


def test_public_statistics_are_open_to_anyone(app, catalogue):
    result = _get(app, "govdata_statistics")["result"]
    assert result["scope"] == "site"
    assert result["audience"] == "public"
    figures = result["figures"]
    assert (figures["departments"], figures["domains"], figures["catalogue_classes"]) == (1, 1, 1)
    assert (figures["datasets"], figures["apis"], figures["data_items"], figures["records"]) == (1, 1, 4, 2400)
    [domain] = result["breakdowns"]["domain"]
    assert (domain["key"], domain["label"], domain["packages"]) == ("transport", "交通运输", 2)
    [department] = result["breakdowns"]["department"]
    assert (department["key"], department["title"], department["name"]) == (
        catalogue["transport"]["id"], "交通运输局", catalogue["transport"]["name"]
    )
    assert result["new_datasets"] == [{"month": "2023-01", "datasets": 1, "apis": 1}]
    assert len(result["usage_series"]["downloads"]) == result["usage"]["recent_days"] == 30
    assert "requests_by_state" not in result


def test_domain_and_department_scopes(app, catalogue):
    domain = _get(app, "govdata_statistics", scope="domain", id="transport")["result"]
    assert (domain["title"], domain["figures"]["datasets"], domain["figures"]["departments"]) == ("交通运输", 1, 1)
    department = _get(app, "govdata_statistics", scope="department", id=catalogue["health"]["name"])["result"]
    assert department["id"] == catalogue["health"]["id"]
    assert department["figures"]["datasets"] == 0


def test_staff_figures_include_private_datasets_for_staff_only(app, catalogue):
    _get(app, "govdata_statistics", status=403, audience="staff")
    sysadmin = factories.sysadmin()
    figures = _get(app, "govdata_statistics", token=sysadmin["token"], audience="staff")["result"]["figures"]
    assert figures["datasets"] == 2

    editor = factories.user()
    call_action("organization_member_create", factories.site_context(), id=catalogue["health"]["id"], username=editor["name"], role="editor")
    own = _get(app, "govdata_statistics", token=editor["token"], audience="staff", scope="department", id=catalogue["health"]["id"])
    assert own["result"]["figures"]["datasets"] == 1
    _get(app, "govdata_statistics", status=403, token=editor["token"], audience="staff", scope="department", id=catalogue["transport"]["id"])
    _get(app, "govdata_statistics", status=403, token=editor["token"], audience="staff")


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"scope": "city"}, "scope", "Unknown value for Scope: city"),
        ({"scope": "domain"}, "id", "ID is required"),
        ({"scope": "domain", "id": "weather"}, "id", "Unknown value for Domain: weather"),
        ({"scope": "department", "id": "no-such-department"}, "id", "Unknown value for Department: no-such-department"),
        ({"audience": "everyone"}, "audience", "Unknown value for Audience: everyone"),
        ({"limit": "many"}, "limit", "Limit must be a whole number: many"),
        ({"limit": "0"}, "limit", "Limit must be between 1 and 1000: 0"),
    ],
)
def test_bad_statistics_parameters_are_409s_naming_the_field(app, params, field, message):
    error = _get(app, "govdata_statistics", status=409, **params)["error"]
    [text] = error[field]
    assert text.endswith(" / " + message)


def test_department_report_is_for_staff(app, catalogue):
    _get(app, "govdata_department_report", status=403)
    _get(app, "govdata_department_report", status=403, token=factories.user()["token"])

    editor = factories.user()
    call_action("organization_member_create", factories.site_context(), id=catalogue["health"]["id"], username=editor["name"], role="editor")
    rows = _get(app, "govdata_department_report", token=editor["token"])["result"]["departments"]
    assert [row["id"] for row in rows] == [catalogue["health"]["id"]]
    _get(app, "govdata_department_report", status=403, token=editor["token"], id=catalogue["transport"]["id"])

    everyone = _get(app, "govdata_department_report", token=factories.sysadmin()["token"])["result"]["departments"]
    assert {row["id"] for row in everyone} == {catalogue["transport"]["id"], catalogue["health"]["id"]}


def test_department_report_counts_stale_datasets_and_usage(app):
    department = factories.department()
    today = calendar.today()
    factories.dataset_with_data(department["id"], update_frequency="EVERY_MONTH", modified=(today - dt.timedelta(days=40)).isoformat())
    factories.dataset_with_data(department["id"], update_frequency="EVERY_MONTH", modified=(today - dt.timedelta(days=10)).isoformat())
    factories.dataset_with_data(department["id"], update_frequency="IRREGULAR", modified="2019-01-01")
    factories.dataset_with_data(department["id"], private=True)
    # Published without data: counted apart from the datasets, and still overdue for an update.
    factories.dataset(department["id"], update_frequency="EVERY_MONTH", modified="2019-01-01")
    api = factories.dataservice(department["id"], update_frequency="EVERY_DAY", modified=(today - dt.timedelta(days=5)).isoformat())
    usage.track(usage.API_CALL, package_id=api["id"])
    usage.flush()

    [row] = _get(app, "govdata_department_report", token=factories.sysadmin()["token"])["result"]["departments"]
    assert (row["datasets"], row["apis"], row["without_data"], row["unpublished"]) == (3, 1, 1, 1)
    assert (row["stale"], row["on_time"], row["stale_share"]) == (3, 2, 0.6)
    assert (row["api_calls_recent"], row["api_calls_all_time"], row["downloads_all_time"]) == (1, 1, 0)
    assert row["quality_pass_rate"] is None


def test_department_report_sorts(app):
    busy, quiet = factories.department(title="甲局"), factories.department(title="乙局")
    for _ in range(2):
        factories.dataset_with_data(busy["id"])
    factories.dataset_with_data(quiet["id"])
    token = factories.sysadmin()["token"]
    rows = _get(app, "govdata_department_report", token=token, sort="datasets", order="desc")["result"]["departments"]
    assert [row["id"] for row in rows] == [busy["id"], quiet["id"]]
    rows = _get(app, "govdata_department_report", token=token, sort="datasets")["result"]["departments"]
    assert [row["id"] for row in rows] == [quiet["id"], busy["id"]]
    error = _get(app, "govdata_department_report", status=409, token=token, sort="colour")["error"]
    assert error["sort"][0].endswith("Unknown value for Sort: colour")


def test_published_entries_without_data_are_the_curation_reports(app):
    """One definition (catalogue.serves_data): the figures leave out exactly the entries that
    the staff report lists as published without data."""
    transport, health = factories.department(), factories.department()
    factories.dataset_with_data(transport["id"])
    empty = [factories.dataset(transport["id"]), factories.dataset(health["id"], domain="health")]
    factories.dataservice(health["id"])
    factories.dataset(health["id"], private=True)
    token = factories.sysadmin()["token"]

    reported = call_action("govdata_catalogue_without_data", factories.site_context())
    assert {entry["id"] for department in reported["departments"] for entry in department["entries"]} == {entry["id"] for entry in empty}
    figures = _get(app, "govdata_statistics")["result"]["figures"]
    assert (figures["datasets"], figures["apis"], figures["without_data"]) == (1, 1, reported["count"])
    department = _get(app, "govdata_statistics", scope="department", id=health["id"])["result"]["figures"]
    assert (department["datasets"], department["apis"], department["without_data"]) == (0, 1, 1)
    rows = {row["id"]: row for row in _get(app, "govdata_department_report", token=token)["result"]["departments"]}
    assert (rows[health["id"]]["datasets"], rows[health["id"]]["without_data"], rows[health["id"]]["unpublished"]) == (0, 1, 1)


def test_department_report_times_every_workflow_in_working_days(app):
    """Requests, demands, error reports and bad ratings of one department, all from the eve of
    National Day 2026: 1–7 October are holidays and Saturday 10 October is a working day."""
    department = factories.department()
    editor = factories.member(department["id"], "editor")
    bureau = {"user": factories.sysadmin()["name"], "ignore_auth": False}
    as_editor = {"user": editor["name"], "ignore_auth": False}
    with freeze_time("2026-09-30 02:00:00"):
        conditional = factories.conditional_dataset(department["id"], data_subject_type="none")
        open_dataset = factories.dataset_with_data(department["id"])
        decided, _waiting = (
            factories.access_request(factories.user(), conditional["id"], subject_id=None, subject_consent=None)
            for _ in range(2)
        )
        demand = factories.routed_demand(factories.user(), department["id"])
        reporter = {"user": factories.user()["name"], "ignore_auth": False}
        correction = call_action("govdata_correction_create", dict(reporter), package_id=open_dataset["id"],
                                 description="电话号码少一位")
        call_action("govdata_rating_create", dict(reporter), package_id=open_dataset["id"], value="bad", reason="缺少说明")
    with freeze_time("2026-10-09 02:00:00"):  # the second working day after 30 September
        call_action("govdata_access_request_review", dict(bureau), id=decided["id"], outcome="pass")
        call_action("govdata_access_request_decide", dict(bureau), id=decided["id"], decision="approve")
        call_action("govdata_demand_confirm", dict(as_editor), id=demand["id"], decision="accept")
    with freeze_time("2026-10-12 02:00:00"):  # 8, 9, 10 and 12 October: four working days, two too many
        call_action("govdata_correction_decide", dict(as_editor), id=correction["id"], decision="reject", note="数据无误")
    token = factories.sysadmin()["token"]
    [row] = _get(app, "govdata_department_report", token=token, id=department["id"])["result"]["departments"]
    page = app.get("/monitor", headers={"Authorization": token})

    # Today the waiting request (due 10 October), the accepted demand's data (due 20 October) and
    # the bad rating's rectification (15 working days: due 27 October) are late.
    assert (row["requests"], row["days_to_decision"], row["requests_on_time_rate"]) == (2, 2, 0.5)
    assert (row["demands"], row["days_to_confirm_demand"], row["demands_on_time_rate"]) == (1, 2, 0.5)
    assert (row["corrections"], row["days_to_correct"], row["corrections_on_time_rate"]) == (1, 4, 0)
    assert (row["bad_ratings"], row["rectification_rate"]) == (1, 0)
    cells = {cell["data-column"]: cell for cell in BeautifulSoup(page.body, "html.parser").select("th[data-column]")}
    assert {"requests_on_time_rate", "demands_on_time_rate", "corrections_on_time_rate", "rectification_rate"} <= set(cells)
    assert "50.0%" in page.body

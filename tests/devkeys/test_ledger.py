"""The call ledger: calls pushed to Redis in the request (no row written there), flushed in
batches to govdata_api_call and the usage counters; usage pages and exports seen by the right
people only."""
from __future__ import annotations

import io

import pytest
from ckan import model
from ckan.tests.helpers import call_action
from click.testing import CliRunner
from openpyxl import load_workbook

from ckanext.govdata.cli import govdata
from ckanext.govdata.dataapi.keys import ledger
from ckanext.govdata.dataapi.keys.model import ApiCall
from ckanext.govdata.stats.model import UsageDaily
from tests import factories
from tests.dataapi.test_endpoint import served_api
from tests.devkeys.test_keys import as_user, call, create_app

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_calls_wait_in_redis_and_are_flushed_in_batches(app):
    developer = factories.user()
    name = served_api()["api"]["name"]
    issued = create_app(developer, scope=[name])

    for _ in range(5):
        call(app, name, issued["key"], issued["secret"], 200)
    call(app, name, issued["key"], "wrong", 401)
    app.get(f"/api/data/{name}", query_string={"limit": "x"}, headers={"X-App-Key": issued["key"], "X-App-Secret": issued["secret"]}, status=400)

    assert model.Session.query(ApiCall).count() == 0
    assert ledger.waiting() == 7
    assert ledger.flush(batch=2) == 7
    assert ledger.waiting() == 0
    calls = model.Session.query(ApiCall).order_by(ApiCall.id).all()
    assert [c.status for c in calls] == [200] * 5 + [401, 400]
    assert calls[0].app_id == issued["id"] and calls[0].user_id == developer["id"] and calls[0].rows == 30
    assert calls[0].latency_ms > 0 and calls[0].client == "127.0.0.1"
    assert calls[5].app_id is None  # a wrong secret identifies no application
    # Answered calls reach the portal's usage counters.
    counted = model.Session.query(UsageDaily).filter(UsageDaily.kind == "api_call", UsageDaily.scope == "site").one()
    assert counted.count == 6 - 1  # five answered with rows; the refusals are not usage


def test_the_cli_flushes_and_a_failed_write_keeps_the_batch(app):
    name = served_api()["api"]["name"]
    app.get(f"/api/data/{name}", status=200)
    ledger.limits.connection().rpush(ledger.LEDGER_KEY, b'{"api": "x"}')  # malformed: no time, no status

    with pytest.raises(KeyError):
        ledger.flush()
    assert ledger.waiting() == 2 and model.Session.query(ApiCall).count() == 0

    ledger.limits.connection().rpop(ledger.LEDGER_KEY)  # the malformed entry goes; the call stays in order
    app.get(f"/api/data/{name}", status=200)
    result = CliRunner().invoke(govdata, ["api", "flush-ledger"])
    assert result.exit_code == 0 and "2 calls written" in result.output
    assert CliRunner().invoke(govdata, ["api", "flush-ledger", "--help"]).exit_code == 0


def test_usage_is_seen_by_the_developer_and_the_department_only(app):
    served = served_api()
    name = served["api"]["name"]
    developer, other = factories.user(), factories.user()
    staff = factories.member(served["department"]["id"])
    issued = create_app(developer, scope=[name])
    for _ in range(3):
        call(app, name, issued["key"], issued["secret"], 200)
    ledger.flush()

    mine = call_action("govdata_app_usage", as_user(developer))
    assert [(r["api"], r["calls"], r["errors"], r["rows"]) for r in mine] == [(name, 3, 0, 90)]
    assert mine[0]["p95_ms"] >= mine[0]["p50_ms"] > 0
    assert call_action("govdata_app_usage", as_user(other)) == []
    department = call_action("govdata_api_usage", as_user(staff), organization_id=served["department"]["id"])
    assert [r["calls"] for r in department] == [3]
    with pytest.raises(Exception, match="staff"):
        call_action("govdata_api_usage", as_user(developer), organization_id=served["department"]["id"])

    page = app.get("/user/apps", headers={"Authorization": developer["token"]}, status=200)
    assert name in page.body and issued["key"] in page.body and issued["secret"] not in page.body
    assert name not in app.get("/user/apps", headers={"Authorization": other["token"]}, status=200).body
    exported = app.get("/user/apps/usage.csv", headers={"Authorization": developer["token"]}, status=200)
    assert name in exported.body
    sheet = app.get(f"/api-usage/{served['department']['id']}.xlsx", headers={"Authorization": staff["token"]}, status=200)
    rows = list(load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("day", "app", "api") and rows[1][2] == name and rows[1][3] == 3
    app.get(f"/api-usage/{served['department']['id']}", headers={"Authorization": developer["token"]}, status=403)

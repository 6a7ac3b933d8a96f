"""A grant for one application: it opens the data API to calls with that application's key, for
the grant's rows, and to nothing else — not the owner's token, not the owner's other keys."""
from __future__ import annotations

from typing import Any

import pytest
from ckan import model

from ckanext.govdata.grants import AccessLog
from tests import factories
from tests.dataapi.test_access import SUBJECT
from tests.dataapi.test_endpoint import served_api
from tests.devkeys.test_keys import call, create_app

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def granted() -> dict[str, Any]:
    served = served_api("conditional", dataset_fields={"data_subject_type": "enterprise"})
    name = served["api"]["name"]
    developer = factories.user()
    chosen, other = create_app(developer, scope=[name]), create_app(developer, name="另一个应用", scope=[name])
    grant = factories.grant(developer["id"], served["dataset"]["id"], app_id=chosen["id"],
                            row_filter={"column": "station_code", "value": SUBJECT})
    return {**served, "name": name, "developer": developer, "chosen": chosen, "other": other, "grant": grant}


def test_only_the_named_application_reads_and_only_the_grant_rows(app, granted):
    name = granted["name"]

    body = call(app, name, granted["chosen"]["key"], granted["chosen"]["secret"], 200).json
    other_app = call(app, name, granted["other"]["key"], granted["other"]["secret"], 403).json
    token = app.get(f"/api/data/{name}", headers={"Authorization": granted["developer"]["token"]}, status=403).json

    assert [row["station_code"] for row in body["records"]] == [SUBJECT] and body["total"] == 1
    assert other_app["error"]["code"] == token["error"]["code"] == "grant_required"
    logged = model.Session.query(AccessLog).filter(AccessLog.grant_id == granted["grant"]["id"]).one()
    assert logged.app_id == granted["chosen"]["id"] and logged.channel == "dataapi"


def test_an_owner_grant_still_counts_for_the_owner_keys(app, granted):
    factories.grant(granted["developer"]["id"], granted["dataset"]["id"])

    body = call(app, granted["name"], granted["other"]["key"], granted["other"]["secret"], 200).json

    assert body["total"] == 30

"""govdata_access_request_counts: requests per state, for the bureau and for a department's members;
govdata_access_request_decision_times: requests decided per department, for the bureau."""
from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user):
    return {"user": user["name"], "ignore_auth": False}


@pytest.fixture
def two_departments():
    first, second = factories.department(), factories.department()
    applicant = factories.user()
    factories.approved_request(applicant, factories.conditional_dataset(first["id"])["id"])
    factories.access_request(applicant, factories.conditional_dataset(first["id"])["id"])
    factories.access_request(applicant, factories.conditional_dataset(second["id"])["id"], submit=False)
    return first, second


def test_the_bureau_counts_every_request_and_each_departments(two_departments):
    first, second = two_departments
    bureau = _as(factories.sysadmin())

    assert call_action("govdata_access_request_counts", dict(bureau)) == {"approved": 1, "submitted": 1, "draft": 1}
    assert call_action("govdata_access_request_counts", dict(bureau), organization_id=first["name"]) == {
        "approved": 1, "submitted": 1,
    }
    assert call_action("govdata_access_request_counts", dict(bureau), organization_id=second["id"]) == {"draft": 1}


def test_a_departments_members_count_its_requests_only(app, two_departments):
    first, second = two_departments
    member = factories.member(first["id"], role="member")
    headers = {"Authorization": member["token"]}

    own = app.get("/api/3/action/govdata_access_request_counts", query_string={"organization_id": first["id"]},
                  headers=headers)
    app.get("/api/3/action/govdata_access_request_counts", query_string={"organization_id": second["id"]},
            headers=headers, status=403)
    app.get("/api/3/action/govdata_access_request_counts", headers=headers, status=403)
    app.get("/api/3/action/govdata_access_request_counts", query_string={"organization_id": "no-such"},
            headers=headers, status=404)

    assert own.json["result"] == {"approved": 1, "submitted": 1}


def test_the_bureau_sees_decisions_per_department_and_no_one_else(app, two_departments):
    first, second = two_departments
    member = factories.member(first["id"], role="admin")

    times = call_action("govdata_access_request_decision_times", _as(factories.sysadmin()))
    app.get("/api/3/action/govdata_access_request_decision_times", headers={"Authorization": member["token"]}, status=403)
    app.get("/api/3/action/govdata_access_request_decision_times", status=403)

    assert times[first["id"]]["requests"] == 2
    assert times[first["id"]]["requests_decided"] == 1
    assert times[first["id"]]["days_to_decision"] is not None
    # The second department's only request is a draft: not received yet.
    assert second["id"] not in times

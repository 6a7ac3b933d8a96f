"""Conditional data that xloader loads from an upload into the datastore (a UTF-8 CSV by one COPY,
uploads/fastload.py) is guarded like any other table: refused through datastore_search (and SQL)
to anonymous visitors and other users, served to a grantee and to the department's staff."""
from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata.uploads import fastload
from tests import factories
from tests.conftest import run_jobs

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
    pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", True),
]


@pytest.fixture
def loaded(xloader, department):
    dataset = factories.dataset(department["id"], open_condition="conditional", data_subject_type="none",
                                security_grade="2")
    resource = factories.uploaded_resource(dataset["id"], content="单位名称,金额\n绍兴甲公司,100\n绍兴乙公司,200\n".encode(),
                                           filename="amounts.csv")
    run_jobs()
    assert call_action("resource_show", id=resource["id"])["datastore_active"] is True
    assert fastload.full_text_state(resource["id"]) == "complete"  # loaded by one COPY, full text after
    return {"dataset": dataset, "resource": resource, "staff": factories.member(department["id"], role="editor")}


def _search(app, user, resource_id):
    headers = {"Authorization": user["token"]} if user else {}
    return app.post("/api/3/action/datastore_search", json={"resource_id": resource_id}, headers=headers)


def _search_sql(app, user, resource_id):
    headers = {"Authorization": user["token"]} if user else {}
    return app.post("/api/3/action/datastore_search_sql", json={"sql": f'SELECT * FROM "{resource_id}"'}, headers=headers)


def test_a_loaded_conditional_table_is_refused_to_anonymous_and_other_users(app, loaded):
    resource_id = loaded["resource"]["id"]
    for user in (None, factories.user(), factories.member(factories.department()["id"], role="editor")):
        for search in (_search, _search_sql):
            response = search(app, user, resource_id)
            assert response.status_code == 403, (search.__name__, user and user["name"], response.status_code)
            assert "绍兴甲公司" not in response.get_data(as_text=True)


def test_a_loaded_conditional_table_is_served_to_its_grantee_and_staff(app, loaded):
    grantee = factories.user()
    factories.grant(grantee["id"], loaded["dataset"]["id"])

    for user in (grantee, loaded["staff"]):
        response = _search(app, user, loaded["resource"]["id"])
        assert response.status_code == 200
        assert [row["单位名称"] for row in response.json["result"]["records"]] == ["绍兴甲公司", "绍兴乙公司"]

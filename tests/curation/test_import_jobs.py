"""Large directory spreadsheets uploaded on /directory are imported by a background job: CKAN's
RQ worker (run here in burst mode, forking as in production) against the test Redis. Its status
page shows the progress while it waits and the import's report when it ends; only the uploader
and sysadmins see it."""
from __future__ import annotations

import io

import pytest
from ckan.lib import jobs
from ckan.logic import NotAuthorized, NotFound
from ckan.tests.helpers import call_action

from ckanext.govdata.curation import background
from tests import factories
from tests.curation import sheets

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis", "with_plugins"),
    pytest.mark.ckan_config("ckanext.govdata.curation.import_background_rows", "2"),
]


@pytest.fixture
def editor(department):
    return factories.member(department["id"], role="editor")


def _upload(app, user, content, **form):
    return app.post(
        "/directory", headers={"Authorization": user["token"]}, data={"upload": (io.BytesIO(content), "大目录.xlsx"), **form},
        content_type="multipart/form-data", follow_redirects=False,
    )


def _job(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    location = response.headers["Location"]
    assert "/directory/import/" in location
    return location.rsplit("/directory/import/", 1)[1]


def _work() -> None:
    """Run the queued jobs as `ckan jobs worker --burst` does."""
    jobs.Worker().work(burst=True)


def _status(app, user, job):
    return app.get(f"/directory/import/{job}/status", headers={"Authorization": user["token"]})


def _entries(department):
    return [sheets.entry(f"330600-JTJ-0005{index:02d}", department["title"]) for index in range(3)]


def test_a_large_file_is_imported_in_the_background_with_progress_then_its_report(app, department, editor):
    content = sheets.workbook(_entries(department), [sheets.item("330600-JTJ-000500", "stop_id")])

    job = _job(_upload(app, editor, content))

    # Queued: nothing written yet; the page shows where it stands and reloads itself.
    assert _status(app, editor, job).json == {
        "id": job, "state": "queued", "phase": "queued", "done": 0, "total": 3, "error": None,
    }
    waiting = app.get(f"/directory/import/{job}", headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert 'data-state="queued"' in waiting and "<progress" in waiting and 'value="0"' in waiting
    assert 'http-equiv="refresh"' in waiting and f"/directory/import/{job}/status" in waiting
    assert "等待后台任务" in waiting
    assert sheets.by_code("330600-JTJ-000500") == []

    _work()

    status = _status(app, editor, job).json
    assert (status["state"], status["phase"], status["done"], status["total"]) == ("finished", "write", 3, 3)
    page = app.get(f"/directory/import/{job}", headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert 'data-state="finished"' in page and 'data-written="true"' in page
    assert 'http-equiv="refresh"' not in page and "<progress" not in page
    [dataset] = sheets.by_code("330600-JTJ-000500")
    assert [item["name"] for item in dataset["data_items"]] == ["stop_id"]
    assert dataset["review_state"] == "draft"
    # The action gives the same status, report included.
    report = call_action("govdata_catalogue_import_status", {"user": editor["name"], "ignore_auth": False}, job=job)
    assert report["report"]["created"] == ["330600-JTJ-000500", "330600-JTJ-000501", "330600-JTJ-000502"]
    assert "user" not in report


def test_bad_cells_in_a_background_import_end_in_the_report_with_the_rows_to_fix(app, department, editor):
    rows = _entries(department)
    rows[1]["开放领域"] = "宇宙探索"

    job = _job(_upload(app, editor, sheets.workbook(rows)))
    _work()

    status = _status(app, editor, job).json
    assert status["state"] == "finished"
    page = app.get(f"/directory/import/{job}", headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert 'data-written="false"' in page and "宇宙探索" in page
    token = page.split("/directory/returned/")[1].split('"')[0]
    returned = app.get(f"/directory/returned/{token}", headers={"Authorization": editor["token"]})
    assert sheets.rows(returned.data)[0]["资源代码"] == "330600-JTJ-000501"
    assert sheets.by_code("330600-JTJ-000500") == []


def test_a_file_the_job_cannot_read_fails_with_a_clear_message_not_a_stuck_job(app, editor):
    status = background.start(editor["name"], "目录.xlsx", b"PK\x03\x04 not a workbook", partial=False,
                              confirm_duplicates=False, rows=600)
    _work()

    page = app.get(f"/directory/import/{status['id']}", headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert 'data-state="failed"' in page and "xlsx" in page and "<progress" not in page
    assert _status(app, editor, status["id"]).json["state"] == "failed"


def test_a_job_the_worker_lost_is_reported_failed(app, editor):
    status = background.start(editor["name"], "目录.xlsx", b"", partial=False, confirm_duplicates=False, rows=600)
    jobs.job_from_id(status["id"]).delete()

    answer = _status(app, editor, status["id"]).json
    assert answer["state"] == "failed" and "/" in answer["error"]


def test_only_the_uploader_and_sysadmins_see_a_job(app, department, editor, sysadmin):
    job = _job(_upload(app, editor, sheets.workbook(_entries(department))))
    colleague = factories.member(department["id"], role="editor")
    plain = factories.user()

    assert _status(app, colleague, job).status_code == 403
    assert app.get(f"/directory/import/{job}", headers={"Authorization": colleague["token"]}).status_code == 403
    assert app.get(f"/directory/import/{job}", headers={"Authorization": plain["token"]}).status_code == 403
    anonymous = app.get(f"/directory/import/{job}", follow_redirects=False)
    assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
    assert app.get(f"/directory/import/{job}", headers={"Authorization": sysadmin["token"]}).status_code == 200
    assert app.get("/directory/import/no-such-job-here", headers={"Authorization": editor["token"]}).status_code == 404
    with pytest.raises(NotAuthorized):
        call_action("govdata_catalogue_import_status", {"user": colleague["name"], "ignore_auth": False}, job=job)
    with pytest.raises(NotAuthorized):
        call_action("govdata_catalogue_import_status", {"user": "", "ignore_auth": False}, job=job)
    with pytest.raises(NotFound):
        call_action("govdata_catalogue_import_status", {"user": editor["name"], "ignore_auth": False}, job="no-such-job-here")


def test_a_small_file_is_still_imported_while_the_page_waits(app, department, editor):
    reported = _upload(app, editor, sheets.workbook(_entries(department)[:2]))

    assert reported.status_code == 200
    assert 'data-written="true"' in reported.get_data(as_text=True)
    assert len(sheets.by_code("330600-JTJ-000501")) == 1

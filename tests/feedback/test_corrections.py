"""Error reports (纠错) through the action API: the full cycle, deadlines in working days across
National Day 2026 and its adjusted Saturday, who may see and do what, and the figures."""
from __future__ import annotations

import io
from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import call_action
from ckanext.activity.model import Activity
from freezegun import freeze_time
from werkzeug.datastructures import FileStorage

from ckanext.govdata.feedback.model import FeedbackNotice
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

# 10:00 in Beijing on Wednesday 30 September 2026, the eve of the National Day holiday.
EVE_OF_NATIONAL_DAY = "2026-09-30 02:00:00"


def _as(user: dict[str, Any] | None) -> dict[str, Any]:
    return {"user": user["name"] if user else "", "ignore_auth": False}


@pytest.fixture
def world() -> dict[str, Any]:
    department = factories.department()
    dataset = factories.dataset(department["id"])
    resource = factories.uploaded_resource(dataset["id"])
    other_department = factories.department()
    return {
        "department": department,
        "dataset": dataset,
        "resource": resource,
        "reporter": factories.user(email="reporter@example.com"),
        "editor": factories.member(department["id"], "editor", email="editor@sx.gov.cn"),
        "admin": factories.member(department["id"], "admin"),
        "member": factories.member(department["id"], "member"),
        "other_staff": factories.member(other_department["id"], "admin"),
        "other_user": factories.user(),
        "sysadmin": factories.sysadmin(),
    }


def _report(world: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = {"package_id": world["dataset"]["id"], "resource_id": world["resource"]["id"], "location": "第12行 联系电话",
            "description": "电话号码少了一位"}
    data.update(overrides)
    return call_action("govdata_correction_create", _as(world["reporter"]), **data)


def _kinds(user_id: str) -> list[str]:
    return sorted(kind for (kind,) in model.Session.query(FeedbackNotice.kind).filter(FeedbackNotice.user_id == user_id))


def test_a_report_is_due_in_2_working_days_after_the_holiday_and_its_adjusted_saturday(world):
    with freeze_time(EVE_OF_NATIONAL_DAY):
        report = _report(world)

    assert report["state"] == "submitted" and report["limit_days"] == 2
    # Oct 1–7 are holidays; Oct 8 and Oct 9 are the next working days.
    assert report["due_date"] == "2026-10-09"
    with freeze_time("2026-10-09 02:00:00"):
        second = _report(world, description="另一处错误")
    # Saturday Oct 10 is an adjusted working day (调休): the second working day after Oct 9 is Monday Oct 12.
    assert second["due_date"] == "2026-10-12"


def test_the_full_cycle_fix_with_a_new_version_tells_the_reporter(world, mail_server):
    with freeze_time(EVE_OF_NATIONAL_DAY):
        report = _report(world)
    new_version = factories.uploaded_resource(world["dataset"]["id"], content=b"route_no,phone\n1,057588888888\n",
                                              filename="fixed.csv")
    with freeze_time("2026-10-09 07:00:00"):
        fixed = call_action("govdata_correction_decide", _as(world["editor"]), id=report["id"], decision="fix",
                            note="已补全电话号码", fixed_resource_id=new_version["id"])

    assert fixed["state"] == "fixed" and fixed["fixed_resource_id"] == new_version["id"]
    assert fixed["timeliness"] == "on_time" and fixed["working_days_taken"] == 2
    assert [step["action"] for step in fixed["steps"]] == ["submitted", "fixed"]
    assert fixed["steps"][-1]["note"] == "已补全电话号码" and fixed["steps"][-1]["actor"] == world["editor"]["name"]
    assert _kinds(world["reporter"]["id"]) == ["correction_fixed", "correction_submitted"]
    assert "correction_received" in _kinds(world["editor"]["id"])
    assert "correction_received" in _kinds(world["admin"]["id"])
    assert _kinds(world["member"]["id"]) == []
    recipients = [message[2] for message in mail_server.get_smtp_messages()]
    assert ["reporter@example.com"] in recipients and ["editor@sx.gov.cn"] in recipients


def test_a_fix_can_point_to_the_datasets_activity(world):
    report = _report(world)
    call_action("package_patch", factories.site_context(), id=world["dataset"]["id"], notes="更正后的说明")
    # The site user's activities are left out of activity lists; the table holds them.
    activity = (model.Session.query(Activity).filter(Activity.object_id == world["dataset"]["id"])
                .order_by(Activity.timestamp.desc()).first())

    fixed = call_action("govdata_correction_decide", _as(world["admin"]), id=report["id"], decision="fix",
                        note="已更正", fixed_activity_id=activity.id)

    assert fixed["fixed_activity_id"] == activity.id


def test_a_fix_needs_a_note_and_a_new_version_of_this_dataset(world):
    report = _report(world)
    elsewhere = factories.uploaded_resource(factories.dataset(world["department"]["id"])["id"])
    editor = _as(world["editor"])

    with pytest.raises(Exception) as no_note:
        call_action("govdata_correction_decide", dict(editor), id=report["id"], decision="fix",
                    fixed_resource_id=world["resource"]["id"])
    with pytest.raises(Exception) as no_version:
        call_action("govdata_correction_decide", dict(editor), id=report["id"], decision="fix", note="已更正")
    with pytest.raises(Exception) as other_dataset:
        call_action("govdata_correction_decide", dict(editor), id=report["id"], decision="fix", note="已更正",
                    fixed_resource_id=elsewhere["id"])
    with pytest.raises(Exception) as other_activity:
        call_action("govdata_correction_decide", dict(editor), id=report["id"], decision="fix", note="已更正",
                    fixed_activity_id="no-such-activity")

    assert "备注" in str(no_note.value.error_dict["note"]) and "Note" in str(no_note.value.error_dict["note"])
    assert "fixed_resource_id" in no_version.value.error_dict
    assert "fixed_resource_id" in other_dataset.value.error_dict
    assert "fixed_activity_id" in other_activity.value.error_dict
    assert call_action("govdata_correction_show", dict(editor), id=report["id"])["state"] == "submitted"


def test_a_rejection_needs_a_reason_and_is_final(world):
    with freeze_time(EVE_OF_NATIONAL_DAY):
        report = _report(world)
    with freeze_time("2026-10-12 02:00:00"):
        rejected = call_action("govdata_correction_decide", _as(world["sysadmin"]), id=report["id"],
                               decision="reject", note="数据与来源系统一致")
        with pytest.raises(Exception) as again:
            call_action("govdata_correction_decide", _as(world["editor"]), id=report["id"], decision="fix",
                        note="x", fixed_resource_id=world["resource"]["id"])
        with pytest.raises(Exception) as withdrawn:
            call_action("govdata_correction_withdraw", _as(world["reporter"]), id=report["id"])

    assert rejected["state"] == "rejected" and rejected["resolution_note"] == "数据与来源系统一致"
    # Answered on Monday Oct 12, after the deadline of Friday Oct 9: Oct 8, 9, the adjusted
    # Saturday Oct 10 and Oct 12 are 4 working days.
    assert rejected["timeliness"] == "overdue" and rejected["working_days_taken"] == 4
    assert "state" in again.value.error_dict and "state" in withdrawn.value.error_dict
    assert "correction_rejected" in _kinds(world["reporter"]["id"])


def test_the_reporter_may_withdraw_an_unanswered_report_twice_without_harm(world):
    report = _report(world)
    reporter = _as(world["reporter"])

    first = call_action("govdata_correction_withdraw", dict(reporter), id=report["id"])
    second = call_action("govdata_correction_withdraw", dict(reporter), id=report["id"])

    assert first["state"] == second["state"] == "withdrawn"
    assert [step["action"] for step in second["steps"]] == ["submitted", "withdrawn"]


def test_only_the_reporter_the_department_and_the_bureau_see_or_act(world):
    report = _report(world)
    refused_show = [None, world["other_user"], world["other_staff"], world["member"]]
    allowed_show = [world["reporter"], world["editor"], world["admin"], world["sysadmin"]]

    for user in refused_show:
        with pytest.raises(Exception) as refused:
            call_action("govdata_correction_show", _as(user), id=report["id"])
        assert type(refused.value).__name__ == "NotAuthorized", user
    for user in allowed_show:
        assert call_action("govdata_correction_show", _as(user), id=report["id"])["id"] == report["id"]
    for user in [None, world["reporter"], world["other_user"], world["other_staff"], world["member"]]:
        with pytest.raises(Exception) as refused:
            call_action("govdata_correction_decide", _as(user), id=report["id"], decision="reject", note="不是错误")
        assert type(refused.value).__name__ == "NotAuthorized", user
    for user in [None, world["editor"], world["other_user"]]:
        with pytest.raises(Exception) as refused:
            call_action("govdata_correction_withdraw", _as(user), id=report["id"])
        assert type(refused.value).__name__ == "NotAuthorized", user


def test_lists_hold_only_the_callers_own_or_their_departments_reports(world):
    report = _report(world)

    def ids(user: dict[str, Any], scope: str) -> list[str]:
        return [row["id"] for row in call_action("govdata_correction_list", _as(user), scope=scope)["results"]]

    assert ids(world["reporter"], "mine") == [report["id"]]
    assert ids(world["editor"], "review") == [report["id"]]
    assert ids(world["sysadmin"], "review") == [report["id"]]
    assert ids(world["other_staff"], "review") == []
    assert ids(world["other_user"], "review") == [] and ids(world["other_user"], "mine") == []
    with pytest.raises(Exception) as anonymous:
        call_action("govdata_correction_list", _as(None))
    assert type(anonymous.value).__name__ == "NotAuthorized"


def test_reports_on_unpublished_unknown_or_deleted_datasets_are_refused_alike(world):
    draft = factories.dataset(world["department"]["id"], private=True)
    deleted = factories.dataset(world["department"]["id"])
    call_action("package_delete", factories.site_context(), id=deleted["id"])
    messages = []

    for target in (draft["id"], draft["name"], "no-such-dataset", deleted["id"]):
        with pytest.raises(Exception) as refused:
            call_action("govdata_correction_create", _as(world["editor"]), package_id=target, description="错误")
        messages.append(refused.value.error_dict["package_id"][0].replace(target, "…"))

    assert len(set(messages)) == 1 and "Dataset" in messages[0] and "数据集" in messages[0]


def test_bad_input_is_refused_field_by_field_in_both_languages(world):
    with pytest.raises(Exception) as refused:
        call_action("govdata_correction_create", _as(world["reporter"]), package_id=world["dataset"]["id"],
                    resource_id="not-a-resource-here", description="   ", location="x" * 501)
    errors = refused.value.error_dict

    assert set(errors) >= {"description", "location"}
    assert all(" / " in message for messages in errors.values() for message in messages)
    with pytest.raises(Exception) as resource:
        call_action("govdata_correction_create", _as(world["reporter"]), package_id=world["dataset"]["id"],
                    resource_id="not-a-resource-here", description="错误")
    assert "resource_id" in resource.value.error_dict
    assert call_action("govdata_correction_list", _as(world["reporter"]))["count"] == 0


def test_an_attachment_is_checked_stored_and_served_only_to_those_who_see_the_report(world, app):
    good = factories.image_upload(filename="截图.png")
    png = good.stream.getvalue()
    report = _report(world, attachment=good)
    disguised = FileStorage(io.BytesIO(b"MZ not a picture"), filename="virus.png", content_type="image/png")
    too_many_types = FileStorage(io.BytesIO(b"a,b\n"), filename="data.csv", content_type="text/csv")

    for upload in (disguised, too_many_types):
        with pytest.raises(Exception) as refused:
            _report(world, attachment=upload)
        assert "attachment" in refused.value.error_dict
    url = f"/feedback/correction/{report['id']}/attachment"
    served = app.get(url, headers={"Authorization": world["editor"]["token"]})
    hidden = app.get(url, headers={"Authorization": world["other_user"]["token"]})

    assert report["attachment"]["name"] == "截图.png" and report["attachment"]["mimetype"] == "image/png"
    assert served.status_code == 200 and served.data == png
    assert hidden.status_code == 404


def test_reports_are_rate_limited_per_user(world, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.govdata.feedback.report_limit_per_user", "2")
    _report(world)
    _report(world, description="第二处")

    with pytest.raises(Exception) as refused:
        _report(world, description="第三处")

    assert "rate_limit" in refused.value.error_dict and "Too many" in refused.value.error_dict["rate_limit"][0]
    assert _report(world | {"reporter": world["other_user"]})["state"] == "submitted"
    assert call_action("govdata_correction_create", _as(world["sysadmin"]), package_id=world["dataset"]["id"],
                       description="工作人员代录")["state"] == "submitted"


def test_figures_per_department_in_working_days(world):
    with freeze_time(EVE_OF_NATIONAL_DAY):
        on_time, late, still_open, withdrawn = (_report(world, description=f"错误{n}") for n in range(4))
    other = factories.dataset(factories.department()["id"])
    with freeze_time(EVE_OF_NATIONAL_DAY):
        elsewhere = _report(world, package_id=other["id"], resource_id=None)
    with freeze_time("2026-10-08 02:00:00"):
        call_action("govdata_correction_decide", _as(world["editor"]), id=on_time["id"], decision="fix", note="已改",
                    fixed_resource_id=world["resource"]["id"])
    with freeze_time("2026-10-12 02:00:00"):
        call_action("govdata_correction_decide", _as(world["editor"]), id=late["id"], decision="reject", note="无误")
        call_action("govdata_correction_withdraw", _as(world["reporter"]), id=withdrawn["id"])
        bureau = call_action("govdata_correction_stats", _as(world["sysadmin"]))
        department = call_action("govdata_correction_stats", _as(world["editor"]))

    figures = bureau["departments"][world["department"]["id"]]
    assert figures == {
        "received": 3, "fixed": 1, "rejected": 1, "resolved": 2, "open": 1, "overdue": 1, "on_time": 1,
        "on_time_rate": round(1 / 3, 4), "mean_working_days": 2.5,
    }
    assert set(bureau["departments"]) == {world["department"]["id"], elsewhere["organization_id"]}
    assert set(department["departments"]) == {world["department"]["id"]}
    assert still_open["state"] == "submitted"
    with pytest.raises(Exception) as other_department:
        call_action("govdata_correction_stats", _as(world["editor"]), organization_id=elsewhere["organization_id"])
    assert "organization_id" in other_department.value.error_dict
    for user in (None, world["other_user"]):
        with pytest.raises(Exception) as refused:
            call_action("govdata_correction_stats", _as(user))
        assert type(refused.value).__name__ == "NotAuthorized"

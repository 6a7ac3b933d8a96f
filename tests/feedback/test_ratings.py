"""Ratings (好差评) through the action API: one per user and dataset, changeable; every bad rating
is a rectification item for the department, due in working days; counts and the rate on time."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests.helpers import call_action
from freezegun import freeze_time

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

EVE_OF_NATIONAL_DAY = "2026-09-30 02:00:00"


def _as(user: dict[str, Any] | None) -> dict[str, Any]:
    return {"user": user["name"] if user else "", "ignore_auth": False}


@pytest.fixture
def world() -> dict[str, Any]:
    department = factories.department()
    return {
        "department": department,
        "dataset": factories.dataset(department["id"]),
        "api": factories.dataservice(department["id"]),
        "rater": factories.user(),
        "second_rater": factories.user(),
        "editor": factories.member(department["id"], "editor"),
        "other_staff": factories.member(factories.department()["id"], "admin"),
        "sysadmin": factories.sysadmin(),
    }


def _rate(world: dict[str, Any], value: str, reason: str | None = None, who: str = "rater",
          target: str = "dataset") -> dict[str, Any]:
    data = {"package_id": world[target]["id"], "value": value}
    if reason is not None:
        data["reason"] = reason
    return call_action("govdata_rating_create", _as(world[who]), **data)


def _items(user: dict[str, Any], **filters: Any) -> list[dict[str, Any]]:
    return call_action("govdata_rectification_list", _as(user), **filters)["results"]


def test_one_rating_per_user_and_dataset_changeable_and_counted(world):
    _rate(world, "good")
    _rate(world, "good", who="second_rater")
    changed = _rate(world, "bad", "字段说明与数据不符")

    assert changed["counts"] == {"good": 1, "bad": 1}
    assert changed["rating"]["value"] == "bad" and changed["rating"]["reason"] == "字段说明与数据不符"
    summary = call_action("govdata_rating_summary", _as(None), package_id=world["dataset"]["name"])
    mine = call_action("govdata_rating_summary", _as(world["rater"]), package_id=world["dataset"]["id"])
    assert summary == {"package_id": world["dataset"]["id"], "counts": {"good": 1, "bad": 1}, "mine": None}
    assert mine["mine"]["value"] == "bad"


def test_a_bad_rating_needs_a_reason(world):
    with pytest.raises(Exception) as refused:
        _rate(world, "bad", "  ")
    with pytest.raises(Exception) as unknown:
        _rate(world, "meh")

    assert "理由" in refused.value.error_dict["reason"][0] and "Reason" in refused.value.error_dict["reason"][0]
    assert "value" in unknown.value.error_dict
    assert call_action("govdata_rating_summary", _as(None), package_id=world["dataset"]["id"])["counts"] == {
        "good": 0, "bad": 0}


def test_a_bad_rating_opens_an_item_due_in_15_working_days_across_the_holiday(world):
    with freeze_time(EVE_OF_NATIONAL_DAY):
        rated = _rate(world, "bad", "接口经常超时", target="api")

    item = rated["rectification"]
    assert item["state"] == "open" and item["limit_days"] == 15
    # Oct 1–7 off; Oct 8, 9, the adjusted Saturday Oct 10, then Oct 12–16, 19–23 and 26–27.
    assert item["due_date"] == "2026-10-27"
    assert [row["id"] for row in _items(world["editor"], scope="review")] == [item["id"]]
    assert _items(world["other_staff"], scope="review") == []
    assert [row["id"] for row in _items(world["rater"])] == [item["id"]]


def test_the_limit_is_a_setting(world, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.govdata.feedback.rectification_limit_days", "3")
    with freeze_time(EVE_OF_NATIONAL_DAY):
        item = _rate(world, "bad", "缺少字段说明")["rectification"]

    assert item["limit_days"] == 3 and item["due_date"] == "2026-10-10"


def test_changing_a_bad_rating_keeps_one_item_and_a_good_one_withdraws_it(world):
    first = _rate(world, "bad", "缺少字段说明")["rectification"]
    again = _rate(world, "bad", "缺少字段说明和单位")["rectification"]
    good = _rate(world, "good")

    assert again["id"] == first["id"] and again["reason"] == "缺少字段说明和单位"
    assert good["rectification"] is None
    assert [row["state"] for row in _items(world["editor"], scope="review")] == ["withdrawn"]


def test_the_department_rectifies_with_a_note_and_a_new_bad_rating_opens_a_new_item(world):
    item = _rate(world, "bad", "缺少字段说明")["rectification"]

    with pytest.raises(Exception) as no_note:
        call_action("govdata_rectification_rectify", _as(world["editor"]), id=item["id"])
    for user in (world["rater"], world["other_staff"], world["second_rater"]):
        with pytest.raises(Exception) as refused:
            call_action("govdata_rectification_rectify", _as(user), id=item["id"], note="已补充")
        assert type(refused.value).__name__ == "NotAuthorized"
    done = call_action("govdata_rectification_rectify", _as(world["editor"]), id=item["id"], note="已补充字段说明")
    with pytest.raises(Exception) as twice:
        call_action("govdata_rectification_rectify", _as(world["sysadmin"]), id=item["id"], note="再次")
    new = _rate(world, "bad", "单位仍然缺失")["rectification"]
    notices = call_action("govdata_feedback_notice_list", _as(world["rater"]))

    assert "note" in no_note.value.error_dict and "state" in twice.value.error_dict
    assert done["state"] == "rectified" and done["note"] == "已补充字段说明" and done["timeliness"] == "on_time"
    assert new["id"] != item["id"] and new["state"] == "open"
    assert [notice["kind"] for notice in notices] == ["rectification_rectified"]


def test_ratings_are_refused_on_unpublished_or_unknown_datasets_and_to_anonymous_users(world):
    draft = factories.dataset(world["department"]["id"], private=True)

    for target in (draft["id"], "no-such-dataset"):
        with pytest.raises(Exception) as refused:
            call_action("govdata_rating_create", _as(world["rater"]), package_id=target, value="good")
        assert "package_id" in refused.value.error_dict
        with pytest.raises(Exception) as summary:
            call_action("govdata_rating_summary", _as(world["editor"]), package_id=target)
        assert "package_id" in summary.value.error_dict
    with pytest.raises(Exception) as anonymous:
        call_action("govdata_rating_create", _as(None), package_id=world["dataset"]["id"], value="good")
    assert type(anonymous.value).__name__ == "NotAuthorized"


def test_rectification_rate_per_department(world):
    with freeze_time(EVE_OF_NATIONAL_DAY):
        on_time = _rate(world, "bad", "说明不全")["rectification"]
        late = _rate(world, "bad", "接口超时", who="second_rater", target="api")["rectification"]
        _rate(world, "bad", "数据过期", who="editor")
        _rate(world, "good", who="other_staff")
    with freeze_time("2026-10-12 02:00:00"):
        call_action("govdata_rectification_rectify", _as(world["editor"]), id=on_time["id"], note="已补充")
    with freeze_time("2026-10-28 02:00:00"):
        call_action("govdata_rectification_rectify", _as(world["editor"]), id=late["id"], note="已扩容")
        figures = call_action("govdata_rectification_stats", _as(world["sysadmin"]))
        own = call_action("govdata_rectification_stats", _as(world["editor"]))
        outside = call_action("govdata_rectification_stats", _as(world["other_staff"]))

    assert figures["departments"][world["department"]["id"]] == {
        "bad_ratings": 3, "rectified": 2, "rectified_on_time": 1, "open": 1, "overdue": 1,
        "rectification_rate": round(1 / 3, 4), "target": 1.0,
    }
    assert figures["limit_days"] == 15
    assert set(own["departments"]) == {world["department"]["id"]}
    assert outside["departments"] == {}
    with pytest.raises(Exception) as refused:
        call_action("govdata_rectification_stats", _as(world["rater"]))
    assert type(refused.value).__name__ == "NotAuthorized"

"""Data contests (开放大赛): registration → submission → scoring → results, and who may do what."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user: dict | None) -> dict:
    return {"user": user["name"] if user else "", "ignore_auth": False}


def test_a_contest_runs_from_registration_to_results():
    dataset = factories.dataset()
    contest = factories.contest(packages=[dataset["name"]])
    leader, teammate, judge = factories.user(), factories.user(), factories.user()

    team = factories.contest_team(contest["id"], leader, accounts=[teammate["name"]], track="livelihood")
    entry = factories.contest_entry(team["id"], teammate, title="社区养老地图", datasets=[dataset["id"]])
    call_action("govdata_contest_judge_assign", factories.site_context(), entry=entry["id"], judges=[judge["name"]])
    scored = call_action(
        "govdata_contest_score_submit", _as(judge), entry=entry["id"], scores={"innovation": 35, "value": 50}, comment="好"
    )
    call_action("govdata_showcase_moderate", factories.site_context(), id=entry["package_id"], decision="published")
    results = call_action(
        "govdata_contest_results_publish",
        factories.site_context(),
        contest=contest["name"],
        awards=[{"entry": entry["id"], "award": "一等奖", "rank": 1}],
    )

    assert sorted(team["accounts"]) == sorted([leader["name"], teammate["name"]])
    assert entry["track"] == "livelihood" and entry["showcase"]["moderation_state"] == "pending"
    assert scored["total"] == 85
    assert results["phases"] == ["results"]
    assert results["team_count"] == 1 and results["entry_count"] == 1
    assert [track["team_count"] for track in results["tracks"]] == [0, 1]
    assert [(winner["team"], winner["award"]) for winner in results["winners"]] == [(team["name"], "一等奖")]
    assert [package["id"] for package in results["offered_packages"]] == [dataset["id"]]
    showcase = call_action("package_show", _as(None), id=entry["package_id"])
    assert showcase["contest_entry"]["award"] == "一等奖"
    assert showcase["contest_entry"]["contest"] == contest["name"]


def test_registration_and_submission_are_refused_outside_their_dates():
    closed = factories.contest(**factories.contest_dates(registration=-2, submission=-1, review=1))
    upcoming = factories.contest(**factories.contest_dates(registration=1, submission=2, review=3))
    open_for_teams = factories.contest(**factories.contest_dates(registration=0, submission=1, review=2))
    leader = factories.user()

    for contest in (closed, upcoming):
        with pytest.raises(tk.ValidationError) as refused:
            factories.contest_team(contest["id"], leader)
        message = refused.value.error_dict["contest"][0]
        assert contest["registration_closes"] in message and "报名时间" in message and "Team registration" in message

    team = factories.contest_team(open_for_teams["id"], leader)
    with pytest.raises(tk.ValidationError) as refused:
        factories.contest_entry(team["id"], leader)
    assert open_for_teams["submission_opens"] in refused.value.error_dict["contest"][0]


def test_only_the_teams_accounts_submit_and_edit_its_entries():
    contest = factories.contest()
    leader, outsider = factories.user(), factories.user()
    team = factories.contest_team(contest["id"], leader)

    with pytest.raises(tk.NotAuthorized):
        factories.contest_entry(team["id"], outsider)
    entry = factories.contest_entry(team["id"], leader)
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_showcase_update", _as(outsider), id=entry["package_id"], title="不是我的")
    with pytest.raises(tk.NotAuthorized):
        call_action("package_show", _as(outsider), id=entry["package_id"])

    edited = call_action("govdata_showcase_update", _as(leader), id=entry["package_id"], title="修改后的作品")
    assert edited["title"] == "修改后的作品"


def test_entries_are_frozen_after_the_submission_deadline():
    contest = factories.contest()
    leader = factories.user()
    team = factories.contest_team(contest["id"], leader)
    entry = factories.contest_entry(team["id"], leader)

    call_action("govdata_contest_update", factories.site_context(), id=contest["id"], **factories.contest_dates(registration=-2, submission=-1, review=0))

    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_showcase_update", _as(leader), id=entry["package_id"], title="截止后修改")
    with pytest.raises(tk.ValidationError) as refused:
        factories.contest_entry(team["id"], leader)
    assert "contest" in refused.value.error_dict


def test_judges_see_and_score_only_their_assigned_entries():
    contest = factories.contest()
    first_team = factories.contest_team(contest["id"])
    second_leader = factories.user()
    second_team = factories.contest_team(contest["id"], second_leader)
    first = factories.contest_entry(first_team["id"], _leader_of(first_team))
    second = factories.contest_entry(second_team["id"], second_leader)
    judge, other_judge = factories.user(), factories.user()
    call_action("govdata_contest_judge_assign", factories.site_context(), entry=first["id"], judges=[judge["name"]])
    call_action("govdata_contest_judge_assign", factories.site_context(), entry=second["id"], judges=[other_judge["name"]])

    mine = call_action("govdata_contest_entry_list", _as(judge), contest=contest["id"], assigned=True)

    assert [entry["id"] for entry in mine] == [first["id"]]
    assert call_action("package_show", _as(judge), id=first["package_id"])["id"] == first["package_id"]
    with pytest.raises(tk.NotAuthorized):
        call_action("package_show", _as(judge), id=second["package_id"])
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_contest_score_submit", _as(judge), entry=second["id"], scores={"innovation": 1, "value": 1})
    public = call_action("govdata_contest_entry_list", _as(judge), contest=contest["id"])
    assert public == []  # neither showcase is published yet


def _leader_of(team: dict) -> dict:
    from ckan import model

    return {"name": model.User.get(team["accounts"][0]).name}


def test_scores_must_cover_every_criterion_within_its_range():
    contest = factories.contest()
    leader, judge = factories.user(), factories.user()
    team = factories.contest_team(contest["id"], leader)
    entry = factories.contest_entry(team["id"], leader)
    call_action("govdata_contest_judge_assign", factories.site_context(), entry=entry["id"], judges=[judge["name"]])

    for scores in ({"innovation": 41, "value": 10}, {"innovation": 10}, {"innovation": "很好", "value": 1}, {"innovation": 1, "value": 1, "beauty": 3}):
        with pytest.raises(tk.ValidationError) as refused:
            call_action("govdata_contest_score_submit", _as(judge), entry=entry["id"], scores=scores)
        assert " / " in refused.value.error_dict["scores"][0]


def test_a_team_member_cannot_judge_the_teams_entry():
    contest = factories.contest()
    leader = factories.user()
    team = factories.contest_team(contest["id"], leader)
    entry = factories.contest_entry(team["id"], leader)

    with pytest.raises(tk.ValidationError) as refused:
        call_action("govdata_contest_judge_assign", factories.site_context(), entry=entry["id"], judges=[leader["name"]])

    assert leader["name"] in refused.value.error_dict["judges"][0]


def test_only_staff_run_contests():
    user = factories.user()
    contest = factories.contest()

    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_contest_create", _as(user), **{**factories.contest_dates(), "name": "mine", "title": "我的大赛", "year": 2026, "tracks": "a-track|赛道", "criteria": "score|总分|100"})
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_contest_update", _as(user), id=contest["id"], title="改名")
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_contest_results_publish", _as(user), contest=contest["id"], awards=[])


def test_bad_contests_are_refused_naming_the_field():
    base = {"name": "c2026", "title": "大赛", "year": 2026, "tracks": "city|城市治理赛道", "criteria": "innovation|创新性|30", **factories.contest_dates()}
    cases = [
        ({"year": "明年"}, "year"),
        ({"tracks": "城市治理赛道"}, "tracks"),
        ({"criteria": "innovation|创新性|lots"}, "criteria"),
        ({"registration_closes": "2020-01-01"}, "registration_closes"),
        ({"review_opens": "not a date"}, "review_opens"),
        ({"rules_url": "ftp://rules"}, "rules_url"),
    ]
    for change, field in cases:
        with pytest.raises(tk.ValidationError) as refused:
            call_action("govdata_contest_create", factories.site_context(), **{**base, **change})
        assert field in refused.value.error_dict, change
        assert " / " in refused.value.error_dict[field][0], change


def test_awards_go_only_to_published_entries_of_the_contest():
    contest = factories.contest()
    leader = factories.user()
    team = factories.contest_team(contest["id"], leader)
    entry = factories.contest_entry(team["id"], leader)

    with pytest.raises(tk.ValidationError) as refused:
        call_action("govdata_contest_results_publish", factories.site_context(), contest=contest["id"], awards=[{"entry": entry["id"], "award": "一等奖"}])

    assert "awards" in refused.value.error_dict
    assert call_action("govdata_contest_show", _as(None), id=contest["id"])["winners"] == []


def test_a_teams_members_change_it_and_only_its_leader_changes_its_accounts():
    contest = factories.contest()
    leader, teammate, newcomer, outsider = factories.user(), factories.user(), factories.user(), factories.user()
    team = factories.contest_team(contest["id"], leader, accounts=[teammate["name"]])

    changed = call_action(
        "govdata_contest_team_update", _as(teammate), id=team["id"], name="越州新队", organisation="浙江工业大学",
        members="王芳, 李磊, 陈晨", track="livelihood",
    )
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_contest_team_update", _as(teammate), id=team["id"], accounts=[newcomer["name"]])
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_contest_team_update", _as(outsider), id=team["id"], name="不是我的队")
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_contest_team_update", _as(None), id=team["id"], name="匿名")
    regrouped = call_action("govdata_contest_team_update", _as(leader), id=team["id"], accounts=[newcomer["name"]])

    assert (changed["name"], changed["organisation"], changed["track"]) == ("越州新队", "浙江工业大学", "livelihood")
    assert changed["members"] == ["王芳", "李磊", "陈晨"]
    assert sorted(regrouped["accounts"]) == sorted([leader["name"], newcomer["name"]])  # the leader always stays
    with pytest.raises(tk.NotAuthorized):
        factories.contest_entry(team["id"], teammate)
    assert factories.contest_entry(team["id"], newcomer)["team"] == "越州新队"


def test_bad_team_changes_are_refused_naming_the_field():
    contest = factories.contest()
    leader, other_leader = factories.user(), factories.user()
    team = factories.contest_team(contest["id"], leader)
    other = factories.contest_team(contest["id"], other_leader)
    factories.contest_entry(team["id"], leader)

    cases = [
        ({"name": other["name"]}, "name", "已"),
        ({"name": "  "}, "name", "Team name is required"),
        ({"members": ""}, "members", "成员为必填项 / Members is required"),
        ({"track": "livelihood"}, "track", "A team that has submitted entries keeps its track"),
        ({"track": "no-such-track"}, "track", "no-such-track"),
        ({"accounts": [other_leader["name"]]}, "accounts", other_leader["name"]),
        ({"accounts": ["no-such-user"]}, "accounts", "no-such-user"),
    ]
    for change, field, fragment in cases:
        with pytest.raises(tk.ValidationError) as refused:
            call_action("govdata_contest_team_update", _as(leader), id=team["id"], **change)
        assert fragment in " ".join(refused.value.error_dict[field]), (change, refused.value.error_dict)
    assert call_action("govdata_contest_team_show", _as(leader), id=team["id"])["name"] == team["name"]


def test_teams_change_until_submissions_close_and_their_track_only_during_registration():
    contest = factories.contest()
    leader = factories.user()
    team = factories.contest_team(contest["id"], leader)
    call_action("govdata_contest_update", factories.site_context(), id=contest["id"],
                **factories.contest_dates(registration=-1, submission=0, review=1))

    renamed = call_action("govdata_contest_team_update", _as(leader), id=team["id"], name="报名截止后改名")
    with pytest.raises(tk.ValidationError) as track_refused:
        call_action("govdata_contest_team_update", _as(leader), id=team["id"], track="livelihood")
    call_action("govdata_contest_update", factories.site_context(), id=contest["id"],
                **factories.contest_dates(registration=-2, submission=-1, review=0))
    with pytest.raises(tk.ValidationError) as closed:
        call_action("govdata_contest_team_update", _as(leader), id=team["id"], name="截止后改名")
    staff_changed = call_action("govdata_contest_team_update", factories.site_context(), id=team["id"], track="livelihood")

    assert renamed["name"] == "报名截止后改名"
    assert "The track can be changed while registration is open" in track_refused.value.error_dict["track"][0]
    message = closed.value.error_dict["contest"][0]
    assert "Teams can be changed until submissions close" in message and "提交截止" in message
    assert staff_changed["track"] == "livelihood"

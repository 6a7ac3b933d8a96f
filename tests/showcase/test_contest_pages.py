"""Contest pages: the public page, registration, entry, judging and results through HTTP forms."""
from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _auth(user: dict) -> dict:
    return {"Authorization": user["token"]}


def test_the_contest_page_shows_phases_tracks_counts_entries_and_winners(app):
    contest = factories.contest(title="2026绍兴数据开放创新应用大赛")
    leader = factories.user()
    team = factories.contest_team(contest["id"], leader, name="越州队")
    entry = factories.contest_entry(team["id"], leader, title="古城导览")
    factories.contest_team(contest["id"], track="livelihood")

    before = app.get(f"/contest/{contest['name']}").body
    call_action("govdata_showcase_moderate", factories.site_context(), id=entry["package_id"], decision="published")
    call_action("govdata_contest_results_publish", factories.site_context(), contest=contest["id"], awards=[{"entry": entry["id"], "award": "一等奖", "rank": 1}])
    after = app.get(f"/contest/{contest['name']}").body

    assert "2026绍兴数据开放创新应用大赛" in before and "城市治理赛道" in before and "民生服务赛道" in before
    assert '<strong class="govdata-team-count">2</strong>' in before
    assert "古城导览" not in before  # pending moderation
    assert "获奖作品" in after and "一等奖" in after and "古城导览" in after
    assert "2026绍兴数据开放创新应用大赛" in app.get("/contest/").body


def test_registering_a_team_through_the_form(app):
    contest = factories.contest()
    leader = factories.user()

    response = app.post(
        f"/contest/{contest['name']}/register",
        headers=_auth(leader),
        data={"name": "兰亭队", "organisation": "绍兴文理学院", "track": "city", "members": "王五, 赵六"},
        follow_redirects=False,
    )
    assert response.status_code == 302
    team_page = app.get(response.headers["Location"], headers=_auth(leader)).body
    assert "兰亭队" in team_page and "王五" in team_page and "提交参赛作品" in team_page


def test_late_registration_is_refused_with_a_bilingual_message(app):
    contest = factories.contest(**factories.contest_dates(registration=-2, submission=-1, review=0))

    page = app.post(
        f"/contest/{contest['name']}/register",
        headers=_auth(factories.user()),
        data={"name": "迟到队", "track": "city"},
    ).body

    assert "报名时间为" in page and "Team registration for this contest is open from" in page


def test_submitting_an_entry_through_the_form_and_outsiders_kept_out(app):
    contest = factories.contest()
    leader = factories.user()
    team = factories.contest_team(contest["id"], leader)

    app.get(f"/contest/{contest['name']}/team/{team['id']}/entry", headers=_auth(factories.user()), status=403)
    response = app.post(
        f"/contest/{contest['name']}/team/{team['id']}/entry",
        headers=_auth(leader),
        data={"title": "城市体检看板", "notes": "说明", "category": "analysis-report", "author": team["name"]},
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert "城市体检看板" in app.get(response.headers["Location"], headers=_auth(leader)).body


def test_judges_score_through_the_judging_page(app):
    contest = factories.contest()
    leader, judge, other = factories.user(), factories.user(), factories.user()
    team = factories.contest_team(contest["id"], leader)
    entry = factories.contest_entry(team["id"], leader, title="停车诱导")
    call_action("govdata_contest_judge_assign", factories.site_context(), entry=entry["id"], judges=[judge["name"]])

    assert "停车诱导" in app.get(f"/contest/{contest['name']}/judging", headers=_auth(judge)).body
    assert "停车诱导" not in app.get(f"/contest/{contest['name']}/judging", headers=_auth(other)).body
    app.post(
        f"/contest/{contest['name']}/judging",
        headers=_auth(other),
        data={"entry": entry["id"], "score-innovation": "40", "score-value": "60"},
        status=403,
    )
    bad = app.post(
        f"/contest/{contest['name']}/judging",
        headers=_auth(judge),
        data={"entry": entry["id"], "score-innovation": "99", "score-value": "10"},
    ).body
    assert "0 到 40" in bad
    app.post(
        f"/contest/{contest['name']}/judging",
        headers=_auth(judge),
        data={"entry": entry["id"], "score-innovation": "30", "score-value": "50"},
    )

    manage = app.get(f"/contest/{contest['name']}/manage", headers=_auth(factories.sysadmin())).body
    assert "80.0" in manage or ">80<" in manage
    app.get(f"/contest/{contest['name']}/manage", headers=_auth(judge), status=403)


def test_a_team_is_changed_through_its_form_and_its_page_lists_the_data_granted(app):
    dataset = factories.conditional_dataset(data_subject_type="none", subject_id_column="", title="企业用电量月度数据")
    contest = factories.contest(packages=[dataset["name"]])
    leader, teammate, outsider = factories.user(), factories.user(), factories.user()
    team = factories.contest_team(contest["id"], leader, name="兰亭队")
    edit_url = f"/contest/{contest['name']}/team/{team['id']}/edit"

    form = app.get(edit_url, headers=_auth(leader)).body
    response = app.post(
        edit_url,
        headers=_auth(leader),
        data={"name": "兰亭数据队", "organisation": "绍兴文理学院", "track": "city", "members": "王五, 赵六",
              "accounts": teammate["name"]},
        follow_redirects=False,
    )
    refused = app.post(edit_url, headers=_auth(leader), data={"name": "", "track": "city", "members": "王五"}).body
    team_page = app.get(f"/contest/{contest['name']}/team/{team['id']}", headers=_auth(teammate)).body

    assert 'value="兰亭队"' in form and "accounts" in form
    assert response.status_code == 302
    assert "兰亭数据队" in team_page and teammate["name"] in team_page
    assert "比赛期间授权使用的数据" in team_page and "企业用电量月度数据" in team_page and contest["review_closes"] in team_page
    assert "Team name is required" in refused and "队伍名称" in refused
    assert app.get(edit_url, headers=_auth(outsider), status=403)
    assert "企业用电量月度数据" not in app.get(f"/contest/{contest['name']}/team/{team['id']}", headers=_auth(outsider)).body

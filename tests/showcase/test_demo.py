"""The demo's 20 scenarios and its contest (81 teams, entries, scores and awards)."""
from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata.demo import showcases
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_the_plan_is_deterministic_and_has_81_teams_across_tracks():
    plan = showcases.plan_contest()

    assert plan == showcases.plan_contest()
    assert len(plan.teams) == 81
    assert {team.track for team in plan.teams} == {"city-governance", "livelihood", "industry", "culture-tourism"}
    assert len({team.name for team in plan.teams}) == 81
    assert len({entry.title for entry in plan.entries}) == len(plan.entries)
    assert 60 < len(plan.entries) < 81
    awards = showcases.awards(plan)
    assert sorted(title for title, rank in awards.values()).count("一等奖") == 4


def test_load_writes_scenarios_and_runs_the_contest_once(app):
    department = factories.department()
    for domain in ("transport", "health", "education-culture", "urban-housing", "industry-agriculture", "commerce"):
        factories.dataset(department["id"], domain=domain, title=f"{domain}公交停车数据")
        factories.dataservice(department["id"], domain=domain)
    conditional = factories.dataset(department["id"], domain="transport", open_condition="conditional", data_subject_type="none")
    enterprises = factories.dataset(department["id"], domain="transport", open_condition="conditional",
                                    data_subject_type="enterprise", subject_id_column="credit_code")
    context = factories.site_context()

    first = showcases.load(context)
    again = showcases.load(context)

    scenarios = call_action("govdata_scenario_list", {"user": "", "ignore_auth": False})
    assert len(scenarios) == 20 and scenarios[0]["title"] == "综合交通"
    assert scenarios[0]["package_count"] > 0 and scenarios[0]["image"]
    contest = first["contest"]
    plan = showcases.plan_contest()
    assert contest["title"] == "2026绍兴数据开放创新应用大赛"
    assert contest["team_count"] == 81 and contest["entry_count"] == len(plan.entries)
    assert contest["results_published"] and contest["phases"] == ["results"]
    assert contest["registration_opens"] == "2026-04-01" and contest["results_date"] == "2026-09-20"
    assert len(contest["winners"]) == 40
    assert again["contest"]["entry_count"] == contest["entry_count"]
    assert conditional["id"] in contest["packages"] and enterprises["id"] not in contest["packages"]
    team_grants = call_action("govdata_access_grant_list", factories.site_context(), scope="review",
                              package_id=conditional["id"], include_inactive=True)
    assert team_grants and {grant["expires_on"] for grant in team_grants} == {"2026-09-10"}  # the review's end
    page = app.get(f"/contest/{contest['name']}").body
    assert "81" in page and "一等奖" in page

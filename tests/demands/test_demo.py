"""The demo city's demands: every state, some overdue, deadlines from the calendar, loaded once."""
from __future__ import annotations

from collections import Counter

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata.demands import workflow
from ckanext.govdata.demands.model import Demand
from ckanext.govdata.demo import demands as demo_demands
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_the_demo_writes_demands_in_every_state_once():
    department = factories.department()
    transport = factories.dataset(department["id"], domain="transport")
    factories.dataset(factories.department()["id"], domain="health")

    demo_demands.load(factories.site_context())
    demo_demands.load(factories.site_context())

    states = Counter(state for (state,) in model.Session.query(Demand.state))
    assert set(states) == set(workflow.STATES)
    assert sum(states.values()) == len(demo_demands.PLAN)
    queue = call_action("govdata_demand_list", factories.site_context(), scope="queue", limit=100)["results"]
    assert any(demand["overdue"] for demand in queue)
    assert any(demand["provide_timeliness"] == "overdue" and demand["state"] == "provided" for demand in queue)
    assert any(demand["confirm_timeliness"] == "on_time" and demand["state"] == "provided" for demand in queue)
    routed_to_transport = [d for d in queue if d["domain"] == "transport" and d["organization_id"]]
    assert routed_to_transport and all(d["organization_id"] == transport["owner_org"] for d in routed_to_transport)
    provided = next(d for d in queue if d["state"] == "provided" and d["domain"] == "transport")
    assert provided["provide_days_taken"] > 0 and provided["supporters"] > 0
    public = call_action("govdata_demand_list", {"ignore_auth": False}, limit=100)
    assert public["count"] == sum(states[state] for state in workflow.PUBLIC_STATES)
    assert "demo.govdata.invalid" not in str(public)

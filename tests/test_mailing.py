"""A notice's mail never costs the step that sends it (ckanext.govdata.mailing)."""
from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.mark.parametrize(("option", "value"), [
    ("smtp.mail_from", ""),            # no sender configured: CKAN's mailer raises AttributeError
    ("smtp.server", "127.0.0.1:9"),    # nothing listens there: the connection is refused
])
def test_a_demand_is_submitted_and_the_bureau_told_in_app_when_mail_cannot_go(ckan_config, monkeypatch, option, value):
    monkeypatch.setitem(ckan_config, option, value)
    bureau = factories.sysadmin(email="bureau@sx.gov.cn")
    requester = factories.user(email="requester@example.com")

    demand = factories.demand(requester)

    notices = call_action("govdata_demand_notice_list", {"user": bureau["name"], "ignore_auth": False})
    assert demand["state"] == "submitted"
    assert [(notice["kind"], notice["demand_id"]) for notice in notices] == [("new_demand", demand["id"])]

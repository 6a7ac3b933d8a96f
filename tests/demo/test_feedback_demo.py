"""The demo's error reports and ratings: every state shows, and a second load adds nothing."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata.demo import feedback, loader
from ckanext.govdata.feedback.model import Correction, Rating, Rectification
from tests.demo.test_loader import _part_of_demo

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_the_demo_has_reports_and_ratings_in_every_state_once():
    loader.load_catalogue(_part_of_demo())
    context = {"user": call_action("get_site_user", {"ignore_auth": True})["name"], "ignore_auth": True}

    first = feedback.load(context)
    second = feedback.load(context)

    corrections = model.Session.query(Correction).all()
    assert first == {"corrections": 24, "ratings": 45} and second == {"corrections": 0, "ratings": 0}
    assert len(corrections) == 24 and model.Session.query(Rating).count() == 45
    reports = call_action("govdata_correction_list", dict(context), scope="review", limit=100)["results"]
    by_life = {(row["state"], row["timeliness"]) for row in reports}
    assert by_life == {("submitted", "on_time"), ("submitted", "overdue"), ("fixed", "on_time"),
                       ("fixed", "overdue"), ("rejected", "on_time"), ("rejected", "overdue"), ("withdrawn", None)}
    items = call_action("govdata_rectification_list", dict(context), scope="review", limit=100)["results"]
    assert {(row["state"], row["timeliness"]) for row in items} == {
        ("rectified", "on_time"), ("rectified", "overdue"), ("open", "on_time"), ("open", "overdue"),
        ("withdrawn", None),
    }
    assert model.Session.query(Rectification).count() == 15
    stats = call_action("govdata_correction_stats", dict(context))["departments"]
    assert sum(figures["received"] for figures in stats.values()) == 21

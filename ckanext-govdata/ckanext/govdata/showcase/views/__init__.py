"""Pages of the showcase plugin. Thin: they call the actions and render what comes back."""
from __future__ import annotations

from flask import Blueprint

from ckanext.govdata.showcase.views.contests import contest
from ckanext.govdata.showcase.views.scenarios import scenario
from ckanext.govdata.showcase.views.showcases import showcase


def blueprints() -> list[Blueprint]:
    return [showcase, scenario, contest]

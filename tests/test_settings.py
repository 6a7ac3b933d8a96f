"""settings: every ckanext.govdata.* option typed, and a bad value stops start-up naming it."""
from __future__ import annotations

import pytest
from ckan.exceptions import CkanConfigurationException

from ckanext.govdata import settings
from ckanext.govdata.plugin import GovdataPlugin


def test_every_declared_option_is_read():
    assert set(settings.OPTIONS) == set(settings.declared_defaults())


def test_defaults_are_typed():
    options = settings.validate({})
    assert options.list_not_open is True
    assert options.access.platform_limit_days == 3
    assert options.access.attachment_types == ("pdf", "jpg", "jpeg", "png")
    assert options.stats.flush_interval == 300
    assert options.showcase.moderators == ()
    assert options.curation.import_max_bytes == 20 * 1024 * 1024


def test_ini_strings_are_parsed():
    options = settings.validate(
        {
            "ckanext.govdata.list_not_open": "false",
            "ckanext.govdata.showcase.moderators": "zhang_wei li_na",
            "ckanext.govdata.stats.recent_days": " 7 ",
        }
    )
    assert options.list_not_open is False
    assert options.showcase.moderators == ("zhang_wei", "li_na")
    assert options.stats.recent_days == 7


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("ckanext.govdata.stats.recent_days", "thirty"),
        ("ckanext.govdata.access.platform_limit_days", "0"),
        ("ckanext.govdata.max_request_size", "-1"),
        ("ckanext.govdata.list_not_open", "maybe"),
        ("ckanext.govdata.curation.import_max_rows", "many"),
    ],
)
def test_a_bad_value_fails_start_up_naming_the_option(ckan_config, monkeypatch, option, value):
    monkeypatch.setitem(ckan_config, option, value)
    with pytest.raises(CkanConfigurationException, match=option.replace(".", r"\.")):
        GovdataPlugin().configure(ckan_config)


def test_current_follows_changed_options(ckan_config, monkeypatch):
    before = settings.current()
    assert settings.current() is before
    monkeypatch.setitem(ckan_config, "ckanext.govdata.stats.recent_days", 9)
    assert settings.current().stats.recent_days == 9

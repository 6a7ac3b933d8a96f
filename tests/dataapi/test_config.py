"""The data API's limits are read once, typed, and checked against each other at start-up."""
from __future__ import annotations

import pytest
from ckan.exceptions import CkanConfigurationException

from ckanext.govdata import settings


def test_the_declared_limits():
    limits = settings.validate({}).dataapi

    assert (limits.default_limit, limits.max_limit) == (100, 1000)


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"ckanext.govdata.dataapi.max_limit": "0"}, "ckanext.govdata.dataapi.max_limit"),
        ({"ckanext.govdata.dataapi.default_limit": "many"}, "ckanext.govdata.dataapi.default_limit"),
        ({"ckanext.govdata.dataapi.default_limit": "500", "ckanext.govdata.dataapi.max_limit": "200"},
         "ckanext.govdata.dataapi.default_limit"),
    ],
)
def test_bad_limits_stop_start_up_naming_the_option(options, named):
    with pytest.raises(CkanConfigurationException, match=named):
        settings.validate(options)

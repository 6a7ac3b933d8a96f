"""package_search decodes its results with msgspec, giving what json.loads gives."""
from __future__ import annotations

import json
import math

import pytest
from ckan.logic.action import get as ckan_get
from ckan.tests.helpers import call_action

from ckanext.govdata.search import decoding
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.mark.parametrize("text", [
    '{"名称": "公交站点", "n": [1, 2.5, -3e2, true, null], "nested": {"a": [{}, []]}}',
    '{"big": 1180591620717411303424}',  # beyond 64 bits: msgspec refuses, json.loads decodes
    '"\\u516c\\u4ea4"',
])
def test_loads_gives_what_json_loads_gives(text):
    assert decoding.loads(text) == json.loads(text)
    assert type(decoding.loads(text)) is type(json.loads(text))


def test_what_msgspec_refuses_is_read_by_the_standard_library():
    assert math.isnan(decoding.loads('{"x": NaN}')["x"])


def test_package_search_decodes_with_it_and_returns_the_shown_dataset():
    department = factories.department()
    dataset = factories.dataset(department["id"], title="公交站点信息")

    assert ckan_get.json.loads is decoding.loads
    found = call_action("package_search", {}, q="公交站点", fq=f"id:{dataset['id']}")["results"]
    shown = call_action("package_show", {}, id=dataset["id"])
    assert [result["id"] for result in found] == [dataset["id"]]
    assert {key: found[0][key] for key in ("title", "organization", "resources", "extras") if key in found[0]} == \
        {key: shown[key] for key in ("title", "organization", "resources", "extras") if key in found[0]}

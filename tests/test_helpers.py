"""Template helpers."""
from __future__ import annotations

import pytest

from ckanext.govdata.helpers import govdata_format_count


@pytest.mark.parametrize(
    ("value", "chinese"),
    [(0, "0"), (1200, "1,200"), (99_999, "99,999"), (125_000, "12.5万"), (243_000_000, "2.43亿"), ("7", "7"), (None, "")],
)
def test_counts_are_written_the_chinese_way(value, chinese, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.locale_default", "zh_Hans_CN")
    assert govdata_format_count(value) == chinese

"""Search result pages mark the matched terms in titles and descriptions, escape everything
else, and show "did you mean" suggestions when nothing is found."""
from __future__ import annotations

import re
import types

import pysolr
import pytest

from ckanext.govdata.search import highlight, suggest
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _titles(page: str) -> dict[str, str]:
    """Each result's plain title -> its title as rendered."""
    rendered = re.findall(r'<a href="/dataset/[^"]+" aria-label="[^"]*">\s*(.*?)\s*</a>', page, re.S)
    return {re.sub(r"</?mark>", "", title): title for title in rendered}


def test_matched_terms_are_marked_in_title_and_description(app, department):
    factories.dataset(department["id"], title="绍兴市公交站点信息", notes="收录公交站点的名称、位置和线路。")
    factories.dataset(department["id"], title="空气质量日报", notes="监测点设在公交站点周边。", domain="environment")

    page = app.get("/dataset/", query_string={"q": "公交站点"}).body
    titles = _titles(page)

    assert titles["绍兴市公交站点信息"] == "绍兴市<mark>公交站点</mark>信息"
    assert "收录<mark>公交站点</mark>的名称" in page
    # Matched through its description only: the title stays as it is, the description is marked.
    assert titles["空气质量日报"] == "空气质量日报"
    assert "监测点设在<mark>公交站点</mark>周边" in page


def test_markup_in_titles_and_descriptions_stays_text(app, department):
    factories.dataset(
        department["id"], title="<script>alert(1)</script>公交数据", notes='公交<img src=x onerror="alert(2)">说明'
    )

    page = app.get("/dataset/", query_string={"q": "公交"}).body

    # Solr's html encoder writes / as &#x2F;.
    assert "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;<mark>公交</mark>数据</a>" in page
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page


def test_marks_come_only_from_the_results_on_the_page(app, department):
    factories.dataset(department["id"], title="公交线路信息", notes="公开的线路。")
    factories.dataset(department["id"], title="公交内部调度", notes="内部机密的公交调度记录。", private=True)

    page = app.get("/dataset/", query_string={"q": "公交"}).body

    assert "<mark>公交</mark>线路信息" in page
    assert "调度" not in page and "机密" not in page
    assert highlight.highlights("公交", []) == {}


def test_without_solr_the_page_renders_without_marks(app, department, monkeypatch):
    factories.dataset(department["id"], title="公交线路信息")
    dead = pysolr.Solr("http://127.0.0.1:9/solr/none", timeout=2)
    monkeypatch.setattr(highlight, "connection", types.SimpleNamespace(searcher=lambda: dead))

    page = app.get("/dataset/", query_string={"q": "公交"}).body

    assert "公交线路信息" in page and "<mark>" not in page


def test_field_queries_and_listings_are_not_marked(app, department):
    factories.dataset(department["id"], title="公交线路信息")

    for query in ({"q": "title:公交"}, {}, {"q": "*:*"}):
        page = app.get("/dataset/", query_string=query).body
        assert "公交线路信息" in page and "<mark>" not in page, query


def test_a_search_finding_nothing_suggests_titles(app, department):
    factories.dataset(department["id"], title="出租车GPS轨迹")
    suggest.build()

    page = app.get("/dataset/", query_string={"q": "GP"}).body

    assert "govdata-did-you-mean" in page and "您是不是要找" in page
    assert 'href="/dataset/?q=%E5%87%BA%E7%A7%9F%E8%BD%A6GPS%E8%BD%A8%E8%BF%B9"' in page
    assert "govdata-did-you-mean" not in app.get("/dataset/", query_string={"q": "GPS"}).body


def test_every_page_carries_the_autocomplete(app):
    page = app.get("/dataset/").body

    assert 'id="govdata-search-suggest"' in page
    assert 'data-url="/api/3/action/govdata_search_suggest"' in page
    assert re.search(r'<script src="[^"]*search_suggest\.js', page)

"""DCAT-AP 3 output: our fields mapped onto DCAT terms, API interfaces as data services."""
from __future__ import annotations

import pytest
from ckanext.dcat.profiles import DCAT, DCT
from ckanext.dcat.utils import dataset_uri
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ckanext.govdata.dcat import GOVDATA
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _graph(app, path: str) -> Graph:
    response = app.get(path)
    return Graph().parse(data=response.body, format="turtle")


def test_dataset_fields_become_dcat_ap_terms(app, department):
    dataset = factories.dataset(
        department["id"], open_condition="conditional", update_frequency="EVERY_QUARTER",
        resource_library="theme-transport", catalogue_class="公交客运",
    )

    graph = _graph(app, f"/dataset/{dataset['name']}.ttl")
    subject = URIRef(dataset_uri(dataset))

    theme = graph.value(subject, DCAT.theme)
    assert str(theme).endswith("/vocabulary/domains/transport")
    assert (theme, SKOS.prefLabel, Literal("交通运输", lang="zh")) in graph
    assert (theme, SKOS.prefLabel, Literal("Transport", lang="en")) in graph
    assert graph.value(subject, DCT.accessRights) == URIRef(
        "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"
    )
    assert graph.value(subject, DCT.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
    )
    assert str(graph.value(subject, DCT.identifier)) == dataset["identifier"]
    assert str(graph.value(subject, DCT.isPartOf)).endswith("/vocabulary/resource_libraries/theme-transport")
    assert graph.value(subject, GOVDATA.recordCount).toPython() == 1200
    assert {str(o) for o in graph.objects(subject, GOVDATA.dataItem)} == {"route_no", "passengers"}


def test_api_interface_is_a_data_service_serving_its_datasets(app, department):
    served = factories.dataset(department["id"])
    api = factories.dataservice(department["id"], served_datasets=[served["name"]])

    graph = _graph(app, f"/dataset/{api['name']}.ttl")
    subject = URIRef(dataset_uri(api))

    assert (subject, RDF.type, DCAT.DataService) in graph
    assert (subject, RDF.type, DCAT.Dataset) not in graph
    assert graph.value(subject, DCAT.endpointURL) == URIRef("https://data.sx.gov.cn/api/bus/arrival")
    assert graph.value(subject, DCAT.servesDataset) == URIRef(dataset_uri(served))


def test_the_security_grade_is_a_concept_and_the_page_shows_it(app, department):
    dataset = factories.dataset(department["id"], open_condition="conditional", security_grade="3")

    graph = _graph(app, f"/dataset/{dataset['name']}.ttl")
    page = app.get(f"/dataset/{dataset['name']}").body
    grade = graph.value(URIRef(dataset_uri(dataset)), GOVDATA.securityGrade)

    assert str(grade).endswith("/vocabulary/security_grades/3")
    assert (grade, SKOS.prefLabel, Literal("三级（敏感）", lang="zh")) in graph
    assert (grade, SKOS.prefLabel, Literal("Grade 3 (sensitive)", lang="en")) in graph
    assert "govdata-security-grade" in page and "三级（敏感）" in page


def test_a_grade_bounds_the_access_rights_of_an_entry_saved_before_the_table(app, department):
    from ckan import model
    from ckan.lib.search import rebuild

    dataset = factories.dataset(department["id"])
    package = model.Package.get(dataset["id"])
    package.extras = dict(package.extras, security_grade="2")
    model.Session.commit()
    rebuild(dataset["id"])

    graph = _graph(app, f"/dataset/{dataset['name']}.ttl")

    assert graph.value(URIRef(dataset_uri(dataset)), DCT.accessRights) == URIRef(
        "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"
    )

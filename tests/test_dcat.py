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

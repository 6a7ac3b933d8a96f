"""DCAT-AP 3 output of the catalogue (ckanext-dcat profile ``govdata_dcat_ap_3``).

Maps govdata's fields onto DCAT-AP: domains become ``dcat:theme`` concepts of our own
ConceptScheme, the open condition becomes ``dct:accessRights`` from the EU access-right
authority table, the security grade a ``govdata:securityGrade`` concept, update frequencies
the EU frequency table; API interfaces are ``dcat:DataService``s.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.dcat.profiles import DCAT, DCT, EuropeanDCATAP3Profile
from ckanext.dcat.utils import dataset_uri
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from ckanext.govdata import open_condition, vocabularies

GOVDATA = Namespace("https://w3id.org/govdata/ns#")
EU_ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"

ACCESS_RIGHTS = {"unconditional": "PUBLIC", "conditional": "RESTRICTED", "not-open": "NON_PUBLIC"}
FREQUENCIES = {
    "REAL_TIME": "CONT",
    "EVERY_DAY": "DAILY",
    "EVERY_WEEK": "WEEKLY",
    "EVERY_MONTH": "MONTHLY",
    "EVERY_QUARTER": "QUARTERLY",
    "HALF_YEAR": "BIANNUAL",
    "EVERY_YEAR": "ANNUAL",
    "IRREGULAR": "IRREG",
}
DATASERVICE_TYPE = "dataservice"


def scheme_uri(section: str) -> URIRef:
    return URIRef(f"{tk.config.get('ckan.site_url').rstrip('/')}/vocabulary/{section}")


def concept_uri(section: str, value: str) -> URIRef:
    return URIRef(f"{scheme_uri(section)}/{value}")


class GovdataDCATAP3Profile(EuropeanDCATAP3Profile):
    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        super().graph_from_dataset(self._as_dcat_fields(dataset_dict), dataset_ref)
        self._add_concept(dataset_ref, DCAT.theme, "domains", dataset_dict.get("domain"))
        self._add_concept(dataset_ref, DCT.isPartOf, "resource_libraries", dataset_dict.get("resource_library"))
        # The security grade (分级分类) has no DCAT-AP property: a concept of our own scheme, labelled in
        # Chinese and English, under govdata:securityGrade; dct:accessRights already says how far it is opened.
        self._add_concept(dataset_ref, GOVDATA.securityGrade, "security_grades", dataset_dict.get("security_grade"))
        if dataset_dict.get("catalogue_class"):
            self.g.add((dataset_ref, DCT.subject, Literal(dataset_dict["catalogue_class"], lang="zh")))
        if dataset_dict.get("record_count") not in (None, ""):
            self.g.add((dataset_ref, GOVDATA.recordCount, Literal(int(dataset_dict["record_count"]), datatype=XSD.integer)))
        for item in dataset_dict.get("data_items") or []:
            self.g.add((dataset_ref, GOVDATA.dataItem, Literal(item["name"])))
        if dataset_dict.get("type") == DATASERVICE_TYPE:
            self._as_data_service(dataset_dict, dataset_ref)

    def _as_dcat_fields(self, dataset_dict: dict[str, Any]) -> dict[str, Any]:
        """A copy carrying the keys the DCAT-AP profile reads, derived from ours."""
        prepared = dict(dataset_dict)
        if dataset_dict.get("open_condition") in ACCESS_RIGHTS:
            # The condition that governs the data: a grade bounds what was declared (open_condition.condition_of).
            prepared["access_rights"] = EU_ACCESS_RIGHT + ACCESS_RIGHTS[open_condition.condition_of(dataset_dict)]
        if dataset_dict.get("update_frequency") in FREQUENCIES:
            prepared["frequency"] = EU_FREQUENCY + FREQUENCIES[dataset_dict["update_frequency"]]
        return prepared

    def _add_concept(self, subject: URIRef, predicate: URIRef, section: str, value: str | None) -> None:
        if not value:
            return
        concept = concept_uri(section, value)
        self.g.add((subject, predicate, concept))
        self.g.add((concept, RDF.type, SKOS.Concept))
        self.g.add((concept, SKOS.inScheme, scheme_uri(section)))
        for lang, tag in (("zh_Hans_CN", "zh"), ("en", "en")):
            self.g.add((concept, SKOS.prefLabel, Literal(vocabularies.label(section, value, lang), lang=tag)))

    def _as_data_service(self, dataset_dict: dict[str, Any], service_ref: URIRef) -> None:
        self.g.remove((service_ref, RDF.type, None))
        self.g.add((service_ref, RDF.type, DCAT.DataService))
        if dataset_dict.get("api_endpoint"):
            self.g.add((service_ref, DCAT.endpointURL, URIRef(dataset_dict["api_endpoint"])))
        for name in dataset_dict.get("served_datasets") or []:
            served = model.Package.get(name)
            if served is not None and served.state == "active":
                self.g.add((service_ref, DCAT.servesDataset, URIRef(dataset_uri({"id": served.id}))))

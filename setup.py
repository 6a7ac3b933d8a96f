"""Installs the govdata CKAN extension (code in ckanext-govdata/, schemas in scheming/)."""
from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-govdata",
    version="0.1.0",
    description="Open government data portal for Chinese city data bureaus, on CKAN 2.12",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={
        "": "ckanext-govdata",
        "ckanext.govdata.schemas": "scheming",
    },
    packages=[
        *find_namespace_packages(
            "ckanext-govdata",
            include=["ckanext.*"],
            exclude=["*.templates*", "*.public*", "*.assets*", "*.i18n*", "*.data", "*.data.*", "*.migration*"],
        ),
        "ckanext.govdata.schemas",
    ],
    include_package_data=True,
    package_data={
        "ckanext.govdata": [
            "config_declaration.yaml",
            "data/*",
            "demo/data/*",
            "*/config_declaration.yaml",
            "*/templates/**/*",
            "*/assets/**/*",
            "templates/**/*",
            "public/**/*",
            "assets/**/*",
            "i18n/**/*",
            "migration/**/*",
        ],
        "ckanext.govdata.schemas": ["*.yaml", "*.json"],
    },
    entry_points={
        "ckan.plugins": [
            "govdata = ckanext.govdata.plugin:GovdataPlugin",
            "govdata_access = ckanext.govdata.access.plugin:GovdataAccessPlugin",
            "govdata_stats = ckanext.govdata.stats.plugin:GovdataStatsPlugin",
            "govdata_showcase = ckanext.govdata.showcase.plugin:GovdataShowcasePlugin",
            "govdata_curation = ckanext.govdata.curation.plugin:GovdataCurationPlugin",
            "govdata_uploads = ckanext.govdata.uploads.plugin:GovdataUploadsPlugin",
            "govdata_demands = ckanext.govdata.demands.plugin:GovdataDemandsPlugin",
            "govdata_feedback = ckanext.govdata.feedback.plugin:GovdataFeedbackPlugin",
            "govdata_quality = ckanext.govdata.quality.plugin:GovdataQualityPlugin",
            "govdata_subjects = ckanext.govdata.subjects.plugin:GovdataSubjectsPlugin",
            "govdata_dataapi = ckanext.govdata.dataapi.plugin:GovdataDataApiPlugin",
            "govdata_devkeys = ckanext.govdata.dataapi.keys.plugin:GovdataDevkeysPlugin",
        ],
        "ckan.rdf.profiles": [
            "govdata_dcat_ap_3 = ckanext.govdata.dcat:GovdataDCATAP3Profile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext-govdata": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)

"""The govdata plugin: open catalogue schema, vocabularies, facets and the demo catalogue."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.govdata import cli, helpers, search, security_headers, settings, validators, views, web_security
from ckanext.govdata.logic import action, auth
from ckanext.govdata.search import connection as search_connection
from ckanext.govdata.search import decoding as search_decoding
from ckanext.govdata.search import facet_titles
from ckanext.govdata.search import query as search_query
from ckanext.govdata.validators import grades


@tk.blanket.config_declarations
@tk.blanket.actions(action.all_actions)
@tk.blanket.auth_functions(auth.all_auth_functions)
@tk.blanket.validators(validators.all_validators)
@tk.blanket.helpers(helpers.all_helpers)
@tk.blanket.blueprints(lambda: [views.js_translations(), views.search_staff()])
@tk.blanket.cli(lambda: [cli.govdata])
class GovdataPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "govdata")
        # search.query sends typed text as {!edismax …}; CKAN refuses local parameters of any
        # parser not listed here.
        parsers = config.get("ckan.search.solr_allowed_query_parsers") or []
        parsers = parsers.split() if isinstance(parsers, str) else list(parsers)
        if "edismax" not in parsers:
            config["ckan.search.solr_allowed_query_parsers"] = [*parsers, "edismax"]
        search_query.memoise_ckan_local_params()
        search_connection.keep_search_connections()
        search_decoding.decode_results_quickly()
        facet_titles.hand_over_aliased()

    # IConfigurable: a bad ckanext.govdata.* value stops start-up, naming the option.
    def configure(self, config: Any) -> None:
        settings.validate(config)
        grades.table()

    # IFacets
    def dataset_facets(self, facets_dict: OrderedDict[str, Any], package_type: str) -> OrderedDict[str, Any]:
        return search.dataset_facets(facets_dict)

    # IPackageController
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        return facet_titles.expect(search_query.shape(search_params))

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return search.label_facets(facet_titles.restore(search_results))

    # IMiddleware
    def make_middleware(self, app: Any, config: Any) -> Any:
        return security_headers.install(web_security.install(app))

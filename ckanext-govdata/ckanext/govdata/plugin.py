"""The govdata plugin: open catalogue schema, vocabularies, facets and the demo catalogue."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.govdata import cli, helpers, search, security_headers, validators, views, web_security
from ckanext.govdata.logic import action, auth


@tk.blanket.config_declarations
class GovdataPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IValidators)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IClick)
    p.implements(p.IActions)
    p.implements(p.IBlueprint)
    p.implements(p.IAuthFunctions)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "govdata")

    # ITemplateHelpers
    def get_helpers(self) -> dict[str, Any]:
        return helpers.all_helpers()

    # IValidators
    def get_validators(self) -> dict[str, Any]:
        return validators.all_validators()

    # IFacets
    def dataset_facets(self, facets_dict: OrderedDict[str, Any], package_type: str) -> OrderedDict[str, Any]:
        return search.dataset_facets(facets_dict)

    # IPackageController
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(pkg_dict)

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return search.label_facets(search_results)

    # IActions
    def get_actions(self) -> dict[str, Any]:
        return action.all_actions()

    # IAuthFunctions
    def get_auth_functions(self) -> dict[str, Any]:
        return auth.all_auth_functions()

    # IMiddleware
    def make_middleware(self, app: Any, config: Any) -> Any:
        return security_headers.install(web_security.install(app))

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.js_translations()]

    # IClick
    def get_commands(self) -> list[Any]:
        return [cli.govdata]

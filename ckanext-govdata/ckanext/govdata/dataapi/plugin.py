"""govdata_dataapi: every API interface (dataservice) served at ``/api/data/<name>`` from the
datastore, with OpenAPI 3.1 documents and a section on its page to read and try it."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata.dataapi import helpers, views


@tk.blanket.config_declarations
@tk.blanket.helpers(helpers.all_helpers)
class GovdataDataApiPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "govdata_dataapi")

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.dataapi]

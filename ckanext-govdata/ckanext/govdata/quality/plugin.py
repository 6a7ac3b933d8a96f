"""govdata_quality: data quality rules per dataset on the six dimensions, checked as SQL inside
PostgreSQL on the datastore tables, on demand and when the data changes, with pass rates per
dimension, dataset and department against the target (质检合格率 ≥ 95%)."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata.quality import logic, triggers, views


@tk.blanket.config_declarations
@tk.blanket.actions(lambda: {**logic.all_actions(), **triggers.chained_actions()})
@tk.blanket.auth_functions(logic.all_auth_functions)
class GovdataQualityPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IBlueprint)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.quality]

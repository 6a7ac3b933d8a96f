"""govdata_subjects: data subjects (我的数据). A person or an enterprise proves who they are once,
through the configured identity provider, then sees the rows about them across the datasets
that declare a subject column, authorises others to use them, flags wrong rows, and reads the
audit trail of their rows; staff read the audit trail of their departments' data."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata import settings
from ckanext.govdata.subjects import helpers, logic, providers, views

log = logging.getLogger(__name__)


@tk.blanket.config_declarations
@tk.blanket.actions(logic.all_actions)
@tk.blanket.auth_functions(logic.all_auth_functions)
@tk.blanket.helpers(helpers.all_helpers)
class GovdataSubjectsPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IBlueprint)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")

    # IConfigurable
    def configure(self, config: Any) -> None:
        provider = providers.load(settings.validate(config).subjects.identity_provider)
        if provider.development_only:
            log.warning("the identity provider %r is for development only: name a real one in %s",
                        provider.name, providers.OPTION)

    # IBlueprint
    def get_blueprint(self) -> list[Any]:
        return [views.subjects]

"""govdata_stats: published counts, download and API-call tracking, monitoring."""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model, types

from ckanext.govdata import action_steps
from ckanext.govdata.stats import counters, subscriptions


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.helpers
@tk.blanket.config_declarations
class GovdataStatsPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.ISignal)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "govdata_stats")

    # IPackageController: inside the action's transaction, so counters commit with the change.
    # In a batch (action_steps.BATCH), the batch's owner refreshes once (govdata_stats_refresh).
    def after_dataset_create(self, context: types.Context, pkg_dict: dict[str, Any]) -> None:
        if not action_steps.batched(context, pkg_dict["id"]):
            counters.refresh([pkg_dict["id"]])

    def after_dataset_update(self, context: types.Context, pkg_dict: dict[str, Any]) -> None:
        if not action_steps.batched(context, pkg_dict["id"]):
            counters.refresh([pkg_dict["id"]])

    def after_dataset_delete(self, context: types.Context, pkg_dict: dict[str, Any]) -> None:
        package = model.Package.get(pkg_dict.get("id"))
        if package:
            counters.refresh([package.id], deleting=True)

    # ISignal
    def get_signal_subscriptions(self) -> types.SignalMapping:
        return subscriptions.get_subscriptions()

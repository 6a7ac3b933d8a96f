"""govdata_uploads: uploaded CSV and spreadsheets into the datastore (ckanext-xloader loads them
in the background). GB18030 CSV is stored as UTF-8 so that it loads as Chinese; a dataset that
declares no data items gets them proposed from its loaded table; staff see each load's status."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.xloader.interfaces import IXloader
from werkzeug.datastructures import FileStorage

from ckanext.govdata.uploads import encoding, helpers, xloader_fixes

log = logging.getLogger(__name__)


class GovdataUploadsPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IUploader, inherit=True)
    p.implements(IXloader, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        xloader_fixes.install()

    # ITemplateHelpers
    def get_helpers(self) -> dict[str, Any]:
        return helpers.all_helpers()

    # IUploader: every resource upload passes here (resource_create and _update, package_create
    # and _update), before CKAN's own uploader reads the file; returning None keeps that uploader.
    def get_uploader(self, upload_to: str, old_filename: str | None = None) -> None:
        return None

    def get_resource_uploader(self, data_dict: dict[str, Any]) -> None:
        upload = data_dict.get("upload")
        if isinstance(upload, FileStorage) and upload.filename and encoding.is_text_table(data_dict, upload.filename):
            copy = encoding.utf8_copy(upload.stream)
            if copy is not None:
                upload.stream = copy

    # IXloader: called by xloader_hook twice per load (readable, then complete); the second call
    # finds the items the first wrote.
    def after_upload(self, context: Any, resource_dict: dict[str, Any], dataset_dict: dict[str, Any]) -> None:
        if dataset_dict.get("data_items"):
            return
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        try:
            tk.get_action("govdata_data_items_apply")({"user": site_user["name"]}, {"id": dataset_dict["id"]})
        except (tk.ObjectNotFound, tk.ValidationError) as refused:
            # Not a catalogue entry, or its table gives no valid items: staff declare them by hand.
            log.warning("No data items proposed for %s: %s", dataset_dict["id"], refused)

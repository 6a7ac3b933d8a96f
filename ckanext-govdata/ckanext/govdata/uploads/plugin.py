"""govdata_uploads: uploaded CSV and spreadsheets into the datastore (ckanext-xloader loads them
in the background). GB18030 CSV is stored as UTF-8 so that it loads as Chinese; a dataset that
declares no data items gets them proposed from its loaded table; staff see each load's status."""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.xloader.interfaces import IXloader
from werkzeug.datastructures import FileStorage

from ckanext.govdata.uploads import encoding, fastload, helpers, jobs


class GovdataUploadsPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IUploader, inherit=True)
    p.implements(IXloader, inherit=True)

    # IConfigurer
    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        fastload.install()

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

    # IXloader: called in the web process by xloader_hook, twice per load (readable, then
    # complete), while the job is still running. The job's last steps write the dataset again from
    # the copy it read before (CKAN's session does not expire on commit), which undid items written
    # here; so they are written by a job that waits for the load's (rq depends_on), and that job
    # finds the items the first one wrote.
    def after_upload(self, context: Any, resource_dict: dict[str, Any], dataset_dict: dict[str, Any]) -> None:
        if dataset_dict.get("data_items"):
            return
        load = tk.get_action("task_status_show")(
            {"ignore_auth": True}, {"entity_id": resource_dict["id"], "task_type": "xloader", "key": "xloader"})
        loading_job = json.loads(load.get("value") or "{}").get("job_id")
        tk.enqueue_job(jobs.propose_data_items, [dataset_dict["id"]], title=f"data items of {dataset_dict['name']}",
                       rq_kwargs={"depends_on": loading_job} if loading_job else None)

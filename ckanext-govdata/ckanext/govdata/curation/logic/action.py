"""Actions of the open directory's curation."""
from __future__ import annotations

import base64
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, settings
from ckanext.govdata.curation import exporting, importing, reading, returned
from ckanext.govdata.curation.logic import schema


def govdata_catalogue_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import a directory spreadsheet (xlsx or CSV in the template's layout) as the calling user.

    :param upload: the file (a multipart upload)
    :param partial: write the valid rows and leave out the others (default: write nothing
        unless every row is valid)
    :param confirm_duplicates: write new entries that look like existing ones (same department
        and a similar title, or the same data items); by default they are refused as problems
    :returns: the report: rows, written, created / updated / unchanged / skipped resource codes,
        problems (sheet, row, column, value, message) and, when rows were refused, ``returned``:
        the token of those rows as a marked-up workbook (``govdata_catalogue_returned_show``)

    The whole file is one transaction, committed by this action and then indexed.
    """
    tk.check_access("govdata_catalogue_import", context, data_dict)
    data = action_steps.validate(data_dict, schema.catalogue_import_schema(), context)
    filename, content = _content(data["upload"])
    try:
        report, checked = importing.run(filename, content, context["user"], partial=bool(data.get("partial")),
                                        confirm_duplicates=bool(data.get("confirm_duplicates")))
    except reading.FileRefused as refused:
        raise tk.ValidationError({"upload": [schema.fields.message("upload", refused.msgid, **refused.params)]}) from None
    result = report.as_dict()
    if report.problems:
        result["returned"] = returned.store(context["user"], exporting.returned(checked, report.problems))
    return result


def govdata_catalogue_returned_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The rows an import of the calling user refused, as a marked-up xlsx (base64), for an hour.

    :param token: the ``returned`` token of the import's report
    """
    tk.check_access("govdata_catalogue_returned_show", context, data_dict)
    data = action_steps.validate(data_dict, schema.catalogue_returned_schema(), context)
    content = returned.load(context["user"], data["token"])
    if content is None:
        raise tk.ObjectNotFound(schema.fields.message("token", "{field} is unknown or has expired"))
    return {"filename": "returned.xlsx", "content": base64.b64encode(content).decode("ascii")}


def _content(upload: Any) -> tuple[str, bytes]:
    """The name and bytes of an uploaded file, reading no more than the import accepts."""
    read = getattr(upload, "read", None)
    if read is None:
        raise tk.ValidationError({"upload": [schema.fields.message("upload", "{field} must be a file")]})
    limit = settings.current().curation.import_max_bytes
    return str(getattr(upload, "filename", "") or "upload"), read(limit + 1)

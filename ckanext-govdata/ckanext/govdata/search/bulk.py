"""The bulk reindex: CKAN's index documents, built for a batch of datasets at once.

CKAN indexes one dataset at a time: a ``package_show`` (a dozen queries) and one Solr update per
dataset. Here a batch costs one query per table (packages, resources, tags, groups, departments,
relationships); each dataset then goes through what CKAN's indexer runs in process — the dictizing
of ``package_dictize``, ``package_show``'s plugin hooks, the default and the custom show schema,
``after_dataset_show``, and ``PackageSearchIndex.index_package`` itself (every plugin's
``before_dataset_index``, permission labels) — so the documents are CKAN's own
(tests/search/test_bulk_index.py). The batch goes to Solr as one update. A rebuild's worker
processes, each with its own database connection, build and encode the batches while the parent
process sends the finished ones to Solr, so that no worker waits for Solr.
"""
from __future__ import annotations

import collections
import contextlib
import dataclasses
import json
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import ckan.lib.dictization as d
import ckan.lib.search.index as search_index
import pysolr
from ckan import logic, model
from ckan.lib import plugins as lib_plugins
from ckan.lib import search
from ckan.lib.dictization import model_dictize
from sqlalchemy import false, select

from ckanext.govdata.search import navl, show_schemas

# A selected column naming the dataset a joined row belongs to; dropped after dictizing.
_OWNER = "_bulk_package_id"

Documents = list[dict[str, Any]]
Failures = dict[str, str]


# A dataset as package_show's two schemas show it, as CKAN's indexer takes it: the default
# schema's dict, holding the custom schema's (what package_show returns) under CUSTOM.
Shown = tuple[model.Package, dict[str, Any]]
CUSTOM = "with_custom_schema"


def index(package_ids: Sequence[str]) -> Failures:
    """Sends the documents of ``package_ids`` to Solr in one update, without committing; returns
    the datasets that could not be indexed, each with its error."""
    return _send(search.make_connection(), prepare(package_ids))


@dataclasses.dataclass
class Prepared:
    """A batch ready for Solr: each document, by dataset id, as the JSON pysolr would post for it;
    the delete queries of deleted datasets; the datasets that failed, each with its error."""

    documents: dict[str, str]
    deleted: list[str]
    failures: Failures


def prepare(package_ids: Sequence[str]) -> Prepared:
    """``build``, with the documents encoded: the part of ``index`` that needs no Solr, run by the
    rebuild's workers while the parent process sends their earlier batches."""
    documents, deleted, failures = build(package_ids)
    model.Session.remove()
    return _prepared(documents, deleted, failures)


def _prepared(documents: Documents, deleted: list[str], failures: Failures) -> Prepared:
    return Prepared({document["id"]: _encoded(document) for document in documents}, deleted, failures)


# The JSON pysolr posts for a document (it leaves out None and "" values), made in the worker that
# built the document: the process that sends only joins a batch's documents.
_ENCODER = json.JSONEncoder(check_circular=False)


def _encoded(document: dict[str, Any]) -> str:
    return _ENCODER.encode({key: value for key, value in document.items() if value is not None and value != ""})


def shown(package_ids: Sequence[str]) -> Iterator[Shown]:
    """Each dataset of ``package_ids`` as ``package_show`` shows it (``[CUSTOM]``), dictized for
    the batch at once; a hook that fails raises."""
    schemas = show_schemas.Schemas()
    for package, dictized in _dictized(package_ids):
        yield package, _shown(package, dictized, schemas)


def index_shown(datasets: Iterable[dict[str, Any]]) -> Failures:
    """``index`` for datasets already shown (the dicts of ``shown``), once the transaction that
    wrote them is committed: their documents go to Solr in one update, without committing."""
    documents: Documents = []
    deleted: list[str] = []
    failures: Failures = {}
    with _collected(documents, deleted):
        for dataset in datasets:
            try:
                search_index.PackageSearchIndex().index_package(dataset, defer_commit=True)
            except Exception as error:
                failures[dataset["id"]] = _describe(error)
                model.Session.rollback()
    model.Session.remove()
    return _send(search.make_connection(), _prepared(documents, deleted, failures))


def _send(connection: pysolr.Solr, batch: Prepared) -> Failures:
    """Posts ``batch`` to Solr in one update, without committing, through pysolr's own request
    (URL, credentials, timeout, errors); returns ``batch.failures`` and the documents Solr
    refused."""
    failures = dict(batch.failures)
    for query in batch.deleted:
        connection.delete(q=query, commit=False)
    if batch.documents:
        try:
            _post(connection, batch.documents.values())
        except Exception:
            # Solr refuses the whole update for one bad document: find it.
            for package_id, document in batch.documents.items():
                try:
                    _post(connection, [document])
                except Exception as error:
                    failures[package_id] = _describe(error)
    return failures


def _post(connection: pysolr.Solr, documents: Iterable[str]) -> None:
    connection._update("[" + ",".join(documents) + "]", clean_ctrl_chars=False, commit=False, solrapi="JSON")


def build(package_ids: Sequence[str]) -> tuple[Documents, list[str], Failures]:
    """The documents CKAN's indexer would send for ``package_ids``, the delete queries it would
    send instead for deleted datasets, and the datasets that failed, each with its error."""
    documents: Documents = []
    deleted: list[str] = []
    failures: Failures = {}
    schemas = show_schemas.Schemas()
    with _collected(documents, deleted), navl.quick_validation(), show_schemas.dcat_schemas_once():
        for package, dictized in _dictized(package_ids):
            try:
                dataset = _shown(package, dictized, schemas)
                search_index.PackageSearchIndex().index_package(dataset, defer_commit=True)
            except Exception as error:
                failures[package.id] = _describe(error)
                # A hook's failed query would fail the rest of the batch too.
                model.Session.rollback()
    return documents, deleted, failures


def rebuild(
    package_ids: Sequence[str], batch_size: int, workers: int, progress: Callable[[int], None]
) -> Failures:
    """Indexes ``package_ids`` in batches, ``workers`` processes building them while this one
    sends them to Solr; calls ``progress`` with the size of each batch sent. Does not commit."""
    batches = [package_ids[start : start + batch_size] for start in range(0, len(package_ids), batch_size)]
    failures: Failures = {}
    connection = search.make_connection()
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            failures.update(_send(connection, prepare(batch)))
            progress(len(batch))
        return failures
    # Forked workers inherit the loaded configuration and plugins; each opens its own connections.
    model.Session.remove()
    model.meta.engine.dispose()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
        # The workers build the next batches while Solr indexes this one, so neither waits for the
        # other; at most two batches a worker wait here, in order, when Solr is the slower.
        waiting: collections.deque[tuple[Sequence[str], Any]] = collections.deque()

        def send_oldest() -> None:
            batch, prepared = waiting.popleft()
            failures.update(_send(connection, prepared.get()))
            progress(len(batch))

        for batch in batches:
            waiting.append((batch, pool.apply_async(prepare, (batch,))))
            if len(waiting) > 2 * workers:
                send_oldest()
        while waiting:
            send_oldest()
    return failures


def _start_worker() -> None:
    # The parent's pooled connections must not be shared with it.
    model.meta.engine.dispose(close=False)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:500]


class _Collector:
    """Stands in for the Solr connection of ``index_package``, which sends each document alone."""

    def __init__(self, documents: Documents, deleted: list[str]) -> None:
        self.documents = documents
        self.deleted = deleted

    def add(self, docs: Documents, commit: bool = False) -> None:
        self.documents.extend(docs)

    def delete(self, q: str, commit: bool = False) -> None:
        self.deleted.append(q)


@contextlib.contextmanager
def _collected(documents: Documents, deleted: list[str]) -> Iterator[None]:
    original = search_index.make_connection
    search_index.make_connection = lambda *args, **kwargs: _Collector(documents, deleted)
    try:
        yield
    finally:
        search_index.make_connection = original


def _shown(package: model.Package, dictized: dict[str, Any], schemas: show_schemas.Schemas) -> dict[str, Any]:
    """What ``package_show_default_and_custom_schemas`` makes of a dictized dataset, as CKAN's
    ``index_update_package`` passes it to the indexer."""
    context: Any = logic.fresh_context(
        {"ignore_auth": True}, use_cache=False, validate=False, model=model, session=model.Session, user="",
        package=package,
    )
    for controller in schemas.package_controllers:
        controller.read(package)
    for resource_controller in schemas.resource_controllers:
        for resource in dictized["resources"]:
            resource_controller.before_resource_show(resource)

    with_default_schema, _errors = lib_plugins.plugin_validate(
        object(), context, dictized, schemas.default, "package_show"
    )
    package_plugin, custom_schema = schemas.custom(dictized["type"])
    if custom_schema is None:
        with_custom_schema = with_default_schema
    else:
        # Scheming writes its fields into the schema it is given: each dataset gets a fresh one.
        fresh = {key: dict(value) if isinstance(value, dict) else value for key, value in custom_schema.items()}
        with_custom_schema, _errors = lib_plugins.plugin_validate(
            package_plugin, context, dictized, fresh, "package_show"
        )
    logic.apply_after_dataset_show_plugins(context, with_custom_schema)
    return dict(with_default_schema, with_custom_schema=with_custom_schema)


def _dictized(package_ids: Sequence[str]) -> Iterator[tuple[model.Package, dict[str, Any]]]:
    """``package_dictize`` of each dataset, from one query per table for the whole batch."""
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(package_ids)).all()
    ids = [package.id for package in packages]
    resource, tag, package_tag = model.resource_table, model.tag_table, model.package_tag_table
    member, group, relationship = model.member_table, model.group_table, model.package_relationship_table

    resources = _by_package(select(resource, resource.c["package_id"].label(_OWNER)).where(
        resource.c["package_id"].in_(ids)
    ))
    tags = _by_package(
        select(tag, package_tag.c["state"], package_tag.c["package_id"].label(_OWNER))
        .join(package_tag, tag.c["id"] == package_tag.c["tag_id"])
        .where(package_tag.c["package_id"].in_(ids))
    )
    groups = _by_package(
        select(group, member.c["capacity"], member.c["table_id"].label(_OWNER))
        .join(member, group.c["id"] == member.c["group_id"])
        .where(member.c["table_id"].in_(ids), member.c["state"] == "active", group.c["is_organization"] == false())
    )
    # Held for the batch, so that the indexing hooks' model.Session.get finds them in the session.
    departments = {
        department.id: department
        for department in model.Session.query(model.Group).filter(
            model.Group.id.in_({package.owner_org for package in packages if package.owner_org})
        )
    }
    as_subject = _by_package(select(relationship, relationship.c["subject_package_id"].label(_OWNER)).where(
        relationship.c["subject_package_id"].in_(ids)
    ))
    as_object = _by_package(select(relationship, relationship.c["object_package_id"].label(_OWNER)).where(
        relationship.c["object_package_id"].in_(ids)
    ))

    for package in packages:
        context: Any = {"model": model, "session": model.Session}
        result = d.table_dictize(package, context)
        if result.get("title"):
            result["title"] = result["title"].strip()
        result.pop("plugin_data", None)
        result["resources"] = _without_owner(model_dictize.resource_list_dictize(resources[package.id], context))
        result["num_resources"] = len(result["resources"])
        result["tags"] = _without_owner(d.obj_list_dictize(tags[package.id], context, lambda x: x["name"]))
        result["num_tags"] = len(result["tags"])
        for tag_dict in result["tags"]:
            tag_dict["display_name"] = tag_dict["name"]
        result["extras"] = [{"key": key, "value": value} for key, value in (result["extras"] or {}).items()]
        context["with_capacity"] = False
        result["groups"] = _without_owner(
            model_dictize.group_list_dictize(groups[package.id], context, with_package_counts=False)
        )
        organization = departments.get(package.owner_org) if package.owner_org else None
        if organization is not None and organization.state == "active":
            result["organization"] = d.table_dictize(organization, context)
            del result["organization"]["extras"]
        else:
            result["organization"] = None
        result["relationships_as_subject"] = _without_owner(d.obj_list_dictize(as_subject[package.id], context))
        result["relationships_as_object"] = _without_owner(d.obj_list_dictize(as_object[package.id], context))
        result["isopen"] = package.isopen()
        result["type"] = package.type or "dataset"
        license_ = package.license
        if license_ and license_.url:
            result["license_url"] = license_.url
            result["license_title"] = license_.title.split("::")[-1]
        elif license_:
            result["license_title"] = license_.title
        else:
            result["license_title"] = package.license_id
        result["metadata_modified"] = package.metadata_modified.isoformat()
        result["metadata_created"] = package.metadata_created.isoformat() if package.metadata_created else None
        yield package, result


def _by_package(query: Any) -> collections.defaultdict[str, list[Any]]:
    rows: collections.defaultdict[str, list[Any]] = collections.defaultdict(list)
    for row in model.Session.execute(query):
        rows[getattr(row, _OWNER)].append(row)
    return rows


def _without_owner(dicts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    listed = list(dicts)
    for item in listed:
        item.pop(_OWNER, None)
    return listed

"""``ckan govdata search-index rebuild``: CKAN's rebuild with a progress bar and a summary.

CKAN 2.12's ``ckan search-index rebuild`` only rewrites an "Indexing dataset n/N" counter and
stops at the first dataset that fails. This one indexes the same documents through CKAN's own
indexing path, shows a bar with the rate and time left, goes on past a failing dataset and names
it at the end, and commits to Solr once, when everything has been sent.
"""
from __future__ import annotations

import time
from collections.abc import Iterator, Sequence

import click
from ckan import logic, model
from ckan.cli.search_index import get_orphans
from ckan.common import config
from ckan.lib import search

DEFAULT_BATCH_SIZE = 100


@click.group("search-index")
def search_index() -> None:
    """The Solr index of the catalogue."""


@search_index.command("rebuild")
@click.option(
    "--batch-size",
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    type=click.IntRange(min=1),
    help="Datasets read between two releases of the database session.",
)
@click.option("--keep-orphans", is_flag=True, help="Keep indexed datasets that are no longer in the database.")
def rebuild(batch_size: int, keep_orphans: bool) -> None:
    """Index every dataset of the database again, newest first; one Solr commit at the end."""
    package_ids = _package_ids()
    started = time.monotonic()
    failures: dict[str, str] = {}
    with click.progressbar(
        length=len(package_ids), label="Indexing datasets", show_pos=True, show_eta=True, width=36
    ) as bar:
        for batch in _batches(package_ids, batch_size):
            failures.update(_index(batch))
            bar.update(len(batch))
    search.commit()
    orphans = [] if keep_orphans else _clear_orphans()
    elapsed = time.monotonic() - started

    indexed = len(package_ids) - len(failures)
    rate = indexed / elapsed if elapsed else 0.0
    click.secho(
        f"Indexed {indexed} of {len(package_ids)} datasets in {elapsed:.1f} s ({rate:.0f} datasets/s); "
        f"removed {len(orphans)} orphaned from the index.",
        fg="green" if not failures else "yellow",
    )
    if failures:
        for package_id, error in failures.items():
            click.secho(f"  - {package_id}: {error}", fg="red", err=True)
        raise click.ClickException(f"{len(failures)} dataset(s) could not be indexed")


def _package_ids() -> list[str]:
    # Newest first, so that what users look for first is searchable first.
    query = model.Session.query(model.Package.id).order_by(model.Package.metadata_modified.desc())
    if config.get("ckan.search.remove_deleted_packages"):
        query = query.filter(model.Package.state != "deleted")
    return [package_id for (package_id,) in query]


def _batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _index(package_ids: Sequence[str]) -> dict[str, str]:
    """Sends ``package_ids`` to Solr without committing; returns the ones that failed."""
    failures = {}
    for package_id in package_ids:
        try:
            logic.index_update_package({"ignore_auth": True}, package_id, defer_commit=True)
        except Exception as error:
            failures[package_id] = f"{type(error).__name__}: {error}"[:500]
            model.Session.rollback()
    # The session would otherwise keep every dataset read so far.
    model.Session.remove()
    return failures


def _clear_orphans() -> list[str]:
    orphans = get_orphans()
    for package_id in orphans:
        search.clear(package_id)
    return orphans

"""``ckan govdata api …``: the data API call ledger."""
from __future__ import annotations

import click


@click.group("api", short_help="data API call ledger")
def api() -> None:
    """Data API commands."""


@api.command("flush-ledger")
@click.option("--batch", default=1000, show_default=True, help="Calls written per transaction.")
def flush_ledger(batch: int) -> None:
    """Write the calls waiting in Redis to govdata_api_call (run every minute by the scheduler)."""
    from ckanext.govdata.dataapi.keys import ledger

    written = ledger.flush(batch)
    click.echo(f"{written} calls written")

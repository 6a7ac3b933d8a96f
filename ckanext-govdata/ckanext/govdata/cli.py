"""``ckan govdata …`` commands, assembled here: features add no commands to the group themselves."""
from __future__ import annotations

import click

from ckanext.govdata.curation import cli as curation_cli
from ckanext.govdata.dataapi.keys import cli as devkeys_cli
from ckanext.govdata.search import cli as search_cli
from ckanext.govdata.stats import cli as stats_cli


@click.group(short_help="govdata portal commands")
def govdata() -> None:
    """Commands of the govdata open-data portal."""


@govdata.group()
def demo() -> None:
    """The demo city catalogue."""


@demo.command("load")
@click.option("--seed", default=2026, show_default=True, help="Seed of the deterministic generator.")
def demo_load(seed: int) -> None:
    """Create (or complete) the demo catalogue; running it again changes nothing."""
    from ckanext.govdata.demo import loader

    loader.load(seed=seed)


govdata.add_command(search_cli.search_index)
govdata.add_command(stats_cli.stats)
govdata.add_command(curation_cli.catalogue)
govdata.add_command(devkeys_cli.api)

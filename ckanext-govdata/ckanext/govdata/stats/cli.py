"""``ckan govdata stats …``: rebuild the counters, flush tracked downloads and calls, generate
the bulletins."""
from __future__ import annotations

import datetime as dt

import click
from ckan import model


@click.group(short_help="published counts and usage tracking")
def stats() -> None:
    """The published counts and the download / API-call tracking."""


@stats.command()
def rebuild() -> None:
    """Recompute every published count from the packages and the datastore."""
    from ckanext.govdata.stats import counter_reads, counters

    package_ids = counters.counted_package_ids()
    with click.progressbar(package_ids, label="Packages".ljust(14), show_pos=True, width=36) as bar:
        counters.rebuild(bar)
    figures = counter_reads.figures(counters.PUBLIC, counters.SITE)
    click.secho(
        f"Counters rebuilt from {len(package_ids)} packages. Public: {figures['departments']} departments, "
        f"{figures['domains']} domains, {figures['catalogue_classes']} catalogue classes, {figures['datasets']} datasets, "
        f"{figures['apis']} APIs, {figures['data_items']:,} data items, {figures['records']:,} records, "
        f"{figures['showcases']} showcases; {figures['without_data']} published entries without data, not counted.",
        fg="green",
    )
    model.Session.remove()


@stats.command()
def flush() -> None:
    """Write the downloads and API calls counted in Redis to PostgreSQL (run it from cron)."""
    from ckanext.govdata.stats import usage

    click.secho(f"{usage.flush()} downloads and calls written.", fg="green")


@stats.command()
@click.argument("kind", type=click.Choice(["daily", "weekly"]))
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day (daily; default today) or a day of the week (weekly; default the last week ended).")
def bulletin(kind: str, day: dt.datetime | None) -> None:
    """Generate the daily notices (and mail them) or the weekly bulletin (run it from cron)."""
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    data = {"kind": kind, **({"date": day.date().isoformat()} if day else {})}
    try:
        result = tk.get_action("govdata_bulletin_generate")({"user": site_user["name"]}, data)
    except tk.ValidationError as error:
        raise click.ClickException(str(error.error_dict)) from error
    click.secho(
        f"{kind} bulletin {result['period_start']}–{result['period_end']}: {len(result['bulletins'])} stored, "
        f"{result['mails']} mails sent.",
        fg="green",
    )
    model.Session.remove()

"""``ckan govdata-access …``: reminders (run daily by cron) and the working-day calendar."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.govdata import calendar


def _site_context() -> dict[str, object]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"]}


@click.group("govdata-access", short_help="Conditional opening: reminders and the working-day calendar")
def govdata_access() -> None:
    """Data requests (依申请开放) of the govdata portal."""


@govdata_access.command("remind")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Act as on this day (default: today).")
def remind(today: dt.datetime | None) -> None:
    """Remind reviewers of requests due soon or overdue (mail and in-app notice); run daily."""
    data = {"today": today.date().isoformat()} if today else {}
    sent = tk.get_action("govdata_access_reminders_send")(_site_context(), data)
    click.echo(f"due soon: {sent['due_soon']}, overdue: {sent['overdue']}, mails sent: {sent['mails']}")


@govdata_access.group("calendar")
def calendar_commands() -> None:
    """The working-day calendar: chinese-calendar plus staff overrides."""


@calendar_commands.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def calendar_import(path: str) -> None:
    """Import a year's schedule from CSV (date,is_workday,note) or YAML.

    Dates may be ranges, e.g. ``2027-10-01..2027-10-07,false,国庆节``.
    """
    try:
        count = calendar.import_schedule(path)
        model.Session.commit()
    except calendar.ScheduleError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{count} days imported")


@calendar_commands.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--workday/--holiday", required=True, help="Whether the day is a working day.")
@click.option("--note", default=None, help="Why (e.g. 国庆节调休).")
def calendar_set(day: dt.datetime, workday: bool, note: str | None) -> None:
    """Mark one day as a working day or a holiday."""
    calendar.set_override(day.date(), workday, note)
    model.Session.commit()
    click.echo(f"{day.date().isoformat()}: {'workday' if workday else 'holiday'}")


@calendar_commands.command("unset")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
def calendar_unset(day: dt.datetime) -> None:
    """Forget the override of one day (the package or Monday–Friday applies again)."""
    removed = calendar.remove_override(day.date())
    model.Session.commit()
    click.echo("removed" if removed else "no override for that day")


@calendar_commands.command("status")
@click.argument("years", nargs=-1, type=int)
def calendar_status(years: tuple[int, ...]) -> None:
    """Say for each year whether its holidays are known or guessed (Monday–Friday)."""
    this_year = calendar.today().year
    for year in years or (this_year, this_year + 1):
        if calendar.package_knows(year):
            source = "chinese-calendar"
        elif year in calendar.overridden_years():
            source = "overrides"
        else:
            source = "UNKNOWN: Monday-Friday fallback, import the State Council schedule"
        click.echo(f"{year}: {source}")


@calendar_commands.command("list")
@click.option("--year", type=int, help="Only this year's overrides.")
def calendar_list(year: int | None) -> None:
    """List the overrides."""
    for row in calendar.list_overrides(year):
        click.echo(f"{row['day']}\t{'workday' if row['is_workday'] else 'holiday'}\t{row['note']}")

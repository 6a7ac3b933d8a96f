"""``ckan govdata-demands …``: overdue reminders (run daily by cron)."""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
import click


@click.group("govdata-demands", short_help="Data demands: reminders")
def govdata_demands() -> None:
    """Data demands (数据需求) of the govdata portal."""


@govdata_demands.command("remind")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Act as on this day (default: today).")
def remind(today: dt.datetime | None) -> None:
    """Remind departments of demands due soon or overdue (mail and in-app notice); run daily."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    data = {"today": today.date().isoformat()} if today else {}
    sent = tk.get_action("govdata_demand_reminders_send")({"user": site_user["name"]}, data)
    click.echo(f"due soon: {sent['due_soon']}, overdue: {sent['overdue']}, mails sent: {sent['mails']}")

"""``ckan govdata catalogue …``: the open directory as a spreadsheet, from the command line."""
from __future__ import annotations

import json
import pathlib
from typing import Any

import ckan.plugins.toolkit as tk
import click

from ckanext.govdata.curation import exporting, importing, reading
from ckanext.govdata.curation.layout import Lookups
from ckanext.govdata.messages import bilingual


def _site_user() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


@click.group(short_help="Import and export the open directory (xlsx / CSV)")
def catalogue() -> None:
    """The open directory (开放目录) as a spreadsheet."""


@catalogue.command("template")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def template(target: str) -> None:
    """Write the empty directory template (xlsx, with drop-down lists)."""
    pathlib.Path(target).write_bytes(exporting.xlsx([], Lookups.load()))
    click.secho(f"Template written to {target}", fg="green")


@catalogue.command("export")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@click.option("--department", help="Only this department (its URL name).")
@click.option("--domain", help="Only this open domain (its code, e.g. transport).")
@click.option("--sheet", type=click.Choice(["entries", "items"]), default="entries", show_default=True,
              help="For CSV: which sheet (xlsx holds both).")
def export(target: str, department: str | None, domain: str | None, sheet: str) -> None:
    """Export the directory (or part of it) to TARGET.xlsx or TARGET.csv."""
    context = {"user": _site_user(), "ignore_auth": True}
    lookups = Lookups.load()
    packages = list(exporting.packages(context, department=department, domain=domain))
    if target.lower().endswith(".csv"):
        pathlib.Path(target).write_text(exporting.csv_text(packages, lookups, sheet), encoding="utf-8")
    else:
        pathlib.Path(target).write_bytes(exporting.xlsx(packages, lookups))
    click.secho(f"{len(packages)} entries written to {target}", fg="green")


@catalogue.command("remind-overdue")
def remind_overdue() -> None:
    """Mail each department's editors their entries overdue for an update; run daily."""
    sent = tk.get_action("govdata_overdue_reminders_send")({"user": _site_user()}, {})
    click.echo(f"departments: {sent['departments']}, entries: {sent['entries']}, mails sent: {sent['mails']}")


@catalogue.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--user", "username", help="Import as this user (default: the site user).")
@click.option("--partial", is_flag=True, help="Write the valid rows; hand back the others (--returned).")
@click.option("--returned", type=click.Path(dir_okay=False, writable=True),
              help="Where to write the rows that were not imported, marked up, to fix and import again.")
@click.option("--confirm-duplicates", is_flag=True, help="Write new entries that look like existing ones too.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_(source: str, username: str | None, partial: bool, returned: str | None, confirm_duplicates: bool,
            as_json: bool) -> None:
    """Import SOURCE (.xlsx or .csv in the template's layout); nothing is written unless every
    row is valid, or --partial."""
    path = pathlib.Path(source)
    bars: dict[str, Any] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if as_json:
            return
        if stage not in bars:
            bars[stage] = click.progressbar(length=total, label={"check": "Checking", "write": "Writing"}[stage])
        bars[stage].update(1)
        if done == total:
            bars.pop(stage).render_finish()

    try:
        report, checked = importing.run(path.name, path.read_bytes(), username or _site_user(), partial=partial,
                                        confirm_duplicates=confirm_duplicates, progress=progress)
    except reading.FileRefused as refused:
        raise click.ClickException(bilingual(refused.msgid, **refused.params)) from None
    if returned and report.problems:
        pathlib.Path(returned).write_bytes(exporting.returned(checked, report.problems))
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
    else:
        for found in report.problems:
            where = f"{found.sheet} row {found.row}" + (f", {found.column}" if found.column else "")
            click.secho(f"{where}: {found.message}", fg="red", err=True)
        colour = "green" if report.written else "yellow"
        click.secho(
            f"{report.rows} rows: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} left out; "
            f"{len(report.problems)} problems; " + ("written" if report.written else "nothing written"),
            fg=colour,
        )
    if report.problems and not report.written:
        raise SystemExit(1)

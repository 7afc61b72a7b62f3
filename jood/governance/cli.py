"""CLI commands of this feature; the app factory registers every command in `commands`."""

import click
from flask import current_app
from flask.cli import with_appcontext

from jood.core.db import utcnow
from jood.governance import services  # noqa: F401 - registers the built-in checks
from jood.governance.exceptions import run_checks


@click.group("governance", help="Governance checks.")
def governance_cli():
    pass


@governance_cli.command("exceptions")
@with_appcontext
def exceptions():
    """Run every registered exception check (exit code 1 when any finds something, for monitoring)."""
    found = 0
    with current_app.test_request_context():  # checks translate their details: give them a (default) locale
        results = run_checks(utcnow())
    for check, rows in results:
        found += len(rows)
        click.echo(f"{check.key}: {len(rows)}")
        for row in rows[:20]:
            click.echo(f"  {row.label} {row.detail}".rstrip())
    if found:
        raise SystemExit(1)


commands: list = [governance_cli]

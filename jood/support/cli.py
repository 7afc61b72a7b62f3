"""CLI commands of this feature; the app factory registers every command in `commands`."""

import click
from flask.cli import with_appcontext

from jood.core.db import utcnow
from jood.extensions import db
from jood.support import rules, services


@click.group("support", help="Support requests and grievances.")
def support_cli():
    pass


@support_cli.command("overdue")
@with_appcontext
def overdue():
    """List open requests past their response deadline (exit code 1 when there are any, for monitoring)."""
    now = utcnow()
    items = db.session.scalars(services.queue(overdue=True, now=now)).all()
    for item in items:
        late = -rules.days_left(item.due_at, now)
        click.echo(f"{item.tracking_number}\t{item.kind}\t{item.status}\t{late} days late")
    click.echo(f"{len(items)} overdue request(s).")
    if items:
        raise SystemExit(1)


commands: list = [support_cli]

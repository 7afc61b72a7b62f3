"""`flask bench-data`: bulk benchmark data that keeps the ledger valid (see jood/bench/data.py)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import text

from jood.cache import SITE, refresh
from jood.core.unit import unit_of_work
from jood.extensions import db


@click.command("bench-data")
@click.option("--cases", type=click.IntRange(1, 1_000_000), default=1000, show_default=True)
@click.option("--donations", type=click.IntRange(0, 50_000_000), default=10_000, show_default=True)
@click.option("--seed", type=int, default=None, help="Random seed, for repeatable data.")
@click.option("--days", type=click.IntRange(1, 3650), default=365, show_default=True,
              help="Spread the donations over this many past days.")
@click.option("--gifts", type=click.Choice(["typical", "small"]), default="typical", show_default=True,
              help="Gift sizes: typical (10 to 1,000 SAR) or small (5 to 50 SAR).")
@with_appcontext
def bench_data_command(cases, donations, seed, days, gifts):
    """Fill the database fast with published cases and paid donations (ledger, counters and aggregates kept valid)."""
    from jood.bench.data import generate

    with unit_of_work():
        report = generate(cases, donations, seed=seed, days=days, gifts=gifts, progress=click.echo)
        refresh(SITE)  # bulk statements name no page: every cached page is rendered again
    if db.engine.dialect.name == "postgresql":
        # Fresh statistics, as autovacuum would gather them on a live database: without them the planner guesses
        # row counts for the new million rows and picks hash joins over whole tables (measured: 7 ms instead of
        # 0.5 ms for a donation's lines during a webhook).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    click.echo(f"OK: {report.charities} charities, {report.cases} cases, {report.donations} donations, "
               f"{report.transactions} ledger transactions in {report.seconds}s {report.timings}")


commands = [bench_data_command]

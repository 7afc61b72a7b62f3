"""`flask ledger verify` and `flask pools allocate`: the same services the scheduler and the views call."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from jood.core.unit import unit_of_work
from jood.ledger import services

ledger_cli = AppGroup("ledger", help="Check the double-entry ledger.")
pools_cli = AppGroup("pools", help="Allocate pooled money to cases.")


@ledger_cli.command("verify")
def verify_command() -> None:
    """Check that every transaction balances, every counter equals the ledger and the hash chain is intact."""
    problems = services.self_check()
    if problems:
        click.echo(f"FAIL: {len(problems)} problem(s) in the ledger:", err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        raise SystemExit(1)
    head = services.public_head()
    click.echo(f"OK: {head['seq']} transactions, head {head['hash']}")


@ledger_cli.command("write")
@click.option("--every", type=float, default=0.2, show_default=True, help="Seconds between looks at an empty queue.")
@click.option("--seconds", type=float, default=0, help="Stop after this long (0: run until stopped).")
@click.option("--once", is_flag=True, help="Seal what is queued now, then stop.")
def write_command(every: float, seconds: float, once: bool) -> None:
    """The ledger writer: seal confirmed payments' queued transactions onto the chain, in batches (with
    LEDGER_SEAL_IN_REQUEST=0 the app servers leave this to it)."""
    click.echo(f"{services.write_continuously(every=every, seconds=seconds, once=once)} transaction(s) sealed.")


@pools_cli.command("allocate")
def allocate_command() -> None:
    """Allocate every pool's balance to published cases, neediest first."""
    with unit_of_work():
        done = services.allocate_pools()
    click.echo(f"{len(done)} allocation(s) made.")


commands = [ledger_cli, pools_cli]

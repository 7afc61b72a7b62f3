"""`flask payments reconcile` and the sandbox's monthly renewals."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from jood.core.unit import unit_of_work
from jood.payments import webhooks

payments_cli = AppGroup("payments", help="Payments: reconciliation with the gateway.")


@payments_cli.command("reconcile")
def reconcile_command() -> None:
    """Ask Stripe for recent sessions, repair payments whose webhook never came, expire stale pending ones."""
    with unit_of_work():
        outcomes = webhooks.reconcile()
    click.echo("Reconciled: " + ", ".join(f"{key}={value}" for key, value in sorted(outcomes.items())))


@payments_cli.command("renew-sandbox")
def renew_sandbox_command() -> None:
    """Charge due sandbox monthly gifts (the sandbox's equivalent of Stripe's invoice.paid)."""
    from jood.donations.services import renew_sandbox_subscriptions

    with unit_of_work():
        count = renew_sandbox_subscriptions()
    click.echo(f"{count} monthly gift(s) renewed.")


@payments_cli.command("renew-moyasar")
def renew_moyasar_command() -> None:
    """Charge due Moyasar monthly gifts with their saved cards (the jobs runner does this every hour)."""
    from jood.donations.monthly import renew_moyasar_gifts

    done = renew_moyasar_gifts()
    click.echo("Monthly gifts: " + ", ".join(f"{key}={value}" for key, value in sorted(done.items())))


@payments_cli.command("clear-discrepancy")
@click.argument("reference")
@click.option("--reason", required=True, help="What was found, for the audit log.")
def clear_discrepancy_command(reference: str, reason: str) -> None:
    """After looking into a payment the gateway reported differently: take it off the governance dashboard (the
    payment itself is not changed; apply what is right with `payments reconcile` or a refund)."""
    from jood.donations.services import by_reference
    from jood.payments.services import clear_discrepancy

    donation = by_reference(reference)
    if donation is None or donation.payment is None or not donation.payment.discrepancy:
        raise click.ClickException(f"{reference}: no payment with a discrepancy")
    with unit_of_work():
        clear_discrepancy(donation.payment, reason=reason)
    click.echo(f"{reference}: discrepancy cleared.")


commands = [payments_cli]

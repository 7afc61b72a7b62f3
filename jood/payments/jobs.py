"""Payments' periodic work: repair missed webhooks and expire stale checkouts; the sandbox's monthly renewals."""

from __future__ import annotations

from jood.jobs import job
from jood.payments import webhooks


@job("payments-reconcile", every=10 * 60)
def payments_reconcile() -> str:
    outcomes = webhooks.reconcile()
    return ", ".join(f"{key}={value}" for key, value in sorted(outcomes.items()))


@job("sandbox-renewals", every=60 * 60)
def sandbox_renewals() -> str:
    from jood.donations.services import renew_sandbox_subscriptions

    return f"{renew_sandbox_subscriptions()} renewed"


@job("moyasar-renewals", every=60 * 60)
def moyasar_renewals() -> str:
    """Moyasar monthly gifts: charge each due saved card (Moyasar has no subscriptions of its own)."""
    from jood.donations.monthly import renew_moyasar_gifts

    done = renew_moyasar_gifts()
    return ", ".join(f"{key}={value}" for key, value in done.items() if value) or "none due"

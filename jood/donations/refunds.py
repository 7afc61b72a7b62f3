"""Partial refunds: part of a paid donation goes back to the donor, and the ledger, the case counters and the receipt
follow the amount refunded.

A donation's money sits in a few places (each case line's part, any excess in a pool, the operating share). A partial
refund takes it back from those places *in order* — line by line, the case's part, then the pool's, then the share —
so a second partial refund continues where the first stopped, and the final full refund returns exactly what is
left. That rule is ``core.part_to_refund`` (jood/ledger/core.py); the posting is ``confirm.on_partly_refunded``.
"""

from __future__ import annotations

from jood.ledger import core
from jood.payments import services as payments
from jood.payments.states import PaymentStatus


def refund_part(donation, amount: int, *, actor, reason: str) -> None:
    """A finance officer returns part of a paid donation: the gateway first (Moyasar's refund endpoint), then the
    ledger and the case counters follow through ``payments.record_refunded``. The rest stays paid.

    The checks are made before the gateway is called and the ledger head is taken only afterwards (inside
    ``record_refunded``), so no network call happens while the ledger's single write lock is held."""
    from jood.donations.confirm import holdings
    from jood.donations.services import DonationError, refund_donation
    from jood.ledger import services as ledger
    from jood.payments.gateway import get_gateway

    payment = donation.payment
    if donation.status != PaymentStatus.PAID:
        raise DonationError("not_paid", field="refund")
    left = payment.amount - payment.refunded_amount
    if not isinstance(amount, int) or not 0 < amount <= left:
        raise DonationError("bad_refund_amount", field="refund")
    if amount == left:
        refund_donation(donation, actor=actor, reason=reason)
        return
    gateway = get_gateway(payment.gateway)
    if not gateway.partial_refunds:
        raise DonationError("partial_unsupported", field="refund")
    for account, part in core.part_to_refund(holdings(donation), payment.refunded_amount,
                                             payment.refunded_amount + amount):
        if ledger.balance(account) < part:
            raise DonationError("already_spent", field="refund")
    gateway.refund(payment, donation.reference, amount=amount)
    payments.record_refunded(payment, payment.refunded_amount + amount, actor=actor, reason=reason)

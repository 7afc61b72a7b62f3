"""Partial refunds: part of a paid donation goes back to the donor, and the ledger, the case counters and the receipt
follow the amount refunded.

A donation's money sits in a few places (each case line's part, any excess in a pool, the operating share). A partial
refund takes it back from those places *in order* — line by line, the case's part, then the pool's, then the share —
so a second partial refund continues where the first stopped, and the final full refund returns exactly what is
left. ``take_in_order`` is that rule as a plain function.
"""

from __future__ import annotations

from jood.payments import services as payments
from jood.payments.states import PaymentStatus


def take_in_order(sources: list[tuple[str, int]], amount: int) -> list[tuple[str, int]]:
    """How much of ``amount`` comes from each source, filling them in order (the result is as long as ``sources``).

    >>> take_in_order([("case:A", 80), ("fees:operating", 20)], 90)
    [('case:A', 80), ('fees:operating', 10)]
    """
    taken, left = [], max(0, amount)
    for account, available in sources:
        part = min(available, left)
        taken.append((account, part))
        left -= part
    return taken


def still_held(sources: list[tuple[str, int]], refunded: int) -> list[tuple[str, int]]:
    """What of each source is not yet refunded after ``refunded`` halalas went back (zero parts dropped)."""
    return [(account, available - part) for (account, available), (_, part) in zip(sources, take_in_order(
        sources, refunded), strict=True) if available - part > 0]


def part_to_refund(sources: list[tuple[str, int]], before: int, after: int) -> list[tuple[str, int]]:
    """The sources of the refund that takes the refunded total from ``before`` to ``after`` halalas."""
    return [(account, part) for account, part in take_in_order(still_held(sources, before), after - before) if part]


@payments.payment_partly_refunded.connect
def _debit_partly_refunded_donation(payment, *, amount, actor=None, **_) -> None:
    """In the payment's unit of work (ledger head and payment locked): one ``refund`` transaction for the part."""
    from jood.campaigns import stats as campaign_stats
    from jood.donations.services import _refund_sources, post_refund
    from jood.extensions import db

    donation = payment.donation
    before = payment.refunded_amount - amount
    parts = part_to_refund(_refund_sources(donation), before, payment.refunded_amount)
    post_refund(donation, parts, memo=f"partial refund of {donation.reference}")
    campaign_stats.count_refund(donation, before=before, after=payment.refunded_amount)  # -> on_refunded()
    db.session.flush()


def refund_part(donation, amount: int, *, actor, reason: str) -> None:
    """A finance officer returns part of a paid donation: the gateway first (Moyasar's refund endpoint), then the
    ledger and the case counters follow through ``payments.record_refunded``. The rest stays paid.

    The checks are made before the gateway is called and the ledger head is taken only afterwards (inside
    ``record_refunded``), so no network call happens while the ledger's single write lock is held."""
    from jood.donations.services import DonationError, _refund_sources, refund_donation
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
    for account, part in part_to_refund(_refund_sources(donation), payment.refunded_amount,
                                        payment.refunded_amount + amount):
        if ledger.balance(account) < part:
            raise DonationError("already_spent", field="refund")
    gateway.refund(payment, donation.reference, amount=amount)
    payments.record_refunded(payment, payment.refunded_amount + amount, actor=actor, reason=reason)

"""What a payment's outcome means for the money: the one path from "the gateway says paid" to the public pages.

``payments.apply`` moves a payment through its state machine (``jood/payments/states.py``), with the payment row
locked, and for each state it reaches calls the step that ``STEPS`` names for the payment's purpose, inside the same
unit of work. Nothing else listens; each step reads top to bottom:

    paid             credit (split against need, ledger queue, case counters) → monthly gift started →
                     impact and campaign figures → receipt queued → pages refreshed
    partly refunded  refund transaction for the part → impact and campaign figures → pages refreshed
    refunded         refund transaction for what is left → donor counts → impact and campaign figures →
                     pages refreshed
    failed           card-testing counter

Where the money goes is decided by plain functions in ``jood/ledger/core.py`` (``donation_postings``,
``donation_holdings``, ``part_to_refund``, ``refund_postings``); this module reads the rows, calls them and writes
what they return. The caller commits once with ``ledger.commit()``, which seals the queued ledger transactions.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from flask import current_app

from jood import cache
from jood.campaigns import stats as campaign_stats
from jood.core.db import insert_now, utcnow, write_now
from jood.core.unit import after_commit
from jood.donations.models import Donation, QueuedReceipt
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.payments.models import Payment
from jood.payments.states import PaymentStatus
from jood.transparency import stats

MONTH = timedelta(days=30)


# --- paid ----------------------------------------------------------------------------------------------------------


def on_paid(payment: Payment, **_) -> None:
    """A one-off donation was paid: credit it, count it, queue its receipt, refresh the pages that show it."""
    donation = payment.donation
    credit(donation, payment.gateway)
    stats.count_paid(donation)
    campaign_stats.count_paid(donation)
    for line in donation.lines:  # their split (and campaign), one UPDATE each: no flush of the whole unit of work
        write_now(line)
    write_now(donation)
    queue_receipt(donation)
    cache.refresh(*pages_showing(donation))


def on_monthly_paid(payment: Payment, **_) -> None:
    """A monthly gift's payment (its first one starts the gift); otherwise as any donation."""
    start_monthly(payment.donation)
    on_paid(payment)


def credit(donation: Donation, gateway: str) -> None:
    """Post a paid donation to the ledger; never over-fund a case.

    Each case row is locked and read afresh, so each line is split against what its case can take *now*: the part it
    needs goes to the case, any excess to the track's pool (``core.donation_postings``), and the line remembers both
    so the receipt can say so. The transactions are queued (``ledger.enqueue``): the case counters move now, and
    ``ledger.commit()`` seals them onto the chain and allocates pool money, neediest case first.
    """
    gift_lines, cases = [], []
    for line in donation.lines:
        if line.case_id is None:
            gift_lines.append(core.GiftLine(line.amount, track=line.pool))
            continue
        case = ledger.lock_case(line.case_id)
        gift_lines.append(core.GiftLine(line.amount, track=case.track, case=case.code,
                                        room=case.room_for(zakat=donation.zakat)))
        cases.append(case)
    splits, drafts = core.donation_postings(gift_lines, gateway=gateway, zakat=donation.zakat,
                                            operating_bp=donation.operating_bp, reference=donation.reference)
    for line, split in zip(donation.lines, splits, strict=True):
        line.fee, line.to_case, line.to_pool = split.fee, split.to_case, split.to_pool
    donation.fee_amount = sum(split.fee for split in splits)
    donation.paid_at = utcnow()
    for case, line in zip(cases, (line for line in donation.lines if line.case_id is not None), strict=True):
        if line.to_case:  # before the ledger moves the counters, so the case row is written once
            case.donor_count += 1
    for draft in drafts:
        ledger.enqueue(draft)


def start_monthly(donation: Donation) -> None:
    """The first payment of a monthly gift makes it active; the next one falls due in a month."""
    from jood.donations.recurring import RecurringEvent, RecurringStatus, next_state

    recurring = donation.recurring
    if recurring is not None and recurring.status == RecurringStatus.PENDING:
        recurring.status = next_state(recurring.status, RecurringEvent.ACTIVATE).value
        recurring.next_due_at = utcnow() + MONTH
        if recurring.gateway == "sandbox":
            recurring.subscription_id = "sbxsub_" + secrets.token_urlsafe(12)


def queue_receipt(donation: Donation) -> None:
    """Queue the receipt (and a gift's notice to its recipient) in this transaction (RECEIPT_QUEUE: the jobs runner
    renders and sends them), or, in the embedded mode, render them now and send them once the payment commits."""
    from jood.donations.receipts import gift_recipient_email, paid_mails

    if not (donation.email or gift_recipient_email(donation)):
        return
    if current_app.config["RECEIPT_QUEUE"]:
        insert_now(QueuedReceipt, donation_id=donation.id)
        return
    from jood.donations.services import send_paid_mail

    for message_id, mail in paid_mails(donation):
        after_commit(lambda mail=mail, message_id=message_id: send_paid_mail(mail, message_id=message_id))


def pages_showing(donation: Donation) -> list[str]:
    """The page-cache tags a donation's money appears under: its cases, the catalog (progress, pools), /impact."""
    return [*(f"case:{line.case.code}" for line in donation.lines if line.case is not None), "catalog", "impact"]


# --- refunded ------------------------------------------------------------------------------------------------------


def holdings(donation: Donation) -> list[tuple[str, int]]:
    """Where a paid donation's money sits now, in the order a refund takes it back (``core.donation_holdings``)."""
    lines = [core.GiftLine(line.amount, track=line.case.track if line.case is not None else line.pool,
                           case=line.case.code if line.case is not None else None) for line in donation.lines]
    splits = [core.LineSplit(line.fee or 0, line.to_case or 0, line.to_pool or 0) for line in donation.lines]
    return core.donation_holdings(lines, splits, zakat=donation.zakat)


def on_partly_refunded(payment: Payment, *, amount: int, **_) -> None:
    """Part of a paid donation went back to the donor (it stays paid): one refund transaction for that part."""
    donation = payment.donation
    before = payment.refunded_amount - amount
    post_refund(donation, core.part_to_refund(holdings(donation), before, payment.refunded_amount),
                memo=f"partial refund of {donation.reference}")
    stats.count_refund(donation, before=before, after=payment.refunded_amount, moment=utcnow())
    campaign_stats.count_refund(donation, before=before, after=payment.refunded_amount)
    cache.refresh(*pages_showing(donation))


def on_refunded(payment: Payment, **_) -> None:
    """The whole donation went back (or what partial refunds left of it): its cases lose it and a donor each."""
    donation = payment.donation
    before = payment.refunded_amount
    post_refund(donation, core.still_held(holdings(donation), before), memo=f"refund of {donation.reference}")
    payment.refunded_amount = payment.amount
    for line in donation.lines:
        if line.to_case and line.case.donor_count > 0:
            line.case.donor_count -= 1
    stats.count_refund(donation, before=before, after=payment.amount, moment=payment.refunded_at or utcnow())
    campaign_stats.count_refund(donation, before=before, after=payment.amount)
    cache.refresh(*pages_showing(donation))
    db.session.flush()


def post_refund(donation: Donation, parts: list[tuple[str, int]], *, memo: str) -> None:
    """One refund transaction returning `parts` to the donor, its cases locked first (lock order: head, payment,
    cases; the caller holds the head)."""
    for line in donation.lines:
        if line.to_case:
            ledger.lock_case(line.case_id)
    ledger.append(core.refund_postings(parts, reference=donation.reference, memo=memo))


# --- failed --------------------------------------------------------------------------------------------------------


def on_failed(payment: Payment, **_) -> None:
    """A failed payment counts against its source (address, e-mail): card testing is locked out after a few."""
    from jood.payments import services as payments

    keys = [payment.source_key] if payment.source_key else []
    if payment.donation.email:
        keys.append(payments.source_key("email", payment.donation.email))
    payments.note_failure(keys)


# --- dispatch ------------------------------------------------------------------------------------------------------


def purpose(payment: Payment) -> str:
    """What a payment pays for: a one-off donation, or a monthly gift's donation."""
    return "monthly" if payment.donation.recurring_id else "donation"


# (purpose, state reached) -> the step run in the payment's unit of work; states not listed need nothing.
STEPS: dict[tuple[str, PaymentStatus], Callable[..., None]] = {
    ("donation", PaymentStatus.PAID): on_paid,
    ("monthly", PaymentStatus.PAID): on_monthly_paid,
    ("donation", PaymentStatus.REFUNDED): on_refunded,
    ("monthly", PaymentStatus.REFUNDED): on_refunded,
    ("donation", PaymentStatus.FAILED): on_failed,
    ("monthly", PaymentStatus.FAILED): on_failed,
}


def after_transition(payment: Payment, state: PaymentStatus, *, actor=None) -> None:
    """Called by ``payments.apply`` for every state a payment reaches."""
    step = STEPS.get((purpose(payment), state))
    if step is not None:
        step(payment, actor=actor)

"""Applying gateway events to payments: the single path from "the gateway says…" to the ledger.

The sandbox page, the gateways' webhooks and the reconciler all call ``apply``; what a paid, refunded or failed
payment means for the money (ledger, case counters, impact figures, receipts, cached pages) is one explicit step per
state in ``jood/donations/confirm.py``, run inside the same unit of work. Callers finish with ``ledger.commit()``,
which seals the queued ledger transactions.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from jood.audit.services import record
from jood.core.db import utcnow, write_now
from jood.core.errors import DomainError
from jood.donations.models import Donation, DonationLine
from jood.extensions import db
from jood.ledger.services import lock_head
from jood.payments.models import CheckoutLock, Payment
from jood.payments.states import PaymentEvent, PaymentStatus, events_to_reach, next_state

SESSION_LIFETIME = timedelta(hours=24)  # Stripe Checkout's default session lifetime
LOCK_THRESHOLD = 5  # failed payments from one source within the window…
LOCK_WINDOW = timedelta(hours=1)
LOCK_FOR = timedelta(hours=1)  # …lock it out for this long


class CheckoutLocked(DomainError):
    """This source failed too many payments recently (card testing): no new checkout for a while."""


# --- the state machine, applied ------------------------------------------------------------------------------


def locked_payment(*criteria) -> Payment | None:
    """The payment matching `criteria`, locked until the end of the transaction and read afresh under the lock, with
    its donation and lines in the same statement (what happens next always reads them)."""
    payment = db.session.execute(
        select(Payment).where(*criteria)
        # The lines without their cases: the paid path locks and reads each case itself.
        .options(joinedload(Payment.donation).joinedload(Donation.lines).lazyload(DonationLine.case))
        .with_for_update(of=Payment).execution_options(populate_existing=True)
    ).unique().scalar_one_or_none()
    if payment is not None and payment.donation is not None:
        set_committed_value(payment.donation, "payment", payment)  # the way back, known: no query to find it
    return payment


def apply(payment: Payment, event_name: PaymentEvent | str, *, actor=None, reason: str | None = None,
          locked: bool = False) -> bool:
    """Apply one gateway event; returns whether anything changed. Duplicates and late events are no-ops.

    A refund moves money out of accounts, so it takes the ledger head first (lock order: head, payment, cases);
    a confirmation only queues its ledger transactions and locks no more than its payment and cases. `locked`: the
    caller already holds the payment's lock in this transaction (read under it), so it is not read again.
    """
    from jood.donations import confirm  # what each state means for the money (donations builds on payments)

    if PaymentEvent(event_name) == PaymentEvent.REFUND:
        if locked:
            raise ValueError("a refund takes the ledger head before the payment: do not lock the payment first")
        lock_head()
    if not locked:
        payment = locked_payment(Payment.id == payment.id)
    changed = False
    for step in events_to_reach(payment.status, event_name):
        new = next_state(payment.status, step)
        if new == payment.status:
            continue
        old, payment.status, changed = payment.status, new.value, True
        if new == PaymentStatus.PAID:
            payment.paid_at = utcnow()
        if new == PaymentStatus.REFUNDED:
            payment.refunded_at = utcnow()
        write_now(payment)  # one UPDATE now, rather than a flush of the whole unit of work later
        record("payment.transition", "payment", payment.id, actor=actor, from_state=old, to_state=new.value,
               reason=reason)
        confirm.after_transition(payment, new, actor=actor)  # credit, refund or count the failure
    db.session.flush()
    return changed


def record_refunded(payment: Payment, refunded_total, *, actor=None, reason: str | None = None) -> bool:
    """The gateway says ``refunded_total`` halalas of this payment have gone back to the donor so far.

    All of it is the ``refund`` event; part of it leaves the payment paid, raises ``refunded_amount`` (never lowers
    it: a late or repeated report changes nothing) and posts the difference (``confirm.on_partly_refunded``). Takes the
    ledger head, then the payment (the lock order of every refund)."""
    from jood.donations import confirm

    if not isinstance(refunded_total, int) or refunded_total <= 0:
        return False
    lock_head()
    payment = locked_payment(Payment.id == payment.id)
    if refunded_total >= payment.amount or payment.status == PaymentStatus.REFUNDED:
        return apply(payment, PaymentEvent.REFUND, actor=actor, reason=reason)
    if payment.status != PaymentStatus.PAID or refunded_total <= payment.refunded_amount:
        return False
    delta = refunded_total - payment.refunded_amount
    old, payment.refunded_amount = payment.refunded_amount, refunded_total
    record("payment.partial_refund", "payment", payment.id, actor=actor, from_state=str(old),
           to_state=str(refunded_total), reason=reason)
    db.session.flush()
    confirm.on_partly_refunded(payment, amount=delta, actor=actor)
    db.session.flush()
    return True


def note_discrepancy(payment: Payment, problem: str) -> None:
    """The gateway reports this payment differently from what we asked for: keep it visible, credit nothing."""
    current_app.logger.error("Payment %s: %s; nothing credited", payment.id, problem)
    if payment.discrepancy != problem[:300]:
        payment.discrepancy = problem[:300]
        record("payment.discrepancy", "payment", payment.id, reason=problem[:300])
    db.session.flush()


def clear_discrepancy(payment: Payment, *, reason: str, actor=None) -> None:
    # The discrepancy (up to 300 characters) goes in the reason: the audit log's states hold 30.
    record("payment.discrepancy_cleared", "payment", payment.id, actor=actor,
           reason=f"{reason} (was: {payment.discrepancy})"[:500])
    payment.discrepancy = None
    db.session.flush()


def amount_matches(payment: Payment, amount, currency) -> bool:
    """What the gateway reports must be exactly what we asked for, before anything is credited."""
    return isinstance(amount, int) and amount == payment.amount and str(currency or "").upper() == payment.currency


def by_session(session_id: str | None) -> Payment | None:
    if not session_id:
        return None
    return db.session.scalar(select(Payment).where(Payment.session_id == session_id))


def expire_stale(now=None) -> int:
    """Pending payments older than a checkout session's lifetime can no longer be paid: expire them."""
    cutoff = (now or utcnow()) - SESSION_LIFETIME
    stale = db.session.scalars(select(Payment).where(
        Payment.status.in_([PaymentStatus.CREATED.value, PaymentStatus.PENDING.value]), Payment.created_at < cutoff
    )).all()
    return sum(apply(payment, PaymentEvent.EXPIRE, reason="session lifetime over") for payment in stale)


# --- card-testing defence ------------------------------------------------------------------------------------


def source_key(kind: str, value: str) -> str:
    """A keyed hash, so the lockout table holds no IP address or e-mail in the clear."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, f"{kind}:{value.strip().lower()}".encode(), hashlib.sha256).hexdigest()[:40]
    return f"{kind}:{digest}"


def is_locked(keys: list[str]) -> bool:
    now = utcnow()
    rows = db.session.scalars(select(CheckoutLock).where(CheckoutLock.key.in_(keys)))
    return any(row.locked_until and row.locked_until > now for row in rows)


def note_failure(keys: list[str]) -> None:
    now = utcnow()
    for key in keys:
        row = db.session.get(CheckoutLock, key)
        if row is None:
            row = CheckoutLock(key=key, failures=0, window_started_at=now)
            db.session.add(row)
        if now - row.window_started_at > LOCK_WINDOW:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= LOCK_THRESHOLD:
            row.locked_until = now + LOCK_FOR
    db.session.flush()


def ensure_not_locked(keys: list[str]) -> None:
    if is_locked(keys):
        raise CheckoutLocked()

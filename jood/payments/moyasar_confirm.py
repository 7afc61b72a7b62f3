"""One confirmation for Moyasar, whoever knocks: the webhook, the donor's return to ``success_url``, the reconciler.

Nothing in a request decides anything. The webhook's ``secret_token`` only says the event came from Moyasar; the
payment is then fetched back from Moyasar's API and only the fetched status, amount, currency and invoice decide.
An event (or a return) that disagrees with the fetched payment, or a fetched payment that disagrees with what we
asked for, is a *discrepancy*: recorded on the payment (the governance dashboard lists it), never credited.
Transitions go through the one state machine, so they are monotonic and any order of deliveries ends the same.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from jood.core.db import utcnow
from jood.extensions import db
from jood.ledger.services import lock_head
from jood.payments import moyasar, services
from jood.payments.models import Payment
from jood.payments.states import PaymentEvent, PaymentStatus

PAID_LIKE = ("paid", "captured")  # money taken
OPEN_LIKE = ("initiated", "authorized", "verified")  # an attempt under way


def ours(obj: dict, *, by_reference: bool = False) -> Payment | None:
    """Our Moyasar payment that a Moyasar payment object stands for: by its invoice (hosted checkout), else by its
    own id (a saved-card charge, whose id we stored when we made it). ``by_reference``: for a *fetched* payment
    without an invoice (a monthly gift's first payment, made on our card page), by the donation reference in its
    metadata, when that payment has no Moyasar payment yet."""
    invoice_id, payment_id = obj.get("invoice_id"), obj.get("id")
    if isinstance(invoice_id, str) and invoice_id:
        found = db.session.scalar(select(Payment).where(Payment.gateway == moyasar.NAME,
                                                        Payment.session_id == invoice_id))
        if found is not None:
            return found
    if isinstance(payment_id, str) and payment_id:
        found = db.session.scalar(select(Payment).where(Payment.gateway == moyasar.NAME,
                                                        Payment.payment_intent_id == payment_id))
        if found is not None:
            return found
    reference = (obj.get("metadata") or {}).get("reference") if isinstance(obj.get("metadata"), dict) else None
    if by_reference and not invoice_id and isinstance(reference, str):
        from jood.donations.models import Donation

        return db.session.scalar(select(Payment).join(Donation).where(
            Payment.gateway == moyasar.NAME, Payment.session_id.is_(None), Payment.payment_intent_id.is_(None),
            Donation.reference == reference))
    return None


def _problem(payment: Payment, fetched: dict, claimed: dict | None) -> str | None:
    """Why the fetched payment cannot be taken for ``payment`` (None: it can)."""
    if claimed is not None:
        for key in ("id", "amount", "currency", "invoice_id"):
            if key in claimed and claimed.get(key) != fetched.get(key):
                return f"moyasar {fetched.get('id')}: the event's {key} {claimed.get(key)!r} is not the fetched " \
                       f"{fetched.get(key)!r}"
    if payment.session_id and fetched.get("invoice_id") != payment.session_id:
        return f"moyasar {fetched.get('id')} belongs to invoice {fetched.get('invoice_id')!r}, " \
               f"not {payment.session_id}"
    if not payment.session_id:
        metadata = fetched.get("metadata") if isinstance(fetched.get("metadata"), dict) else {}
        if fetched.get("invoice_id") or metadata.get("reference") != payment.donation.reference:
            return f"moyasar {fetched.get('id')} is not for {payment.donation.reference}"
    if not services.amount_matches(payment, fetched.get("amount"), fetched.get("currency")):
        return f"moyasar {fetched.get('id')}: {fetched.get('amount')!r} {fetched.get('currency')!r} " \
               f"instead of {payment.amount} {payment.currency}"
    status = fetched.get("status")
    if status in PAID_LIKE + ("refunded",) and payment.payment_intent_id not in (None, fetched.get("id")):
        return f"a second Moyasar payment {fetched.get('id')} on the invoice of {payment.payment_intent_id}"
    return None


def apply_fetched(payment: Payment, fetched: dict, *, claimed: dict | None = None, reason: str) -> str:
    """Apply what Moyasar's API reports about one of its payments (``fetched`` comes from the API, never from the
    request). ``claimed``: what the event said about it, which must agree. Returns the outcome."""
    status = fetched.get("status")
    refunded = fetched.get("refunded") if isinstance(fetched.get("refunded"), int) else 0
    if status == "refunded" and refunded <= 0:
        refunded = payment.amount  # refunded without a figure: all of it
    returning = refunded > 0 or status == "voided"
    if returning:
        lock_head()  # lock order: ledger head, then the payment
    payment = services.locked_payment(Payment.id == payment.id)
    problem = _problem(payment, fetched, claimed)
    if problem:
        services.note_discrepancy(payment, problem)
        return "mismatch"
    if status in PAID_LIKE or status == "refunded" or (status == "voided" and payment.status == PaymentStatus.PAID):
        if payment.payment_intent_id is None:
            payment.payment_intent_id = fetched.get("id")
        services.apply(payment, PaymentEvent.SUCCEED, reason=reason, locked=True)
        _keep_saved_card(payment, fetched)
        if status == "voided":
            services.apply(payment, PaymentEvent.REFUND, reason=f"{reason}: voided")
            return "refunded"
        if refunded:
            services.record_refunded(payment, refunded, reason=reason)
            db.session.refresh(payment)
            return "refunded" if payment.status == PaymentStatus.REFUNDED else "partly_refunded"
        return "paid"
    if status == "failed":
        services.apply(payment, PaymentEvent.FAIL, reason=reason, locked=True)
        return "failed"
    if status == "voided":
        services.apply(payment, PaymentEvent.CANCEL, reason=reason, locked=True)
        return "cancelled"
    services.apply(payment, PaymentEvent.OPEN, reason=reason, locked=True)
    return "pending"


def _keep_saved_card(payment: Payment, fetched: dict) -> None:
    """A monthly gift's first payment saved the card: keep its token (from the fetched payment) for the renewals."""
    recurring = payment.donation.recurring
    source = fetched.get("source") if isinstance(fetched.get("source"), dict) else {}
    token = source.get("token")
    if recurring is None or recurring.gateway != moyasar.NAME or recurring.card_token or not isinstance(token, str):
        return
    recurring.card_token = token[:255]
    digits = "".join(c for c in str(source.get("number") or "") if c.isdigit())[-4:]
    recurring.card_label = f"{source.get('company') or 'card'} {digits}".strip()[:40]
    db.session.flush()


def confirm_return(payment: Payment, moyasar_payment_id: str | None) -> str:
    """The donor came back to ``success_url``. The query string is a hint at most: the payment it names is fetched
    and must belong to this payment's invoice; without one, the invoice itself is fetched and its payments read."""
    if moyasar_payment_id:
        try:
            fetched = [moyasar.fetch_payment(moyasar_payment_id)]
        except moyasar.MoyasarRejected:
            fetched = []
    else:
        fetched = []
    if not fetched and payment.session_id:
        fetched = [p for p in moyasar.fetch_invoice(payment.session_id).get("payments") or [] if isinstance(p, dict)]
    outcome = "pending"
    for item in sorted(fetched, key=lambda p: p.get("status") in PAID_LIKE + ("refunded",)):  # paid ones last
        outcome = apply_fetched(payment, item, reason="moyasar return")
    return outcome


def reconcile(now=None, *, days: int = 3) -> dict[str, int]:
    """Moyasar's payments of the last ``days``: apply each one of ours (repairs a webhook that never came)."""
    outcomes: dict[str, int] = {}
    if not moyasar.configured():
        return outcomes
    since = (now or utcnow()) - timedelta(days=days)
    try:
        for fetched in moyasar.list_payments(since):
            payment = ours(fetched, by_reference=True) if isinstance(fetched, dict) else None
            outcome = "unknown" if payment is None else apply_fetched(payment, fetched, reason="moyasar reconcile")
            outcomes[f"moyasar_{outcome}"] = outcomes.get(f"moyasar_{outcome}", 0) + 1
    except moyasar.MoyasarUnavailable as error:  # what was applied so far stands; the next run goes on
        current_app.logger.warning("Moyasar reconciliation stopped: %s", error)
        outcomes["moyasar_unavailable"] = 1
    return outcomes

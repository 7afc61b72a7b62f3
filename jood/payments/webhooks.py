"""Stripe events -> payment events. Each event id is claimed once; the handlers are idempotent and order-free."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, select, update

from jood.core.db import insert_new, utcnow
from jood.donations.recurring import RecurringEvent
from jood.donations.recurring import next_state as recurring_next
from jood.extensions import db
from jood.payments import services
from jood.payments.gateway import stripe_configured
from jood.payments.models import GatewayEvent, Payment
from jood.payments.states import PaymentEvent

SIGNATURE_TOLERANCE = 300  # seconds; stripe.Webhook's own default, which it applies only to old timestamps
# Nested objects the handlers read as mappings; a signed event carrying anything else there is malformed.
OBJECT_FIELDS = ("metadata", "subscription_details", "parent")


def signed_in_the_future(signature_header: str, now: float | None = None) -> bool:
    """Stripe's library refuses timestamps older than the tolerance, not those ahead of it."""
    stamps = [part[2:] for part in signature_header.split(",") if part.strip().startswith("t=")]
    try:
        stamp = int(stamps[0].strip()) if stamps else 0
    except ValueError:
        return True
    return stamp > (now or time.time()) + SIGNATURE_TOLERANCE


def malformed(event) -> str | None:
    """What is wrong with the shape of an event, or None. Checked before anything is claimed or changed."""
    if not isinstance(event, dict):
        return "event is not an object"
    if not isinstance(event.get("id"), str) or not event["id"].strip():
        return "event without an id"
    if not isinstance(event.get("type", ""), str):
        return "type is not a string"
    data = event.get("data")
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("object") or {}, dict):
        return "data.object is not an object"
    obj = data.get("object") or {}
    for field in OBJECT_FIELDS:
        if obj.get(field) is not None and not isinstance(obj[field], dict):
            return f"data.object.{field} is not an object"
    for parent in ("subscription_details", "parent"):
        nested = obj.get(parent) or {}
        for field in ("metadata", "subscription_details"):
            if nested.get(field) is not None and not isinstance(nested[field], dict):
                return f"data.object.{parent}.{field} is not an object"
    grand = ((obj.get("parent") or {}).get("subscription_details") or {}).get("metadata")
    if grand is not None and not isinstance(grand, dict):
        return "data.object.parent.subscription_details.metadata is not an object"
    return None


def _payment_for(obj: dict) -> Payment | None:
    """The payment a Checkout Session stands for, locked (the handlers below then apply events to it as locked)."""
    payment = services.locked_payment(Payment.session_id == obj["id"]) if obj.get("id") else None
    if payment is None:
        reference = (obj.get("metadata") or {}).get("reference") or obj.get("client_reference_id")
        payment = _by_reference(reference, lock=True)
    return payment


def _by_reference(reference: str | None, *, lock: bool = False) -> Payment | None:
    if not reference:
        return None
    from jood.donations.models import Donation  # the donation's reference is what Stripe carries back

    payment_id = select(Payment.id).join(Donation).where(Donation.reference == reference).scalar_subquery()
    if lock:
        return services.locked_payment(Payment.id == payment_id)
    return db.session.scalar(select(Payment).where(Payment.id == payment_id))


def _credit_if_amount_matches(payment: Payment, amount, currency, what: str, *, locked: bool = False) -> str:
    if not services.amount_matches(payment, amount, currency):
        current_app.logger.error("Stripe %s for payment %s: amount %r %r does not match %s %s; nothing credited",
                                 what, payment.id, amount, currency, payment.amount, payment.currency)
        return "amount_mismatch"
    services.apply(payment, PaymentEvent.SUCCEED, reason=f"stripe {what}", locked=locked)
    return "paid"


def session_state(obj: dict) -> str:
    """Apply what a Checkout Session says (from a webhook or the reconciler's listing)."""
    payment = _payment_for(obj)
    if payment is None:
        return "unknown_session"
    if obj.get("payment_intent") and not payment.payment_intent_id:
        payment.payment_intent_id = obj["payment_intent"]
    recurring = payment.donation.recurring
    if recurring is not None and obj.get("subscription") and recurring.subscription_id != obj["subscription"]:
        recurring.subscription_id = obj["subscription"]
        recurring.status = recurring_next(recurring.status, RecurringEvent.ACTIVATE).value
    status, paid = obj.get("status"), obj.get("payment_status")
    if paid in ("paid", "no_payment_required"):
        return _credit_if_amount_matches(payment, obj.get("amount_total"), obj.get("currency"), "session", locked=True)
    if status == "expired":
        services.apply(payment, PaymentEvent.EXPIRE, reason="stripe session expired", locked=True)
        return "expired"
    services.apply(payment, PaymentEvent.OPEN, reason="stripe session open", locked=True)
    return "pending"


def _async_succeeded(obj: dict) -> str:
    payment = _payment_for(obj)
    if payment is None:
        return "unknown_session"
    return _credit_if_amount_matches(payment, obj.get("amount_total"), obj.get("currency"), "async payment",
                                     locked=True)


def _async_failed(obj: dict) -> str:
    payment = _payment_for(obj)
    if payment is None:
        return "unknown_session"
    services.apply(payment, PaymentEvent.FAIL, reason="stripe async payment failed", locked=True)
    return "failed"


def _expired(obj: dict) -> str:
    payment = _payment_for(obj)
    if payment is None:
        return "unknown_session"
    services.apply(payment, PaymentEvent.EXPIRE, reason="stripe session expired", locked=True)
    return "expired"


def _charge_refunded(obj: dict) -> str:
    intent = obj.get("payment_intent")
    payment = db.session.scalar(select(Payment).where(Payment.payment_intent_id == intent)) if intent else None
    payment = payment or _by_reference((obj.get("metadata") or {}).get("reference"))
    if payment is None:
        return "unknown_charge"
    if intent and not payment.payment_intent_id:
        payment.payment_intent_id = intent
    if not obj.get("refunded") or not services.amount_matches(payment, obj.get("amount_refunded"), obj.get("currency")):
        current_app.logger.warning("Partial or mismatched refund for payment %s ignored; refund in full from Jood",
                                   payment.id)
        return "partial_refund_ignored"
    services.apply(payment, PaymentEvent.REFUND, reason="stripe charge refunded")
    return "refunded"


def _invoice_paid(obj: dict) -> str:
    details = obj.get("subscription_details") or (obj.get("parent") or {}).get("subscription_details") or {}
    subscription = obj.get("subscription") or details.get("subscription")
    metadata = details.get("metadata") or {}
    from jood.donations.services import payment_for_invoice  # the donation a subscription invoice pays

    payment = payment_for_invoice(subscription_id=subscription, invoice_id=obj.get("id"),
                                  recurring_id=metadata.get("recurring_id"), billing_reason=obj.get("billing_reason"),
                                  gateway="stripe")
    if payment is None:
        return "unknown_subscription"
    return _credit_if_amount_matches(payment, obj.get("amount_paid"), obj.get("currency"), "invoice")


HANDLERS = {
    "checkout.session.completed": session_state,
    "checkout.session.async_payment_succeeded": _async_succeeded,
    "checkout.session.async_payment_failed": _async_failed,
    "checkout.session.expired": _expired,
    "charge.refunded": _charge_refunded,
    "invoice.paid": _invoice_paid,
}


def handle_event(event: dict, gateway: str = "stripe") -> str:
    """Claim the event id, then act. A replay (same id) is acknowledged and does nothing.

    Concurrent deliveries of one id both insert the claim with ON CONFLICT DO NOTHING: the unique key makes the
    second wait for the first to commit, then find the id taken (a duplicate); if the first rolled back, the second
    claims it and does the work.
    """
    event_id, kind = event.get("id"), event.get("type", "")
    if not event_id:
        raise ValueError("event without id")
    claim_id = claim_event(gateway, event_id, kind)
    if claim_id is None:  # claimed before, or just now by a concurrent delivery that committed first
        return "duplicate"
    handler = HANDLERS.get(kind)
    outcome = handler((event.get("data") or {}).get("object") or {}) if handler else "ignored"
    record_outcome(claim_id, outcome)
    return outcome


def claim_event(gateway: str, event_id: str, kind: str) -> int | None:
    """Claim a gateway's event id for this transaction: the claim's id, or None when it was claimed before."""
    claim = insert_new(GatewayEvent.__tablename__, ("gateway", "event_id", "type", "received_at", "outcome"),
                       ("event_id",), "id")
    return db.session.connection().execute(claim, {"gateway": gateway, "event_id": event_id, "type": kind[:80],
                                                   "received_at": utcnow(), "outcome": ""}).scalar()


def record_outcome(claim_id: int, outcome: str) -> None:
    db.session.connection().execute(_OUTCOME, {"claim_id": claim_id, "outcome_": outcome[:60]})


_OUTCOME = update(GatewayEvent).where(GatewayEvent.id == bindparam("claim_id")).values(outcome=bindparam("outcome_"))


def reconcile(now=None) -> dict[str, int]:
    """Repair payments whose webhook never arrived (Stripe's recent sessions, Moyasar's recent payments), then expire
    what is stale."""
    from jood.payments.stripe_gateway import recent_sessions

    now = now or utcnow()
    outcomes: dict[str, int] = {}
    if stripe_configured():
        for session in recent_sessions(now - timedelta(days=3)):
            data = session.to_dict() if hasattr(session, "to_dict") else dict(session)
            outcome = session_state(data)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    from jood.payments import moyasar_confirm

    outcomes.update(moyasar_confirm.reconcile(now))
    outcomes["expired_stale"] = services.expire_stale(now)
    return outcomes

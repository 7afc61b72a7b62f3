"""The sandbox checkout page and Stripe's webhook: two doors into the one payment state machine."""

from __future__ import annotations

import json

import stripe
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from jood.audit.services import record
from jood.auth.access import public
from jood.core.unit import unit_of_work
from jood.extensions import csrf
from jood.payments import checks, moyasar_views, services, webhooks  # noqa: F401 - checks, Moyasar's doors
from jood.payments.blueprint import bp
from jood.payments.states import PaymentEvent, PaymentStatus

SANDBOX_OUTCOMES = {"success": PaymentEvent.SUCCEED, "failure": PaymentEvent.FAIL, "cancel": PaymentEvent.CANCEL}


def _sandbox_payment(session_id: str):
    payment = services.by_session(session_id)
    if payment is None or payment.gateway != "sandbox":
        abort(404)
    return payment


@bp.route("/sandbox/checkout/<session_id>", methods=["GET", "POST"])
@public
def sandbox_checkout(session_id):
    """A local stand-in for a hosted payment page. It says loudly that it is a test and moves no money."""
    payment = _sandbox_payment(session_id)
    donation = payment.donation
    form = FlaskForm()
    if request.method == "POST" and form.validate_on_submit():
        outcome = SANDBOX_OUTCOMES.get(request.form.get("outcome", ""))
        if outcome is None:
            abort(400)
        with unit_of_work():
            services.apply(payment, outcome, reason="sandbox checkout")
        if payment.status == PaymentStatus.PAID:
            return redirect(url_for("donations.receipt", token=donation.receipt_token))
        if outcome == PaymentEvent.CANCEL:
            return redirect(url_for("donations.cancelled", token=donation.receipt_token))
        flash(_("Test payment failed. No money moved."), "danger")
        return redirect(url_for("payments.sandbox_checkout", session_id=session_id))
    if payment.status not in (PaymentStatus.CREATED, PaymentStatus.PENDING, PaymentStatus.FAILED):
        return redirect(url_for("donations.receipt", token=donation.receipt_token))
    return render_template("payments/sandbox.html", payment=payment, donation=donation, form=form)


@bp.route("/webhooks/stripe", methods=["POST"])
@public
@csrf.exempt
def stripe_webhook():
    """Signed by Stripe instead of a CSRF token. Answers 2xx only once the effect is committed."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        abort(404)
    payload = request.get_data()
    signature = request.headers.get("Stripe-Signature", "")
    try:
        stripe.WebhookSignature.verify_header(payload.decode("utf-8"), signature, secret,
                                              tolerance=webhooks.SIGNATURE_TOLERANCE)
        event = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError):
        current_app.logger.warning("Rejected a Stripe webhook with a bad or stale signature")
        return {"error": "invalid signature"}, 400
    if webhooks.signed_in_the_future(signature):
        current_app.logger.warning("Rejected a Stripe webhook signed in the future")
        return {"error": "invalid signature"}, 400
    problem = webhooks.malformed(event)
    if problem:
        # Signed, so Stripe (or someone holding the secret) sent it: keep a trace, and answer 400 so that it is not
        # retried forever as a 500 would be.
        current_app.logger.error("Rejected a malformed signed Stripe event: %s", problem)
        with unit_of_work():
            record("payments.webhook_malformed", "gateway_event", "stripe", reason=problem[:250])
        return {"error": "malformed event", "detail": problem}, 400
    try:
        with unit_of_work():
            outcome = webhooks.handle_event(event)
    except Exception:  # a concurrent delivery of the same id is no error: handle_event answers it "duplicate"
        current_app.logger.exception("Stripe webhook %s failed; Stripe will retry", event.get("id"))
        return {"error": "not processed"}, 500
    return {"received": True, "outcome": outcome}, 200


def _method_choices(monthly: bool = False) -> list[str]:
    from jood.payments.gateway import checkout_methods

    return [method for method, _gateway in checkout_methods(monthly=monthly)]


# A global, not a context variable: the donor-fields macro (donations/_macros.html) sees globals only.
bp.record_once(lambda state: state.app.jinja_env.globals.update(payment_methods=_method_choices))

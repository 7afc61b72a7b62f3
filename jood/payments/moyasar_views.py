"""Moyasar's two doors: the webhook (``POST /webhooks/moyasar``) and the donor's return to ``success_url``.

Both lead to ``moyasar_confirm.apply_fetched``: what Moyasar's API reports, fetched by us, decides.
"""

from __future__ import annotations

import hmac

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from jood.auth.access import public, signed_in
from jood.core.unit import unit_of_work
from jood.donations.recurring import RecurringStatus
from jood.extensions import csrf, db
from jood.payments import moyasar, moyasar_confirm, webhooks
from jood.payments.blueprint import bp
from jood.payments.forms import MonthlyConsentForm

PAYMENT_EVENT_PREFIX = "payment_"


def _secret_ok(given) -> bool:
    secret = current_app.config.get("MOYASAR_WEBHOOK_SECRET") or ""
    return isinstance(given, str) and bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def _flash_confirmation_pending() -> None:
    """Moyasar did not answer while confirming: the webhook or the reconciler will finish it."""
    flash(_("We could not reach the payment service to confirm your payment. Nothing is lost: if you paid, "
            "your gift is confirmed automatically within a few minutes and your receipt is sent."), "warning")


@bp.route("/webhooks/moyasar", methods=["POST"])
@public
@csrf.exempt
def moyasar_webhook():
    """Authenticated by its ``secret_token`` (compared in constant time) instead of a CSRF token. 2xx only once the
    effect is committed; 503 when Moyasar's API cannot be asked (Moyasar delivers again)."""
    if not current_app.config.get("MOYASAR_WEBHOOK_SECRET"):
        abort(404)
    event = request.get_json(silent=True)
    if not isinstance(event, dict) or not _secret_ok(event.get("secret_token")):
        current_app.logger.warning("Rejected a Moyasar webhook without the right secret_token")
        return {"error": "invalid secret_token"}, 401
    event_id, kind, data = event.get("id"), event.get("type"), event.get("data")
    if not isinstance(event_id, str) or not event_id or not isinstance(kind, str):
        return {"error": "malformed event"}, 400
    if not kind.startswith(PAYMENT_EVENT_PREFIX):
        return {"received": True, "outcome": "ignored"}, 200  # payouts, transfers: nothing of ours
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return {"error": "malformed event"}, 400
    try:
        fetched = moyasar.fetch_payment(data["id"])
    except moyasar.MoyasarRejected:
        current_app.logger.warning("Moyasar webhook %s names payment %r, which Moyasar does not know", event_id,
                                   data.get("id"))
        return {"error": "unknown payment"}, 404
    except moyasar.MoyasarUnavailable as error:
        current_app.logger.warning("Moyasar webhook %s: could not fetch the payment (%s); Moyasar will retry",
                                   event_id, error)
        return {"error": "payment service unavailable"}, 503
    payment = moyasar_confirm.ours(data) or moyasar_confirm.ours(fetched, by_reference=True)
    if payment is None:
        return {"error": "unknown payment"}, 404
    try:
        with unit_of_work():
            claim_id = webhooks.claim_event(moyasar.NAME, event_id, kind)
            if claim_id is None:
                outcome = "duplicate"
            else:
                outcome = moyasar_confirm.apply_fetched(payment, fetched, claimed=data, reason=f"moyasar {kind}")
                webhooks.record_outcome(claim_id, outcome)
    except Exception:
        current_app.logger.exception("Moyasar webhook %s failed; Moyasar will retry", event_id)
        return {"error": "not processed"}, 500
    return {"received": True, "outcome": outcome}, 200


@bp.route("/payments/moyasar/return/<token>")
@public
def moyasar_return(token):
    """Moyasar's ``success_url``: confirm from the API, then show the receipt. If Moyasar cannot be asked now, the
    donor is told so; the webhook or the reconciler confirms the payment later, nothing is lost."""
    from jood.donations.models import Donation

    donation = db.session.scalar(select(Donation).where(Donation.receipt_token == token)) if token else None
    if donation is None or donation.payment is None or donation.payment.gateway != moyasar.NAME:
        abort(404)
    hint = request.args.get("id")
    try:
        with unit_of_work():
            moyasar_confirm.confirm_return(donation.payment, hint if isinstance(hint, str) else None)
    except moyasar.MoyasarUnavailable:
        _flash_confirmation_pending()
    return redirect(url_for("donations.receipt", token=token))


# --- a monthly gift: the donor's consent, the card page, the return from Moyasar --------------------------------

# The wording the donor agrees to, kept in English in the audit log with the amount (the page shows it translated).
CONSENT_WORDING = "I authorise Jood to charge {amount} halalas to this card every month for my gift, until I cancel it."


@bp.route("/account/monthly/<int:recurring_id>/card", methods=["GET", "POST"])
@signed_in
def moyasar_card(recurring_id):
    """First the donor's consent to the monthly charge (recorded), then a card form whose fields go straight to
    Moyasar (its ``payments.html`` form endpoint, with the publishable key): Jood never receives card data."""
    from jood.audit.services import record
    from jood.core.db import utcnow
    from jood.donations.models import Donation, RecurringGift

    recurring = db.session.get(RecurringGift, recurring_id)
    if recurring is None or recurring.user_id != current_user.id or recurring.gateway != moyasar.NAME:
        abort(404)
    first = db.session.scalar(select(Donation).where(Donation.recurring_id == recurring.id).order_by(Donation.id)
                              .limit(1))
    if recurring.status != RecurringStatus.PENDING or first is None or first.status == "paid":
        return redirect(url_for("donations.history"))
    form = MonthlyConsentForm()
    if recurring.consent_at is None and form.validate_on_submit():
        recurring.consent_at = utcnow()
        with unit_of_work():
            record("recurring.consent", "recurring_gift", recurring.id, actor=current_user, to_state="consented",
                   reason=CONSENT_WORDING.format(amount=recurring.amount))
    config = current_app.config
    return render_template("payments/moyasar_card.html", recurring=recurring, donation=first, form=form,
                           action=config["MOYASAR_API_BASE"].rstrip("/") + "/payments.html",
                           publishable_key=config.get("MOYASAR_PUBLISHABLE_KEY") or "",
                           callback_url=url_for("payments.moyasar_card_return", token=first.receipt_token,
                                                _external=True))


@bp.route("/payments/moyasar/card-return/<token>")
@public
def moyasar_card_return(token):
    """Where Moyasar sends the donor after the card page. The payment named in the query string is fetched: only
    a payment of this donation's amount, carrying its reference and made after the donor's consent, is taken."""
    from jood.donations.models import Donation

    donation = db.session.scalar(select(Donation).where(Donation.receipt_token == token)) if token else None
    if donation is None or donation.payment is None or donation.payment.gateway != moyasar.NAME:
        abort(404)
    hint = request.args.get("id")
    recurring = donation.recurring
    try:
        if isinstance(hint, str) and hint and recurring is not None and recurring.consent_at is not None:
            with unit_of_work():
                fetched = moyasar.fetch_payment(hint)
                moyasar_confirm.apply_fetched(donation.payment, fetched, reason="moyasar card page")
    except moyasar.MoyasarRejected:
        pass  # not a payment of this donation: nothing taken, the page below says what the donation's status is
    except moyasar.MoyasarUnavailable:
        _flash_confirmation_pending()
    db.session.expire_all()
    if donation.status == "failed":
        flash(_("The card was not charged. You can try again or use another card."), "danger")
        if recurring is not None:
            return redirect(url_for("payments.moyasar_card", recurring_id=recurring.id))
    return redirect(url_for("donations.receipt", token=token))


APPLE_PAY_FILE = "apple-developer-merchantid-domain-association"


@bp.route("/.well-known/<name>")
@public
def apple_pay_domain_association(name):
    """Apple Pay's domain verification file, when Apple Pay is shown on Jood's own pages (docs/payments.md). The
    hosted invoice page needs none: Apple Pay runs there on Moyasar's verified domain."""
    from pathlib import Path

    path = current_app.config.get("APPLE_PAY_DOMAIN_ASSOCIATION")
    if name != APPLE_PAY_FILE or not path or not Path(path).is_file():
        abort(404)
    return Path(path).read_bytes(), 200, {"Content-Type": "text/plain"}

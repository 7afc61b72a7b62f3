"""Moyasar's two doors: the webhook (``POST /webhooks/moyasar``) and the donor's return to ``success_url``.

Both lead to ``moyasar_confirm.apply_fetched``: what Moyasar's API reports, fetched by us, decides.
"""

from __future__ import annotations

import hmac

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from jood.auth.access import public
from jood.extensions import csrf, db
from jood.ledger import services as ledger
from jood.payments import moyasar, moyasar_confirm, webhooks
from jood.payments.views import bp

PAYMENT_EVENT_PREFIX = "payment_"


def _secret_ok(given) -> bool:
    secret = current_app.config.get("MOYASAR_WEBHOOK_SECRET") or ""
    return isinstance(given, str) and bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


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
    payment = moyasar_confirm.ours(data) or moyasar_confirm.ours(fetched)
    if payment is None:
        return {"error": "unknown payment"}, 404
    try:
        claim_id = webhooks.claim_event(moyasar.NAME, event_id, kind)
        if claim_id is None:
            outcome = "duplicate"
        else:
            outcome = moyasar_confirm.apply_fetched(payment, fetched, claimed=data, reason=f"moyasar {kind}")
            webhooks.record_outcome(claim_id, outcome)
        ledger.commit()
    except Exception:
        db.session.rollback()
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
        moyasar_confirm.confirm_return(donation.payment, hint if isinstance(hint, str) else None)
        ledger.commit()
    except moyasar.MoyasarUnavailable:
        db.session.rollback()
        flash(_("We could not reach the payment service to confirm your payment. Nothing is lost: if you paid, "
                "your gift is confirmed automatically within a few minutes and your receipt is sent."), "warning")
    except Exception:
        db.session.rollback()
        raise
    return redirect(url_for("donations.receipt", token=token))

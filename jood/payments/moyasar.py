"""Moyasar: mada, Apple Pay, STC Pay and Visa/Mastercard through Moyasar's hosted invoice page.

Moyasar's REST API (docs.moyasar.com) is spoken directly with ``requests``: HTTP Basic with the secret key as the user
name and an empty password, JSON bodies, amounts in halalas. ``MOYASAR_API_BASE`` points it at another base URL (the
tests and the demo run ``jood.payments.moyasar_standin`` there). Every network failure — a timeout, a refused
connection, a 5xx or a 429 — is a ``MoyasarUnavailable``, which callers treat as "try again later": nothing was
decided, the reconciler finishes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

import requests
from flask import current_app, url_for

from jood.core.db import utcnow
from jood.payments.gateway import CheckoutRequest, Gateway, register
from jood.payments.models import Payment
from jood.payments.services import SESSION_LIFETIME

NAME = "moyasar"


class MoyasarUnavailable(Exception):
    """Moyasar did not answer usefully (timeout, connection error, 5xx, 429): nothing is known, try again later."""


class MoyasarRejected(Exception):
    """Moyasar answered with a 4xx: the request is wrong or the object does not exist (``status`` says which)."""

    def __init__(self, status: int, body) -> None:
        super().__init__(f"Moyasar answered {status}: {body!r}"[:300])
        self.status, self.body = status, body


def configured() -> bool:
    return bool(current_app.config.get("MOYASAR_SECRET_KEY"))


def call(method: str, path: str, *, json: dict | None = None, params: dict | None = None) -> dict:
    """One request to Moyasar's API; the decoded JSON answer."""
    config = current_app.config
    if not config.get("MOYASAR_SECRET_KEY"):
        raise MoyasarUnavailable("MOYASAR_SECRET_KEY is not set")
    url = config["MOYASAR_API_BASE"].rstrip("/") + path
    try:
        response = requests.request(method, url, json=json, params=params, auth=(config["MOYASAR_SECRET_KEY"], ""),
                                    timeout=config.get("MOYASAR_TIMEOUT", 10), headers={"Accept": "application/json"})
    except requests.RequestException as error:
        raise MoyasarUnavailable(f"{method} {path}: {type(error).__name__}") from error
    if response.status_code >= 500 or response.status_code == 429:
        raise MoyasarUnavailable(f"{method} {path}: HTTP {response.status_code}")
    if response.status_code == 204:  # e.g. a deleted token
        return {}
    try:
        body = response.json()
    except ValueError as error:
        raise MoyasarUnavailable(f"{method} {path}: not JSON") from error
    if response.status_code >= 400:
        raise MoyasarRejected(response.status_code, body)
    if not isinstance(body, dict):
        raise MoyasarUnavailable(f"{method} {path}: unexpected answer")
    return body


def fetch_payment(payment_id: str) -> dict:
    return call("GET", f"/payments/{_safe_id(payment_id)}")


def fetch_invoice(invoice_id: str) -> dict:
    return call("GET", f"/invoices/{_safe_id(invoice_id)}")


def list_payments(since: datetime) -> Iterator[dict]:
    """Payments created since ``since``, every page (Moyasar pages with ``page`` and answers ``meta.next_page``)."""
    page = 1
    while page:
        body = call("GET", "/payments", params={"page": page, "created[gt]": since.strftime("%Y-%m-%dT%H:%M:%SZ")})
        yield from body.get("payments") or []
        page = (body.get("meta") or {}).get("next_page")


def _safe_id(value: str) -> str:
    """Moyasar ids are UUIDs (or ``token_…``); anything else never reaches a URL path."""
    value = str(value or "")
    if not value or not all(c.isalnum() or c in "-_" for c in value) or len(value) > 80:
        raise MoyasarRejected(404, "bad id")
    return value


@register
class MoyasarGateway(Gateway):
    name = NAME
    methods = ("mada", "applepay", "stcpay", "card")
    monthly_methods = ("mada", "card")  # Moyasar tokenizes mada, Visa and Mastercard cards
    partial_refunds = True

    def open_session(self, request: CheckoutRequest) -> str:
        """Create an invoice (Moyasar's hosted payment page) and send the donor there. A monthly gift starts on our
        card page instead (Moyasar has no subscriptions): its form posts the card straight to Moyasar, which saves
        it as a token that the jobs runner charges each month."""
        payment = request.payment
        if request.monthly:
            return url_for("payments.moyasar_card", recurring_id=payment.donation.recurring_id)
        invoice = call("POST", "/invoices", json={
            "amount": payment.amount,
            "currency": payment.currency,
            "description": request.title,
            "callback_url": url_for("payments.moyasar_webhook", _external=True),
            "success_url": url_for("payments.moyasar_return", token=payment.donation.receipt_token, _external=True),
            "back_url": request.cancel_url,
            # The invoice lives as long as our checkout does (the reconciler expires the payment after that).
            "expired_at": (utcnow() + SESSION_LIFETIME).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "metadata": {"reference": request.reference, "method": payment.method or "", **request.metadata},
        })
        if not invoice.get("id") or not invoice.get("url"):
            raise MoyasarUnavailable("invoice without id or url")
        payment.session_id = invoice["id"]
        return invoice["url"]

    def refund(self, payment: Payment, reference: str, amount: int | None = None) -> dict:
        """Return ``amount`` halalas (all of it when None) of the paid Moyasar payment to the donor."""
        if not payment.payment_intent_id:
            raise MoyasarRejected(400, f"{reference}: no Moyasar payment to refund")
        if amount is None:  # what partial refunds have left
            amount = payment.amount - payment.refunded_amount
        return call("POST", f"/payments/{_safe_id(payment.payment_intent_id)}/refund", json={"amount": amount})

    def cancel_subscription(self, subscription_id: str) -> None:
        """A Moyasar monthly gift is ours to schedule: cancelling it is our row, and ``forget_card``."""

    def forget_card(self, token: str) -> None:
        """Delete a saved card at Moyasar (the donor cancelled the monthly gift)."""
        call("DELETE", f"/tokens/{_safe_id(token)}")

    def charge_token(self, payment: Payment, token: str, *, attempt_key: str, description: str) -> dict:
        """Charge a saved card (a monthly renewal). ``given_id``, derived from ``attempt_key``, makes a repeated
        request (a crash before our commit, a network retry) the same Moyasar payment, never a second charge."""
        from jood.donations.receipts import external_url

        given_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"jood:{attempt_key}"))
        return call("POST", "/payments", json={
            "given_id": given_id,
            "amount": payment.amount,
            "currency": payment.currency,
            "description": description,
            "callback_url": external_url("payments.moyasar_webhook"),
            "source": {"type": "token", "token": token},
            "metadata": {"reference": payment.donation.reference},
        })

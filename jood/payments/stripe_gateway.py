"""Stripe: hosted Checkout Sessions (card data never reaches Jood), refunds, subscriptions, and session listing for
the reconciler. ``STRIPE_API_BASE`` points the library at another base URL (tests run a local stand-in)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import datetime

import stripe
from flask import current_app

from jood.payments.gateway import CheckoutRequest, Gateway, register
from jood.payments.models import Payment


def client() -> stripe.StripeClient:
    config = current_app.config
    return _client(config["STRIPE_SECRET_KEY"], config.get("STRIPE_API_BASE"))


@functools.lru_cache(maxsize=4)
def _client(secret_key: str, base: str | None) -> stripe.StripeClient:
    """One client per key and process: it keeps its HTTP connection to Stripe open between checkouts (a new client
    for each one cost a TCP and TLS handshake and a third of the checkout's CPU)."""
    return stripe.StripeClient(secret_key, base_addresses={"api": base} if base else None, max_network_retries=2)


@register
class StripeGateway(Gateway):
    name = "stripe"
    methods = monthly_methods = ("card",)

    def open_session(self, request: CheckoutRequest) -> str:
        payment = request.payment
        price = {"currency": payment.currency.lower(), "unit_amount": payment.amount,
                 "product_data": {"name": request.title}}
        metadata = {"reference": request.reference, **request.metadata}
        params: dict = {
            "line_items": [{"price_data": price, "quantity": 1}],
            "success_url": request.success_url,
            "cancel_url": request.cancel_url,
            "client_reference_id": request.reference,
            "metadata": metadata,
        }
        if request.monthly:
            price["recurring"] = {"interval": "month"}
            params |= {"mode": "subscription", "subscription_data": {"metadata": metadata}}
        else:
            params |= {"mode": "payment", "payment_intent_data": {"metadata": metadata}}
        if request.email:
            params["customer_email"] = request.email
        # The idempotency key makes a retried request (double click, network retry) return the same session.
        session = client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"checkout-{request.reference}"}
        )
        payment.session_id = session.id
        return session.url

    def refund(self, payment: Payment, reference: str) -> None:
        intent = payment.payment_intent_id
        if not intent and payment.session_id:
            intent = client().v1.checkout.sessions.retrieve(payment.session_id).payment_intent
            payment.payment_intent_id = intent
        if not intent:
            raise ValueError(f"{reference}: no payment intent to refund")
        client().v1.refunds.create(params={"payment_intent": intent},
                                   options={"idempotency_key": f"refund-{reference}"})

    def cancel_subscription(self, subscription_id: str) -> None:
        client().v1.subscriptions.cancel(subscription_id)


def recent_sessions(since: datetime) -> Iterator:
    """Checkout sessions created since ``since``, every page of them."""
    listing = client().v1.checkout.sessions.list(params={"created": {"gte": int(since.timestamp())}, "limit": 100})
    yield from listing.auto_paging_iter()

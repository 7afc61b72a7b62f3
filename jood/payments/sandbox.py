"""The sandbox gateway: a local checkout page, clearly a test, whose buttons drive the real state machine."""

from __future__ import annotations

import secrets

from flask import url_for

from jood.payments.gateway import CheckoutRequest, Gateway, register
from jood.payments.models import Payment


@register
class SandboxGateway(Gateway):
    name = "sandbox"
    methods = monthly_methods = ("card",)
    partial_refunds = True

    def open_session(self, request: CheckoutRequest) -> str:
        request.payment.session_id = "sbx_" + secrets.token_urlsafe(24)
        return url_for("payments.sandbox_checkout", session_id=request.payment.session_id)

    def refund(self, payment: Payment, reference: str, amount: int | None = None) -> None:
        """Nothing to call: the sandbox holds no money. The caller applies the refund event itself."""

    def cancel_subscription(self, subscription_id: str) -> None:
        """Sandbox subscriptions are only rows in our database."""

"""The gateway interface: open a hosted checkout, refund, cancel a subscription. Stripe when keys are configured,
the local sandbox otherwise; both feed the same state machine (``jood.payments.services.apply``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from jood.payments.models import Payment


@dataclass(frozen=True)
class CheckoutRequest:
    payment: Payment
    reference: str
    title: str
    success_url: str
    cancel_url: str
    email: str | None = None
    monthly: bool = False  # a subscription: the same amount every month
    metadata: dict = field(default_factory=dict)


class Gateway:
    name = ""

    def open_session(self, request: CheckoutRequest) -> str:
        """Create the hosted checkout for ``request.payment``, store its session id, return the URL to send the
        donor to."""
        raise NotImplementedError

    def refund(self, payment: Payment, reference: str) -> None:
        """Ask the gateway to return the whole payment to the donor."""
        raise NotImplementedError

    def cancel_subscription(self, subscription_id: str) -> None:
        raise NotImplementedError


def stripe_configured() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def get_gateway(name: str | None = None) -> Gateway:
    from jood.payments.sandbox import SandboxGateway
    from jood.payments.stripe_gateway import StripeGateway

    name = name or ("stripe" if stripe_configured() else "sandbox")
    return StripeGateway() if name == "stripe" else SandboxGateway()

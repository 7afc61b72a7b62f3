"""The gateway interface and the registry of gateways.

Gateways add themselves by name (``@register``; jood/payments/builtin.py lists the ones Jood ships, and the app
factory imports it); the deployment turns them on with ``PAYMENT_GATEWAYS`` (the first is the
default). Each gateway says which payment methods it offers; the checkout lists the methods of the enabled gateways
in one fixed order (mada first) and the donor's choice picks the gateway. All of them feed the same state machine
(``jood.payments.services.apply``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from jood.core.errors import DomainError
from jood.payments.models import Payment

# The order the checkout shows them in: mada is the national debit network most Saudi donors pay with.
METHODS = ("mada", "applepay", "stcpay", "card")


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
    methods: tuple[str, ...] = ()  # what the donor can pay with here, a subset of METHODS
    monthly_methods: tuple[str, ...] = ()  # the methods a monthly gift can use
    partial_refunds = False  # whether ``refund`` takes an ``amount``

    def open_session(self, request: CheckoutRequest) -> str:
        """Create the hosted checkout for ``request.payment``, store its session id, return the URL to send the
        donor to."""
        raise NotImplementedError

    def refund(self, payment: Payment, reference: str) -> None:
        """Ask the gateway to return the whole payment to the donor."""
        raise NotImplementedError

    def cancel_subscription(self, subscription_id: str) -> None:
        raise NotImplementedError


class UnknownMethod(DomainError):
    """The donor chose a payment method no enabled gateway offers (a tampered or stale form)."""


_REGISTRY: dict[str, type[Gateway]] = {}


def register(cls: type[Gateway]) -> type[Gateway]:
    """Class decorator: make a gateway available under its ``name``."""
    _REGISTRY[cls.name] = cls
    return cls


def stripe_configured() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def enabled_gateways() -> list[str]:
    """The names in ``PAYMENT_GATEWAYS``, default first; unset: Stripe when its key is set, else the sandbox."""
    names = list(current_app.config.get("PAYMENT_GATEWAYS") or ())
    if not names:
        names = ["stripe" if stripe_configured() else "sandbox"]
    unknown = [name for name in names if name not in _REGISTRY]
    if unknown:
        raise RuntimeError(f"PAYMENT_GATEWAYS names unknown gateways: {', '.join(unknown)}")
    return names


def checkout_methods(*, monthly: bool = False) -> list[tuple[str, str]]:
    """``[(method, gateway name)]`` in METHODS order; a method goes to the first enabled gateway offering it."""
    offered: dict[str, str] = {}
    for name in enabled_gateways():
        gateway = _REGISTRY[name]
        for method in gateway.monthly_methods if monthly else gateway.methods:
            offered.setdefault(method, name)
    return [(method, offered[method]) for method in METHODS if method in offered]


def gateway_for_method(method: str | None, *, monthly: bool = False) -> str:
    """The gateway that takes ``method``; no choice (one method on offer, or an old form) means the default."""
    if not method:
        return enabled_gateways()[0]
    for offered, name in checkout_methods(monthly=monthly):
        if offered == method:
            return name
    raise UnknownMethod(method)


def get_gateway(name: str | None = None) -> Gateway:
    """The gateway called ``name`` (a stored payment's), or the default one."""
    name = name or enabled_gateways()[0]
    return _REGISTRY[name]()

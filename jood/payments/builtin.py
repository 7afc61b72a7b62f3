"""The gateways Jood ships with. The app factory imports this module once, and each gateway module adds itself to
the registry in jood/payments/gateway.py with ``@register``; the registry never imports a gateway. A new gateway is
a module with a ``@register`` class, listed here; ``PAYMENT_GATEWAYS`` turns it on."""

from jood.payments import moyasar, sandbox, stripe_gateway  # noqa: F401 - imported for their @register

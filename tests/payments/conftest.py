"""The payment gateways' local stand-ins (jood.payments.stripe_standin, moyasar_standin), and signed webhooks."""

from __future__ import annotations

import json
import threading

import pytest

from jood.payments import stripe_standin

WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture(scope="session")
def stripe_server():
    stand_in, server = stripe_standin.serve()
    yield stand_in
    server.shutdown()


@pytest.fixture
def stripe_api(app, stripe_server):
    """Stripe configured, pointed at the stand-in; restored afterwards."""
    saved = {k: app.config.get(k) for k in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE")}
    app.config.update(STRIPE_SECRET_KEY="sk_test_standin", STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
                      STRIPE_API_BASE=stripe_server.base)
    stripe_server.reset()
    yield stripe_server
    app.config.update(saved)


def signed(event: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[bytes, dict]:
    payload = json.dumps(event).encode()
    return payload, {"Stripe-Signature": stripe_standin.signature(payload, secret, timestamp),
                     "Content-Type": "application/json"}


_counter = iter(range(1, 1_000_000))


def event(kind: str, obj: dict, event_id: str | None = None) -> dict:
    return {"id": event_id or f"evt_{next(_counter)}", "object": "event", "type": kind, "data": {"object": obj}}


@pytest.fixture
def deliver(client):
    def do(evt: dict, **kwargs):
        payload, headers = signed(evt, **kwargs)
        return client.post("/webhooks/stripe", data=payload, headers=headers)

    return do


# --- Moyasar: the package's own stand-in (jood.payments.moyasar_standin), served from a thread -------------------


@pytest.fixture(scope="session")
def moyasar_server():
    from werkzeug.serving import WSGIRequestHandler, make_server

    from jood.payments.moyasar_standin import StandIn

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    stand_in = StandIn()
    server = make_server("127.0.0.1", 0, stand_in.app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stand_in.base = f"http://127.0.0.1:{server.server_port}"
    yield stand_in
    server.shutdown()


MOYASAR_SETTINGS = ("PAYMENT_GATEWAYS", "MOYASAR_SECRET_KEY", "MOYASAR_PUBLISHABLE_KEY", "MOYASAR_WEBHOOK_SECRET",
                    "MOYASAR_API_BASE", "MOYASAR_TIMEOUT")


@pytest.fixture
def moyasar_api(app, moyasar_server):
    """Moyasar enabled (default gateway, Stripe's settings untouched), pointed at the stand-in; restored after."""
    from jood.payments.moyasar_standin import SECRET_KEY, WEBHOOK_SECRET

    saved = {key: app.config.get(key) for key in MOYASAR_SETTINGS}
    app.config.update(PAYMENT_GATEWAYS=("moyasar", "sandbox"), MOYASAR_SECRET_KEY=SECRET_KEY,
                      MOYASAR_PUBLISHABLE_KEY="pk_test_standin", MOYASAR_WEBHOOK_SECRET=WEBHOOK_SECRET,
                      MOYASAR_API_BASE=moyasar_server.base + "/v1", MOYASAR_TIMEOUT=5)
    moyasar_server.reset()
    yield moyasar_server
    app.config.update(saved)


@pytest.fixture
def moyasar_deliver(client):
    def do(evt: dict):
        return client.post("/webhooks/moyasar", json=evt)

    return do

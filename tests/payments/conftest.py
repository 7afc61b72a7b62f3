"""A tiny local stand-in for the Stripe API (never the real Stripe), and signed webhook payloads."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

WEBHOOK_SECRET = "whsec_test_secret"


class StripeStandIn:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self.by_key: dict[str, dict] = {}
        self.listed: list[dict] = []  # what GET /v1/checkout/sessions returns

    def handle(self, method: str, path: str, form: dict, headers) -> tuple[int, dict]:
        self.requests.append({"method": method, "path": path, "form": form,
                              "idempotency_key": headers.get("Idempotency-Key")})
        key = headers.get("Idempotency-Key")
        if key and key in self.by_key:
            return 200, self.by_key[key]
        if method == "POST" and path == "/v1/checkout/sessions":
            sid = f"cs_test_{len(self.sessions) + 1}"
            body = {"id": sid, "object": "checkout.session", "url": f"https://checkout.stripe.com/c/pay/{sid}",
                    "status": "open", "payment_status": "unpaid", "mode": form.get("mode"),
                    "amount_total": int(form.get("line_items[0][price_data][unit_amount]", 0)),
                    "currency": form.get("line_items[0][price_data][currency]"),
                    "metadata": {"reference": form.get("metadata[reference]")}, "payment_intent": None}
            self.sessions[sid] = body
        elif method == "GET" and path == "/v1/checkout/sessions":
            body = {"object": "list", "url": "/v1/checkout/sessions", "has_more": False, "data": self.listed}
        elif method == "GET" and path.startswith("/v1/checkout/sessions/"):
            body = self.sessions[path.rsplit("/", 1)[1]]
        elif method == "POST" and path == "/v1/refunds":
            body = {"id": f"re_{len(self.requests)}", "object": "refund", "status": "succeeded",
                    "payment_intent": form.get("payment_intent")}
        elif method == "DELETE" and path.startswith("/v1/subscriptions/"):
            body = {"id": path.rsplit("/", 1)[1], "object": "subscription", "status": "canceled"}
        else:
            return 404, {"error": {"type": "invalid_request_error", "message": f"no route {method} {path}"}}
        if key:
            self.by_key[key] = body
        return 200, body


@pytest.fixture(scope="session")
def stripe_server():
    stand_in = StripeStandIn()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            url = urlparse(self.path)
            form = {k: v[0] for k, v in parse_qs(raw or url.query).items()}
            status, body = stand_in.handle(self.command, url.path, form, self.headers)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stand_in.base = f"http://127.0.0.1:{server.server_port}"
    yield stand_in
    server.shutdown()


@pytest.fixture
def stripe_api(app, stripe_server):
    """Stripe configured, pointed at the stand-in; restored afterwards."""
    saved = {k: app.config.get(k) for k in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE")}
    app.config.update(STRIPE_SECRET_KEY="sk_test_standin", STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
                      STRIPE_API_BASE=stripe_server.base)
    stripe_server.requests.clear()
    stripe_server.sessions.clear()
    stripe_server.by_key.clear()
    stripe_server.listed = []
    yield stripe_server
    app.config.update(saved)


def signed(event: dict, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[bytes, dict]:
    payload = json.dumps(event).encode()
    t = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, {"Stripe-Signature": f"t={t},v1={signature}", "Content-Type": "application/json"}


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

"""A local stand-in of the Stripe API calls Jood makes, for the tests and the benchmarks — never the real Stripe.

It answers ``POST /v1/checkout/sessions`` (idempotent by ``Idempotency-Key``), ``GET /v1/checkout/sessions`` (what
``listed`` holds) and ``/<id>``, ``POST /v1/refunds`` and ``DELETE /v1/subscriptions/<id>`` in Stripe's shapes, and
records every request. ``serve()`` runs it on 127.0.0.1 in a thread (point ``STRIPE_API_BASE`` at ``.base``);
``signature()`` signs a webhook payload as Stripe does. Moyasar's stand-in is ``moyasar_standin.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class StandIn:
    def __init__(self, session_prefix: str = "cs_test_") -> None:
        self.session_prefix = session_prefix
        self.base = ""
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self.by_key: dict[str, dict] = {}
        self.listed: list[dict] = []  # what GET /v1/checkout/sessions returns

    def handle(self, method: str, path: str, form: dict, headers) -> tuple[int, dict]:
        with self.lock:
            return self._handle(method, path, form, headers)

    def _handle(self, method: str, path: str, form: dict, headers) -> tuple[int, dict]:
        self.requests.append({"method": method, "path": path, "form": form,
                              "idempotency_key": headers.get("Idempotency-Key")})
        key = headers.get("Idempotency-Key")
        if key and key in self.by_key:
            return 200, self.by_key[key]
        if method == "POST" and path == "/v1/checkout/sessions":
            sid = f"{self.session_prefix}{len(self.sessions) + 1}"
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


def serve(stand_in: StandIn | None = None) -> tuple[StandIn, ThreadingHTTPServer]:
    """Serve ``stand_in`` on a free loopback port from a daemon thread; ``server.shutdown()`` stops it."""
    stand_in = stand_in or StandIn()

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
    return stand_in, server


def signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header Stripe sends with ``payload``."""
    t = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"

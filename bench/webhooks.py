"""Donation confirmations under load: signed Stripe `checkout.session.completed` webhooks posted at rate.

`prepare(url, n)` creates n pending donations through the real services (create_donation, then open_checkout with
the Stripe gateway configured, pointed at a local stand-in of Stripe's API on 127.0.0.1), and returns what each
webhook needs. `post_all(base, events, secret, ...)` signs one payload per donation and posts them concurrently
from a few processes, each with a bounded pool of threads holding keep-alive connections (http.client, loopback
only). Nothing here talks to the real Stripe.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = "whsec_bench_not_a_real_secret"  # noqa: S105 - a local benchmark's signing secret


class _StripeStandIn(BaseHTTPRequestHandler):
    """Answers POST /v1/checkout/sessions like Stripe does, enough for StripeGateway.open_session."""

    counter = iter(range(1, 10**9))
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.lock:
            number = next(self.counter)
        session_id = f"cs_bench_{os.getpid()}_{number}"
        body = json.dumps({"id": session_id, "object": "checkout.session", "status": "open",
                           "url": f"https://checkout.stripe.com/c/pay/{session_id}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def prepare(url: str, n: int) -> list[dict]:
    """n pending Stripe donations to published cases that still need money, created through the real services."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sqlalchemy import select

    from jood import create_app
    from jood.cases.models import Case, CaseStatus
    from jood.donations import services as giving
    from jood.extensions import db

    server = ThreadingHTTPServer(("127.0.0.1", 0), _StripeStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    os.environ["DATABASE_URL"] = url
    app = create_app({"RATELIMIT_ENABLED": False, "STRIPE_SECRET_KEY": "sk_test_bench_standin",
                      "STRIPE_WEBHOOK_SECRET": SECRET, "STRIPE_API_BASE": f"http://127.0.0.1:{server.server_port}",
                      "SERVER_NAME": "127.0.0.1", "VISITOR_COUNTING": False})
    events = []
    try:
        with app.app_context():
            cases = list(db.session.scalars(select(Case).where(
                Case.status == CaseStatus.PUBLISHED.value, Case.target_amount - Case.raised_amount >= 2_000_00)))
            if not cases:
                raise RuntimeError("no published case with money still needed")
            for i in range(n):
                case = cases[i % len(cases)]
                amount = 5_00 + (i % 20) * 1_00  # 5 to 24 SAR: many small gifts, no case over-funded
                donor = giving.Donor(email=None, display_name="", anonymous=True)
                donation = giving.create_donation([giving.LineRequest(amount, case=case)], donor, zakat=False,
                                                  gateway="stripe")
                giving.open_checkout(donation)
                db.session.commit()
                events.append({"session": donation.payment.session_id, "amount": amount,
                               "reference": donation.reference})
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()
    return events


def signed(event: dict, secret: str, number: int) -> tuple[bytes, str]:
    payload = json.dumps({
        "id": f"evt_bench_{number}_{event['session']}", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": event["session"], "object": "checkout.session", "status": "complete",
                            "payment_status": "paid", "amount_total": event["amount"], "currency": "sar",
                            "client_reference_id": event["reference"],
                            "metadata": {"reference": event["reference"]}, "payment_intent": None}},
    }).encode()
    t = int(time.time())
    signature = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={t},v1={signature}"


def _post_slice(args) -> list[tuple[float, int, str]]:
    """One process: its share of the events over `threads` keep-alive connections. (latency s, status, outcome)."""
    port, items, threads = args
    results: list[tuple[float, int, str]] = []
    local = threading.local()

    def post(item):
        payload, signature = item
        for _attempt in range(2):  # a sync worker closes the connection after each answer: reconnect
            connection = getattr(local, "connection", None) or http.client.HTTPConnection("127.0.0.1", port,
                                                                                          timeout=30)
            local.connection = connection
            started = time.perf_counter()
            try:
                connection.request("POST", "/webhooks/stripe", body=payload,
                                   headers={"Stripe-Signature": signature, "Content-Type": "application/json"})
                response = connection.getresponse()
                body = response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                local.connection = None
                continue
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                local.connection = None
            outcome = json.loads(body).get("outcome", "") if body.startswith(b"{") else ""
            return time.perf_counter() - started, response.status, outcome
        return 0.0, 0, "connection failed"

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(post, items))
    return results


def post_all(port: int, events: list[dict], secret: str = SECRET, processes: int = 2, threads: int = 16) -> dict:
    """Post every event once, concurrently; returns sustained rate, p50/p99 latency and the outcomes."""
    items = [signed(event, secret, number) for number, event in enumerate(events)]
    slices = [(port, items[k::processes], threads) for k in range(processes)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=processes) as pool:
        results = [row for part in pool.map(_post_slice, slices) for row in part]
    elapsed = time.perf_counter() - started
    latencies = sorted(latency for latency, status, _ in results if status == 200)
    outcomes: dict[str, int] = {}
    for _, status, outcome in results:
        key = outcome if status == 200 else f"HTTP {status}"
        outcomes[key] = outcomes.get(key, 0) + 1

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {"count": len(items), "seconds": elapsed, "rate": len(items) / elapsed, "p50": percentile(0.50),
            "p99": percentile(0.99), "outcomes": outcomes, "connections": processes * threads}

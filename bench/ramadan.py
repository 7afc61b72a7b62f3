"""A Ramadan night, for `make bench BENCH_ARGS='--ramadan'`: mixed traffic of page views and complete gifts.

Each wrk thread (one keep-alive connection) browses `views - 1` pages (home, the catalog, case pages, /impact),
opens a case's donation form (the ninth view) and gives: the checkout POST, then the signed webhook that confirms
it. Gifts go to the 100 neediest open cases with a Zipf skew (the first case about a fifth of the gifts), as a
campaign's featured cases draw most of a night's giving; browsing reads those cases more often too. The pure parts
live here (what to request, webhooks signed in advance, reading the access log); tools/bench.py runs it.
"""

from __future__ import annotations

import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

AMOUNT = 10_00  # halalas: most of a night's gifts are 1 to 10 SAR
# gunicorn's access log: method, path (no query), status, microseconds, and the fast-path mark (bench/ramadan_app.py)
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s %({bench.flask}e)s"


def zipf_choices(items: list, n: int, rng: random.Random, s: float = 1.0) -> list:
    weights = [1 / (rank + 1) ** s for rank in range(len(items))]
    return rng.choices(items, weights=weights, k=n)


def page_paths(top: list[str], others: list[str], n: int = 1600, seed: int = 1448) -> list[str]:
    """The browsing mix: of every 8 views, 2 home, 2 catalog (one filtered), 3 case pages (two among the top cases,
    skewed, one among the others) and 1 /impact."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable traffic mix, not a secret
    paths = []
    for _ in range(n // 8):
        cases = [*zipf_choices(top, 2, rng), rng.choice(others or top)]
        block = ["/", "/", "/cases", "/cases?sort=closest", *(f"/cases/{code}" for code in cases), "/impact"]
        rng.shuffle(block)
        paths += block
    return paths


def gift_cases(top: list[str], n: int = 4000, seed: int = 1447) -> list[str]:
    return zipf_choices(top, n, random.Random(seed))  # noqa: S311 - a repeatable traffic mix


def references(next_id: int, count: int, year: int) -> list[str]:
    """The references the app will give the next donations (JD-<year>-<id>; PostgreSQL's sequence may skip ids
    after a rolled-back transaction, so the bench signs more than it expects to use)."""
    return [f"JD-{year}-{number:06d}" for number in range(next_id, next_id + count)]


def signed_webhooks(refs: list[str], secret: str) -> list[str]:
    """One line per reference for bench/ramadan.lua: reference, Stripe-Signature and payload, tab-separated."""
    from bench_webhooks import signed  # tools/bench.py loads bench/webhooks.py under this name

    lines = []
    for number, ref in enumerate(refs):
        payload, signature = signed({"session": session_id(ref), "amount": AMOUNT, "reference": ref}, secret,
                                    10**8 + number)
        lines.append(f"{ref}\t{signature}\t{payload.decode()}")
    return lines


def session_id(reference: str) -> str:
    return f"cs_bench_{reference}"


def stand_in_session(body: bytes) -> dict:
    """What the Stripe stand-in answers to a checkout session creation: an id that names the reference."""
    reference = parse_qs(body.decode()).get("client_reference_id", ["unknown"])[0]
    sid = session_id(reference)
    return {"id": sid, "object": "checkout.session", "status": "open", "url": f"https://checkout.stripe.com/c/pay/{sid}"}


class _StripeStandIn(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.dumps(stand_in_session(self.rfile.read(int(self.headers.get("Content-Length") or 0)))).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def stripe_stand_in() -> ThreadingHTTPServer:
    """Stripe's checkout API on 127.0.0.1 (an ephemeral port), serving in a thread; `shutdown()` it after."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StripeStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def kind(method: str, path: str) -> str:
    if method == "POST" and path == "/webhooks/stripe":
        return "webhook"
    if path.startswith("/cases/") and path.endswith("/donate"):
        return "checkout" if method == "POST" else "form"
    return "page"


_LINE = re.compile(r"^(\S+) (\S+) (\d{3}) (\d+) (\S*)$")


def read_access_log(text: str) -> dict:
    """Counts, server-side latencies (seconds) and fast-path hits by kind of request, from ACCESS_FORMAT lines."""
    kinds: dict[str, dict] = {}
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        method, path, status, micros, flask_mark = match.groups()
        entry = kinds.setdefault(kind(method, path), {"count": 0, "errors": 0, "times": [], "hits": 0})
        entry["count"] += 1
        entry["times"].append(int(micros) / 1e6)
        if not status.startswith(("2", "3")):
            entry["errors"] += 1
        if flask_mark in ("", "-") and method == "GET":
            entry["hits"] += 1
    return kinds


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def send_receipts(url: str, seconds: float, outbox: str) -> None:
    """The jobs runner's receipt sender, alone in its process for the run (as in production): prints JSON."""
    import os

    from sqlalchemy import func, select

    from jood import create_app
    from jood.donations import services
    from jood.donations.models import QueuedReceipt
    from jood.extensions import db

    os.environ["DATABASE_URL"] = url
    app = create_app({"RATELIMIT_ENABLED": False, "VISITOR_COUNTING": False, "MAIL_OUTBOX": outbox,
                      "MAIL_SERVER": None})
    sent, deadline, cpu = 0, time.monotonic() + seconds, time.process_time()
    with app.app_context():
        while time.monotonic() < deadline:
            done = services.send_queued_receipts(limit=500, seconds=min(1.0, max(deadline - time.monotonic(), 0.01)))
            sent += done["sent"]
            if not done["sent"]:
                time.sleep(0.2)
        left = db.session.scalar(select(func.count()).select_from(QueuedReceipt))
        db.session.remove()
        db.engine.dispose()
    print(json.dumps({"sent": sent, "cpu_ms": (time.process_time() - cpu) * 1000 / max(sent, 1), "left": left}))

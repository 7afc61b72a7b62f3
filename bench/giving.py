"""What one gift costs the app, in-process: the confirmation alone (a signed Stripe webhook) and a whole gift (the
checkout POST that opens the payment, then its webhook), CPU per gift and SQL statements, on PostgreSQL.

Requests go through Flask's test client, so the figures hold everything the app does for a request but the HTTP
parsing of gunicorn (which the webhooks-over-HTTP figure of `make bench` holds). The Stripe API the checkout calls is
a stand-in in a separate process on 127.0.0.1, so its own CPU is not counted as Jood's. CPU from
``time.process_time()``; `rounds` alternate confirmations and whole gifts so the machine's noise falls on both.
"""

from __future__ import annotations

import cProfile
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "whsec_bench_not_a_real_secret"  # noqa: S105 - a local benchmark's signing secret
STAND_IN = """
import sys, time
from jood.payments import stripe_standin
stand_in, server = stripe_standin.serve(stripe_standin.StandIn(sys.argv[1]))
print(stand_in.base, flush=True)
time.sleep(3600)
"""


def _stand_in() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-c", STAND_IN, f"cs_giving_{os.getpid()}_{time.time_ns()}_"],  # noqa: S603
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    return process, process.stdout.readline().strip()


class Statements:
    """Counts the SQL statements the engine executes while `counting` is on."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.count, self.counting = 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args, **_kwargs) -> None:
        if self.counting:
            self.count += 1


def _webhook(client, session_id: str, amount: int, reference: str, number: int) -> None:
    import json

    from jood.payments.stripe_standin import signature

    payload = json.dumps({
        "id": f"evt_giving_{number}_{session_id}", "object": "event", "type": "checkout.session.completed",
        "data": {"object": {"id": session_id, "object": "checkout.session", "status": "complete",
                            "payment_status": "paid", "amount_total": amount, "currency": "sar",
                            "client_reference_id": reference, "metadata": {"reference": reference},
                            "payment_intent": None}},
    }).encode()
    response = client.post("/webhooks/stripe", data=payload, content_type="application/json",
                           headers={"Stripe-Signature": signature(payload, SECRET)})
    if response.status_code != 200 or response.get_json().get("outcome") != "paid":
        raise RuntimeError(f"webhook answered {response.status_code} {response.get_data(as_text=True)[:200]}")


def measure(url: str, gifts: int = 150, rounds: int = 3, config: dict | None = None,
            profile: str | None = None, profile_gift: str | None = None) -> dict:
    """{"confirm": {...}, "gift": {...}}: medians over `rounds` of CPU ms per gift, statements per gift, for `gifts`
    confirmations of checkouts made beforehand and `gifts` whole gifts, alternating by round. `profile`: a file to
    write cProfile's statistics of the last round's confirmations to; `profile_gift`, of its checkouts."""
    import re

    from sqlalchemy import select

    from jood import create_app
    from jood.cases.models import Case, CaseStatus
    from jood.donations.models import Donation
    from jood.extensions import db
    from jood.payments.models import Payment

    stand_in, base = _stand_in()
    # The production configuration, as `make bench` serves it (receipts queued, Redis for the cache and limits).
    production = {"DATABASE_URL": url, "JOOD_ENV": "production", "SECRET_KEY": "bench-secret-key-not-for-production",
                  "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")}
    saved = {key: os.environ.get(key) for key in production}
    os.environ.update(production)
    try:
        app = create_app({"RATELIMIT_ENABLED": False, "VISITOR_COUNTING": False, "STRIPE_SECRET_KEY": "sk_test_bench",
                          "STRIPE_WEBHOOK_SECRET": SECRET, "STRIPE_API_BASE": base, "PAYMENT_GATEWAYS": ["stripe"],
                          "SERVER_NAME": "127.0.0.1", **(config or {})})
    finally:  # the configuration is read by create_app: the caller's environment is left as it was
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    figures: dict[str, list] = {"confirm": [], "confirm_sql": [], "gift": [], "gift_sql": [], "checkout_sql": []}
    try:
        with app.app_context():
            statements = Statements(db.engine)
            codes = list(db.session.scalars(
                select(Case.code).where(Case.status == CaseStatus.PUBLISHED.value,
                                        Case.target_amount - Case.raised_amount >= 50_000_00)
                .order_by(Case.priority_total.desc()).limit(100)))
            db.session.remove()
        if not codes:
            raise RuntimeError("no published case with 50,000 SAR still needed")
        client = app.test_client()
        form = client.get(f"/cases/{codes[0]}/donate").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)

        def post_checkout(number: int) -> int:
            """The donor's checkout POST for gift `number`; returns its amount in halalas."""
            amount = 5_00 + (number % 20) * 1_00
            response = client.post(f"/cases/{codes[number % len(codes)]}/donate", data={
                "csrf_token": token, "amount": str(amount // 100), "email": f"giving-{number}@example.org",
                "method": "card", "anonymous": "y"})
            if response.status_code != 303:
                raise RuntimeError(f"checkout answered {response.status_code}")
            return amount

        def last_payment() -> tuple[str, str]:
            """What Stripe would carry back for the checkout just made (not counted: the bench's own lookup)."""
            with app.app_context():
                session_id, reference = db.session.execute(
                    select(Payment.session_id, Donation.reference).join(Donation, Payment.donation_id == Donation.id)
                    .order_by(Payment.id.desc()).limit(1)).one()
                db.session.remove()
            return session_id, reference

        def checkout(number: int) -> tuple[str, int, str]:
            amount = post_checkout(number)
            session_id, reference = last_payment()
            return session_id, amount, reference

        number = 0
        for round_ in range(rounds + 1):  # the first round warms up and is not counted
            opened = []
            for _ in range(gifts):
                opened.append(checkout(number))
                number += 1
            profiler = cProfile.Profile(time.process_time) if profile and round_ == rounds else None
            statements.count, statements.counting = 0, True
            cpu = time.process_time()
            if profiler:
                profiler.enable()
            for i, (session_id, amount, reference) in enumerate(opened):
                _webhook(client, session_id, amount, reference, number + i)
            if profiler:
                profiler.disable()
                profiler.dump_stats(profile)
            cpu = time.process_time() - cpu
            statements.counting = False
            if round_:
                figures["confirm"].append(cpu * 1000 / gifts)
                figures["confirm_sql"].append(statements.count / gifts)
            statements.count = 0
            cpu, checkouts_sql = 0.0, 0
            profiler = cProfile.Profile(time.process_time) if profile_gift and round_ == rounds else None
            for _ in range(gifts):
                started = time.process_time()
                statements.counting, before = True, statements.count
                if profiler:
                    profiler.enable()
                amount = post_checkout(number)
                if profiler:
                    profiler.disable()
                statements.counting = False
                checkouts_sql += statements.count - before
                cpu += time.process_time() - started
                session_id, reference = last_payment()
                started = time.process_time()
                statements.counting = True
                _webhook(client, session_id, amount, reference, number)
                statements.counting = False
                cpu += time.process_time() - started
                number += 1
            if profiler:
                profiler.dump_stats(profile_gift)
            if round_:
                figures["gift"].append(cpu * 1000 / gifts)
                figures["gift_sql"].append(statements.count / gifts)
                figures["checkout_sql"].append(checkouts_sql / gifts)
            statements.count = 0
    finally:
        stand_in.kill()
        with app.app_context():
            db.engine.dispose()
    return {
        "gifts": gifts, "rounds": rounds,
        "confirm": {"cpu_ms": statistics.median(figures["confirm"]), "all_ms": figures["confirm"],
                    "statements": statistics.median(figures["confirm_sql"])},
        "gift": {"cpu_ms": statistics.median(figures["gift"]), "all_ms": figures["gift"],
                 "statements": statistics.median(figures["gift_sql"]),
                 "checkout_statements": statistics.median(figures["checkout_sql"])},
    }


if __name__ == "__main__":
    import json

    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 150,
                             int(sys.argv[3]) if len(sys.argv) > 3 else 3, profile=os.environ.get("PROFILE"),
                             profile_gift=os.environ.get("PROFILE_CHECKOUT")),
                     indent=1))

"""Donation confirmations under load: signed Stripe `checkout.session.completed` webhooks posted at rate.

`prepare(url, n)` creates n pending donations through the real services (create_donation, then open_checkout with
the Stripe gateway configured, pointed at a local stand-in of Stripe's API on 127.0.0.1), and returns what each
webhook needs. `post_all(port, events, ...)` signs one payload per donation and posts each once with wrk and
bench/webhooks.lua (keep-alive connections, loopback only); `outcomes` reads back how the payments ended.
`writer_capacity(url, n)` times the ledger writer alone. Nothing here talks to the real Stripe.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # jood, when a tool loads this file by its path

SECRET = "whsec_bench_not_a_real_secret"  # noqa: S105 - a local benchmark's signing secret


def prepare(url: str, n: int, *, case_code: str | None = None, amounts: list[int] | None = None,
            emails: bool = True) -> list[dict]:
    """n pending Stripe donations to published cases that still need money, created through the real services.
    `case_code` and `amounts` (halalas, one per donation) aim them all at one case, as the chaos run does;
    `emails=False` gives donors no e-mail, so no receipt is queued."""
    from sqlalchemy import select

    from jood import create_app
    from jood.cases.models import Case, CaseStatus
    from jood.donations import services as giving
    from jood.extensions import db
    from jood.payments import stripe_standin

    # Session ids unique across runs against the same database (the chaos run prepares several times).
    stand_in, server = stripe_standin.serve(stripe_standin.StandIn(f"cs_bench_{os.getpid()}_{time.time_ns()}_"))
    os.environ["DATABASE_URL"] = url
    app = create_app({"RATELIMIT_ENABLED": False, "STRIPE_SECRET_KEY": "sk_test_bench_standin",
                      "STRIPE_WEBHOOK_SECRET": SECRET, "STRIPE_API_BASE": stand_in.base,
                      "SERVER_NAME": "127.0.0.1", "VISITOR_COUNTING": False})
    events = []
    try:
        with app.app_context():
            chosen = select(Case).where(Case.code == case_code) if case_code else select(Case).where(
                Case.status == CaseStatus.PUBLISHED.value, Case.target_amount - Case.raised_amount >= 2_000_00)
            cases = list(db.session.scalars(chosen))
            if not cases:
                raise RuntimeError("no published case with money still needed")
            for i in range(n):
                case = cases[i % len(cases)]
                # 5 to 24 SAR: many small gifts, no case over-funded
                amount = amounts[i] if amounts else 5_00 + (i % 20) * 1_00
                # With an e-mail, as most donors give one: the confirmation queues a receipt (RECEIPT_QUEUE).
                email = f"bench-donor-{i}@example.org" if emails else None
                donor = giving.Donor(email=email, display_name="", anonymous=True)
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
    from jood.payments.stripe_standin import signature

    return payload, signature(payload, secret)


def post_all(port: int, events: list[dict], url: str, secret: str = SECRET, connections: int = 32,
             threads: int = 2, timeout: float = 900.0) -> dict:
    """Post every event once with wrk (bench/webhooks.lua) over `connections` keep-alive connections, until the
    database shows every payment paid; returns the sustained rate and wrk's own report (`wrk_output`, for its
    latencies). wrk is a C client, so the server gets the CPU that a Python client would take."""
    import signal
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        for number, event in enumerate(events):
            payload, signature = signed(event, secret, number)
            handle.write(f"{signature}\t{payload.decode()}\n")
    script = Path(__file__).with_name("webhooks.lua")
    started = time.perf_counter()
    wrk = subprocess.Popen(  # noqa: S603 - fixed arguments, loopback only
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(timeout)}s", "--latency", "--timeout", "30s",  # noqa: S607
         "-s", str(script), f"http://127.0.0.1:{port}", "--", handle.name, str(threads)],
        stdout=subprocess.PIPE, text=True)
    try:
        while time.perf_counter() - started < timeout and wrk.poll() is None:
            if outcomes(url, events).get("paid", 0) == len(events):
                break
            time.sleep(0.25)
        elapsed = time.perf_counter() - started
        wrk.send_signal(signal.SIGINT)  # wrk prints its summary and exits
        output = wrk.communicate(timeout=30)[0]
    finally:
        if wrk.poll() is None:
            wrk.kill()
        os.unlink(handle.name)
    return {"count": len(events), "seconds": elapsed, "rate": len(events) / elapsed, "wrk_output": output,
            "connections": connections}


def cpu_times(pids) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each live process in `pids` (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:  # exited
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat)
    return times


def processes(*, group: int | None = None, name: str | None = None) -> list[int]:
    """Live processes in a process group, or with a given command name."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if group is not None and os.getpgid(int(entry)) == group:
                found.append(int(entry))
            elif name is not None:
                with open(f"/proc/{entry}/comm") as handle:
                    if handle.read().strip() == name:
                        found.append(int(entry))
        except OSError:
            continue
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two snapshots by the processes alive at the end (new ones count from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def outcomes(url: str, events: list[dict]) -> dict[str, int]:
    """How the posted payments ended, from the database: every one should be `paid`."""
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute("SELECT status, count(*) FROM payments WHERE session_id = ANY(%s) GROUP BY status",
                                  ([event["session"] for event in events],)).fetchall()
    return dict(rows)


def receipt_capacity(url: str, n: int, outbox: str) -> dict:
    """The jobs runner's side of a confirmation, alone: send up to n queued receipts (a PDF each, written to
    `outbox` instead of an SMTP server) and time it. Returns what is still queued afterwards too."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sqlalchemy import func, select

    from jood import create_app
    from jood.donations import services
    from jood.donations.models import QueuedReceipt
    from jood.extensions import db

    os.environ["DATABASE_URL"] = url
    app = create_app({"RATELIMIT_ENABLED": False, "VISITOR_COUNTING": False, "MAIL_OUTBOX": outbox,
                      "MAIL_SERVER": None})
    with app.app_context():
        started, cpu = time.perf_counter(), time.process_time()
        done = services.send_queued_receipts(limit=n)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        left = db.session.scalar(select(func.count()).select_from(QueuedReceipt))
        db.session.remove()
        db.engine.dispose()
    sent = done["sent"]
    return {"count": sent, "failed": done["failed"], "seconds": elapsed, "cpu_ms": cpu * 1000 / max(sent, 1),
            "rate": sent / elapsed if elapsed else 0.0, "left": left}


def writer_capacity(url: str, n: int) -> dict:
    """The one serialised step, alone: queue up to n confirmations' transactions (5 SAR each to cases that need money),
    then time the ledger writer sealing them all (one head lock, batches of inserts, one commit)."""
    from sqlalchemy import select

    from jood import create_app
    from jood.cases.models import Case, CaseStatus
    from jood.extensions import db
    from jood.ledger import core
    from jood.ledger import services as ledger

    os.environ["DATABASE_URL"] = url
    app = create_app({"RATELIMIT_ENABLED": False, "VISITOR_COUNTING": False})
    with app.app_context():
        cases = list(db.session.scalars(select(Case).where(
            Case.status == CaseStatus.PUBLISHED.value, Case.target_amount - Case.raised_amount >= 1_000_00)
            .with_for_update()))
        planned = []  # never more to a case than it still needs (the database's CHECK would refuse it)
        for case in cases:
            planned += [case] * min((case.target_amount - case.raised_amount) // 5_00 - 1, n - len(planned))
            if len(planned) >= n:
                break
        for case in planned:
            ledger.enqueue(core.transfer("payment", core.clearing_account("sandbox"), core.case_account(case.code),
                                         5_00, memo="writer capacity"))
        db.session.commit()
        started = time.perf_counter()
        sealed = ledger.post_queue()
        elapsed = time.perf_counter() - started
        db.engine.dispose()
    return {"count": sealed, "seconds": elapsed, "rate": sealed / elapsed if elapsed else 0.0}

"""`make chaos`: break the running cluster (`make cluster`) on purpose and check that no donation is lost or doubled.

    python tools/chaos.py [--only N ...] [--report docs/reliability.md]

Six bounded scenarios (each under two minutes), one line each, then exactly one closing line:
`chaos: N scenarios, M passed, L donations lost, D counted twice`.

Donations are created through the real services (as bench/webhooks.py does, with a local stand-in of Stripe's API)
and confirmed by signed `checkout.session.completed` webhooks sent through the load balancer. The sender behaves
as Stripe does: every answer other than 2xx (or no answer) is retried, with back-off. "Lost" counts payments that
are not paid when a scenario ends; "counted twice" counts references with more than one payment transaction in
the ledger, and cases whose raised counter differs from their ledger account (`ledger verify` checks both).
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import itertools
import json
import os
import platform
import random
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent

import psycopg  # noqa: E402


def _load(name: str, path: Path):
    """A module from a file: tools/ holds bench.py, so a package named `bench` cannot be imported from here."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


webhooks = _load("bench_webhooks", ROOT / "bench" / "webhooks.py")  # pending donations and signed webhooks
cluster = _load("jood_cluster", ROOT / "tools" / "cluster.py")

BALANCER = ("127.0.0.1", cluster.PORTS["balancer"])
SCENARIO_SECONDS = 120
_bust = itertools.count(int(time.time()))  # a fresh query string: an answer no cache holds


@dataclass
class Result:
    name: str
    passed: bool = False
    lost: int = 0
    doubled: int = 0
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return (f"{verdict}  {self.name} ({self.seconds:.0f} s): {self.lost} lost, {self.doubled} counted twice; "
                + "; ".join(self.notes))


# --- talking to the cluster ------------------------------------------------------------------------------------------


def request(method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 10.0) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*BALANCER, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""  # no answer at all: the sender retries, the checks count it
    finally:
        connection.close()


def query(sql: str, params=()):
    with psycopg.connect(cluster.database_url("primary"), connect_timeout=5) as connection:
        return connection.execute(sql, params).fetchall()


def wait_for(check, seconds: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return True
        except psycopg.Error:
            pass
        time.sleep(step)
    return False


class Sender:
    """Posts one signed webhook per event through the balancer from `threads` threads, retrying each until it is
    answered 2xx (Stripe's behaviour), with back-off from 0.25 s up to 4 s."""

    def __init__(self, events: list[dict], threads: int = 12, deadline: float = 100.0):
        self.events, self.threads, self.deadline = events, threads, time.monotonic() + deadline
        self.acknowledged, self.statuses, self.lock = 0, {}, threading.Lock()
        self._next = iter(range(len(events)))

    def _deliver(self, number: int, event: dict) -> None:
        delay = 0.25
        while time.monotonic() < self.deadline:
            payload, signature = webhooks.signed(event, cluster.WEBHOOK_SECRET, number)
            status, _ = request("POST", "/webhooks/stripe", payload,
                                {"Stripe-Signature": signature, "Content-Type": "application/json"})
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
            if 200 <= status < 300:
                with self.lock:
                    self.acknowledged += 1
                return
            time.sleep(delay)
            delay = min(delay * 2, 4.0)

    def _work(self) -> None:
        while True:
            with self.lock:
                number = next(self._next, None)
            if number is None:
                return
            self._deliver(number, self.events[number])

    def start(self) -> Sender:
        self.workers = [threading.Thread(target=self._work, daemon=True) for _ in range(self.threads)]
        for worker in self.workers:
            worker.start()
        return self

    def join(self) -> None:
        for worker in self.workers:
            worker.join()

    def retried(self) -> int:
        return sum(count for status, count in self.statuses.items() if not 200 <= status < 300)


def prepare(n: int, *, emails: bool = False, **kwargs) -> list[dict]:
    """n pending Stripe donations, through the real services (bench/webhooks.py), with the cluster's settings.
    Donors give no e-mail (no receipt queued) except in the receipts scenario, which counts its own."""
    os.environ.update(cluster.environment())
    return webhooks.prepare(cluster.database_url("primary"), n, emails=emails, **kwargs)


def money_checks(result: Result, events: list[dict]) -> None:
    """Every event's payment paid, each exactly once in the ledger, and the ledger's own verification."""
    sessions = [event["session"] for event in events]
    sealed = wait_for(lambda: query("SELECT count(*) FROM ledger_queue")[0][0] == 0, 60)
    paid = query("SELECT count(*) FROM payments WHERE session_id = ANY(%s) AND status = 'paid'", (sessions,))[0][0]
    result.lost += len(events) - paid
    references = [event["reference"] for event in events]
    twice = query("SELECT count(*) FROM (SELECT reference FROM ledger_transactions WHERE kind = 'payment' "
                  "AND reference = ANY(%s) GROUP BY reference HAVING count(*) > 1) AS t", (references,))[0][0]
    result.doubled += twice
    verify = cluster.flask(cluster.load_state(), "ledger", "verify") if sealed else None
    if not sealed:
        result.notes.append("the ledger queue did not drain in 60 s")
    elif "OK" not in verify.stdout:
        result.notes.append("ledger verify FAILED")
    result.passed = bool(sealed) and paid == len(events) and twice == 0 and "OK" in verify.stdout


def riyadh_today() -> str:
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Riyadh")).date().isoformat()


def stats_today() -> tuple[int, int]:
    """(gifts, halalas) of today from /api/v1/stats, asked with a query no cache holds."""
    day = riyadh_today()
    status, body = request("GET", f"/api/v1/stats?from={day}&to={day}&group=track&nocache={next(_bust)}")
    if status != 200:
        return -1, -1
    totals = json.loads(body)["totals"]
    return totals["donations"], round(float(totals["donations_amount"]) * 100)


def app_pid(name: str) -> int:
    return cluster.load_state()["pids"][name]


def restart(name: str) -> None:
    state = cluster.load_state()
    if name in cluster.APP_SERVERS:
        cluster.start_app_server(state, name)
        cluster.save_state(state)
        cluster.wait_http(f"http://127.0.0.1:{cluster.PORTS[name]}/healthz", 60)
    elif name == "jobs":
        cluster.start_jobs(state)
        cluster.save_state(state)
    elif name == "redis":
        cluster.start_redis(state)
        cluster.save_state(state)


# --- the scenarios ---------------------------------------------------------------------------------------------------


def app_server_killed(result: Result) -> None:
    events = prepare(500)
    before = stats_today()
    sender = Sender(events).start()
    wait_for(lambda: sender.acknowledged >= 150, 60, 0.05)
    os.killpg(app_pid("app1"), signal.SIGKILL)  # the master and its workers, mid-burst
    result.notes.append(f"app1 killed after {sender.acknowledged} confirmations")
    sender.join()
    restart("app1")
    money_checks(result, events)
    result.notes.append(f"{sender.retried()} retried deliveries")
    # /api/v1/stats agrees: today's figures moved by exactly the burst (read from the replica, once it caught up).
    expected = (before[0] + len(events), before[1] + sum(event["amount"] for event in events))
    agrees = wait_for(lambda: stats_today() == expected, 40, 1.0)
    result.notes.append("/api/v1/stats agrees" if agrees else f"/api/v1/stats {stats_today()} != {expected}")
    result.passed = result.passed and agrees


def redis_stopped(result: Result) -> None:
    code = query("SELECT code FROM cases WHERE status = 'published' ORDER BY target_amount - raised_amount DESC "
                 "LIMIT 1")[0][0]
    paths = ["/", "/cases", "/impact", f"/cases/{code}", "/api/v1/cases", "/charities", "/ledger"]
    seen: list[tuple[float, int]] = []
    stop = threading.Event()

    def load():
        while not stop.is_set():
            status, _ = request("GET", random.choice(paths))  # noqa: S311 - load, not security
            seen.append((time.monotonic(), status))
            time.sleep(0.02)

    loaders = [threading.Thread(target=load, daemon=True) for _ in range(4)]
    for loader in loaders:
        loader.start()
    time.sleep(3)
    events = prepare(20)
    cluster.stop_process("redis", cluster.load_state())
    outage_start = time.monotonic()
    sender = Sender(events, threads=4).start()  # giving goes on while Redis is away
    sender.join()
    time.sleep(max(0.0, 30 - (time.monotonic() - outage_start)))
    restart("redis")
    outage_end = time.monotonic()
    time.sleep(5)
    stop.set()
    for loader in loaders:
        loader.join()
    during = [status for moment, status in seen if outage_start <= moment <= outage_end]
    errors = [status for status in during if status >= 500 or status == 0]
    money_checks(result, events)
    # No stale totals once Redis is back: the case's public figures equal the primary's.
    raised = query("SELECT raised_amount FROM cases WHERE code = %s", (code,))[0][0]
    status, body = request("GET", f"/api/v1/cases/{code}")
    shown = round(float(json.loads(body)["raised_amount"]) * 100) if status == 200 else None
    result.notes.append(f"{len(during)} page views during the 30 s outage, {len(errors)} errors")
    result.notes.append("case figures fresh after" if shown == raised else f"case shows {shown}, holds {raised}")
    result.passed = result.passed and not errors and shown == raised


def primary_restarted(result: Result) -> None:
    events = prepare(200)
    sender = Sender(events).start()
    wait_for(lambda: sender.acknowledged >= 50, 60, 0.05)
    cluster.stop_postgres("primary", mode="fast")
    time.sleep(1)
    status, body = request("GET", f"/cases?q=outage{next(_bust)}")  # a cache miss: the database is asked
    translated = status == 503 and "الخدمة غير متاحة".encode() in body
    time.sleep(4)
    cluster.start_postgres("primary")
    sender.join()
    money_checks(result, events)
    result.notes.append(f"during the outage a page answered {status}{' (translated)' if translated else ''}")
    result.notes.append(f"{sender.retried()} retried deliveries")
    result.passed = result.passed and translated


def replica_stopped(result: Result) -> None:
    cluster.stop_postgres("replica", mode="fast")
    events = prepare(50)
    answers = [request("GET", path)[0] for path in (
        "/api/v1/ledger", f"/api/v1/stats?probe={next(_bust)}", "/api/v1/ledger.csv")]
    sender = Sender(events, threads=6).start()
    sender.join()
    answers += [request("GET", f"/api/v1/stats?probe={next(_bust)}")[0] for _ in range(4)]
    cluster.start_postgres("replica")
    money_checks(result, events)
    result.notes.append(f"open-data answers while stopped: {sorted(set(answers))}")
    result.passed = result.passed and all(status == 200 for status in answers)


def jobs_runner_killed(result: Result) -> None:
    # Receipts still queued by earlier activity would be sent first: let the runner finish them.
    wait_for(lambda: query("SELECT count(*) FROM receipt_queue")[0][0] == 0, 60, 1.0)
    events = prepare(60, emails=True)
    outbox = cluster.CLUSTER_DIR / "outbox"
    sender = Sender(events).start()
    sender.join()

    def sent() -> int:
        return sum(len(list(outbox.glob(f"receipt-{event['reference']}-*.eml"))) for event in events)

    wait_for(lambda: sent() >= 10, 60, 0.2)
    os.killpg(app_pid("jobs"), signal.SIGKILL)
    result.notes.append(f"jobs runner killed after {sent()} receipts")
    time.sleep(2)
    restart("jobs")
    drained = wait_for(lambda: query("SELECT count(*) FROM receipt_queue")[0][0] == 0, 60, 1.0)
    money_checks(result, events)
    counts = [len(list(outbox.glob(f"receipt-{event['reference']}-*.eml"))) for event in events]
    missing, repeated = counts.count(0), sum(1 for count in counts if count > 1)
    result.notes.append(f"receipts: {len(events) - missing} sent once, {missing} missing, {repeated} twice")
    result.passed = result.passed and drained and missing == 0 and repeated == 0


def nearly_funded_burst(result: Result) -> None:
    code, target, raised, track = query(
        "SELECT code, target_amount, raised_amount, track FROM cases WHERE status = 'published' "
        "ORDER BY target_amount - raised_amount DESC LIMIT 1")[0]
    # Bring it to 500 SAR short of its target, then send 40 gifts of 50 SAR at once through both app servers.
    first = prepare(1, case_code=code, amounts=[target - raised - 500_00])
    Sender(first, threads=1).start().join()
    wait_for(lambda: query("SELECT count(*) FROM ledger_queue")[0][0] == 0, 30)
    events = prepare(40, case_code=code, amounts=[50_00] * 40)
    Sender(events, threads=32).start().join()
    money_checks(result, [*first, *events])
    raised_after, status = query("SELECT raised_amount, status FROM cases WHERE code = %s", (code,))[0]
    # The surplus postings of these gifts (the pool then allocates them on to the next neediest cases).
    to_pool = query("SELECT COALESCE(SUM(e.amount), 0) FROM ledger_transactions t JOIN ledger_entries e "
                    "ON e.transaction_id = t.id WHERE t.kind = 'surplus' AND t.reference = ANY(%s) "
                    "AND e.account = %s", ([event["reference"] for event in events], f"pool:{track}"))[0][0]
    excess = 40 * 50_00 - 500_00
    result.notes.append(f"raised {raised_after} of {target} halalas ({status}); {to_pool} to pool:{track} "
                        f"(excess {excess})")
    result.doubled += int(raised_after > target)
    result.passed = result.passed and raised_after == target and to_pool == excess


SCENARIOS = [
    ("an app server killed mid-burst (500 webhooks)", app_server_killed),
    ("Redis stopped for 30 s under page load", redis_stopped),
    ("the PostgreSQL primary restarted under donation load", primary_restarted),
    ("the replica stopped", replica_stopped),
    ("the jobs runner killed while sending receipts", jobs_runner_killed),
    ("a burst on one nearly funded case through both app servers", nearly_funded_burst),
]


def run(only: list[int]) -> list[Result]:
    results = []
    for number, (name, scenario) in enumerate(SCENARIOS, start=1):
        if only and number not in only:
            continue
        result, started = Result(f"{number}. {name}"), time.monotonic()
        try:
            scenario(result)
        except Exception as error:  # noqa: BLE001 - a scenario that crashes is a failed scenario, and the run goes on
            result.passed = False
            result.notes.append(f"crashed: {type(error).__name__}: {error}")
        result.seconds = time.monotonic() - started
        if result.seconds > SCENARIO_SECONDS:
            result.passed = False
            result.notes.append(f"over the {SCENARIO_SECONDS} s bound")
        print(result.line(), flush=True)
        results.append(result)
    return results


def report(results: list[Result], path: Path, started: datetime, seconds: float) -> None:
    summary = closing_line(results)
    lines = [f"\n## Run of {started:%Y-%m-%d %H:%M} UTC\n", f"Command: `make chaos` against `make cluster`, "
             f"{seconds:.0f} s. Machine: {platform.node()}, {os.cpu_count()} cores, {platform.platform()}.\n",
             "```", *[result.line() for result in results], summary, "```\n"]
    with open(path, "a") as handle:
        handle.write("\n".join(lines))


def closing_line(results: list[Result]) -> str:
    return (f"chaos: {len(results)} scenarios, {sum(r.passed for r in results)} passed, "
            f"{sum(r.lost for r in results)} donations lost, {sum(r.doubled for r in results)} counted twice")


def main() -> None:
    import logging

    logging.getLogger("stripe").setLevel(logging.WARNING)  # the stand-in's every request, at INFO
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", type=int, nargs="*", default=[], help="scenario numbers to run")
    parser.add_argument("--report", type=Path, help="append the run to this Markdown file")
    args = parser.parse_args()
    if request("GET", "/healthz")[0] != 200:
        raise SystemExit("no cluster answers on 127.0.0.1:8400: run `make cluster` first")
    started, clock = datetime.now(UTC), time.monotonic()
    results = run(args.only)
    if args.report:
        report(results, args.report, started, time.monotonic() - clock)
    print(closing_line(results))
    raise SystemExit(0 if all(result.passed for result in results) else 1)


if __name__ == "__main__":
    main()

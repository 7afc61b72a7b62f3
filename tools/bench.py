"""`make bench`: load-test the production configuration side by side with the framework's ceiling.

Starts gunicorn (gunicorn.conf.py) on PostgreSQL and Redis on loopback, fills the database with `bench-data`,
measures each page with wrk at a fixed concurrency, and reports requests per second, p50/p99 latency and the ratio
to a one-line Flask endpoint served by the same gunicorn configuration in the same run. It also counts SQL queries
per page and repeats the pages on a small database to show how cost grows with data. Results are appended to
docs/benchmarks.md. Every request goes to 127.0.0.1 only, and every loop is bounded in time.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import os
import platform
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
APP_PORT, CEILING_PORT = 8300, 8301
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"

# Compared with --compare-workers on the cached case page (2 cores here: see docs/benchmarks.md).
WORKER_SETTINGS = [
    ("sync × 5 (2 × cores + 1)", {"GUNICORN_WORKER_CLASS": "sync", "GUNICORN_WORKERS": "5", "GUNICORN_THREADS": "1"}),
    ("sync × 3 (cores + 1, the default)",
     {"GUNICORN_WORKER_CLASS": "sync", "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "1"}),
    ("gthread 3 × 4 threads", {"GUNICORN_WORKER_CLASS": "gthread", "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "4"}),
    ("gthread 2 × 8 threads", {"GUNICORN_WORKER_CLASS": "gthread", "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "8"}),
]

# (label, path[, request header]) — paths with {case} are filled with a published case's code. Visitors without a
# session are answered by the page cache's fast path; the row with a session cookie shows the same cached page
# served through Flask (the cookie does not verify, so the session is empty, as for a visitor who opened a form).
PAGES = [
    ("home", "/"),
    ("catalog", "/cases"),
    ("catalog, filtered", "/cases?track=rent&region=riyadh&sort=newest"),
    ("case page", "/cases/{case}"),
    ("case page, visitor with a session cookie", "/cases/{case}", "Cookie: session=bench"),
    ("impact", "/impact"),
    ("API cases", "/api/v1/cases"),
    ("API stats", "/api/v1/stats"),
    ("API case", "/api/v1/cases/{case}"),
    ("charities", "/charities"),
    ("campaign page", "/campaigns/kul-yom-bait"),  # seed-demo's live #كليومبيت (jood/campaigns/demo.py)
    ("API campaign", "/api/v1/campaigns/kul-yom-bait"),
]


def _load_webhooks():
    """bench/webhooks.py (a package named `bench` would clash with this script's own module name)."""
    spec = importlib.util.spec_from_file_location("bench_webhooks", ROOT / "bench" / "webhooks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_webhooks"] = module  # the load generator's processes find it by this name
    spec.loader.exec_module(module)
    return module


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def ensure_database(name: str, recreate: bool) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and recreate:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def flask(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 - our own venv's flask, fixed arguments
        [str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=False, capture_output=True, text=True
    )
    if check and result.returncode != 0:
        log(f"flask {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        result.check_returncode()
    return result


FILL_NOTES: list[str] = []  # how long filling and verifying each database took, for the report


def prepare(url: str, cases: int, donations: int, env: dict) -> None:
    env = {**env, "DATABASE_URL": url}
    flask(env, "db", "upgrade")
    flask(env, "seed-demo")
    if "bench-data" in flask(env, "--help").stdout:
        started = time.monotonic()
        result = flask(env, "bench-data", "--cases", str(cases), "--donations", str(donations))
        filled = time.monotonic() - started
        log(f"bench-data {cases} cases / {donations} donations in {filled:.0f}s: "
            f"{result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ''}")
        started = time.monotonic()
        verify = flask(env, "ledger", "verify", check=False)
        verdict = (verify.stdout.strip().splitlines() or ["?"])[-1] if verify.returncode == 0 else "FAILED"
        FILL_NOTES.append(f"`bench-data --cases {cases} --donations {donations}`: {filled:.0f}s; then `ledger verify`"
                          f" in {time.monotonic() - started:.0f}s: {verdict}")
        log(FILL_NOTES[-1])
    else:
        log("bench-data is not available yet: measuring on demo data only")


SERVERS: dict[int, int] = {}  # port -> gunicorn master's pid, also its process group (start_new_session)


@contextlib.contextmanager
def gunicorn(app: str, port: int, env: dict, **settings: str):
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": "", **settings}
    # The server's log goes to a file: a pipe nobody reads fills up (64 kB) and then blocks every worker that logs.
    log_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--access-logfile", "/dev/null", app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file, start_new_session=True,
    )
    SERVERS[port] = process.pid
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310 - loopback only
                break
            time.sleep(0.5)
        else:
            log_file.seek(0)
            raise RuntimeError(f"gunicorn for {app} did not start: {log_file.read(2000)!r}")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log_file.close()


def _seconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def wrk_figures(output: str) -> dict:
    """p50, p99 (seconds) and the count of non-2xx answers from wrk's --latency report."""
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"p50": _seconds(re.search(r"\s50%\s+(\S+)", output).group(1)),
            "p99": _seconds(re.search(r"\s99%\s+(\S+)", output).group(1)),
            "non_2xx": int(non_2xx.group(1)) if non_2xx else 0}


def wrk(url: str, seconds: int, connections: int, header: str | None = None) -> dict:
    output = subprocess.run(  # noqa: S603
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s",  # noqa: S607
         *(["-H", header] if header else []), url],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Socket errors: (.*)", output)
    return {"rps": rps, **wrk_figures(output), "socket_errors": errors.group(1) if errors else ""}


def count_queries(url: str, paths: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """SQL statements per request, counted in-process with the same app and database (status, queries)."""
    os.environ["DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event

    from jood import create_app
    from jood.extensions import db

    app = create_app({"RATELIMIT_ENABLED": False})
    counts = {}
    with app.app_context():
        statements = []
        listener = lambda *args, **kwargs: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        client = app.test_client()
        for label, path in paths:
            client.get(path)  # warm caches the way a busy server has them
            statements.clear()
            status = client.get(path).status_code
            counts[label] = (status, len(statements))
        event.remove(db.engine, "before_cursor_execute", listener)
        db.engine.dispose()
    return counts


def miss_costs(large: str, small: str, paths: dict[str, tuple[str, str]], rounds: int = 21) -> dict[str, tuple]:
    """Each page's cost on a cache miss, in-process with the page cache off, on the large and the small database
    request by request in turn, so the machine's noise falls on both alike: {label: (ms large, ms small)}, medians.
    `paths` maps a label to its path on the large and on the small database."""
    import statistics

    sys.path.insert(0, str(ROOT))
    from jood import create_app
    from jood.config import normalise_database_url
    from jood.extensions import db

    settings = {"RATELIMIT_ENABLED": False, "PAGE_CACHE_ENABLED": False, "VISITOR_COUNTING": False}
    apps = [create_app({**settings, "SQLALCHEMY_DATABASE_URI": normalise_database_url(url)}) for url in (large, small)]
    clients = [app.test_client() for app in apps]
    costs = {}
    for label, both in paths.items():
        timings: tuple[list[float], list[float]] = ([], [])
        for round_ in range(rounds + 2):
            for side in (0, 1):
                started = time.perf_counter()
                clients[side].get(both[side])
                if round_ >= 2:  # the first two warm the caches a busy server has warm
                    timings[side].append((time.perf_counter() - started) * 1000)
        costs[label] = (statistics.median(timings[0]), statistics.median(timings[1]))
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    return costs


def published_case_code(url: str) -> str | None:
    import psycopg

    with contextlib.suppress(Exception), psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT code FROM cases WHERE status = 'published' ORDER BY priority_total DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None
    return None


def measure(url: str, env: dict, seconds: int, connections: int) -> tuple[dict, list]:
    code = published_case_code(url)
    pages = [(label, path.format(case=code), *header) for label, path, *header in PAGES if code or "{case}" not in path]
    env = {**env, "DATABASE_URL": url}
    rows = []
    with gunicorn("bench.ceiling:app", CEILING_PORT, env) as ceiling_url, gunicorn("app:app", APP_PORT, env) as base:
        ceiling_before = wrk(ceiling_url + "/", seconds, connections)
        for label, path, *header in pages:
            with contextlib.suppress(Exception):
                status = urllib.request.urlopen(base + path, timeout=10).status  # noqa: S310 - loopback only
            if "status" not in locals() or status != 200:
                rows.append({"label": label, "path": path, "missing": True})
                continue
            result = wrk(base + path, seconds, connections, *header)
            rows.append({"label": label, "path": path, **result})
            del status
        ceiling_after = wrk(ceiling_url + "/", seconds, connections)
    ceiling = {key: (ceiling_before[key] + ceiling_after[key]) / 2 for key in ("rps", "p50", "p99")}
    return ceiling, rows


def measure_webhooks(url: str, env: dict, count: int) -> dict:
    """Signed `checkout.session.completed` webhooks for `count` pending Stripe donations, posted concurrently; then
    `flask ledger verify` on the same database."""
    webhooks = _load_webhooks()
    started = time.monotonic()
    events = webhooks.prepare(url, count)
    log(f"{len(events)} pending Stripe donations created in {time.monotonic() - started:.0f}s")
    env = {**env, "DATABASE_URL": url, "STRIPE_WEBHOOK_SECRET": webhooks.SECRET}
    with gunicorn("app:app", APP_PORT, env):
        # CPU used by the app servers, PostgreSQL and wrk while the webhooks are posted, per confirmation.
        app_processes = webhooks.processes(group=SERVERS[APP_PORT])
        app_before = webhooks.cpu_times(app_processes)
        db_before = webhooks.cpu_times(webhooks.processes(name="postgres"))
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = webhooks.post_all(APP_PORT, events, url)
        result.update(wrk_figures(result.pop("wrk_output")))
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        app_cpu = webhooks.cpu_used(app_before, webhooks.cpu_times(app_processes))
        db_cpu = webhooks.cpu_used(db_before, webhooks.cpu_times(webhooks.processes(name="postgres")))
    wrk_cpu = (children.ru_utime + children.ru_stime) - (children_before.ru_utime + children_before.ru_stime)
    result["cpu_ms"] = {name: seconds * 1000 / len(events) for name, seconds in
                        (("app", app_cpu), ("postgres", db_cpu), ("wrk", wrk_cpu))}
    result["outcomes"] = webhooks.outcomes(url, events)
    with tempfile.TemporaryDirectory() as outbox:
        result["receipts"] = webhooks.receipt_capacity(url, 200, outbox)
    log(f"receipts: {result['receipts']['count']} sent in {result['receipts']['seconds']:.1f}s")
    writer = webhooks.writer_capacity(url, 20_000)
    result["writer"] = writer
    log(f"ledger writer alone: {writer['count']:,} queued transactions sealed in {writer['seconds']:.2f}s")
    verify = flask(env, "ledger", "verify", check=False)
    result["verify"] = (verify.stdout or verify.stderr).strip().splitlines()[-1] if verify.returncode == 0 else \
        "FAIL: " + " | ".join((verify.stderr or verify.stdout).strip().splitlines()[:5])
    return result


def compare_workers(url: str, env: dict, path: str, seconds: int, connections: int) -> list[dict]:
    """The same cached page and the ceiling under several gunicorn worker settings, side by side."""
    env = {**env, "DATABASE_URL": url}
    rows = []
    for label, settings in WORKER_SETTINGS:
        with gunicorn("bench.ceiling:app", CEILING_PORT, env, **settings) as ceiling_url, \
                gunicorn("app:app", APP_PORT, env, **settings) as base:
            ceiling = wrk(ceiling_url + "/", seconds, connections)
            page = wrk(base + path, seconds, connections)
        rows.append({"label": label, "ceiling": ceiling, "page": page})
        log(f"{label}: ceiling {ceiling['rps']:.0f} req/s, {path} {page['rps']:.0f} req/s")
    return rows


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {system}"


def report_extra(args, hooks: dict | None, workers: list[dict]) -> str:
    lines = []
    if hooks:
        outcomes = ", ".join(f"{key}: {value}" for key, value in sorted(hooks["outcomes"].items()))
        cpu, receipts = hooks["cpu_ms"], hooks["receipts"]
        lines += [
            "Donation confirmations (signed Stripe `checkout.session.completed` webhooks, one per pending donation,"
            f" posted once each by wrk over {hooks['connections']} keep-alive connections):",
            "",
            f"- {hooks['count']:,} webhooks in {hooks['seconds']:.1f}s: **{hooks['rate']:.0f} webhooks/s** sustained,"
            f" p50 {hooks['p50'] * 1000:.0f} ms, p99 {hooks['p99'] * 1000:.0f} ms (payments afterwards: {outcomes};"
            f" non-2xx answers: {hooks['non_2xx']})",
            f"- CPU per confirmation while posting: app servers (gunicorn) {cpu['app']:.1f} ms, PostgreSQL"
            f" {cpu['postgres']:.1f} ms, wrk {cpu['wrk']:.1f} ms; so 500 confirmations/s need about"
            f" {500 * (cpu['app'] + cpu['postgres']) / 1000:.1f} cores for the app servers and the database alone",
            f"- Receipts (each confirmation above queued one: a PDF and a mail, sent by the jobs runner):"
            f" {receipts['count']} sent by one process in {receipts['seconds']:.1f}s, **{receipts['rate']:.1f}"
            f" receipts/s**, {receipts['cpu_ms']:.0f} ms of CPU each ({receipts['left']:,} left in the queue)",
            f"- The ledger writer alone (the one serialised step): {hooks['writer']['count']:,} queued transactions"
            f" sealed in {hooks['writer']['seconds']:.2f}s, **{hooks['writer']['rate']:,.0f} transactions/s**",
            f"- `flask ledger verify` afterwards: {hooks['verify']}",
            "",
        ]
    if workers:
        lines += ["Gunicorn worker settings (same cached page, ceiling measured beside it with the same settings):", "",
                  "| workers | ceiling req/s | page req/s | ratio | page p50 ms | page p99 ms |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for row in workers:
            page, ceiling = row["page"], row["ceiling"]
            lines.append(f"| {row['label']} | {ceiling['rps']:.0f} | {page['rps']:.0f} |"
                         f" {page['rps'] / ceiling['rps']:.2f} | {page['p50'] * 1000:.1f} | {page['p99'] * 1000:.1f} |")
        lines.append("")
    return "\n".join(lines)


def report(args, ceiling, rows, queries, small_rows, small_queries, misses) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Run of {now}",
        "",
        f"- Command: `{args.command}`",
        f"- Machine: {machine()}",
        f"- Load: wrk, 2 threads, {args.connections} connections, {args.seconds}s per page, on the same machine as"
        f" the server (so absolute numbers are pessimistic; ratios are measured side by side in this run)",
        (f"- Data: {args.cases:,} cases and {args.donations:,} donations (small database: {args.small_donations:,}"
         " donations)" if args.bench_data else "- Data: demo data only (`flask seed-demo`, about 60 cases) in both"
         " databases: `bench-data` is not available yet, so the cost-growth column compares like with like"),
        *(f"- Fill: {note}" for note in FILL_NOTES),
    ]
    if ceiling is None:  # --webhooks-only
        return "\n".join([*lines, "", ""])
    lines += [
        f"- Ceiling (one-line Flask endpoint, same gunicorn config): {ceiling['rps']:.0f} req/s,"
        f" p50 {ceiling['p50'] * 1000:.1f} ms, p99 {ceiling['p99'] * 1000:.1f} ms",
        "",
        "| page | req/s | ratio to ceiling | p50 ms | p99 ms | req/s on small DB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    small = {row["label"]: row for row in small_rows}
    for row in rows:
        if row.get("missing"):
            lines.append(f"| {row['label']} (`{row['path']}`) | not available | | | | |")
            continue
        small_row = small.get(row["label"])
        small_rps = f"{small_row['rps']:.0f}" if small_row and not small_row.get("missing") else "—"
        flag = f" ({row['non_2xx']} non-2xx)" if row["non_2xx"] else ""
        lines.append(
            f"| {row['label']} (`{row['path']}`) | {row['rps']:.0f}{flag} | {row['rps'] / ceiling['rps']:.2f} |"
            f" {row['p50'] * 1000:.1f} | {row['p99'] * 1000:.1f} | {small_rps} |"
        )
    lines += ["", "Cost on a cache miss, by data size: each page rendered in-process with the page cache off, on the"
              " large and the small database request by request in turn (median of 21 each), so that the machine's"
              " noise falls on both alike; SQL statements counted per request.", "",
              "| page | SQL (large) | SQL (small) | ms (large) | ms (small) | growth |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        if row.get("missing") or row["label"] not in misses:
            continue
        large_ms, small_ms = misses[row["label"]]
        lines.append(f"| {row['label']} | {queries.get(row['label'], (None, '?'))[1]} |"
                     f" {small_queries.get(row['label'], (None, '?'))[1]} | {large_ms:.1f} | {small_ms:.1f} |"
                     f" {large_ms / small_ms:.2f}× |")
    lines.append("")
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--donations", type=int, default=1_000_000)
    parser.add_argument("--small-donations", type=int, default=1_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--webhooks", type=int, default=3_000, help="signed webhooks to post (0: skip)")
    parser.add_argument("--compare-workers", action="store_true", help="also compare gunicorn worker settings")
    parser.add_argument("--webhooks-only", action="store_true", help="measure donation confirmations only")
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database instead of refilling it")
    parser.add_argument("--no-write", action="store_true", help="print the report without appending it to the docs")
    args = parser.parse_args()
    args.command = "make bench" + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")

    env = {**os.environ, "JOOD_ENV": "production", "SECRET_KEY": "bench-secret-key-not-for-production",
           "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"), "RATELIMIT_ENABLED": "0"}
    large = ensure_database("jood_bench", recreate=not args.reuse)
    small = ensure_database("jood_bench_small", recreate=not args.reuse)
    if not args.reuse:
        prepare(large, args.cases, args.donations, env)
        prepare(small, args.cases, args.small_donations, env)  # same cases and charities, 1,000 donations
    else:  # a kept database still gets the migrations the code expects
        for url in (large, small):
            flask({**env, "DATABASE_URL": url}, "db", "upgrade")
    args.bench_data = "bench-data" in flask({**env, "DATABASE_URL": large}, "--help").stdout

    ceiling, rows, queries, small_rows, small_queries, misses = None, [], {}, [], {}, {}
    if not args.webhooks_only:
        log("measuring the large database")
        ceiling, rows = measure(large, env, args.seconds, args.connections)
        log("measuring the small database")
        _, small_rows = measure(small, env, args.seconds, args.connections)
        paths = [(row["label"], row["path"]) for row in rows if not row.get("missing")]
        queries = count_queries(large, paths)
        small_paths = [(row["label"], row["path"]) for row in small_rows if not row.get("missing")]
        small_queries = count_queries(small, small_paths)
        small_by_label = dict(small_paths)
        misses = miss_costs(large, small, {label: (path, small_by_label[label]) for label, path in paths
                                           if label in small_by_label})

    workers = []
    if args.compare_workers:
        log("comparing gunicorn worker settings")
        code = published_case_code(large)
        workers = compare_workers(large, env, f"/cases/{code}" if code else "/cases", args.seconds, args.connections)
    hooks = None
    if args.webhooks:
        log(f"posting {args.webhooks:,} signed webhooks")
        hooks = measure_webhooks(large, env, args.webhooks)

    text = (report(args, ceiling, rows, queries, small_rows, small_queries, misses)
            + report_extra(args, hooks, workers))
    print(text)
    if not args.no_write:
        path = ROOT / "docs" / "benchmarks.md"
        if not path.exists():
            path.write_text("# Benchmarks\n\nEach run of `make bench` appends a section; older runs stay as history."
                            "\n\n")
        with path.open("a") as handle:
            handle.write(text + "\n")
        log(f"appended to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

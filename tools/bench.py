"""`make bench`: load-test the production configuration side by side with the framework's ceiling.

Starts gunicorn (gunicorn.conf.py) on PostgreSQL and Redis on loopback, fills the database with `bench-data`,
measures each page with wrk at a fixed concurrency, and reports requests per second, p50/p99 latency and the ratio
to a one-line Flask endpoint served by the same gunicorn configuration in the same run. It also counts SQL queries
per page and repeats the pages on a small database to show how cost grows with data. Results are appended to
docs/benchmarks.md. `--reuse` keeps the databases and reports what they hold; `--ramadan` measures a Ramadan
night instead (bench/ramadan.py: page views and complete gifts mixed, nine views a gift). Every request goes to
127.0.0.1 only, and every loop is bounded in time.
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
def gunicorn(app: str, port: int, env: dict, access_log: tuple[str, str] | None = None, **settings: str):
    """`access_log`: (path, format) to keep gunicorn's access log; none by default."""
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_ACCESSLOG": "", **settings}
    logging = ["--access-logfile", access_log[0], "--access-logformat", access_log[1]] if access_log else \
        ["--access-logfile", "/dev/null"]
    # The server's log goes to a file: a pipe nobody reads fills up (64 kB) and then blocks every worker that logs.
    log_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", *logging, app],
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


def _load_ramadan():
    _load_webhooks()  # bench/ramadan.py signs with bench/webhooks.py's `signed`
    spec = importlib.util.spec_from_file_location("bench_ramadan", ROOT / "bench" / "ramadan.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_ramadan"] = module
    spec.loader.exec_module(module)
    return module


def data_counts(connection) -> dict[str, int]:
    """What a bench database holds (a DB-API connection): published cases, all cases and paid donations."""
    def one(sql: str) -> int:
        cursor = connection.cursor()
        cursor.execute(sql)
        return int(cursor.fetchone()[0])

    return {"cases": one("SELECT count(*) FROM cases"),
            "published": one("SELECT count(*) FROM cases WHERE status = 'published'"),
            "donations": one("SELECT count(*) FROM donations WHERE paid_at IS NOT NULL")}


def held_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as connection:
        return data_counts(connection)


def measure_ramadan(url: str, env: dict, seconds: int, threads: int, views: int = 9) -> dict:
    """A Ramadan night (bench/ramadan.py): `threads` wrk connections each browsing `views` pages per gift (the last
    the donation form), then a checkout and its signed webhook; one receipt sender runs beside it, as the jobs
    runner would. Page views and gifts per second, server-side p99 of each, the page cache's hit rate, the CPU
    each side used, the receipt queue at the end. The ceiling is measured just before with the same connections."""
    import datetime as _dt
    import json

    import psycopg

    ramadan = _load_ramadan()
    webhooks = sys.modules["bench_webhooks"]
    with psycopg.connect(url) as connection:
        top = [row[0] for row in connection.execute(
            "SELECT code FROM cases WHERE status = 'published' AND target_amount - raised_amount >= 50000"
            " ORDER BY priority_total DESC, id LIMIT 100")]
        others = [row[0] for row in connection.execute(
            "SELECT code FROM cases WHERE status = 'published' ORDER BY id DESC LIMIT 500")]
        next_id = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM donations").fetchone()[0]
        queued_before = connection.execute("SELECT count(*) FROM receipt_queue").fetchone()[0]
    if not top:
        raise RuntimeError("no published case with money still needed")
    # Signed now (Stripe's tolerance is 5 minutes): up to 250 gifts a second, and spare references for skipped ids.
    refs = ramadan.references(next_id, 250 * seconds + 2_000, _dt.datetime.now(_dt.UTC).year)
    work = Path(tempfile.mkdtemp(prefix="jood-ramadan-"))
    files = {"pages": ramadan.page_paths(top, others), "gifts": ramadan.gift_cases(top),
             "hooks": ramadan.signed_webhooks(refs, webhooks.SECRET)}
    for name, lines in files.items():
        (work / f"{name}.txt").write_text("\n".join(lines) + "\n")
    stand_in = ramadan.stripe_stand_in()
    env = {**env, "DATABASE_URL": url, "STRIPE_SECRET_KEY": "sk_test_bench_standin",
           "STRIPE_WEBHOOK_SECRET": webhooks.SECRET, "STRIPE_API_BASE": f"http://127.0.0.1:{stand_in.server_port}"}
    access = work / "access.log"
    try:
        with gunicorn("bench.ceiling:app", CEILING_PORT, env) as ceiling_url:
            ceiling = wrk(ceiling_url + "/", min(seconds, 8), threads)
        with gunicorn("bench.ramadan_app:app", APP_PORT, env, access_log=(str(access), ramadan.ACCESS_FORMAT)) as base:
            for path in ("/", "/cases", "/impact", f"/cases/{top[0]}"):  # fill the cache, as a live site has it
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(base + path, timeout=10)  # noqa: S310 - loopback only
            access.write_text("")
            sender = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
                [sys.executable, "-c", "import sys, importlib.util as u; sys.path.insert(0, sys.argv[1]);"
                 " spec = u.spec_from_file_location('bench_ramadan', sys.argv[1] + '/bench/ramadan.py');"
                 " m = u.module_from_spec(spec); spec.loader.exec_module(m);"
                 " m.send_receipts(sys.argv[2], float(sys.argv[3]), sys.argv[4])",
                 str(ROOT), url, str(seconds), str(work / "outbox")],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            app_processes = webhooks.processes(group=SERVERS[APP_PORT])
            app_before = webhooks.cpu_times(app_processes)
            db_before = webhooks.cpu_times(webhooks.processes(name="postgres"))
            started = time.monotonic()
            output = subprocess.run(  # noqa: S603
                ["wrk", f"-t{threads}", f"-c{threads}", f"-d{seconds}s", "--latency", "--timeout", "10s",  # noqa: S607
                 "-s", str(ROOT / "bench" / "ramadan.lua"), base, "--", str(work / "pages.txt"),
                 str(work / "gifts.txt"), str(work / "hooks.txt"), str(threads), str(views)],
                capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
            elapsed = time.monotonic() - started
            app_cpu = webhooks.cpu_used(app_before, webhooks.cpu_times(app_processes))
            db_cpu = webhooks.cpu_used(db_before, webhooks.cpu_times(webhooks.processes(name="postgres")))
            receipts = json.loads(sender.communicate(timeout=120)[0].strip().splitlines()[-1])
    finally:
        stand_in.shutdown()
    kinds = ramadan.read_access_log(access.read_text())
    with psycopg.connect(url) as connection:
        paid = connection.execute("SELECT count(*) FROM payments WHERE status = 'paid' AND session_id = ANY(%s)",
                                  ([ramadan.session_id(ref) for ref in refs],)).fetchone()[0]
        queued_after = connection.execute("SELECT count(*) FROM receipt_queue").fetchone()[0]
    pages = {name: kinds.get(name, {"count": 0, "errors": 0, "times": [], "hits": 0}) for name in
             ("page", "form", "checkout", "webhook")}
    views_count = pages["page"]["count"] + pages["form"]["count"]
    requests = sum(entry["count"] for entry in kinds.values())
    return {
        "seconds": elapsed, "threads": threads, "views": views, "ceiling": ceiling,
        "page_rate": views_count / elapsed, "gift_rate": pages["webhook"]["count"] / elapsed, "paid": paid,
        "p99": {name: ramadan.percentile(entry["times"], 0.99) for name, entry in pages.items()},
        "p50": {name: ramadan.percentile(entry["times"], 0.50) for name, entry in pages.items()},
        "counts": {name: entry["count"] for name, entry in pages.items()},
        "errors": sum(entry["errors"] for entry in kinds.values()),
        "hit_rate": pages["page"]["hits"] / pages["page"]["count"] if pages["page"]["count"] else 0.0,
        "cpu_ms_per_request": {"app": app_cpu * 1000 / max(requests, 1), "postgres": db_cpu * 1000 / max(requests, 1)},
        "cpu_share": {"app": app_cpu / elapsed, "postgres": db_cpu / elapsed},
        "wrk": wrk_figures(output), "receipts": receipts, "queue": {"before": queued_before, "after": queued_after},
    }


def report_ramadan(night: dict) -> str:
    p99, counts, ceiling = night["p99"], night["counts"], night["ceiling"]
    cpu, share, receipts = night["cpu_ms_per_request"], night["cpu_share"], night["receipts"]
    return "\n".join([
        f"A Ramadan night (`--ramadan`: {night['threads']} keep-alive connections, each browsing {night['views']}"
        " pages per gift, the last the donation form, then the checkout and its signed webhook; gifts to the 100"
        " neediest open cases, Zipf-skewed; one receipt sender beside it):",
        "",
        f"- {night['seconds']:.1f}s: **{night['page_rate']:.0f} page views/s**"
        f" ({night['page_rate'] / ceiling['rps']:.2f} of the ceiling's {ceiling['rps']:.0f} req/s at the same"
        f" connections) and **{night['gift_rate']:.1f} gifts/s**"
        f" ({counts['webhook']:,} webhooks, {night['paid']:,} paid; {counts['checkout']:,} checkouts; non-2xx/3xx"
        f" answers: {night['errors']})",
        f"- p99 in the server (p50): page views {p99['page'] * 1000:.1f} ms ({night['p50']['page'] * 1000:.1f}),"
        f" donation form {p99['form'] * 1000:.1f} ms, checkout {p99['checkout'] * 1000:.1f} ms"
        f" ({night['p50']['checkout'] * 1000:.1f}), webhook {p99['webhook'] * 1000:.1f} ms"
        f" ({night['p50']['webhook'] * 1000:.1f}); at the client, all requests: p99"
        f" {night['wrk']['p99'] * 1000:.1f} ms",
        f"- Page cache: {night['hit_rate']:.1%} of the anonymous page views answered by the fast path",
        f"- CPU: app servers {cpu['app']:.1f} ms and PostgreSQL {cpu['postgres']:.1f} ms per request on average"
        f" ({share['app']:.2f} and {share['postgres']:.2f} cores busy)",
        f"- Receipts: one sender sent {receipts['sent']:,} during the run, {receipts['cpu_ms']:.1f} ms of CPU each;"
        f" **{night['queue']['after']:,} left in the queue** at the end ({night['queue']['before']:,} before)",
        "",
    ])


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


def measure_giving(url: str, env: dict, gifts: int = 150, rounds: int = 3) -> dict:
    """bench/giving.py in a process of its own for each ledger mode (sealing in the request, the default, and a
    writer process sealing, `LEDGER_SEAL_IN_REQUEST=0`), with the production configuration: {mode: figures}."""
    import json

    figures = {}
    for mode, seal in (("sealing in the request", "1"), ("a writer process sealing", "0")):
        result = subprocess.run(  # noqa: S603 - our own venv's python, fixed arguments
            [sys.executable, str(ROOT / "bench" / "giving.py"), url, str(gifts), str(rounds)], cwd=ROOT,
            env={**env, "LEDGER_SEAL_IN_REQUEST": seal}, capture_output=True, text=True, check=True)
        figures[mode] = json.loads(result.stdout[result.stdout.index("{"):])
    return figures


def report_giving(giving: dict) -> list[str]:
    lines = ["One gift's cost to the app, in-process (bench/giving.py: Flask's test client, the production"
             " configuration, Stripe's API a stand-in in another process; CPU from `time.process_time()`, median of"
             " the rounds):", "",
             "| ledger | confirmation (signed webhook) | statements | whole gift (checkout POST + webhook) | statements"
             " (checkout) |", "| --- | ---: | ---: | ---: | ---: |"]
    for mode, figures in giving.items():
        confirm, gift = figures["confirm"], figures["gift"]
        lines.append(f"| {mode} | **{confirm['cpu_ms']:.1f} ms** | {confirm['statements']:.0f} |"
                     f" **{gift['cpu_ms']:.1f} ms** | {gift['statements']:.0f} ({gift['checkout_statements']:.0f}) |")
    return [*lines, ""]


def report_extra(args, hooks: dict | None, workers: list[dict]) -> str:
    lines = []
    if getattr(args, "giving", None):
        lines += report_giving(args.giving)
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
            "- Receipts (each confirmation above queued one: a mail with the verification link and its QR code, sent"
            " by the jobs runner; the PDF is rendered when downloaded):"
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


def data_line(args) -> str:
    """What the databases held: counted in them when they were reused (`args.held`), else the sizes just filled."""
    held = getattr(args, "held", None)
    if held:
        large, small = held["large"], held["small"]
        return (f"- Data (reused databases, counted): {large['cases']:,} cases ({large['published']:,} published) and"
                f" {large['donations']:,} paid donations (small database: {small['cases']:,} cases,"
                f" {small['donations']:,} paid donations)")
    if args.bench_data:
        return (f"- Data: {args.cases:,} cases and {args.donations:,} donations (small database:"
                f" {args.small_donations:,} donations)")
    return ("- Data: demo data only (`flask seed-demo`, about 60 cases) in both databases: `bench-data` is not"
            " available yet, so the cost-growth column compares like with like")


def report(args, ceiling, rows, queries, small_rows, small_queries, misses) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## Run of {now}",
        "",
        f"- Command: `{args.command}`",
        f"- Machine: {machine()}",
        (f"- Load: wrk, {args.ramadan_connections} connections for {args.seconds}s, on the same machine as the server"
         if getattr(args, "ramadan", False) else
         f"- Load: wrk, 2 threads, {args.connections} connections, {args.seconds}s per page, on the same machine as"
         f" the server (so absolute numbers are pessimistic; ratios are measured side by side in this run)"),
        data_line(args),
        *(f"- Fill: {note}" for note in FILL_NOTES),
    ]
    if ceiling is None:  # --webhooks-only, --ramadan
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
    parser.add_argument("--ramadan", action="store_true",
                        help="measure a Ramadan night only: mixed page views and complete gifts (bench/ramadan.py)")
    parser.add_argument("--ramadan-connections", type=int, default=8, help="wrk connections for --ramadan")
    parser.add_argument("--database", default="jood_bench", help="the large bench database's name")
    parser.add_argument("--no-write", action="store_true", help="print the report without appending it to the docs")
    args = parser.parse_args()
    args.command = "make bench" + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")

    env = {**os.environ, "JOOD_ENV": "production", "SECRET_KEY": "bench-secret-key-not-for-production",
           "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"), "RATELIMIT_ENABLED": "0"}
    large = ensure_database(args.database, recreate=not args.reuse)
    small = ensure_database(f"{args.database}_small", recreate=not args.reuse)
    if not args.reuse:
        prepare(large, args.cases, args.donations, env)
        prepare(small, args.cases, args.small_donations, env)  # same cases and charities, 1,000 donations
    else:  # a kept database still gets the migrations the code expects, and the report says what it holds
        for url in (large, small):
            flask({**env, "DATABASE_URL": url}, "db", "upgrade")
        args.held = {"large": held_counts(large), "small": held_counts(small)}
    args.bench_data = "bench-data" in flask({**env, "DATABASE_URL": large}, "--help").stdout

    if args.ramadan:
        log("measuring a Ramadan night")
        text = report(args, None, [], {}, [], {}, {}) + report_ramadan(
            measure_ramadan(large, env, args.seconds, args.ramadan_connections))
        print(text)
        if not args.no_write:
            with (ROOT / "docs" / "benchmarks.md").open("a") as handle:
                handle.write(text + "\n")
        return 0

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
    if args.webhooks:
        log("measuring one gift in-process")
        args.giving = measure_giving(large, env)
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

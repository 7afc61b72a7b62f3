"""The benchmark harness's own arithmetic: CPU accounting from /proc and the report of a webhooks-only run."""

from __future__ import annotations

import importlib.util
import os
import sys
from argparse import Namespace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads Linux /proc")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def webhooks():
    return _load("bench_webhooks_under_test", ROOT / "bench" / "webhooks.py")


@pytest.fixture(scope="module")
def bench():
    return _load("bench_tool_under_test", ROOT / "tools" / "bench.py")


def test_cpu_times_grow_with_work_and_count_only_live_processes(webhooks):
    me = os.getpid()
    assert me in webhooks.processes(group=os.getpgid(0))
    before = webhooks.cpu_times([me, 2**22 + 12345])  # the second pid does not exist
    assert list(before) == [me]
    deadline = before[me] + 0.06  # ticks of 10 ms: wait past 50 ms, float sums included
    while webhooks.cpu_times([me])[me] < deadline:  # burn 60 ms of CPU
        sum(range(10_000))
    after = webhooks.cpu_times([me])
    assert webhooks.cpu_used(before, after) >= 0.05
    assert webhooks.cpu_used({}, {me: 1.5, 7: 0.5}) == 2.0  # a process started in between counts from zero


def test_a_webhooks_only_report_has_no_page_table_and_names_the_cores_needed(bench):
    args = Namespace(command="make bench BENCH_ARGS='--webhooks-only'", connections=32, seconds=8, cases=10,
                     donations=100, small_donations=10, bench_data=True)
    hooks = {"outcomes": {"paid": 3000}, "connections": 32, "count": 3000, "seconds": 20.0, "rate": 150.0,
             "p50": 0.2, "p99": 0.3, "non_2xx": 0, "cpu_ms": {"app": 10.0, "postgres": 2.0, "wrk": 0.1},
             "writer": {"count": 20_000, "seconds": 10.0, "rate": 2000.0}, "verify": "OK: 3023 transactions",
             "receipts": {"count": 200, "failed": 0, "seconds": 25.0, "rate": 8.0, "cpu_ms": 120.0, "left": 2800}}
    text = bench.report(args, None, [], {}, [], {}, {}) + bench.report_extra(args, hooks, [])
    assert "| page |" not in text and "Ceiling" not in text
    assert "**150 webhooks/s**" in text and "paid: 3000" in text
    assert "app servers (gunicorn) 10.0 ms, PostgreSQL 2.0 ms" in text and "about 6.0 cores" in text
    assert "**8.0 receipts/s**, 120 ms of CPU each (2,800 left in the queue)" in text


def test_wrk_latencies_are_read_in_any_unit_wrk_prints(bench):
    report = "  Latency Distribution\n     50%  274.00ms\n     99%    1.02m\n  Non-2xx or 3xx responses: 3\n"
    assert bench.wrk_figures(report) == {"p50": pytest.approx(0.274), "p99": pytest.approx(61.2), "non_2xx": 3}


def test_a_reused_database_is_reported_with_what_it_holds_not_the_default_size(bench):
    import sqlite3

    connection = sqlite3.connect(":memory:")
    connection.executescript(
        "CREATE TABLE cases (id INTEGER, status TEXT); CREATE TABLE donations (id INTEGER, paid_at TEXT);"
        "INSERT INTO cases VALUES (1, 'published'), (2, 'published'), (3, 'draft');"
        "INSERT INTO donations VALUES (1, '2026-03-01'), (2, NULL), (3, '2026-03-02'), (4, '2026-03-03');")
    held = bench.data_counts(connection)
    assert held == {"cases": 3, "published": 2, "donations": 3}
    args = Namespace(cases=10_000, donations=1_000_000, small_donations=1_000, bench_data=True,
                     held={"large": held, "small": {"cases": 3, "published": 2, "donations": 0}})
    line = bench.data_line(args)
    assert "3 cases (2 published) and 3 paid donations" in line and "0 paid donations" in line
    assert "10,000" not in line and "1,000,000" not in line
    del args.held  # a fresh fill reports the sizes it was asked for
    assert bench.data_line(args) == "- Data: 10,000 cases and 1,000,000 donations (small database: 1,000 donations)"


@pytest.fixture(scope="module")
def ramadan(bench):
    return bench._load_ramadan()


def test_the_ramadan_mix_skews_gifts_to_the_top_cases_and_browses_every_kind_of_page(ramadan):
    top, others = [f"JE-1448-{n:05d}" for n in range(100)], [f"JE-1447-{n:05d}" for n in range(50)]
    gifts = ramadan.gift_cases(top)
    assert set(gifts) <= set(top) and gifts.count(top[0]) > 4 * gifts.count(top[20]) > 0
    paths = ramadan.page_paths(top, others)
    assert len(paths) == 1600 and paths.count("/") == paths.count("/impact") * 2 == 400
    case_views = [path for path in paths if path.startswith("/cases/")]
    assert len(case_views) == 600 and any(path.removeprefix("/cases/") in others for path in case_views)
    assert ramadan.references(41, 2, 2026) == ["JD-2026-000041", "JD-2026-000042"]
    answer = ramadan.stand_in_session(b"mode=payment&client_reference_id=JD-2026-000042&metadata%5Bx%5D=1")
    assert answer["id"] == "cs_bench_JD-2026-000042" and answer["url"].endswith("/cs_bench_JD-2026-000042")


def test_the_ramadan_report_reads_kinds_latencies_and_cache_hits_from_the_access_log(bench, ramadan):
    log = "\n".join([
        "GET / 200 800 -", "GET /cases 200 900 -", "GET /impact 200 12000 1",  # two fast-path hits, one miss
        "GET /cases/JE-1448-00001/donate 200 9000 1", "POST /cases/JE-1448-00001/donate 303 20000 1",
        "POST /webhooks/stripe 200 15000 1", "POST /webhooks/stripe 500 30000 1", "garbage line",
    ])
    kinds = ramadan.read_access_log(log)
    assert {name: entry["count"] for name, entry in kinds.items()} == {"page": 3, "form": 1, "checkout": 1,
                                                                        "webhook": 2}
    assert kinds["page"]["hits"] == 2 and kinds["webhook"]["errors"] == 1
    assert ramadan.percentile(kinds["webhook"]["times"], 0.99) == 0.03
    night = {"seconds": 10.0, "threads": 8, "views": 9, "ceiling": {"rps": 1000.0}, "page_rate": 450.0,
             "gift_rate": 50.0, "paid": 500, "p99": {"page": 0.02, "form": 0.03, "checkout": 0.04, "webhook": 0.05},
             "p50": {"page": 0.002, "form": 0.01, "checkout": 0.02, "webhook": 0.02},
             "counts": {"page": 4000, "form": 500, "checkout": 500, "webhook": 500}, "errors": 0, "hit_rate": 0.9,
             "cpu_ms_per_request": {"app": 3.0, "postgres": 1.0}, "cpu_share": {"app": 1.5, "postgres": 0.4},
             "wrk": {"p99": 0.06}, "receipts": {"sent": 480, "cpu_ms": 6.0}, "queue": {"before": 0, "after": 20}}
    text = bench.report_ramadan(night)
    assert "**450 page views/s** (0.45 of the ceiling's 1000 req/s" in text and "**50.0 gifts/s**" in text
    assert "90.0% of the anonymous page views" in text and "**20 left in the queue**" in text


def test_the_giving_report_shows_both_ledger_modes_in_one_table(bench):
    figures = {"confirm": {"cpu_ms": 7.14, "statements": 13.0}, "gift": {"cpu_ms": 16.3, "statements": 22.0,
                                                                          "checkout_statements": 9.0}}
    args = Namespace(giving={"sealing in the request": figures, "a writer process sealing": figures})
    text = bench.report_extra(args, None, [])
    assert "| sealing in the request | **7.1 ms** | 13 | **16.3 ms** | 22 (9) |" in text
    assert "| a writer process sealing |" in text


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="the harness measures on PostgreSQL")
def test_the_giving_harness_makes_real_gifts_and_counts_their_statements(app, make_case):
    """bench/giving.py end to end, small: checkouts through the donate form, then their signed webhooks; every gift
    is paid and the figures are positive. Its environment changes do not outlive it."""
    from sqlalchemy import func, select

    from jood.extensions import db
    from jood.payments.models import Payment

    giving = _load("bench_giving_under_test", ROOT / "bench" / "giving.py")
    make_case(target_amount=100_000_00)
    before = os.environ.get("JOOD_ENV")
    figures = giving.measure(os.environ["TEST_DATABASE_URL"], gifts=2, rounds=1)
    assert os.environ.get("JOOD_ENV") == before
    assert figures["confirm"]["cpu_ms"] > 0 and figures["gift"]["cpu_ms"] > 0
    assert figures["confirm"]["statements"] >= 5 and figures["gift"]["checkout_statements"] >= 4
    db.session.expire_all()
    # two rounds of two (the first warms up), each a batch of checkouts then one of whole gifts: 8 paid
    assert db.session.scalar(select(func.count()).select_from(Payment).where(Payment.status == "paid")) == 8

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

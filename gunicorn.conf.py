"""gunicorn settings for `make run` and production. Each value can be overridden from the environment.

Workers, chosen by measurement (docs/benchmarks.md, `make bench BENCH_ARGS=--compare-workers`): synchronous
workers, one more than the cores. On the 2-core bench machine, 3 sync workers had the shortest tail in every run
(2026-11-26 02:53: the cached case page at 4,566 req/s with p99 11 ms, against 4,966 req/s and p99 45 ms for 3
threaded workers of 4 threads, and 4,335 req/s, p99 22 ms, for 5 sync workers) and confirmed more donations per
second in an earlier side-by-side run (62 against 48). A threaded worker keeps every keep-alive connection it
accepts, so one process can end up with most of them while another idles. Behind a load balancer that buffers
requests (docs/deployment.md), a sync worker's one-request-at-a-time is no handicap. Each process holds one
database connection at a time (SQLAlchemy's pool: 5 + 10 overflow).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# No recycling by default (gunicorn's own default). Recycling a worker loads the app again, about a second of CPU
# here: at 5,000 requests a busy worker was replaced every few seconds, which cost a third of the throughput and
# put p99 at 0.3-1.7 s while the others covered for it (docs/benchmarks.md, 2026-11-26). Set it if a leak is found.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "0"))
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# Behind a load balancer gunicorn takes the scheme from X-Forwarded-Proto; the client address is set by the app
# (ProxyFix, TRUSTED_PROXY_HOPS), since gunicorn does not rewrite REMOTE_ADDR (see docs/deployment.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Once a worker has loaded the app, freeze the objects that live as long as the process (modules, the app, the
    compiled templates and fonts) so the garbage collector stops re-scanning them: this cut the CPU time of a
    donation confirmation by about a third when measured in-process (docs/benchmarks.md)."""
    import gc

    gc.collect()
    gc.freeze()


# gunicorn 27 opens a control socket at ~/.gunicorn/gunicorn.ctl by default, shared by every gunicorn of the user:
# a second server (the cluster's two app servers, or one beside `make run`) would take over the first's. One socket
# per bound address instead; GUNICORN_CONTROL_SOCKET sets another path.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET") or os.path.join(
    os.path.expanduser("~"), ".gunicorn", f"jood-{bind.replace(':', '-').replace('/', '_')}.ctl")

"""gunicorn settings for `make run` and production. Each value can be overridden from the environment.

Workers, chosen by measurement (docs/benchmarks.md, `make bench BENCH_ARGS=--compare-workers`): threaded workers,
one process per core with 8 threads each. On the 2-core bench machine they served the cached case page at about
1,000 req/s against about 600 for the former default of 2 × cores + 1 sync workers, with a lower p99: threads keep
HTTP keep-alive connections (a sync worker closes every connection) and overlap the Redis and PostgreSQL round
trips, while one process per core keeps the GIL from being shared by more runnable threads than there are cores.
Each process opens at most `threads` database connections (SQLAlchemy's pool: 5 + 10 overflow).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", max(2, multiprocessing.cpu_count())))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# Behind a load balancer the client address comes in X-Forwarded-For (see docs/deployment.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Once a worker has loaded the app, freeze the objects that live as long as the process (modules, the app, the
    compiled templates and fonts) so the garbage collector stops re-scanning them: this cut the CPU time of a
    donation confirmation by about a third when measured in-process (docs/benchmarks.md)."""
    import gc

    gc.collect()
    gc.freeze()

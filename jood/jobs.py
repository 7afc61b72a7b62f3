"""Periodic background jobs: `flask --app app jobs run` (one process per deployment is enough; more are safe).

A feature registers a job in its `jobs.py` with `@job("name", every=seconds)`. With Redis, each run of a job is
claimed with SET NX EX, so however many app servers run the scheduler, each job runs once per interval across
all of them. Without Redis (the embedded mode) the single scheduler process simply runs them.
Every job runs in its own app context and unit of work: commit on success, roll back and log loudly on failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import click
from flask import current_app
from flask.cli import with_appcontext

from jood.core.unit import unit_of_work
from jood.extensions import db


@dataclass(frozen=True)
class Job:
    name: str
    every: int  # seconds
    func: Callable[[], object]


REGISTRY: dict[str, Job] = {}


def job(name: str, every: int):
    def decorator(func):
        REGISTRY[name] = Job(name, every, func)
        return func

    return decorator


def _claim(job_: Job) -> bool:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return True
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        return bool(client.set(f"jood:job:{job_.name}", "1", nx=True, ex=max(job_.every - 1, 1)))
    except redis.RedisError:
        # Without the claim another runner might run the job too: wait for Redis rather than risk it, and keep
        # the scheduler alive (it used to die here, taking every job down with it).
        current_app.logger.warning("job %s skipped: Redis unavailable for the claim", job_.name)
        return False


def run_job(job_: Job) -> tuple[bool, object]:
    """Run one job in its own unit of work; return (succeeded, result or error)."""
    try:
        with unit_of_work():  # commits, then seals the ledger transactions the job queued (payments it confirmed)
            result = job_.func()
        return True, result
    except Exception as error:  # noqa: BLE001 - a failing job must not stop the scheduler; it is logged loudly
        current_app.logger.error("job %s failed: %s", job_.name, error, exc_info=True)
        return False, error
    finally:
        db.session.remove()


@click.group("jobs", help="Periodic background jobs.")
def jobs_cli():
    pass


@jobs_cli.command("list")
@with_appcontext
def list_jobs():
    for item in sorted(REGISTRY.values(), key=lambda j: j.name):
        click.echo(f"{item.name}\tevery {item.every}s")


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Run every due job once and exit (for cron or tests).")
@click.option("--only", multiple=True, help="Run only these jobs.")
@click.option("--max-seconds", type=int, default=0, help="Stop after this long (0 = run until stopped).")
@with_appcontext
def run_jobs(once, only, max_seconds):
    selected = [j for j in REGISTRY.values() if not only or j.name in only]
    next_run = {j.name: 0.0 for j in selected}
    started = time.monotonic()
    failures = 0
    while True:
        now = time.monotonic()
        for item in selected:
            if now >= next_run[item.name] and _claim(item):
                ok, result = run_job(item)
                failures += not ok
                click.echo(f"{item.name}: {'ok' if ok else 'FAILED'} {result if result is not None else ''}".rstrip())
            if now >= next_run[item.name]:
                next_run[item.name] = now + item.every
        if once or (max_seconds and time.monotonic() - started >= max_seconds):
            break
        time.sleep(1)
    if once and failures:
        raise SystemExit(1)


"""Sign-in throttling per account: growing delays, never a lockout.

The per-address limits on /login do not stop guesses spread over many addresses, so failures are also counted per
account. After FREE_FAILURES failed sign-ins in WINDOW seconds, each further attempt must wait a delay that doubles
with every failure, up to MAX_DELAY seconds. Attempts made during the delay are refused without checking the
password. Someone else can therefore slow an account down, but never keep its owner out for longer than MAX_DELAY.

Counters live in the rate limiter's storage: Redis when REDIS_URL is set (shared by every worker and server),
memory otherwise. Keys hold a keyed hash of the e-mail address, never the address. If that storage is away, the
throttle lets sign-ins through (the per-address limits, which fall back to process memory, still apply): an outage
must not lock everyone out.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import math
import time

from flask import current_app

from jood.extensions import limiter

log = logging.getLogger(__name__)
FREE_FAILURES = 5
WINDOW = 15 * 60
MAX_DELAY = 60


def delay_for(failures: int) -> int:
    """Seconds the next attempt must wait after `failures` failures in the window (a plain rule, tested alone)."""
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES), MAX_DELAY)


def _account(email: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def _enabled() -> bool:
    return bool(limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True))


def _fail_open(default):
    def decorator(function):
        @functools.wraps(function)
        def wrapped(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:  # noqa: BLE001 - Redis away: no per-account throttle for now, never an error
                log.warning("sign-in throttle storage unavailable", exc_info=True)
                return default
        return wrapped
    return decorator


@_fail_open(0)
def wait_seconds(email: str) -> int:
    """How long this account's next sign-in attempt must still wait (0: go ahead)."""
    if not _enabled():
        return 0
    key = f"login-wait:{_account(email)}"
    if limiter.storage.get(key) <= 0:
        return 0
    return max(1, math.ceil(limiter.storage.get_expiry(key) - time.time()))


@_fail_open(None)
def note_failure(email: str) -> None:
    if not _enabled():
        return
    account = _account(email)
    failures = limiter.storage.incr(f"login-fail:{account}", WINDOW)
    delay = delay_for(failures)
    if delay:
        limiter.storage.clear(f"login-wait:{account}")
        limiter.storage.incr(f"login-wait:{account}", delay)


@_fail_open(None)
def note_success(email: str) -> None:
    if not _enabled():
        return
    account = _account(email)
    limiter.storage.clear(f"login-fail:{account}")
    limiter.storage.clear(f"login-wait:{account}")

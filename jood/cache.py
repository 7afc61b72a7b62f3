"""Whole-page caching for anonymous visitors, with ETags and invalidation on every relevant commit.

Anonymous pages (the catalog, a case page, the impact dashboard) are the same for every visitor in a language, so
they are rendered once and served from Redis (or process memory in the embedded mode) until something they show
changes. Correctness comes from a content version: every commit that touches a public table bumps it, and the
version is part of every cache key, so a stale page is never served after the change is committed. The TTL only
bounds memory.
"""

from __future__ import annotations

import hashlib
import threading
import time
from functools import wraps

from flask import current_app, g, make_response, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

VERSION_KEY = "jood:content-version"

# Tables whose changes never alter what an anonymous page shows.
PRIVATE_TABLES = frozenset({"users", "audit_entries", "alembic_version"})


class MemoryStore:
    """A small TTL store for the embedded mode (one process; several gunicorn workers each keep their own)."""

    def __init__(self, max_items: int = 2000):
        self._data: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()
        self._max = max_items

    def get(self, key: str):
        item = self._data.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def set(self, key: str, value, timeout: int) -> None:
        with self._lock:
            if len(self._data) >= self._max:
                self._data.clear()  # crude but bounded; the embedded mode serves few visitors
            self._data[key] = (time.monotonic() + timeout, value)

    def incr(self, key: str) -> int:
        with self._lock:
            value = int(self.get(key) or 0) + 1
            self._data[key] = (float("inf"), value)
            return value


class RedisStore:
    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def get(self, key: str):
        import pickle

        raw = self._redis.get(key)
        return pickle.loads(raw) if raw is not None else None  # noqa: S301 - written only by this app

    def set(self, key: str, value, timeout: int) -> None:
        import pickle

        self._redis.set(key, pickle.dumps(value), ex=timeout)

    def incr(self, key: str) -> int:
        return int(self._redis.incr(key))


def init_app(app) -> None:
    url = app.config.get("REDIS_URL")
    app.extensions["jood_cache"] = RedisStore(url) if url else MemoryStore()
    # Only with Redis: process memory cannot see another gunicorn worker's invalidation.
    app.config.setdefault("PAGE_CACHE_ENABLED", bool(url) and not app.config.get("TESTING"))


def store():
    return current_app.extensions["jood_cache"]


def content_version() -> int:
    """Read once per request: the version every cached page of this request is keyed on."""
    if "content_version" not in g:
        try:
            g.content_version = int(store().get(VERSION_KEY) or 0)
        except Exception:  # noqa: BLE001 - a cache outage must never break a page: just don't cache
            current_app.logger.warning("page cache unavailable", exc_info=True)
            g.content_version = None
    return g.content_version


def bump_content_version() -> None:
    try:
        store().incr(VERSION_KEY)
    except Exception:  # noqa: BLE001
        current_app.logger.error("could not invalidate the page cache", exc_info=True)


def _cacheable_request() -> bool:
    return (
        current_app.config["PAGE_CACHE_ENABLED"]
        and request.method == "GET"
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def cached_page(timeout: int = 300):
    """Serve an anonymous GET from the cache, keyed on content version, language and full URL; add an ETag."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from jood.i18n import current_language

            if not _cacheable_request() or content_version() is None:
                return view(*args, **kwargs)
            key = f"page:{content_version()}:{current_language()}:{request.full_path}"
            cached = store().get(key)
            if cached is None:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200 or response.headers.get("Set-Cookie"):
                    return response
                body = response.get_data()
                cached = (body, response.mimetype, hashlib.sha256(body).hexdigest()[:32])
                try:
                    store().set(key, cached, timeout)
                except Exception:  # noqa: BLE001
                    current_app.logger.warning("page cache write failed", exc_info=True)
            body, mimetype, etag = cached
            response = make_response(body)
            response.mimetype = mimetype
            response.set_etag(etag)
            response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
            response.vary.update(("Cookie", "Accept-Language"))
            return response.make_conditional(request)

        wrapped.allowed_roles = getattr(view, "allowed_roles", None)
        return wrapped

    return decorator


@event.listens_for(Session, "after_flush")
def _note_public_changes(session, flush_context):
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(getattr(obj, "__tablename__", None) not in PRIVATE_TABLES for obj in changed):
        session.info["public_content_changed"] = True


@event.listens_for(Session, "after_commit")
def _invalidate_after_commit(session):
    if session.info.pop("public_content_changed", False):
        try:
            bump_content_version()
        except RuntimeError:  # outside an app context (scripts): nothing cached to invalidate here
            pass


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_changes(session):
    session.info.pop("public_content_changed", None)

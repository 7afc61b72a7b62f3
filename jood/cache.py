"""Whole-page caching for anonymous visitors, with ETags and invalidation on every relevant commit.

Anonymous pages (the catalog, a case page, the impact dashboard, the public API) are the same for every visitor in
a language, so they are rendered once and served from Redis (or process memory in the embedded mode) until
something they show changes.

Correctness comes from one content version: every commit that touches a public table bumps it (after the commit,
so a page rendered from the new data is always stored under a version at least as new as the data). Each cached
entry carries the version it was rendered under, and a request reads the current version and the entry in one
atomic MGET (one round-trip): the entry is served only if the two versions are equal, otherwise the page is
rendered again and the entry overwritten. So a stale page is never served after a change is committed, whichever
process made the change. The TTL only bounds memory; there is one entry per URL and language (not per version).

An entry keeps the response whole: its body and the headers the app sent with it (its own, the ETag, the security
headers), never a cookie. Two paths serve it:
- `FastPath`, a WSGI layer in front of Flask, for visitors who carry no session, no remember-me cookie and no
  Authorization header (most anonymous readers: the session cookie appears only once a form is opened). It reads the
  entry with the same one MGET and answers without a request context, the session, the login manager or the
  template engine, counting the page view as the Flask hook would. A miss, or anything it cannot judge, goes on to
  Flask unchanged.
- `cached_page`, the view decorator, for every other anonymous visitor, and to fill the cache: it renders on a miss,
  and an after_request hook (run after the security headers are set) stores the final response.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from flask import current_app, g, make_response, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.http import parse_cookie, parse_etags

from jood.i18n import LANGUAGE_COOKIE, choose_language, current_language

DEFAULT_PREFIX = "jood:"  # PAGE_CACHE_PREFIX: a different one for each site (or test run) sharing a Redis

# Tables whose changes never alter what an anonymous page shows. Anything not listed here bumps the version: a
# table forgotten here costs a few cache misses, a table wrongly listed here would serve stale pages.
PRIVATE_TABLES = frozenset({
    "users", "audit_entries", "alembic_version",
    "gateway_events",  # webhook claims: the payment change they lead to bumps the version itself
    "checkout_locks",  # card-testing counters
    "receipt_queue",  # receipts waiting to be e-mailed
})


# Never kept in an entry: they belong to one response (a cookie, a client's rate-limit budget) or are set per response.
VOLATILE_HEADERS = frozenset({"set-cookie", "content-length", "date", "retry-after", "x-ratelimit-limit",
                              "x-ratelimit-remaining", "x-ratelimit-reset"})
# A 304 carries the validators and caching headers, not the body's own (RFC 9110, 15.4.5).
BODY_HEADERS = frozenset({"content-type", "content-disposition", "content-language", "content-encoding"})


class CachedPage(NamedTuple):
    version: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str


class MemoryStore:
    """A small TTL store for the embedded mode (one process; several gunicorn workers each keep their own)."""

    def __init__(self, prefix: str = DEFAULT_PREFIX, max_items: int = 2000):
        self.prefix, self.version_key = prefix, f"{prefix}content-version"
        self._data: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()
        self._max = max_items

    def get(self, key: str):
        item = self._data.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def version(self) -> int:
        return int(self.get(self.version_key) or 0)

    def version_and(self, key: str) -> tuple[int, object]:
        return self.version(), self.get(key)

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
    """Values are pickled (written only by this app); the version is a plain Redis integer."""

    def __init__(self, url: str, prefix: str = DEFAULT_PREFIX):
        import redis

        self.prefix, self.version_key = prefix, f"{prefix}content-version"
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    @staticmethod
    def _load(raw):
        return pickle.loads(raw) if raw is not None else None  # noqa: S301 - written only by this app

    def get(self, key: str):
        return self._load(self._redis.get(key))

    def version(self) -> int:
        return int(self._redis.get(self.version_key) or 0)  # a plain integer (INCR), not pickled

    def version_and(self, key: str) -> tuple[int, object]:
        """The content version and the entry under `key`, in one round-trip; MGET reads both at the same instant."""
        version, raw = self._redis.mget((self.version_key, key))
        return int(version or 0), self._load(raw)

    def set(self, key: str, value, timeout: int) -> None:
        self._redis.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=timeout)

    def incr(self, key: str) -> int:
        return int(self._redis.incr(key))


def init_app(app) -> None:
    url, prefix = app.config.get("REDIS_URL"), app.config.get("PAGE_CACHE_PREFIX", DEFAULT_PREFIX)
    app.extensions["jood_cache"] = RedisStore(url, prefix) if url else MemoryStore(prefix)
    # Only with Redis: process memory cannot see another gunicorn worker's invalidation.
    app.config.setdefault("PAGE_CACHE_ENABLED", bool(url) and not app.config.get("TESTING"))


def store():
    return current_app.extensions["jood_cache"]


def content_version() -> int | None:
    """The current content version (read once per request), or None when the cache is unavailable."""
    if "content_version" not in g:
        try:
            g.content_version = store().version()
        except Exception:  # noqa: BLE001 - a cache outage must never break a page: just don't cache
            current_app.logger.warning("page cache unavailable", exc_info=True)
            g.content_version = None
    return g.content_version


def bump_content_version() -> None:
    try:
        store().incr(store().version_key)
    except Exception:  # noqa: BLE001
        current_app.logger.error("could not invalidate the page cache", exc_info=True)


def _cacheable_request() -> bool:
    return (
        current_app.config["PAGE_CACHE_ENABLED"]
        and request.method in ("GET", "HEAD")
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def page_key_for(prefix: str, language: str, environ: dict) -> str:
    """Language and full URL (scheme, host, path and query string, as received): every filter and sort is its own
    entry, and a forged Host header can only fill an entry of its own, never poison the real host's pages."""
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    url = f"{environ['wsgi.url_scheme']}://{host}{environ.get('SCRIPT_NAME', '')}{environ.get('PATH_INFO', '')}"
    query = environ.get("QUERY_STRING")
    return f"{prefix}page:{language}:{url}?{query}" if query else f"{prefix}page:{language}:{url}"


def page_key() -> str:
    return page_key_for(store().prefix, current_language(), request.environ)


def _lookup(key: str) -> tuple[int | None, tuple | None]:
    """(current version, the entry if it was rendered under that version) in one round-trip."""
    try:
        version, entry = store().version_and(key)
    except Exception:  # noqa: BLE001 - a cache outage must never break a page: just don't cache
        current_app.logger.warning("page cache unavailable", exc_info=True)
        return None, None
    g.content_version = version
    if entry is None or entry[0] != version:
        return version, None
    return version, entry


def _remember(key: str, entry: tuple, timeout: int) -> None:
    try:
        store().set(key, entry, timeout)
    except Exception:  # noqa: BLE001 - a cache outage must never break a page: it is simply not kept
        current_app.logger.warning("page cache write failed", exc_info=True)


def cached_page(timeout: int = 300):
    """Serve an anonymous GET from the cache, keyed on language and full URL, checked against the content version;
    with an ETag so that a browser (or a CDN) revalidates with a 304 and no body.

    Only for pages that are the same for every anonymous visitor: no CSRF token, nothing from the session. A view
    may set its own headers (Cache-Control, Content-Disposition): they are kept with the page.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not _cacheable_request():
                return view(*args, **kwargs)
            key = page_key()
            version, entry = _lookup(key)
            if version is None:
                return view(*args, **kwargs)
            if isinstance(entry, CachedPage):
                response = current_app.response_class(entry.body, headers=list(entry.headers))
                return response.make_conditional(request)
            g.page_cache_fill = (key, version, timeout)  # stored by store_filled_page once the response is final
            return make_response(view(*args, **kwargs))

        wrapped.allowed_roles = getattr(view, "allowed_roles", None)
        return wrapped

    return decorator


def store_filled_page(response):
    """after_request hook, registered to run after the security headers: keep a page rendered on a miss whole."""
    fill = g.pop("page_cache_fill", None)
    if fill is None or response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers:
        return response
    key, version, timeout = fill
    body = response.get_data()
    etag = response.get_etag()[0]
    if etag is None:
        etag = hashlib.sha256(body).hexdigest()[:32]
        response.set_etag(etag)
    response.headers.setdefault("Cache-Control", "public, max-age=0, must-revalidate")
    response.vary.update(("Cookie", "Accept-Language"))
    headers = tuple((name, value) for name, value in response.headers.items()
                    if name.lower() not in VOLATILE_HEADERS)
    _remember(key, CachedPage(version, body, headers, etag), timeout)
    return response.make_conditional(request)


class FastPath:
    """WSGI middleware: a current cached page for a visitor without a session, straight from the cache.

    Such a visitor gets from Flask exactly the stored response (`cached_page` serves them the entry, and nothing
    per-visitor is added), so this layer answers alone: one MGET, the page view counted by `count_view(environ)`,
    the conditional request answered, and no Flask request context. Anything else goes on to Flask.
    """

    def __init__(self, wsgi_app, app, count_view: Callable[[dict], None] | None = None):
        self.wsgi_app, self.app, self.count_view = wsgi_app, app, count_view
        self.static_prefix = (app.static_url_path or "/static").rstrip("/") + "/"

    def __call__(self, environ, start_response):
        entry = self._current_entry(environ)
        if entry is None:
            return self.wsgi_app(environ, start_response)
        if self.count_view is not None:
            self.count_view(environ)
        if parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains(entry.etag):
            start_response("304 Not Modified",
                           [(name, value) for name, value in entry.headers if name.lower() not in BODY_HEADERS])
            return [b""]
        start_response("200 OK", [*entry.headers, ("Content-Length", str(len(entry.body)))])
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def _current_entry(self, environ) -> CachedPage | None:
        config = self.app.config
        if (not config["PAGE_CACHE_ENABLED"] or environ["REQUEST_METHOD"] not in ("GET", "HEAD")
                or "HTTP_AUTHORIZATION" in environ
                or environ.get("PATH_INFO", "").startswith(self.static_prefix)):  # never cached: no round trip
            return None
        cookies = parse_cookie(environ) if "HTTP_COOKIE" in environ else {}
        if config["SESSION_COOKIE_NAME"] in cookies or config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
            return None
        language = choose_language(cookies.get(LANGUAGE_COOKIE), environ.get("HTTP_ACCEPT_LANGUAGE"),
                                   tuple(config["LANGUAGES"]), config["BABEL_DEFAULT_LOCALE"])
        cache = self.app.extensions["jood_cache"]
        try:
            version, entry = cache.version_and(page_key_for(cache.prefix, language, environ))
        except Exception:  # noqa: BLE001 - a cache outage must never break a page: Flask renders it
            return None
        return entry if isinstance(entry, CachedPage) and entry.version == version else None


@event.listens_for(Session, "after_flush")
def _note_public_changes(session, flush_context):
    if session.info.get("public_content_changed"):
        return
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

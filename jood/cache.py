"""Whole-page caching for anonymous visitors, with ETags and invalidation on every relevant commit.

Anonymous pages (the catalog, a case page, the impact dashboard, the public API) are the same for every visitor in
a language, so they are rendered once and served from Redis (or process memory in the embedded mode) until
something they show changes.

Correctness comes from tags. Each cached view names the tags of what it shows (``case:<code>``, ``catalog``,
``impact``, ``ledger``, ``charity:<slug>``, ``policy``...), and every service that changes such content names the
tags it changed (``refresh(...)``), which are bumped once its unit of work commits (after the commit, so a page
rendered from the new data is always stored under versions at least as new as the data). Every page also depends
on ``site``, bumped for rare changes that touch everything (a charity suspended, a backup restored). An entry
carries the versions of its tags when it was rendered; a request reads the current versions and the entry in one
atomic MGET (one round-trip) and serves the entry only if they are all equal, otherwise the page is rendered again
and the entry overwritten. So a stale page is never served after a change is committed, whichever process made the
change, and a gift to one case leaves every other case's page cached. The TTL only bounds memory; there is one
entry per URL and language.

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
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import NamedTuple

from flask import current_app, g, make_response, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_cookie, parse_etags
from werkzeug.routing import RequestRedirect

from jood.i18n import LANGUAGE_COOKIE, choose_language, current_language

DEFAULT_PREFIX = "jood:"  # PAGE_CACHE_PREFIX: a different one for each site (or test run) sharing a Redis

SITE = "site"  # the tag every page depends on
PENDING_TAGS = "jood_cache_tags"  # session.info key: tags to bump once the current unit of work commits

# Never kept in an entry: they belong to one response (a cookie, a client's rate-limit budget) or are set per response.
VOLATILE_HEADERS = frozenset({"set-cookie", "content-length", "date", "retry-after", "x-ratelimit-limit",
                              "x-ratelimit-remaining", "x-ratelimit-reset"})
# A 304 carries the validators and caching headers, not the body's own (RFC 9110, 15.4.5).
BODY_HEADERS = frozenset({"content-type", "content-disposition", "content-language", "content-encoding"})


class CachedPage(NamedTuple):
    versions: tuple[int, ...]  # of the page's tags (``site`` first) when it was rendered
    body: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str


class MemoryStore:
    """A small TTL store for the embedded mode (one process; several gunicorn workers each keep their own)."""

    def __init__(self, prefix: str = DEFAULT_PREFIX, max_items: int = 2000):
        self.prefix = prefix
        self._data: dict[str, tuple[float, object]] = {}
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()
        self._max = max_items

    def get(self, key: str):
        item = self._data.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def lookup(self, tag_keys: tuple[str, ...], key: str) -> tuple[tuple[int, ...], object]:
        return tuple(self._versions.get(tag, 0) for tag in tag_keys), self.get(key)

    def set(self, key: str, value, timeout: int) -> None:
        with self._lock:
            if len(self._data) >= self._max:
                self._data.clear()  # crude but bounded; the embedded mode serves few visitors
            self._data[key] = (time.monotonic() + timeout, value)

    def bump(self, tag_keys) -> None:
        with self._lock:
            for tag in tag_keys:
                self._versions[tag] = self._versions.get(tag, 0) + 1


class RedisStore:
    """Values are pickled (written only by this app); tag versions are plain Redis integers."""

    def __init__(self, url: str, prefix: str = DEFAULT_PREFIX):
        import redis

        self.prefix = prefix
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    @staticmethod
    def _load(raw):
        return pickle.loads(raw) if raw is not None else None  # noqa: S301 - written only by this app

    def get(self, key: str):
        return self._load(self._redis.get(key))

    def lookup(self, tag_keys: tuple[str, ...], key: str) -> tuple[tuple[int, ...], object]:
        """The versions of `tag_keys` and the entry under `key`, in one round-trip; MGET reads them at one instant."""
        *versions, raw = self._redis.mget((*tag_keys, key))
        return tuple(int(version or 0) for version in versions), self._load(raw)

    def set(self, key: str, value, timeout: int) -> None:
        self._redis.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=timeout)

    def bump(self, tag_keys) -> None:
        pipeline = self._redis.pipeline(transaction=False)
        for tag in tag_keys:
            pipeline.incr(tag)
        pipeline.execute()


def init_app(app) -> None:
    url, prefix = app.config.get("REDIS_URL"), app.config.get("PAGE_CACHE_PREFIX", DEFAULT_PREFIX)
    app.extensions["jood_cache"] = RedisStore(url, prefix) if url else MemoryStore(prefix)
    # Only with Redis: process memory cannot see another gunicorn worker's invalidation.
    app.config.setdefault("PAGE_CACHE_ENABLED", bool(url) and not app.config.get("TESTING"))


def store():
    return current_app.extensions["jood_cache"]


def _tag_key(prefix: str, tag: str) -> str:
    return f"{prefix}tag:{tag}"


def tag_keys_for(prefix: str, tags) -> tuple[str, ...]:
    """The keys of a page's tag versions: ``site`` first, then its own."""
    return tuple(_tag_key(prefix, tag) for tag in (SITE, *tags))


def bump(*tags: str) -> None:
    """Bump `tags` now: every page depending on one of them is rendered again on its next request."""
    try:
        cache = store()
        cache.bump([_tag_key(cache.prefix, tag) for tag in tags])
    except RuntimeError:  # outside an app context (scripts): nothing cached to invalidate here
        pass
    except Exception:  # noqa: BLE001
        current_app.logger.error("could not invalidate the page cache", exc_info=True)


def refresh_all() -> None:
    """Every cached page is stale now (a restored database, a raw statement in the tests)."""
    bump(SITE)


def refresh(*tags: str) -> None:
    """Pages showing `tags` are rendered again once the current unit of work commits (nothing if it rolls back)."""
    from jood.extensions import db

    db.session.info.setdefault(PENDING_TAGS, set()).update(tags)


@event.listens_for(Session, "after_commit")
def _bump_refreshed_tags(session):
    tags = session.info.pop(PENDING_TAGS, None)
    if tags:
        bump(*sorted(tags))


@event.listens_for(Session, "after_rollback")
def _forget_refreshed_tags(session):
    session.info.pop(PENDING_TAGS, None)


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


def _lookup(key: str, tags: tuple[str, ...]) -> tuple[tuple[int, ...] | None, CachedPage | None]:
    """(current versions of the page's tags, the entry if it was rendered under them) in one round-trip."""
    cache = store()
    try:
        versions, entry = cache.lookup(tag_keys_for(cache.prefix, tags), key)
    except Exception:  # noqa: BLE001 - a cache outage must never break a page: just don't cache
        current_app.logger.warning("page cache unavailable", exc_info=True)
        return None, None
    if not isinstance(entry, CachedPage) or entry.versions != versions:
        return versions, None
    return versions, entry


def _remember(key: str, entry: tuple, timeout: int) -> None:
    try:
        store().set(key, entry, timeout)
    except Exception:  # noqa: BLE001 - a cache outage must never break a page: it is simply not kept
        current_app.logger.warning("page cache write failed", exc_info=True)


def cached_page(*tags: str, timeout: int = 300):
    """Serve an anonymous GET from the cache, keyed on language and full URL, valid while none of `tags` (and
    ``site``) was bumped; with an ETag so that a browser (or a CDN) revalidates with a 304 and no body.

    A tag may name the view's URL arguments: ``"case:{code}"``. Only for pages that are the same for every anonymous
    visitor: no CSRF token, nothing from the session. A view may set its own headers (Cache-Control,
    Content-Disposition): they are kept with the page.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not _cacheable_request():
                return view(*args, **kwargs)
            key, page_tags = page_key(), tuple(tag.format(**kwargs) for tag in tags)
            versions, entry = _lookup(key, page_tags)
            if versions is None:
                return view(*args, **kwargs)
            if entry is not None:
                response = current_app.response_class(entry.body, headers=list(entry.headers))
                return response.make_conditional(request)
            g.page_cache_fill = (key, versions, timeout)  # stored by store_filled_page once the response is final
            return make_response(view(*args, **kwargs))

        if hasattr(view, "allowed_roles"):  # a view that declared no tier stays undeclared (the access test sees it)
            wrapped.allowed_roles = view.allowed_roles
        wrapped.cache_tags = tags
        return wrapped

    return decorator


def store_filled_page(response):
    """after_request hook, registered to run after the security headers: keep a page rendered on a miss whole."""
    fill = g.pop("page_cache_fill", None)
    if fill is None or response.status_code != 200 or response.is_streamed or "Set-Cookie" in response.headers:
        return response
    key, versions, timeout = fill
    body = response.get_data()
    etag = response.get_etag()[0]
    if etag is None:
        etag = hashlib.sha256(body).hexdigest()[:32]
        response.set_etag(etag)
    response.headers.setdefault("Cache-Control", "public, max-age=0, must-revalidate")
    response.vary.update(("Cookie", "Accept-Language"))
    headers = tuple((name, value) for name, value in response.headers.items()
                    if name.lower() not in VOLATILE_HEADERS)
    _remember(key, CachedPage(versions, body, headers, etag), timeout)
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
        tags = self._page_tags(environ)
        if tags is None:
            return None
        language = choose_language(cookies.get(LANGUAGE_COOKIE), environ.get("HTTP_ACCEPT_LANGUAGE"),
                                   tuple(config["LANGUAGES"]), config["BABEL_DEFAULT_LOCALE"])
        cache = self.app.extensions["jood_cache"]
        try:
            versions, entry = cache.lookup(tag_keys_for(cache.prefix, tags),
                                           page_key_for(cache.prefix, language, environ))
        except Exception:  # noqa: BLE001 - a cache outage must never break a page: Flask renders it
            return None
        return entry if isinstance(entry, CachedPage) and entry.versions == versions else None

    def _page_tags(self, environ) -> tuple[str, ...] | None:
        """The tags of the cached view this URL routes to (None: not a cached view, or not routable here)."""
        try:
            endpoint, arguments = self.app.url_map.bind_to_environ(environ).match()
        except (HTTPException, RequestRedirect):
            return None
        tags = getattr(self.app.view_functions.get(endpoint), "cache_tags", None)
        if tags is None:
            return None
        return tuple(tag.format(**arguments) for tag in tags)


class FragmentMemo:
    """Rendered HTML fragments kept in the worker's memory, keyed by everything they show (so an entry is never
    stale: a change of what it shows is a new key), in a bounded LRU where old states age out. For parts of the
    uncached pages that are the same for every visitor: the case cards, the site's header and footer."""

    def __init__(self, max_items: int = 4096):
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_items

    def get(self, key: tuple):
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
            return html

    def put(self, key: tuple, html) -> None:
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def remembered(self, key: tuple, render: Callable[[], object]):
        html = self.get(key)
        if html is None:
            html = render()
            self.put(key, html)
        return html

    def __len__(self) -> int:
        return len(self._items)


def fragments() -> FragmentMemo:
    """The app's fragment memo (one per app, so that two apps in one process never share an entry)."""
    return current_app.extensions.setdefault("jood_fragments", FragmentMemo())

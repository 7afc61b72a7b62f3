"""Visitor counting without cookies and without storing IP addresses.

A visit is identified by sha256(salt, day, IP address, user agent), where the salt is random for each Riyadh day and
shared by every app process through its row in `visitor_salts`. Only two numbers per day are kept for good
(`visitor_days`). The salted hashes of today (and of yesterday, so that a process still flushing yesterday's visits
just after midnight does not count a visitor twice) sit in `visitor_hashes` to tell a new visitor from a returning
one; at each day change the old salt rows are deleted and hashes older than yesterday are purged. With the salt
gone, a stored hash cannot be tied back to an address, even by trying every IPv4 address.

Cost: a page view costs a hash and a set lookup in memory. Each process batches its views and writes them every
`VISITOR_FLUSH_SECONDS` (10 by default; 0 writes on every view), in one transaction of two statements: an
INSERT ... ON CONFLICT DO NOTHING RETURNING of the new hashes (the database's primary key decides who is new, so
several processes counting the same visitor at once count it once) and one upsert of the day's counters
(`page_views = page_views + n`, atomic on PostgreSQL and SQLite). The figures therefore lag by at most that interval;
views still buffered when a process is killed are lost (a process that exits normally flushes them).

`init_app(app)` registers `count_visit` as a before_request hook for GET page views (not static files, /api,
/healthz, feeds or known bots).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask import request as current_request
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Request

from jood.core.db import upsert_insert, utcnow
from jood.core.timezone import local_today
from jood.extensions import db
from jood.transparency.models import VisitorDay, VisitorHash, VisitorSalt

log = logging.getLogger(__name__)

EXTENSION_KEY = "jood_visitors"
SKIPPED_PREFIXES = ("/api/", "/static/", "/healthz")
SKIPPED_SUFFIXES = (".csv", ".json", ".xml", ".txt", ".ico", ".png", ".svg", ".pdf")
BOTS = re.compile(r"bot|crawl|spider|slurp|fetch|preview|monitor|headless|curl|wget|python-|httpx|go-http|java/",
                  re.IGNORECASE)
SEEN_LIMIT = 100_000  # hashes a process remembers having sent today (only saves writes; the database decides)


def visitor_hash(salt: bytes, day: date, ip: str, user_agent: str) -> str:
    material = b"\x00".join([salt, day.isoformat().encode(), ip.encode(), user_agent.encode()])
    return hashlib.sha256(material).hexdigest()


def should_count(req) -> bool:
    """GET page views of real pages by (probably) people."""
    if req.url_rule is None or req.endpoint == "static":
        return False
    return is_page_view(req)


def is_page_view(req) -> bool:
    """A GET of a page by (probably) a person; `req` may be a plain Werkzeug request (no routing information)."""
    if req.method != "GET":
        return False
    path = req.path
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return False
    if req.accept_mimetypes and not req.accept_mimetypes.accept_html:
        return False
    if "prefetch" in (req.headers.get("Sec-Purpose", "") + req.headers.get("Purpose", "")).lower():
        return False
    return not BOTS.search(req.user_agent.string or "")


class VisitorCounter:
    """Per-process buffer of today's visits, written in batches. Thread-safe."""

    def __init__(self, flush_seconds: float = 10.0, max_pending: int = 500):
        self.flush_seconds = flush_seconds
        self.max_pending = max_pending
        self._lock = threading.Lock()
        self._engine = None
        self._day: date | None = None
        self._salt: bytes | None = None
        self._seen: set[str] = set()
        self._pending: set[str] = set()
        self._views = 0
        self._last_flush = time.monotonic()

    def visit(self, ip: str, user_agent: str, *, engine, now: datetime | None = None) -> None:
        day = local_today(now or utcnow())
        with self._lock:
            self._engine = engine
            if day != self._day:
                self._flush_locked()
                self._start_day(day)
            digest = visitor_hash(self._salt, day, ip, user_agent)
            self._views += 1
            if digest not in self._seen:
                self._pending.add(digest)
            due = time.monotonic() - self._last_flush >= self.flush_seconds
            if due or len(self._pending) >= self.max_pending:
                self._flush_locked()

    def flush(self) -> None:
        with self._lock:
            self._flush_locked()

    def _start_day(self, day: date) -> None:
        """Fetch (or create) the day's shared salt and drop what belongs to earlier days."""
        with self._engine.begin() as connection:
            connection.execute(
                upsert_insert(self._engine.dialect.name, VisitorSalt.__table__)
                .values(day=day, salt=secrets.token_bytes(32))
                .on_conflict_do_nothing(index_elements=["day"])
            )
            self._salt = connection.execute(select(VisitorSalt.salt).where(VisitorSalt.day == day)).scalar_one()
            connection.execute(delete(VisitorSalt).where(VisitorSalt.day < day))
            connection.execute(delete(VisitorHash).where(VisitorHash.day < day - timedelta(days=1)))
        self._day = day
        self._seen.clear()

    def _flush_locked(self) -> None:
        self._last_flush = time.monotonic()
        if self._day is None or not self._views:
            return
        day, digests, views = self._day, sorted(self._pending), self._views
        with self._engine.begin() as connection:
            new = 0
            if digests:
                inserted = connection.execute(
                    upsert_insert(self._engine.dialect.name, VisitorHash.__table__)
                    .values([{"day": day, "digest": digest} for digest in digests])
                    .on_conflict_do_nothing(index_elements=["day", "digest"])
                    .returning(VisitorHash.digest)
                )
                new = len(inserted.all())
            upsert = upsert_insert(self._engine.dialect.name, VisitorDay.__table__).values(
                day=day, unique_visitors=new, page_views=views
            )
            table = VisitorDay.__table__
            connection.execute(upsert.on_conflict_do_update(
                index_elements=["day"],
                set_={
                    "unique_visitors": table.c.unique_visitors + upsert.excluded.unique_visitors,
                    "page_views": table.c.page_views + upsert.excluded.page_views,
                },
            ))
        if len(self._seen) + len(digests) > SEEN_LIMIT:
            self._seen.clear()
        self._seen.update(digests)
        self._pending.clear()
        self._views = 0


def counter_for(app) -> VisitorCounter:
    counter = app.extensions.get(EXTENSION_KEY)
    if counter is None:
        counter = VisitorCounter(flush_seconds=app.config.get("VISITOR_FLUSH_SECONDS", 10.0))
        app.extensions[EXTENSION_KEY] = counter
    return counter


def count_visit(req=None) -> None:
    """Count one page view of `req` (the current request by default)."""
    req = req if req is not None else current_request
    if should_count(req):
        _record_visit(req)


def _record_visit(req) -> None:
    """Never breaks the page it counts."""
    try:
        counter_for(current_app._get_current_object()).visit(
            req.remote_addr or "", req.user_agent.string or "", engine=db.engine
        )
    except SQLAlchemyError:
        log.warning("visitor count skipped", exc_info=True)


def environ_counter(app) -> Callable[[dict], None]:
    """Counts a page view from a WSGI environ, for pages answered before Flask routes them (the page cache's fast
    path serves only pages that exist, so the routing check is not needed)."""

    def count(environ: dict) -> None:
        req = Request(environ)
        if is_page_view(req):
            with app.app_context():
                _record_visit(req)

    return count


def init_app(app) -> None:
    """Register the counting hook; call it from the app factory."""
    if app.extensions.get("jood_visitor_hook"):
        return  # already registered (the app factory does it; a test may call again)
    app.extensions["jood_visitor_hook"] = True
    counter = counter_for(app)
    app.before_request(count_visit)

    def flush_at_exit():
        try:
            if counter._engine is not None:
                counter.flush()
        except SQLAlchemyError:
            log.warning("visitor flush at exit failed", exc_info=True)

    atexit.register(flush_at_exit)


# --- Reading ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitorTotals:
    visitors: int  # the sum of daily unique visitors (a person returning on another day counts again)
    page_views: int


def daily_counts(first: date, last: date) -> list[VisitorDay]:
    return list(db.session.scalars(
        select(VisitorDay).where(VisitorDay.day >= first, VisitorDay.day <= last).order_by(VisitorDay.day)
    ))


def totals(first: date, last: date) -> VisitorTotals:
    visitors, views = db.session.execute(
        select(func.coalesce(func.sum(VisitorDay.unique_visitors), 0),
               func.coalesce(func.sum(VisitorDay.page_views), 0))
        .where(VisitorDay.day >= first, VisitorDay.day <= last)
    ).one()
    return VisitorTotals(int(visitors), int(views))

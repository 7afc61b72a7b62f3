"""Cookieless visitor counting: a salted daily hash, the salt rotated and discarded, only per-day counts kept."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, text

from jood import create_app
from jood.extensions import db
from jood.transparency import visitors
from jood.transparency.models import VisitorDay, VisitorHash, VisitorSalt
from jood.transparency.visitors import VisitorCounter, should_count, totals, visitor_hash

UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
NOON = datetime(2026, 7, 1, 9, tzinfo=UTC)  # 12:00 in Riyadh


def _day(day: date) -> VisitorDay | None:
    db.session.expire_all()
    return db.session.get(VisitorDay, day)


def test_the_hash_depends_on_salt_day_address_and_browser():
    base = visitor_hash(b"s" * 32, date(2026, 7, 1), "10.0.0.1", UA)
    assert len(base) == 64
    assert base != visitor_hash(b"t" * 32, date(2026, 7, 1), "10.0.0.1", UA)
    assert base != visitor_hash(b"s" * 32, date(2026, 7, 2), "10.0.0.1", UA)
    assert base != visitor_hash(b"s" * 32, date(2026, 7, 1), "10.0.0.2", UA)
    assert base != visitor_hash(b"s" * 32, date(2026, 7, 1), "10.0.0.1", UA + "x")


def test_unique_visitors_and_page_views_per_day():
    counter = VisitorCounter(flush_seconds=0)
    for ip, ua in [("10.0.0.1", UA), ("10.0.0.1", UA), ("10.0.0.1", UA + " mobile"), ("10.0.0.2", UA)]:
        counter.visit(ip, ua, engine=db.engine, now=NOON)
    day = _day(date(2026, 7, 1))
    assert (day.unique_visitors, day.page_views) == (3, 4)
    assert totals(date(2026, 7, 1), date(2026, 7, 31)) == visitors.VisitorTotals(3, 4)


def test_batched_views_are_written_once_due_or_flushed():
    counter = VisitorCounter(flush_seconds=3600)
    counter.visit("10.0.0.1", UA, engine=db.engine, now=NOON)  # the first visit of the day starts it: no write
    counter.visit("10.0.0.1", UA, engine=db.engine, now=NOON)
    counter.visit("10.0.0.9", UA, engine=db.engine, now=NOON)
    assert _day(date(2026, 7, 1)) is None
    counter.flush()
    day = _day(date(2026, 7, 1))
    assert (day.unique_visitors, day.page_views) == (2, 3)


def test_no_address_or_browser_string_is_stored_anywhere():
    counter = VisitorCounter(flush_seconds=0)
    counter.visit("203.0.113.77", "SecretBrowser/9.9", engine=db.engine, now=NOON)
    with db.engine.connect() as connection:
        for table in ("visitor_days", "visitor_salts", "visitor_hashes"):
            dump = repr(connection.execute(text(f"SELECT * FROM {table}")).all())  # noqa: S608
            assert "203.0.113.77" not in dump and "SecretBrowser" not in dump


def test_the_salt_is_rotated_and_old_hashes_purged_when_the_day_changes():
    counter = VisitorCounter(flush_seconds=0)
    counter.visit("10.0.0.1", UA, engine=db.engine, now=NOON)
    first_salt = db.session.scalar(select(VisitorSalt.salt))
    counter.visit("10.0.0.1", UA, engine=db.engine, now=NOON + timedelta(days=1))
    db.session.expire_all()
    salts = db.session.execute(select(VisitorSalt.day, VisitorSalt.salt)).all()
    assert len(salts) == 1 and salts[0][0] == date(2026, 7, 2) and salts[0][1] != first_salt
    # Yesterday's hashes stay one more day (for late writers), then go.
    assert db.session.scalar(select(VisitorHash.day).where(VisitorHash.day == date(2026, 7, 1))) is not None
    counter.visit("10.0.0.1", UA, engine=db.engine, now=NOON + timedelta(days=2))
    days = set(db.session.scalars(select(VisitorHash.day)))
    assert days == {date(2026, 7, 2), date(2026, 7, 3)}
    # The same person on three days is one visitor each day; the counts stay.
    assert [(row.day.day, row.unique_visitors) for row in db.session.scalars(
        select(VisitorDay).order_by(VisitorDay.day))] == [(1, 1), (2, 1), (3, 1)]


def test_riyadh_midnight_starts_a_new_day():
    counter = VisitorCounter(flush_seconds=0)
    counter.visit("10.0.0.1", UA, engine=db.engine, now=datetime(2026, 7, 1, 20, 59, tzinfo=UTC))
    counter.visit("10.0.0.1", UA, engine=db.engine, now=datetime(2026, 7, 1, 21, 1, tzinfo=UTC))
    assert _day(date(2026, 7, 1)).page_views == 1 and _day(date(2026, 7, 2)).page_views == 1


def test_two_processes_count_a_visitor_once_and_share_the_salt():
    first, second = VisitorCounter(flush_seconds=0), VisitorCounter(flush_seconds=0)
    first.visit("10.0.0.1", UA, engine=db.engine, now=NOON)
    second.visit("10.0.0.1", UA, engine=db.engine, now=NOON)
    second.visit("10.0.0.2", UA, engine=db.engine, now=NOON)
    assert first._salt == second._salt
    day = _day(date(2026, 7, 1))
    assert (day.unique_visitors, day.page_views) == (2, 3)


def test_concurrent_visits_are_all_counted():
    counters = [VisitorCounter(flush_seconds=0) for _ in range(4)]  # four "processes"
    errors, engine = [], db.engine

    def browse(counter, worker):
        try:
            for n in range(15):
                counter.visit(f"10.1.{worker}.{n % 5}", UA, engine=engine, now=NOON)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=browse, args=(counters[w % 4], w)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    day = _day(date(2026, 7, 1))
    assert (day.unique_visitors, day.page_views) == (8 * 5, 8 * 15)


@pytest.mark.parametrize(("method", "path", "headers", "counted"), [
    ("GET", "/", {"User-Agent": UA, "Accept": "text/html"}, True),
    ("GET", "/", {"User-Agent": UA}, True),
    ("POST", "/", {"User-Agent": UA}, False),
    ("GET", "/static/css/jood.css", {"User-Agent": UA}, False),
    ("GET", "/api/v1/stats", {"User-Agent": UA}, False),
    ("GET", "/healthz", {"User-Agent": UA}, False),
    ("GET", "/", {"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"}, False),
    ("GET", "/", {"User-Agent": "Mozilla/5.0 HeadlessChrome/140"}, False),
    ("GET", "/", {"User-Agent": UA, "Accept": "application/json"}, False),
    ("GET", "/", {"User-Agent": UA, "Sec-Purpose": "prefetch"}, False),
    ("GET", "/no-such-page", {"User-Agent": UA}, False),
])
def test_only_page_views_by_people_count(method, path, headers, counted):
    app = Flask(__name__)
    for rule in ("/", "/static/css/jood.css", "/api/v1/stats", "/healthz"):
        app.add_url_rule(rule, rule, lambda: "")
    with app.test_request_context(path, method=method, headers=headers) as context:
        try:
            context.request.url_rule = app.url_map.bind("localhost").match(path, method="GET", return_rule=True)[0]
        except Exception:  # noqa: BLE001 - an unknown page has no rule
            context.request.url_rule = None
        assert should_count(context.request) is counted


def test_init_app_counts_pages_through_a_before_request_hook(app, tmp_path):
    counted_app = create_app({
        "TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "VISITOR_FLUSH_SECONDS": 0, "MAIL_OUTBOX": str(tmp_path), "RATELIMIT_STORAGE_URI": "memory://",
    })
    visitors.init_app(counted_app)
    client = counted_app.test_client()
    headers = {"User-Agent": UA, "Accept": "text/html"}
    assert client.get("/", headers=headers).status_code == 200
    assert client.get("/about", headers=headers).status_code == 200
    client.get("/static/css/jood.css", headers=headers)
    client.get("/", headers={"User-Agent": "curl/8.0"})
    with counted_app.app_context():
        rows = db.session.scalars(select(VisitorDay)).all()
        assert [(row.unique_visitors, row.page_views) for row in rows] == [(1, 2)]
        db.session.remove()
        db.engines[None].dispose()
    assert "Set-Cookie" not in client.get("/", headers=headers).headers  # counting sets no cookie

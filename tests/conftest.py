"""Fixtures in the manner of flaskr and Indico: one app per session, a clean database per test.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set; the schema is built by the
real Alembic migrations, so a migration that breaks on either database fails the suite.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import threading

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, func, select, text
from werkzeug.serving import make_server

from jood import create_app
from jood.auth import services as accounts
from jood.auth.roles import Role
from jood.cache import refresh_all
from jood.charities.models import Charity, CharityStatus
from jood.config import normalise_database_url
from jood.core.db import utcnow
from jood.core.unit import unit_of_work
from jood.donations import services as giving
from jood.donations.models import Donation
from jood.extensions import db, limiter
from jood.payments import services as payments
from jood.payments.states import PaymentEvent

PASSWORD = "correct-horse-battery"
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'jood-test.sqlite3'}"


class IsolatedClient(FlaskClient):
    """Run each request in an empty context, as a server would.

    The tests hold an app context open (for factories and assertions); without this, Flask would reuse it for
    every request, sharing `g`, the database session, the cached locale and the signed-in user between requests.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def _reset_schema() -> None:
    """Start PostgreSQL runs from an empty schema (a previous run may have left tables behind)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    outbox = tmp_path_factory.mktemp("outbox")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "MAIL_OUTBOX": str(outbox),
            "RATELIMIT_STORAGE_URI": "memory://",
            "VISITOR_COUNTING": False,  # tests/transparency/test_visitors.py turns it on for its own app
            "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
            "SHARECARD_CACHE_DIR": str(tmp_path_factory.mktemp("sharecards")),
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        _reset_schema()
        upgrade()
    return app


def _truncate_all() -> None:
    tables = [table.name for table in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))  # no row triggers
        else:
            with _sqlite_triggers_dropped(connection):  # the append-only triggers refuse DELETE
                for name in reversed(tables):
                    connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - table names from our metadata


@contextlib.contextmanager
def _sqlite_triggers_dropped(connection):
    triggers = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
    for name, _ in triggers:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _, sql in triggers:
        connection.execute(text(sql))


@contextlib.contextmanager
def append_only_suspended():
    """For tests that play an attacker with the database owner's rights: corrupt a ledger or audit row on purpose
    (to show that `ledger verify` notices). Lifts the append-only triggers for the block only."""
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            tables = ("ledger_transactions", "ledger_entries", "audit_entries")
            for table in tables:
                connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield connection
            for table in tables:
                connection.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        else:
            with _sqlite_triggers_dropped(connection):
                yield connection


@pytest.fixture(autouse=True)
def app_ctx(app):
    """Each test runs in an app context and leaves an empty database behind."""
    with app.app_context():
        limiter.reset()
        yield
        db.session.remove()
        _truncate_all()
        refresh_all()  # raw TRUNCATE bypasses the ORM events that invalidate cached pages


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page that has a form (the sign-in page, or the home
    page's sign-out form once signed in: /login redirects there)."""
    for candidate in (path, "/login"):
        page = client.get(candidate, follow_redirects=True).get_data(as_text=True)
        match = CSRF_RE.search(page)
        if match:
            return match.group(1)
    raise AssertionError(f"no CSRF token on {path} or /login")


def post_form(client, url: str, data: dict | None = None, *, token_page: str = "/login", **kwargs):  # noqa: S107
    """POST like a browser does: with the CSRF token taken from a page the user just opened."""
    payload = {"csrf_token": csrf_token(client, token_page), **(data or {})}
    return client.post(url, data=payload, **kwargs)


@pytest.fixture
def make_charity():
    counter = iter(range(1, 10_000))

    def factory(status: CharityStatus = CharityStatus.APPROVED, region: str = "riyadh", **fields) -> Charity:
        n = next(counter)
        charity = Charity(
            slug=fields.pop("slug", f"charity-{n}"),
            name_ar=fields.pop("name_ar", f"جمعية اختبار {n}"),
            name_en=fields.pop("name_en", f"Test Charity {n}"),
            licence_number=fields.pop("licence_number", f"L-{n:04d}"),
            region=region,
            city=fields.pop("city", "الرياض"),
            contact_email=fields.pop("contact_email", f"c{n}@example.org"),
            contact_phone=fields.pop("contact_phone", "0110000000"),
            status=status.value,
            approved_at=utcnow() if status == CharityStatus.APPROVED else None,
            **fields,
        )
        db.session.add(charity)
        db.session.commit()
        return charity

    return factory


@pytest.fixture
def make_user(make_charity):
    counter = iter(range(1, 10_000))

    def factory(role: Role = Role.DONOR, charity: Charity | None = None, email: str | None = None, **fields):
        if role in (Role.RESEARCHER, Role.CHARITY_MANAGER) and charity is None:
            charity = make_charity()
        n = next(counter)
        user = accounts.create_user(email or f"{role.value}{n}@example.org", PASSWORD, f"User {n}", role, charity)
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return factory


def login(client, user, password: str = PASSWORD):
    response = post_form(client, "/login", {"email": user.email, "password": password}, token_page="/login")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(client, make_user):
    """`login_as(Role.REVIEWER)` signs a fresh user of that role in on `client` and returns the user."""

    def do(role: Role = Role.DONOR, **kwargs):
        user = make_user(role, **kwargs)
        login(client, user)
        return user

    return do


@pytest.fixture
def make_case(make_charity):
    """A case straight in the given status (published by default), for tests that are not about intake."""
    from jood.cases.models import Case, CaseStatus, Track

    counter = iter(range(1, 100_000))

    def factory(
        status: CaseStatus = CaseStatus.PUBLISHED,
        track: Track = Track.RENT,
        target_amount: int = 20_000_00,
        charity: Charity | None = None,
        **fields,
    ) -> Case:
        n = next(counter)
        published = status not in (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.UNDER_REVIEW)
        case = Case(
            code=fields.pop("code", f"JE-1448-{n:05d}"),
            charity=charity or make_charity(),
            track=track.value,
            status=status.value,
            region=fields.pop("region", "riyadh"),
            city=fields.pop("city", "الرياض"),
            family_size=fields.pop("family_size", 5),
            public_summary=fields.pop("public_summary", "أسرة من خمسة أفراد تحتاج إلى سداد إيجار السنة."),
            target_amount=target_amount,
            priority_total=fields.pop("priority_total", 20),
            published_at=fields.pop("published_at", utcnow() if published else None),
            **fields,
        )
        db.session.add(case)
        db.session.commit()
        return case

    return factory


@contextlib.contextmanager
def counting_queries():
    """`with counting_queries() as statements:` collects every SQL statement sent while the block runs
    (Indico's count_queries, in small)."""
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


@pytest.fixture
def count_queries(app):
    """The query counter as a fixture: `with count_queries() as statements: ...`."""
    return counting_queries


@pytest.fixture(scope="session")
def live_server(app):
    """The app served on a real loopback port from a thread (the browser tests, the standalone verifier)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


# --- giving ------------------------------------------------------------------------------------------------------

SANDBOX_RE = re.compile(r"/sandbox/checkout/(sbx_[A-Za-z0-9_-]+)")


def donation_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Donation))


def start_case_gift(client, case, amount: str, **fields):
    data = {"amount": amount, "action": "pay", "anonymous": "y", **fields}
    return post_form(client, f"/cases/{case.code}/donate", data, token_page=f"/cases/{case.code}/donate")


def sandbox_pay(client, response, outcome: str = "success"):
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    location = response.headers["Location"]
    match = SANDBOX_RE.search(location)
    assert match, location
    page = f"/sandbox/checkout/{match.group(1)}"
    return post_form(client, page, {"outcome": outcome}, token_page=page)


@pytest.fixture
def donate(app):
    """The one way tests give: `donate(case, "100", email=..., zakat="y", is_gift="y", ...)` fills the case's form and
    presses the sandbox page's button (`outcome="failure"`, `"cancel"`), as a donor's browser does, on a client of
    its own unless `client=` is given (a signed-in donor's); returns the Donation, and keeps the sandbox page's
    answer in `donate.response`.

    `donate(case, 250_00, browser=False, name="محسن")` makes the same paid gift without a request (the giving
    services and the payment state machine, committed), for tests that count what reaches Flask.
    """

    def do(case, amount: str | int = "100", *, outcome: str = "success", client=None, browser: bool = True,
           name: str = "", **fields) -> Donation:
        if not browser:
            donor = giving.Donor(display_name=name, anonymous=not name, email=None)
            donation = giving.create_donation([giving.LineRequest(amount, case=case)], donor, zakat=False,
                                              gateway="sandbox")
            with unit_of_work():
                payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
            return donation
        client = client or app.test_client()
        do.response = sandbox_pay(client, start_case_gift(client, case, amount, **fields), outcome)
        db.session.expire_all()
        return db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()

    return do

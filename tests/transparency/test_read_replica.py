"""DATABASE_REPLICA_URL: the open-data API and the governance pages read the replica; writes stay on the primary."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from jood import create_app
from jood.core import replica as replica_health
from jood.extensions import READ_REPLICA, db
from jood.ledger import core
from jood.ledger import services as ledger


@pytest.fixture
def replica_app(app, tmp_path):
    """An app on the suite's database as primary, with an empty (migrated) SQLite file as its replica: what the
    replica serves is visibly not what the primary holds, as when replication lags."""
    replica_url = f"sqlite:///{tmp_path / 'replica.sqlite3'}"
    settings = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "MAIL_OUTBOX", "RATELIMIT_STORAGE_URI",
                                                 "VISITOR_COUNTING", "UPLOAD_FOLDER")}
    schema_only = create_app({**settings, "SQLALCHEMY_DATABASE_URI": replica_url})
    with schema_only.app_context():
        upgrade()
        db.engine.dispose()
    replica = create_app({**settings, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "SQLALCHEMY_BINDS": {"replica": replica_url}})
    replica_health.forget_health()
    yield replica
    replica_health.forget_health()
    with replica.app_context():
        for engine in db.engines.values():
            engine.dispose()


def pay(case, amount):
    ledger.append(core.transfer("payment", core.clearing_account("sandbox"), core.case_account(case.code), amount))
    db.session.commit()


def test_the_open_data_api_reads_the_replica(app, replica_app, make_case):
    pay(make_case(), 100_00)  # on the primary only

    assert len(app.test_client().get("/api/v1/ledger").get_json()["items"]) == 1  # no replica: the primary
    with replica_app.app_context():
        assert replica_app.test_client().get("/api/v1/ledger").get_json()["items"] == []
        assert replica_app.test_client().get("/api/v1/stats").status_code == 200


def test_governance_pages_read_the_replica_after_signing_in_on_the_primary(app, replica_app, make_user):
    from jood.audit.services import record
    from jood.auth.roles import Role
    from tests.conftest import login

    auditor = make_user(email="auditor@example.org", role=Role.AUDITOR)
    record("replica.probe", "test", "1")
    db.session.commit()
    primary_client = app.test_client()
    login(primary_client, auditor)
    assert "replica.probe" in primary_client.get("/governance/audit").get_data(as_text=True)
    with replica_app.app_context():
        client = replica_app.test_client()
        login(client, auditor)  # the user is read from the primary
        page = client.get("/governance/audit")
        assert page.status_code == 200 and "replica.probe" not in page.get_data(as_text=True)


def test_an_orm_write_inside_a_replica_view_still_goes_to_the_primary(replica_app):
    from jood.audit.models import AuditEntry
    from jood.audit.services import record

    with replica_app.app_context():
        db.session.info[READ_REPLICA] = True
        assert db.session.get_bind() is db.engines["replica"]
        record("test.write", "test", "1")
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0  # read: the replica
        db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 1  # written: the primary


@pytest.fixture
def away_replica_app(app):
    """A replica that does not answer (nothing listens on its port), as when it is stopped."""
    settings = {key: app.config[key] for key in ("TESTING", "SECRET_KEY", "MAIL_OUTBOX", "RATELIMIT_STORAGE_URI",
                                                 "VISITOR_COUNTING", "UPLOAD_FOLDER")}
    away = create_app({**settings, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "SQLALCHEMY_BINDS": {"replica": "postgresql+psycopg://postgres@127.0.0.1:9/none"}})
    replica_health.forget_health()
    yield away
    replica_health.forget_health()
    with away.app_context():
        for engine in db.engines.values():
            engine.dispose()


def test_a_stopped_replica_sends_the_api_and_dashboards_to_the_primary(app, away_replica_app, make_case, make_user):
    from jood.auth.roles import Role
    from tests.conftest import login

    pay(make_case(), 100_00)
    auditor = make_user(Role.AUDITOR)
    with away_replica_app.app_context():
        client = away_replica_app.test_client()
        response = client.get("/api/v1/ledger")
        assert response.status_code == 200 and len(response.get_json()["items"]) == 1  # the primary's
        assert client.get("/api/v1/stats").status_code == 200
        login(client, auditor)
        page = client.get("/governance/", headers={"Accept-Language": "en"})
        assert page.status_code == 200 and "لا تستجيب" in page.get_data(as_text=True)


def test_the_dashboard_tells_how_far_behind_the_replica_is(replica_app, make_user, monkeypatch):
    from jood.auth.roles import Role
    from tests.conftest import login

    auditor = make_user(Role.AUDITOR)
    monkeypatch.setattr(replica_health, "lag", lambda: replica_health.ReplicaLag(True, 4096, 2.5, None))
    with replica_app.app_context():
        client = replica_app.test_client()
        login(client, auditor)
        page = client.get("/governance/", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "متأخرة عن الرئيسة بمقدار 2.5 ثانية (4 كيلوبايت)" in page
        monkeypatch.setattr(replica_health, "lag", lambda: replica_health.ReplicaLag(True, 0, 0.0, None))
        page = client.get("/governance/", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "مطابقة لقاعدة البيانات الرئيسة" in page


def test_a_page_built_on_a_lagging_replica_is_not_kept_under_the_new_tag_versions(replica_app, monkeypatch):
    calls = []
    monkeypatch.setattr(replica_health, "behind_primary", lambda: calls.append(1) or True)
    replica_app.config["PAGE_CACHE_ENABLED"] = True  # in process memory, this app's own
    with replica_app.app_context():
        client = replica_app.test_client()
        assert client.get("/api/v1/stats").status_code == 200
        assert client.get("/api/v1/stats").status_code == 200
        assert len(calls) == 2  # computed twice: the first answer was not kept
        monkeypatch.setattr(replica_health, "behind_primary", lambda: calls.append(1) or False)
        client.get("/api/v1/stats")
        client.get("/api/v1/stats")
        assert len(calls) == 3  # caught up: kept, and the next request is a cache hit


def test_lag_is_none_without_postgresql_on_both_sides(replica_app):
    with replica_app.app_context():
        assert replica_health.lag() is None  # a SQLite replica file: no WAL to compare


def test_a_replica_that_dies_between_two_checks_costs_no_error(app, away_replica_app, make_case):
    import time

    pay(make_case(), 100_00)
    replica_health._health.update(checked_at=time.monotonic(), up=True)  # it answered a moment ago
    with away_replica_app.app_context():
        response = away_replica_app.test_client().get("/api/v1/ledger")
        assert response.status_code == 200 and len(response.get_json()["items"]) == 1  # read again, on the primary
        assert replica_health.usable() is False  # and the primary is read for a while

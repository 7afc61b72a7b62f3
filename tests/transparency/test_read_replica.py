"""DATABASE_REPLICA_URL: the open-data API and the governance pages read the replica; writes stay on the primary."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from jood import create_app
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
    yield replica
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

"""A fresh database for a restore, and an app on it: a database created on the suite's own PostgreSQL server (once per
module, emptied after each test, dropped at the end: DROP DATABASE waits for a checkpoint), or another SQLite file."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from jood import create_app
from jood.extensions import db
from tests.conftest import IsolatedClient


@pytest.fixture(scope="module")
def fresh_database_url(app, tmp_path_factory):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('restored') / 'restored.sqlite3'}"
        return
    name = f"{url.database}_restore_{secrets.token_hex(4)}"
    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def restored_module_app(app, fresh_database_url, tmp_path_factory):
    other = create_app({
        "TESTING": True,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": fresh_database_url,
        "MAIL_OUTBOX": str(tmp_path_factory.mktemp("restored-outbox")),
        "RATELIMIT_STORAGE_URI": "memory://",
        "VISITOR_COUNTING": False,
    })
    other.test_client_class = IsolatedClient
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def restored_app(restored_module_app, tmp_path):
    """An app like the suite's on an empty database, with an upload folder that does not exist yet."""
    restored_module_app.config["UPLOAD_FOLDER"] = str(tmp_path / "restored" / "uploads")
    yield restored_module_app
    with restored_module_app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()
        if db.engine.dialect.name == "sqlite":
            database = db.engine.url.database
            for suffix in ("", "-wal", "-shm"):
                path = type(tmp_path)(database + suffix)
                path.unlink(missing_ok=True)

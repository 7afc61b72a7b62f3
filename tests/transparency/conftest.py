"""Transparency helpers: count SQL queries, serve the app on a real port, give through the sandbox."""

from __future__ import annotations

import contextlib
import threading

import pytest
from sqlalchemy import event
from werkzeug.serving import make_server

from jood.extensions import db
from tests.disbursements.conftest import donate, funded  # noqa: F401 - shared fixtures


@contextlib.contextmanager
def count_queries():
    """Count the SQL statements run while the block executes (Indico's count_queries, in small)."""
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


@pytest.fixture(scope="module")
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()

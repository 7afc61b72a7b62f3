"""Transparency helpers: count SQL queries, serve the app on a real port, give through the sandbox."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import counting_queries as count_queries  # noqa: F401 - used by the tests here
from tests.disbursements.conftest import donate, funded  # noqa: F401 - shared fixtures


@pytest.fixture(scope="module")
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()

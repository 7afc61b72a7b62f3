"""Transparency helpers: count SQL queries, give through the sandbox."""

from __future__ import annotations

from tests.conftest import counting_queries as count_queries  # noqa: F401 - used by the tests here
from tests.disbursements.conftest import funded  # noqa: F401 - shared fixture

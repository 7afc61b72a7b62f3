"""The neediest-first order is defined once (``priority.NEEDIEST_FIRST``) and drives both the catalog and the pool
allocator: pinned here to the regulation's tie-breaks for equal points (seed 003): more family members, then a lower
income, then an older applicant; then the case published earlier."""

from __future__ import annotations

from datetime import timedelta

from jood.cases import catalog
from jood.core.db import utcnow
from jood.extensions import db
from jood.ledger import services as ledger
from tests.ledger.test_ledger_services import pay_pool


def _cases_in_the_regulation_order(make_case):
    """Equal points, each case needier than the next by exactly one tie-break; created in reverse order."""
    early = utcnow() - timedelta(days=3)
    base = {"priority_total": 30, "family_size": 5, "monthly_income": 4_000, "applicant_age": 40,
            "target_amount": 100_00}
    expected = [
        {"family_size": 6},  # more family members first
        {"monthly_income": 3_000},  # then a lower income
        {"applicant_age": 41},  # then an older applicant
        {"published_at": early},  # then the case published earlier
        {},
    ]
    made = [make_case(**{**base, **override}) for override in reversed(expected)]
    return list(reversed(made))


def test_the_catalog_lists_equal_points_by_the_regulation_s_tie_breaks(make_case):
    cases = _cases_in_the_regulation_order(make_case)
    listed = catalog.run(catalog.CatalogQuery(sort="neediest")).items
    assert [case.code for case in listed] == [case.code for case in cases]


def test_the_pool_funds_cases_in_the_same_order(make_case):
    cases = _cases_in_the_regulation_order(make_case)
    pay_pool("rent", 250_00)  # two whole cases and half of the third
    ledger.allocate_pools()
    db.session.commit()
    assert [case.raised_amount for case in cases] == [100_00, 100_00, 50_00, 0, 0]
    assert ledger.verify() == []

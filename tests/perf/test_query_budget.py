"""Query budgets: every public GET page sends at most six SQL statements, and the same number whatever the data.

Counted with the page cache off (a cache miss is the worst case), with SQLAlchemy's before_cursor_execute.
"""

from __future__ import annotations

import pytest

BUDGET = 6


def public_pages(made) -> dict[str, str]:
    case, charity = made["cases"][0], made["cases"][0].charity
    reference = made["donations"][0].reference
    return {
        "home": "/",
        "catalog": "/cases",
        "catalog, filtered": "/cases?track=rent&region=riyadh&sort=newest",
        "catalog, searched": "/cases?q=%D8%A3%D8%B3%D8%B1%D8%A9&nearly_funded=1&sort=least_funded&page=2&per_page=5",
        "catalog, closest": "/cases?sort=closest&need=medium&min_amount=100&max_amount=50000",
        "case page": f"/cases/{case.code}",
        "charities": "/charities",
        "charity profile": f"/charities/{charity.slug}",
        "priority": "/priority",
        "priority, computed": "/priority?applicant_role=mother&nationality=SA&age=41&family_size=6"
                              "&monthly_income=2500",
        "about": "/about",
        "privacy": "/privacy",
        "support form": "/support/",
        "service report": "/support/report",
        "verify a gift": f"/r/{reference}",
        "API cases": "/api/v1/cases",
        "API cases, filtered": "/api/v1/cases?track=ownership&sort=closest&per_page=48",
        "API case": f"/api/v1/cases/{case.code}",
        "OpenAPI": "/api/v1/openapi.json",
    }


def measure(client, count_queries, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for label, path in pages.items():
        with count_queries() as statements:
            response = client.get(path)
        assert response.status_code == 200, (label, path, response.status_code)
        counts[label] = len(statements)
    return counts


def test_every_public_page_is_within_the_budget_and_costs_the_same_with_more_data(client, catalog_with,
                                                                                  count_queries):
    made = catalog_with(2)
    small = measure(client, count_queries, public_pages(made))
    made = catalog_with(38)
    large = measure(client, count_queries, public_pages(made))

    over = {label: count for label, count in large.items() if count > BUDGET}
    assert not over, f"pages over {BUDGET} SQL statements: {over}"
    grew = {label: (small[label], large[label]) for label in large if small[label] != large[label]}
    assert not grew, f"pages whose statement count depends on the data (2 cases -> 40 cases): {grew}"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_budget_holds_in_both_languages(client, catalog_with, count_queries, language):
    made = catalog_with(3)
    for label, path in public_pages(made).items():
        with count_queries() as statements:
            assert client.get(path, headers={"Accept-Language": language}).status_code == 200
        assert len(statements) <= BUDGET, (label, len(statements), statements)


def test_confirmations_take_no_ledger_lock_and_the_writer_seals_them_in_one(catalog_with, count_queries):
    """What caps webhooks per second is the work done under the ledger's single lock. A confirmation takes none (it
    queues its transaction); the writer seals any number of queued ones with one lock, one balance upsert and one
    delete from the queue."""
    from jood.cases.models import Case
    from jood.donations import services as giving
    from jood.extensions import db
    from jood.ledger import services as ledger
    from jood.payments import services as payments
    from jood.payments.states import PaymentEvent

    cases = catalog_with(3)["cases"]
    donations = [giving.create_donation([giving.LineRequest(10_00, case=db.session.get(Case, case.id))],
                                        giving.Donor(), zakat=False, gateway="sandbox") for case in cases]
    db.session.commit()
    with count_queries() as statements:
        for donation in donations:
            payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
        db.session.commit()
    assert not [s for s in statements if "ledger_head" in s or "account_balances" in s], statements
    assert len([s for s in statements if s.lstrip().startswith("INSERT INTO ledger_queue")]) == 3

    with count_queries() as statements:
        assert ledger.post_queue() == 3
    head_locks = [s for s in statements if s.lstrip().startswith("SELECT") and "FROM ledger_head" in s]
    balance_writes = [s for s in statements if "account_balances" in s]
    assert len(head_locks) == 1, statements
    assert len(balance_writes) == 1 and balance_writes[0].lstrip().startswith("INSERT"), balance_writes
    assert len([s for s in statements if s.lstrip().startswith("DELETE FROM ledger_queue")]) == 1
    assert not [s for s in statements if s.lstrip().startswith("UPDATE cases")], "counters moved at confirmation"
    assert ledger.verify() == []

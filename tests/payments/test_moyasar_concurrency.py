"""Moyasar under real concurrency (PostgreSQL): simultaneous webhooks never over-fund a case, and one event delivered
twice at the same moment is credited once."""

import threading

import pytest
from sqlalchemy import func, select

from jood.cases.models import CaseStatus
from jood.donations import services as giving
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.payments.models import GatewayEvent, Payment
from jood.transparency.api import ledger_page

pytestmark = pytest.mark.postgres_only

THREADS = 8


@pytest.fixture(autouse=True)
def _needs_postgres():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer, so there is no row-level race to test")


def _moyasar_donations(app, case, count, amount):
    """Donations with Moyasar invoices at the stand-in, opened as the checkout opens them."""
    donations = []
    with app.test_request_context():
        for _ in range(count):
            donation = giving.create_donation([giving.LineRequest(amount, case=case)], giving.Donor(), zakat=False,
                                              gateway="moyasar", method="mada")
            giving.open_checkout(donation)
            donations.append(donation)
    db.session.commit()
    return donations


def _deliver_all_at_once(app, events):
    start, answers, errors = threading.Barrier(len(events)), [], []

    def deliver(event):
        try:
            client = app.test_client()
            start.wait()
            answers.append(client.post("/webhooks/moyasar", json=event).status_code)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=deliver, args=(event,)) for event in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, errors


def test_simultaneous_moyasar_webhooks_never_overfund_and_the_excess_goes_to_the_pool(app, make_case, moyasar_api):
    case = make_case(target_amount=1_000_00, raised_amount=0)
    ledger.append(core.transfer("payment", core.clearing_account("sandbox"), core.case_account(case.code), 950_00))
    db.session.commit()
    donations = _moyasar_donations(app, case, THREADS, 20_00)
    events = [moyasar_api.event("payment_paid", moyasar_api.pay(d.payment.session_id, "mada")) for d in donations]
    answers, errors = _deliver_all_at_once(app, events)
    assert errors == [] and answers == [200] * THREADS
    db.session.expire_all()
    assert db.session.scalars(select(Payment.status)).all().count("paid") == THREADS
    assert case.raised_amount == case.target_amount == 1_000_00 and case.status == CaseStatus.FUNDED
    # 8 x 20 = 160 SAR confirmed against 50 SAR left: 110 SAR went to the rent pool.
    assert ledger.balance(core.pool_account("rent")) == 110_00
    assert ledger.verify() == []


def test_one_event_delivered_twice_at_once_is_credited_once(app, make_case, moyasar_api):
    case = make_case(target_amount=1_000_00)
    (donation,) = _moyasar_donations(app, case, 1, 100_00)
    event = moyasar_api.event("payment_paid", moyasar_api.pay(donation.payment.session_id, "mada"))
    answers, errors = _deliver_all_at_once(app, [event, event, event])
    assert errors == [] and answers == [200, 200, 200]
    db.session.expire_all()
    assert case.raised_amount == 100_00
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 1
    assert [t["kind"] for t in ledger_page(1)["items"]] == ["payment"]

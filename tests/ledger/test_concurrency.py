"""No over-funding under real concurrency: many confirmations for one nearly funded case at the same moment."""

import threading

import pytest
from sqlalchemy import select

from jood.cases.models import CaseStatus
from jood.donations import services as giving
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.payments import services as payments
from jood.payments.models import Payment
from jood.payments.states import PaymentEvent

pytestmark = pytest.mark.postgres_only

THREADS = 12


@pytest.fixture(autouse=True)
def _needs_postgres():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer, so there is no row-level race to test")


def test_simultaneous_confirmations_never_overfund_and_the_excess_goes_to_the_pool(app, make_case):
    case = make_case(target_amount=1_000_00, raised_amount=0)
    # Nearly funded: 950 SAR raised through the ledger, 50 SAR left.
    ledger.append(core.transfer("payment", core.clearing_account("sandbox"), core.case_account(case.code), 950_00))
    db.session.commit()
    payment_ids = []
    for _ in range(THREADS):
        donation = giving.create_donation([giving.LineRequest(20_00, case=case)], giving.Donor(), zakat=False,
                                          gateway="sandbox")
        payment_ids.append(donation.payment.id)
    db.session.commit()

    start, errors = threading.Barrier(THREADS), []

    def confirm(payment_id):
        with app.app_context():
            try:
                payment = db.session.get(Payment, payment_id)
                start.wait()
                payments.apply(payment, PaymentEvent.SUCCEED, reason="concurrency test")
                ledger.commit()
            except Exception as exc:  # noqa: BLE001 - reported below
                db.session.rollback()
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(pid,)) for pid in payment_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    db.session.expire_all()
    statuses = db.session.scalars(select(Payment.status)).all()
    assert statuses.count("paid") == THREADS
    assert case.raised_amount == case.target_amount == 1_000_00
    assert case.status == CaseStatus.FUNDED
    # 12 x 20 = 240 SAR confirmed against 50 SAR left: 190 SAR went to the rent pool (then nowhere to allocate).
    assert ledger.balance(core.case_account(case.code)) == 1_000_00
    assert ledger.balance(core.pool_account("rent")) == 190_00
    assert ledger.verify() == []

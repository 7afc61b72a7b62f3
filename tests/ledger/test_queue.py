"""The ledger queue: a confirmation moves its case at once and queues its transactions; the writer seals them onto
the chain in order, in batches, and whoever takes the head seals the queue first."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from jood.core.db import utcnow
from jood.donations import services as giving
from jood.extensions import db
from jood.governance.checks import paid_not_in_ledger
from jood.ledger import core, services
from jood.ledger.models import LedgerTransaction, QueuedTransaction
from jood.payments import services as payments
from jood.payments.states import PaymentEvent


def confirm(case, amount, *, pool=None):
    """A sandbox gift confirmed through the payment state machine, not committed."""
    line = giving.LineRequest(amount, pool=pool) if pool else giving.LineRequest(amount, case=case)
    donation = giving.create_donation([line], giving.Donor(), zakat=False, gateway="sandbox")
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
    return donation


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_confirmation_moves_the_case_at_once_and_is_sealed_when_committed(make_case):
    case = make_case(target_amount=100_00)
    donation = confirm(case, 40_00)
    assert case.raised_amount == 40_00 and case.donor_count == 1
    assert count(LedgerTransaction) == 0 and count(QueuedTransaction) == 1
    assert services.verify() == []  # queued money already counts for the case

    services.commit()

    assert count(QueuedTransaction) == 0
    [sealed] = db.session.scalars(select(LedgerTransaction)).all()
    assert (sealed.seq, sealed.kind, sealed.reference) == (1, "payment", donation.reference)
    assert services.balance(core.case_account(case.code)) == 40_00
    assert services.balance(core.clearing_account("sandbox")) == -40_00
    assert services.verify() == []


def test_the_writer_seals_a_batch_in_queue_order(make_case):
    cases = [make_case(target_amount=100_00) for _ in range(3)]
    donations = [confirm(case, 10_00 * (n + 1)) for n, case in enumerate(cases)]
    db.session.commit()  # a plain commit: the transactions stay queued

    assert services.post_queue() == 3

    rows = db.session.scalars(select(LedgerTransaction).order_by(LedgerTransaction.seq)).all()
    assert [row.reference for row in rows] == [donation.reference for donation in donations]
    assert [row.seq for row in rows] == [1, 2, 3]
    assert services.post_queue() == 0
    assert services.verify() == []


def test_whoever_takes_the_head_seals_the_queue_first(make_case):
    queued_case, other = make_case(target_amount=100_00), make_case(target_amount=100_00)
    donation = confirm(queued_case, 25_00)
    db.session.commit()

    later = services.append(core.transfer("payment", core.clearing_account("sandbox"),
                                          core.case_account(other.code), 10_00))
    db.session.commit()

    first = db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.seq == 1))
    assert first.reference == donation.reference and later.seq == 2
    assert count(QueuedTransaction) == 0
    assert services.verify() == []


def test_a_gift_to_a_pool_is_allocated_once_sealed(make_case):
    case = make_case(target_amount=100_00)
    confirm(None, 30_00, pool="rent")
    services.commit()
    assert case.raised_amount == 30_00
    assert services.balance(core.pool_account("rent")) == 0
    assert [row.kind for row in db.session.scalars(select(LedgerTransaction).order_by(LedgerTransaction.seq))] == [
        "payment", "allocation"]
    assert services.verify() == []


def test_a_queue_nobody_seals_is_reported_and_sealed_by_the_next_writer(make_case):
    case = make_case(target_amount=100_00)
    donation = confirm(case, 40_00)
    db.session.commit()
    assert paid_not_in_ledger(utcnow()) == []  # being sealed: not an exception yet

    db.session.execute(update(QueuedTransaction).values(queued_at=utcnow() - timedelta(minutes=6)))
    db.session.commit()
    assert any(problem.startswith("queue:") for problem in services.verify())
    assert [row.label for row in paid_not_in_ledger(utcnow())] == [donation.reference]

    services.post_queue()
    assert services.verify() == []
    assert paid_not_in_ledger(utcnow()) == []


def test_a_rolled_back_confirmation_leaves_nothing_queued(make_case):
    case = make_case(target_amount=100_00)
    confirm(case, 40_00)
    db.session.rollback()
    assert count(QueuedTransaction) == 0 and services.QUEUED not in db.session.info
    db.session.refresh(case)
    assert case.raised_amount == 0


@pytest.mark.postgres_only
def test_a_confirmation_waits_for_the_writer_holding_the_head_and_finds_itself_sealed(app, make_case):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer, which simply waits")
    case = make_case(target_amount=100_00)
    db.session.commit()
    held, queued, outcome = threading.Event(), threading.Event(), {}

    def writer():
        with app.app_context():
            try:
                head = services.lock_head()
                held.set()
                assert queued.wait(10)
                outcome["sealed"] = services._post_queued(head)
                db.session.commit()
            finally:
                db.session.remove()

    thread = threading.Thread(target=writer)
    thread.start()
    assert held.wait(10)
    donation = confirm(db.session.get(type(case), case.id), 40_00)
    db.session.commit()
    queued.set()
    assert services.post_queue() == 0  # it waited for the other writer, which sealed it
    thread.join(10)

    assert outcome == {"sealed": 1}
    assert db.session.scalar(select(LedgerTransaction.reference)) == donation.reference
    assert services.verify() == []


def test_the_scheduled_job_seals_what_a_dead_request_left_queued(make_case):
    from jood.jobs import REGISTRY, run_job

    case = make_case(target_amount=100_00)
    reference = confirm(case, 15_00).reference
    account = core.case_account(case.code)
    db.session.commit()  # as if the process died before its writer ran

    ok, result = run_job(REGISTRY["ledger-seal-queue"])

    assert ok and result == "1 sealed"
    assert db.session.scalar(select(LedgerTransaction.reference)) == reference
    assert count(QueuedTransaction) == 0
    assert services.balance(account) == 15_00


def test_with_a_writer_process_requests_only_queue_and_the_writer_seals(app, make_case, monkeypatch):
    monkeypatch.setitem(app.config, "LEDGER_SEAL_IN_REQUEST", False)
    case = make_case(target_amount=100_00)
    case_id = case.id
    confirm(case, 30_00)
    confirm(None, 20_00, pool="rent")
    services.commit()
    assert count(QueuedTransaction) == 2 and count(LedgerTransaction) == 0  # committed, waiting for the writer
    assert case.raised_amount == 30_00 and services.verify() == []

    result = app.test_cli_runner().invoke(args=["ledger", "write", "--once"])

    assert result.exit_code == 0 and result.output.strip() == "2 transaction(s) sealed."
    assert count(QueuedTransaction) == 0 and count(LedgerTransaction) >= 2
    assert services.balance(core.pool_account("rent")) == 0  # pooled money allocated by the writer, neediest first
    assert db.session.get(type(case), case_id).raised_amount == 50_00
    assert services.verify() == []

"""The paid path's writes without the ORM's flush (jood/core/db.py write_now and insert_now): each is one statement,
what it writes is what the database then holds, the session stays coherent, and a rollback takes it back."""

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from jood.audit.models import AuditEntry
from jood.audit.services import record
from jood.cases.models import Case
from jood.core.db import write_now
from jood.extensions import db


def _stored(case_id: int) -> tuple:
    with db.engine.connect() as other:  # outside the session: what the database holds for everyone after commit
        return other.execute(select(Case.raised_amount, Case.donor_count).where(Case.id == case_id)).one()


def test_write_now_sends_one_update_with_every_pending_change_and_leaves_nothing_to_flush(make_case, count_queries):
    case = make_case(target_amount=10_000_00)
    stamped = case.updated_at
    case.donor_count += 1  # a pending change of the same row goes in the same UPDATE
    with count_queries() as statements:
        write_now(case, raised_amount=300_00)
    assert len(statements) == 1 and statements[0].startswith("UPDATE cases SET")
    assert "donor_count" in statements[0] and "updated_at" in statements[0]  # onupdate stamped, as a flush would
    assert (case.raised_amount, case.donor_count) == (300_00, 1)
    assert case.updated_at >= stamped
    assert not db.session.dirty, "the session knows the row is written: its flush has nothing to visit"
    with count_queries() as statements:
        db.session.flush()
    assert statements == []
    db.session.commit()
    assert _stored(case.id) == (300_00, 1)


def test_write_now_is_part_of_the_unit_of_work(make_case):
    case = make_case(target_amount=10_000_00)
    write_now(case, raised_amount=500_00)
    db.session.rollback()
    assert _stored(case.id) == (0, 0)
    assert db.session.get(Case, case.id).raised_amount == 0  # the session's copy was expired by the rollback


def test_an_audit_entry_is_one_insert_without_a_flush(count_queries):
    flushes = []

    def flushed(*_args):
        flushes.append(1)

    event.listen(Session, "before_flush", flushed)
    try:
        with count_queries() as statements:
            record("test.action", "case", "JE-1", from_state="a", to_state="b", reason="why")
    finally:
        event.remove(Session, "before_flush", flushed)
    assert flushes == [] and len(statements) == 1 and statements[0].startswith("INSERT INTO audit_entries")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "test.action")).one()
    assert (entry.object_id, entry.from_state, entry.to_state, entry.reason) == ("JE-1", "a", "b", "why")
    assert entry.created_at is not None  # the model's Python-side default, filled in by Core
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "test.action")) is None


def test_a_confirmation_leaves_no_row_for_the_flush(make_case):
    """After the paid path the session has nothing dirty: every row it changed was written by one statement, and
    the copies in the session are what the database holds."""
    from jood.donations import services as giving
    from jood.donations.models import Donation
    from jood.payments import services as payments
    from jood.payments.states import PaymentEvent

    case = make_case(target_amount=10_000_00)
    donation = giving.create_donation([giving.LineRequest(100_00, case=case)], giving.Donor(email="a@example.org"),
                                      zakat=False, gateway="sandbox")
    db.session.commit()
    assert payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
    assert not db.session.dirty and not db.session.new
    in_session = (donation.payment.status, donation.lines[0].to_case, case.raised_amount, case.donor_count)
    db.session.commit()
    db.session.expire_all()
    paid = db.session.get(Donation, donation.id)
    assert in_session == (paid.payment.status, paid.lines[0].to_case, paid.lines[0].case.raised_amount,
                          paid.lines[0].case.donor_count) == ("paid", 100_00, 100_00, 1)
    assert paid.paid_at is not None


def test_write_now_refuses_a_row_not_yet_in_the_database(make_charity):
    case = Case(code="JE-1448-99999", charity=make_charity(), track="rent", status="draft", region="riyadh",
                city="الرياض", family_size=3, target_amount=1_000_00)
    db.session.add(case)
    with pytest.raises(ValueError, match="not a new Case"):
        write_now(case, raised_amount=1)

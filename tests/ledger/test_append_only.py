"""The ledger's transactions and postings and the audit log are append-only, enforced by the database (issue 11)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from jood.audit.services import record
from jood.extensions import db
from tests.ledger.test_ledger_services import pay_case

STATEMENTS = [
    "UPDATE ledger_transactions SET memo = 'rewritten'",
    "UPDATE ledger_entries SET amount = amount + 1",
    "DELETE FROM ledger_entries",
    "DELETE FROM ledger_transactions",
    "UPDATE audit_entries SET reason = 'nothing happened'",
    "DELETE FROM audit_entries",
]


@pytest.mark.parametrize("sql", STATEMENTS)
def test_update_and_delete_are_refused_by_the_database(make_case, sql):
    case = make_case()
    pay_case(case, 100_00)
    record("test.entry", "case", case.code, reason="kept")
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(sql))
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(text("SELECT COUNT(*) FROM ledger_entries")) > 0
    assert db.session.scalar(text("SELECT COUNT(*) FROM audit_entries WHERE reason = 'kept'")) == 1


def test_appending_still_works(make_case):
    case = make_case()
    pay_case(case, 40_00)
    pay_case(case, 60_00)
    assert db.session.scalar(text("SELECT COUNT(*) FROM ledger_transactions")) >= 2

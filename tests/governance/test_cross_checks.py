"""The exceptions that span features: each must list a real breach and nothing on a clean database."""

from sqlalchemy import text

from jood.audit.models import AuditEntry
from jood.core.db import utcnow
from jood.extensions import db
from jood.governance import checks
from jood.jobs import REGISTRY, run_job
from tests.conftest import append_only_suspended


def test_a_paid_donation_missing_from_the_ledger_is_listed(make_case, donate):  # noqa: F811
    case = make_case(target_amount=1000_00)
    donation = donate(case, "100")
    assert checks.paid_not_in_ledger(utcnow()) == []
    # Simulate a payment recorded at the gateway whose ledger transaction went missing (renamed reference).
    db.session.commit()
    with append_only_suspended() as connection:
        connection.execute(text("UPDATE ledger_transactions SET reference = 'gone' WHERE reference = :r"),
                           {"r": donation.reference})
    rows = checks.paid_not_in_ledger(utcnow())
    assert [row.label for row in rows] == [donation.reference]


def test_an_approved_disbursement_without_evidence_is_listed(app, make_case, make_user):
    from jood.disbursements.models import Disbursement

    case = make_case(target_amount=1000_00)
    requester = make_user()
    disbursement = Disbursement(case_id=case.id, charity_id=case.charity_id, kind="rent", status="approved",
                                amount=1000_00, payee_name="x", outcome_text="done", requested_by_id=requester.id)
    db.session.add(disbursement)
    db.session.commit()
    assert [row.label for row in checks.disbursement_without_evidence(utcnow())] == [f"#{disbursement.id}"]


def test_the_scheduled_self_check_records_its_verdict_and_failures_surface(app, make_case, donate):  # noqa: F811
    case = make_case(target_amount=1000_00)
    donate(case, "100")
    ok, _ = run_job(REGISTRY["ledger-self-check"])
    assert ok and checks.ledger_self_check_failed(utcnow()) == []
    db.session.execute(text("UPDATE account_balances SET balance = balance + 1 WHERE account LIKE 'case:%'"))
    db.session.commit()
    run_job(REGISTRY["ledger-self-check"])
    rows = checks.ledger_self_check_failed(utcnow())
    assert rows and "counter" in rows[0].label
    assert db.session.query(AuditEntry).filter_by(action="ledger.self_check").count() == 2

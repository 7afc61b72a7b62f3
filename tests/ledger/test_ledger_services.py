"""The stored ledger: appending, counters, verification, pools and cancellation."""

import json
import subprocess
import sys

import pytest
from sqlalchemy import text

from jood.cases.models import CaseStatus, Track
from jood.cases.services import change_status
from jood.donations import services as giving
from jood.extensions import db
from jood.ledger import core, services
from jood.ledger.cli import verify_command
from jood.payments import services as payments
from jood.payments.states import PaymentEvent
from jood.transparency.api import ledger_page
from tests.conftest import append_only_suspended, counting_queries


def pay_case(case, amount, gateway="sandbox", zakat=False):
    draft = core.transfer("payment", core.clearing_account(gateway), core.case_account(case.code, zakat), amount)
    row = services.append(draft)
    db.session.commit()
    return row


def pay_pool(track, amount, zakat=False):
    draft = core.transfer("payment", core.clearing_account("sandbox"), core.pool_account(track, zakat), amount)
    services.append(draft)
    db.session.commit()


def test_appends_chain_from_genesis_and_update_counters(make_case):
    case = make_case(target_amount=1000_00)
    first = pay_case(case, 300_00)
    second = pay_case(case, 200_00)
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == core.GENESIS_HASH and second.prev_hash == first.hash
    assert case.raised_amount == 500_00
    assert services.balance(core.case_account(case.code)) == 500_00
    assert services.balance(core.clearing_account("sandbox")) == -500_00
    assert services.verify() == []


def test_public_form_is_what_the_standalone_verifier_accepts(make_case, tmp_path):
    case = make_case()
    pay_case(case, 100_00)
    pay_case(case, 50_00, zakat=True)
    page = ledger_page(1)
    assert page["next_page"] is None
    assert set(page["items"][0]) == {"seq", "kind", "created_at", "postings", "prev_hash", "hash"}
    assert "donation " not in repr(page)  # the memo ("donation JD-…") and the reference stay private
    assert page["items"][0]["created_at"].endswith("Z")
    dump = tmp_path / "ledger.json"
    dump.write_text(json.dumps(page))
    result = subprocess.run([sys.executable, "tools/verify_ledger.py", "--file", str(dump)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "OK: 2 transactions" in result.stdout


def test_reaching_the_target_funds_the_case_through_the_workflow(make_case):
    case = make_case(target_amount=100_00)
    pay_case(case, 100_00)
    assert case.status == CaseStatus.FUNDED and case.funded_at is not None


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("UPDATE ledger_entries SET amount = amount + 1 WHERE id = (SELECT MIN(id) FROM ledger_entries)", "bad_hash"),
        ("UPDATE account_balances SET balance = balance + 5", "counter"),
        ("UPDATE cases SET raised_amount = raised_amount - 1", "raised_amount"),
        ("UPDATE ledger_transactions SET prev_hash = '" + "1" * 64 + "' WHERE seq = 2", "broken_link"),
    ],
)
def test_verify_catches_a_corrupted_row(app, make_case, sql, expected):
    case = make_case()
    pay_case(case, 100_00)
    pay_case(case, 30_00)
    assert services.verify() == []
    db.session.commit()
    with append_only_suspended() as connection:
        connection.execute(text(sql))
    problems = services.verify()
    assert any(expected in problem for problem in problems), problems
    result = app.test_cli_runner().invoke(verify_command)
    assert result.exit_code == 1
    assert "FAIL" in result.output and expected in result.output


def test_verify_command_is_green_on_a_sound_ledger(app, make_case):
    pay_case(make_case(), 10_00)
    result = app.test_cli_runner().invoke(verify_command)
    assert result.exit_code == 0 and "OK: 1 transactions" in result.output


def test_self_check_logs_problems_at_error_level(make_case, caplog):
    pay_case(make_case(), 10_00)
    db.session.execute(text("UPDATE account_balances SET balance = 0"))
    db.session.commit()
    problems = services.self_check()
    assert problems
    assert any(r.levelname == "ERROR" and "ledger self-check" in r.getMessage() for r in caplog.records)


def test_pools_go_to_the_neediest_first_with_the_tie_breaks(make_case):
    low = make_case(priority_total=10, target_amount=100_00)
    tie_small_family = make_case(priority_total=30, family_size=3, target_amount=100_00)
    tie_big_family = make_case(priority_total=30, family_size=7, target_amount=100_00)
    other_track = make_case(priority_total=90, track=Track.OWNERSHIP, target_amount=100_00)
    pay_pool("rent", 150_00)
    services.allocate_pools()
    db.session.commit()
    assert tie_big_family.raised_amount == 100_00  # whole case first
    assert tie_small_family.raised_amount == 50_00
    assert low.raised_amount == 0 and other_track.raised_amount == 0
    assert services.balance(core.pool_account("rent")) == 0
    assert len(services.case_history(tie_small_family)) == 1
    assert services.verify() == []


def test_income_then_age_break_ties(make_case):
    richer = make_case(priority_total=30, monthly_income=5000, target_amount=100_00)
    poorer = make_case(priority_total=30, monthly_income=3000, target_amount=100_00)
    older_richer = make_case(priority_total=30, monthly_income=5000, applicant_age=60, target_amount=100_00)
    pay_pool("general", 150_00)
    services.allocate_pools()
    db.session.commit()
    assert (poorer.raised_amount, older_richer.raised_amount, richer.raised_amount) == (100_00, 50_00, 0)


def test_zakat_pool_reaches_only_zakat_eligible_cases(make_case):
    not_eligible = make_case(priority_total=99, zakat_eligible=False)
    eligible = make_case(priority_total=1)
    pay_pool("rent", 40_00, zakat=True)
    services.allocate_pools()
    db.session.commit()
    assert not_eligible.raised_amount == 0
    assert services.balance(core.case_account(eligible.code, zakat=True)) == 40_00


def test_cancelling_a_case_moves_its_money_to_the_track_pool(make_case):
    case = make_case(track=Track.OWNERSHIP)
    pay_case(case, 70_00)
    pay_case(case, 20_00, zakat=True)
    change_status(case, None, CaseStatus.CANCELLED, "the family moved")
    db.session.commit()
    assert case.raised_amount == 0
    assert services.balance(core.pool_account("ownership")) == 70_00
    assert services.balance(core.pool_account("ownership", zakat=True)) == 20_00
    kinds = [item["kind"] for item in ledger_page(1)["items"]]
    assert kinds.count("cancellation") == 2
    assert services.verify() == []


def test_disbursement_keeps_raised_and_grows_disbursed(make_case):
    case = make_case(target_amount=100_00)
    pay_case(case, 100_00)
    services.record_disbursement(case, 60_00)
    db.session.commit()
    assert (case.raised_amount, case.disbursed_amount) == (100_00, 60_00)
    with pytest.raises(core.LedgerError):
        services.record_disbursement(case, 50_00)
    db.session.rollback()
    assert services.verify() == []


def test_services_never_update_or_delete_ledger_rows(make_case):
    with counting_queries() as sent:
        case = make_case(target_amount=100_00)
        pay_case(case, 60_00)
        gift = giving.create_donation([giving.LineRequest(10_00, case=case)], giving.Donor(), zakat=False,
                                      gateway="sandbox")
        payments.apply(gift.payment, PaymentEvent.SUCCEED, reason="test")  # queued, then sealed
        services.commit()
        pay_pool("rent", 80_00)
        services.allocate_pools()
        change_status(case, None, CaseStatus.CANCELLED, "landlord refused")
        db.session.commit()
    statements = [statement.upper() for statement in sent]
    forbidden = [f"{verb} {table}" for verb in ("UPDATE", "DELETE FROM")
                 for table in ("LEDGER_TRANSACTIONS", "LEDGER_ENTRIES")]
    touching = [s for s in statements if any(words in s for words in forbidden)]
    assert any("INSERT INTO LEDGER_ENTRIES" in s for s in statements)
    assert any("DELETE FROM LEDGER_QUEUE" in s for s in statements)  # the queue empties; the ledger never does
    assert touching == []

"""The governance dashboard: access, pipeline per charity, flags and the exception registry."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from jood.auth.roles import Role
from jood.cases.models import CaseStatus
from jood.cases.workflow import transition
from jood.core.db import utcnow
from jood.extensions import db
from jood.governance import exceptions
from jood.governance.exceptions import ExceptionRow, register_check


@pytest.mark.parametrize(("role", "status"), [
    (None, 302), (Role.DONOR, 403), (Role.RESEARCHER, 403), (Role.CHARITY_MANAGER, 403),
    (Role.REVIEWER, 200), (Role.FINANCE, 200), (Role.AUDITOR, 200), (Role.ADMIN, 200),
])
def test_governance_roles(client, login_as, role, status):
    if role:
        login_as(role)
    assert client.get("/governance/").status_code == status
    assert client.get("/governance/audit").status_code == status
    assert client.get("/governance/audit.csv").status_code == status


def test_pipeline_counts_medians_and_a_charity_with_many_returns_stands_out(client, login_as, make_case,
                                                                            make_charity):
    login_as(Role.AUDITOR)
    now = utcnow()
    good, sloppy = make_charity(slug="good"), make_charity(slug="sloppy")
    for days in (4, 6):
        make_case(CaseStatus.DISBURSED, charity=good, submitted_at=now - timedelta(days=30),
                  published_at=now - timedelta(days=30 - days), funded_at=now - timedelta(days=10),
                  disbursed_at=now - timedelta(days=8), raised_amount=20_000_00, disbursed_amount=20_000_00)
    for _ in range(3):
        case = make_case(CaseStatus.SUBMITTED, charity=sloppy, submitted_at=now - timedelta(days=3))
        transition(case, CaseStatus.RETURNED, reason="صورة الصك غير واضحة")
    db.session.commit()

    page = client.get("/governance/").get_data(as_text=True)
    assert 'data-testid="count-disbursed">2<' in page and 'data-testid="count-returned">3<' in page
    assert 'data-testid="median-submitted_to_published">5 أيام<' in page
    assert 'data-testid="median-funded_to_disbursed">يومان<' in page
    sloppy_row = page[page.index('data-testid="charity-sloppy"'):]
    sloppy_row = sloppy_row[:sloppy_row.index("</tr>")]
    assert 'data-testid="flag-returns"' in sloppy_row and "100%" in sloppy_row
    good_row = page[page.index('data-testid="charity-good"'):]
    assert 'data-testid="flag' not in good_row[:good_row.index("</tr>")]
    # Charities that stand out come first.
    assert page.index('data-testid="charity-sloppy"') < page.index('data-testid="charity-good"')


def test_a_funded_case_waiting_too_long_flags_slow_disbursement(client, login_as, make_case, make_charity):
    login_as(Role.FINANCE)
    slow = make_charity(slug="slow")
    make_case(CaseStatus.FUNDED, charity=slow, funded_at=utcnow() - timedelta(days=40), raised_amount=20_000_00)
    row = client.get("/governance/").get_data(as_text=True)
    row = row[row.index('data-testid="charity-slow"'):]
    assert 'data-testid="flag-slow"' in row[:row.index("</tr>")]


def test_stale_published_cases_are_listed_with_their_code(client, login_as, make_case):
    login_as(Role.REVIEWER)
    stale = make_case(situation_updated_at=utcnow() - timedelta(days=16))
    fresh = make_case(situation_updated_at=utcnow() - timedelta(days=14))
    page = client.get("/governance/").get_data(as_text=True)
    block = page[page.index('data-testid="check-case_not_updated"'):]
    block = block[:block.index("</article>")]
    assert stale.code in block and fresh.code not in block
    assert 'data-testid="check-count">1<' in block


def test_a_case_over_target_is_an_exception(client, login_as, make_case):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the database's own CHECK forbids over-funding; SQLite can switch it off to fake a breach")
    login_as(Role.AUDITOR)
    case = make_case(target_amount=10_000_00)
    with db.engine.connect() as connection:  # one connection, switched back before it returns to the pool
        connection.execute(text("PRAGMA ignore_check_constraints = ON"))
        try:
            connection.execute(text("UPDATE cases SET raised_amount = 12000000 WHERE id = :id"), {"id": case.id})
            connection.commit()
        finally:
            connection.execute(text("PRAGMA ignore_check_constraints = OFF"))
    page = client.get("/governance/").get_data(as_text=True)
    block = page[page.index('data-testid="check-case_over_target"'):]
    assert case.code in block[:block.index("</article>")]


def test_other_features_add_checks_without_touching_the_view(client, login_as):
    login_as(Role.AUDITOR)

    @register_check("test_disbursement_without_evidence", "Disbursements without evidence")
    def missing_evidence(now):
        return [ExceptionRow(label="DSB-0001", detail="no lease uploaded", endpoint="no.such_endpoint")]

    try:
        page = client.get("/governance/").get_data(as_text=True)
        block = page[page.index('data-testid="check-test_disbursement_without_evidence"'):]
        block = block[:block.index("</article>")]
        assert "Disbursements without evidence" in block and "DSB-0001" in block and "no lease uploaded" in block
        assert "<a " not in block  # no such endpoint: plain text, no broken link
    finally:
        exceptions._CHECKS.pop("test_disbursement_without_evidence")


def test_cli_runs_the_exception_checks(app, make_case):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["governance", "exceptions"]).exit_code == 0
    stale = make_case(situation_updated_at=utcnow() - timedelta(days=20))
    result = runner.invoke(args=["governance", "exceptions"])
    assert result.exit_code == 1 and "case_not_updated: 1" in result.output and stale.code in result.output

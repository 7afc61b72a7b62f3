"""A funded case is paid out against evidence by two people, and the outcome reaches the donor, /impact and /ledger."""

import pytest
from playwright.sync_api import expect

from jood.auth.roles import Role
from jood.extensions import db
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, login, sandbox_pay, start_case_gift
from tests.disbursements.conftest import PDF

pytestmark = pytest.mark.browser


def _sign_in(page, user):
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def _sign_out(page):
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()


def test_case_funded_then_paid_out_with_evidence_by_a_second_person(app, page, make_case, make_user, make_charity):
    charity = make_charity(region="qassim")
    case = make_case(target_amount=300_00, charity=charity, region="qassim", family_size=6)
    donor = make_user(Role.DONOR, email="giver@example.org")
    client = app.test_client()
    login(client, donor)
    sandbox_pay(client, start_case_gift(client, case, "300", email="giver@example.org"))
    db.session.refresh(case)
    assert case.status == "funded"
    researcher = make_user(Role.RESEARCHER, charity=charity)
    officer = make_user(Role.FINANCE)

    # The charity asks for the payment, with the lease attached.
    _sign_in(page, researcher)
    page.goto("/charity/disbursements")
    page.get_by_test_id(f"request-{case.code}").click()
    page.fill("#payee_name", "مالك العقار")
    page.fill("#payee_phone", "0551234567")
    page.fill("#period_start", "2026-12-01")
    page.fill("#period_end", "2027-11-30")
    page.fill("#contract_reference", "EJAR-1448-1")
    page.fill("#outcome_text", "سُدّد إيجار عام 1448هـ")
    page.set_input_files("#documents", files=[{"name": "lease.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    screenshot(page, "disbursement-request-ar")
    page.get_by_test_id("disbursement-submit").click()
    page.wait_for_load_state()
    expect(page.get_by_text(case.code).first).to_be_visible()
    _sign_out(page)

    # A finance officer who did not ask for it checks the evidence and approves it.
    _sign_in(page, officer)
    page.goto("/finance/disbursements")
    page.get_by_test_id(f"open-{case.code}").click()
    expect(page.get_by_test_id("evidence-link")).to_have_text("lease.pdf")
    page.select_option("#action", "approve")
    screenshot(page, "disbursement-decide-ar")
    page.get_by_test_id("decision-submit").click()
    page.wait_for_load_state()
    _sign_out(page)

    # The donor sees what their gift did.
    _sign_in(page, donor)
    page.goto("/account/impact")
    expect(page.get_by_test_id("families-helped")).to_have_text("1")
    expect(page.get_by_text("سُدّد إيجار عام 1448هـ")).to_be_visible()
    screenshot(page, "donor-outcome-ar")
    _sign_out(page)

    # The public sees it on the impact page and in the ledger.
    page.goto("/impact?preset=this_month")
    expect(page.get_by_test_id("families")).to_have_text("1")
    expect(page.get_by_test_id("beneficiaries")).to_have_text("6")
    expect(page.locator("#qassim.region--level-4")).to_have_count(1)
    screenshot(page, "impact-ar")
    page.goto("/ledger")
    newest = page.locator("[data-testid=ledger] .ledger__entry").first
    assert "صُرف للحالة " + case.code in newest.inner_text()  # the account by its name, not disbursed:<code>
    screenshot(page, "ledger-ar")
    assert page.outside_requests == []

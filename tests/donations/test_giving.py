"""Giving to a case through the sandbox: the real confirmation path, receipts and the case counters."""

import pytest
from sqlalchemy import select

from jood.audit.models import AuditEntry
from jood.cases.models import CaseStatus
from jood.donations import services
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.transparency.api import ledger_page
from tests.conftest import donation_count, login, start_case_gift


def test_a_sandbox_gift_reaches_the_case_and_the_ledger(client, make_case, donate, app):
    case = make_case(target_amount=1000_00)
    donation = donate(case, "250", email="donor@example.org", client=client)
    response = donate.response
    assert response.status_code == 302 and f"/receipts/{donation.receipt_token}" in response.headers["Location"]
    assert donation.status == "paid" and donation.reference.startswith("JD-") and len(donation.reference) == 14
    assert case.raised_amount == 250_00 and case.donor_count == 1
    assert ledger.balance(core.case_account(case.code)) == 250_00
    assert ledger.verify() == []
    receipt = client.get(f"/receipts/{donation.receipt_token}").get_data(as_text=True)
    assert donation.reference in receipt and "فاعل خير" in receipt
    mails = list((__import__("pathlib").Path(app.config["MAIL_OUTBOX"])).glob("*donor_at_example.org.eml"))
    assert mails, "the receipt is e-mailed"


def test_arabic_indic_digits_are_accepted(make_case, donate):
    case = make_case()
    donation = donate(case, "١٢٥٫٥٠")
    assert donation.amount == 125_50


@pytest.mark.parametrize(
    "amount, message",
    [
        ("0", "أكبر من صفر"),
        ("-5", "أكبر من صفر"),
        ("10.005", "منزلتين عشريتين"),
        ("abc", "رقمًا"),
        ("99999999999", "كبير جدًا"),
        ("3", "5 ريالات"),
        ("", "أدخل المبلغ"),
    ],
)
def test_bad_amounts_get_a_translated_error_and_create_nothing(client, make_case, amount, message):
    case = make_case(target_amount=100_00)
    response = start_case_gift(client, case, amount)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert donation_count() == 0


def test_more_than_the_case_needs_is_refused_before_paying(client, make_case):
    case = make_case(target_amount=100_00, raised_amount=60_00)
    response = start_case_gift(client, case, "50")
    assert response.status_code == 400
    assert "40\u00a0ر.س" in response.get_data(as_text=True)
    assert donation_count() == 0


def test_a_case_that_needs_less_by_the_time_the_donation_is_stored_says_so(client, make_case, monkeypatch):
    """The form checked the amount against what the case needed; another gift landed before this one was stored.
    The donor is told the case needs less now, not that it is closed (it is still open)."""
    case = make_case(target_amount=100_00, raised_amount=60_00)
    monkeypatch.setattr(services, "parse_amount", lambda text, remaining=None: 50_00)  # the check of an instant ago
    response = start_case_gift(client, case, "50")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and donation_count() == 0
    assert "تحتاج هذه الحالة الآن إلى أقل من المبلغ الذي اخترته" in page
    assert "لم تعد هذه الحالة تستقبل التبرعات" not in page


def test_failed_and_cancelled_payments_credit_nothing(make_case, donate):
    case = make_case()
    failed = donate(case, "100", outcome="failure")
    cancelled = donate(case, "100", outcome="cancel")
    assert (failed.status, cancelled.status) == ("failed", "cancelled")
    assert case.raised_amount == 0 and ledger_page(1)["items"] == []


def test_reaching_the_target_funds_the_case_and_hides_the_form(client, make_case, donate):
    case = make_case(target_amount=100_00)
    donate(case, "100", client=client)
    assert case.status == CaseStatus.FUNDED
    page = client.get(f"/cases/{case.code}/donate").get_data(as_text=True)
    assert 'data-testid="donate-submit"' not in page


def test_excess_confirmed_after_the_case_filled_goes_to_the_pool_and_the_receipt_says_so(client, make_case):
    from tests.conftest import sandbox_pay

    case = make_case(target_amount=100_00)
    first = start_case_gift(client, case, "80")
    second = start_case_gift(client, case, "60")  # both checked against 100 remaining, before either paid
    sandbox_pay(client, first)
    sandbox_pay(client, second)
    db.session.expire_all()
    assert case.raised_amount == 100_00 and case.status == CaseStatus.FUNDED
    late = db.session.scalars(select(services.Donation).order_by(services.Donation.id.desc())).first()
    assert [(line.to_case, line.to_pool) for line in late.lines] == [(20_00, 40_00)]
    assert ledger.balance(core.pool_account("rent")) == 40_00
    kinds = [item["kind"] for item in ledger_page(1)["items"]]
    assert kinds == ["payment", "payment", "surplus"]
    receipt = client.get(f"/receipts/{late.receipt_token}").get_data(as_text=True)
    assert 'data-testid="surplus-note"' in receipt
    assert ledger.verify() == []


def test_zakat_is_refused_for_a_case_that_cannot_take_it(client, make_case):
    case = make_case(zakat_eligible=False)
    response = start_case_gift(client, case, "100", zakat="y")
    assert response.status_code == 400 and "لا تقبل الزكاة" in response.get_data(as_text=True)
    assert donation_count() == 0


def test_zakat_and_sadaqah_stay_in_separate_accounts_and_zakat_pays_no_share(app, make_case, donate):
    case = make_case()
    app.config["OPERATING_SHARE_BP"] = 250
    try:
        zakat = donate(case, "100", zakat="y")
        sadaqah = donate(case, "100")
    finally:
        app.config["OPERATING_SHARE_BP"] = 0
    assert zakat.fee_amount == 0 and sadaqah.fee_amount == 2_50
    assert ledger.balance(core.case_account(case.code, zakat=True)) == 100_00
    assert ledger.balance(core.case_account(case.code)) == 97_50
    assert ledger.balance(core.OPERATING_FEES) == 2_50
    assert ledger.verify() == []


def test_public_verification_shows_nothing_about_the_donor(client, make_case, donate):
    case = make_case()
    donation = donate(case, "100", email="secret-donor@example.org", display_name="Khalid Secret", anonymous="",
                      client=client)
    page = client.get(f"/r/{donation.reference}").get_data(as_text=True)
    assert case.code in page and "100\u00a0ر.س" in page
    assert "secret-donor" not in page and "Khalid" not in page
    assert client.get("/r/JD-2026-999999").status_code == 404


def test_recent_donations_show_a_display_name_or_a_doer_of_good(client, make_case, donate, app):
    case = make_case()
    donate(case, "100", client=client)
    donate(case, "50", display_name="أم محمد", anonymous="", client=client)
    with app.test_request_context():
        from flask import render_template_string

        from jood.cases.catalog import recent_gifts

        html = render_template_string('{% include "cases/_recent_gifts.html" %}', case=case,
                                      recent=recent_gifts(case.id))
    assert "فاعل خير" in html and "أم محمد" in html


def test_admin_changes_the_operating_share_and_it_is_audited(client, make_user):
    from jood.auth.roles import Role
    from tests.conftest import post_form

    admin = make_user(Role.ADMIN)
    login(client, admin)
    response = post_form(client, "/admin/operating-share", {"share": "150", "reason": "board decision"},
                         token_page="/admin/operating-share")
    assert response.status_code == 302
    assert services.operating_bp() == 150
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.operating_share"))
    assert (entry.actor_id, entry.from_state, entry.to_state) == (admin.id, "0", "150")


def test_only_an_admin_may_change_the_operating_share(client, login_as):
    from jood.auth.roles import Role
    from tests.conftest import post_form

    login_as(Role.FINANCE)
    response = post_form(client, "/admin/operating-share", {"share": "900", "reason": "x" * 5})
    assert response.status_code == 403 and services.operating_bp() == 0


def test_card_testing_source_is_locked_out_after_repeated_failures(client, make_case, donate):
    case = make_case()
    for _ in range(5):
        donate(case, "5", outcome="failure", client=client)
    response = start_case_gift(client, case, "5")
    assert response.status_code == 429
    assert "متوقفة مؤقتًا" in response.get_data(as_text=True)  # the lockout page, not a rate limit's 429


def test_checkout_creation_is_rate_limited_per_email(client, make_case):
    case = make_case()
    statuses = [start_case_gift(client, case, "5", email="tester@example.org").status_code for _ in range(11)]
    assert statuses[:10] == [303] * 10 and statuses[10] == 429


def test_demo_seed_funds_published_cases_through_the_real_services_once(make_case):
    from jood.donations import demo

    full, partial = make_case(target_amount=500_00, priority_total=90), make_case(target_amount=2000_00)
    first = demo.seed()
    db.session.commit()
    assert first["demo_donations"] >= 3
    assert full.status == CaseStatus.FUNDED and 0 < partial.raised_amount < partial.target_amount
    assert demo.seed() == {"demo_donations": 0}
    assert ledger.verify() == []


def test_case_page_partial_needs_no_session_and_posts_to_the_one_step_checkout(client, make_case, app):
    case = make_case()
    with app.test_request_context():
        from flask import render_template_string, session

        html = render_template_string('{% include "donations/_case_donate.html" %}', case=case)
        assert "csrf_token" not in html and not session.modified
    assert f'method="post" action="/cases/{case.code}/checkout"' in html
    # A link with the amount still opens the donate page filled in.
    page = client.get(f"/cases/{case.code}/donate?amount=250&zakat=y").get_data(as_text=True)
    assert 'value="250"' in page and 'name="csrf_token"' in page

"""Disbursing a funded case: request with evidence, maker-checker approval, the ledger, outcome, donors told."""

import io
from datetime import timedelta
from pathlib import Path

from flask import render_template_string
from sqlalchemy import func, select

from jood.auth.roles import Role
from jood.cases.models import Case, CaseStatus
from jood.core.db import utcnow
from jood.core.timezone import display_zone
from jood.disbursements import services
from jood.disbursements.models import CaseRenewal, Disbursement, FollowUp
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.transparency import stats
from tests.conftest import login, post_form
from tests.disbursements.conftest import PNG, decide, send_request


def render_partial(app, name: str, **context) -> str:
    with app.test_request_context("/"):
        return render_template_string(f'{{% include "disbursements/{name}.html" %}}', **context)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_request_then_approval_by_another_person_pays_out_closes_and_tells_donors(app, funded, staff_client,
                                                                                  finance_client):
    case = funded()
    assert case.status == CaseStatus.FUNDED
    charity_client, researcher = staff_client(case.charity)
    response = send_request(charity_client, case)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    disbursement = db.session.scalar(select(Disbursement))
    assert disbursement.status == "requested" and len(disbursement.documents) == 1
    assert disbursement.documents[0].content_type == "application/pdf"

    client, officer = finance_client()
    page = client.get(f"/finance/disbursements/{disbursement.id}").get_data(as_text=True)
    assert "مالك العقار" in page and "lease.pdf" in page
    response = decide(client, disbursement)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]

    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == CaseStatus.CLOSED and case.disbursed_amount == 1000_00
    assert ledger.balance(core.disbursed_account(case.code, True)) == 400_00
    assert ledger.balance(core.disbursed_account(case.code, False)) == 600_00
    assert ledger.case_held(case, True) == ledger.case_held(case, False) == 0
    assert ledger.verify() == []
    disbursement = db.session.get(Disbursement, disbursement.id)
    assert (disbursement.status, disbursement.decided_by_id) == ("approved", officer.id)
    assert (disbursement.zakat_amount, disbursement.other_amount, disbursement.surplus_amount) == (400_00, 600_00, 0)

    outbox = Path(app.config["MAIL_OUTBOX"])
    told = [p.read_bytes() for p in outbox.glob("*.eml") if b"JE-" in p.read_bytes() and b"Subject" in p.read_bytes()]
    assert any(case.code.encode() in body and b"zakat-donor_at_example.org" not in body for body in told)
    assert len(list(outbox.glob("*zakat-donor_at_example.org.eml"))) >= 2  # the receipt, then the outcome

    figures = stats.impact(stats.Period(stats.today(), stats.today()))
    assert figures["totals"]["families"] == 1 and figures["totals"]["beneficiaries"] == case.family_size
    assert figures["totals"]["disbursed_amount"] == 1000_00
    assert figures["zakat"]["disbursed_amount"] == 400_00


def test_the_requester_cannot_approve_their_own_request(funded, make_user):
    case = funded()
    researcher = make_user(Role.RESEARCHER, charity=case.charity)
    disbursement = services.request_disbursement(case, services.RequestDetails(
        amount=1000_00, payee_name="مالك", outcome_text="سُدّد الإيجار", period_start=utcnow().date(),
        period_end=utcnow().date() + timedelta(days=365), files=[("a.png", PNG)]), actor=researcher)
    db.session.commit()
    admin = make_user(Role.ADMIN)
    disbursement.requested_by_id = admin.id  # an admin who also requested it
    for actor, code in ((admin, "same_person"), (researcher, "not_finance")):
        try:
            services.approve(disbursement, actor=actor)
        except services.DisbursementError as error:
            assert error.code == code
        else:
            raise AssertionError("approved by the wrong person")
    db.session.rollback()
    assert db.session.get(Case, case.id).status == CaseStatus.FUNDED
    assert ledger.balance(core.disbursed_account(case.code)) == 0


def test_charity_staff_cannot_open_the_finance_decision(funded, staff_client):
    case = funded()
    client, _ = staff_client(case.charity)
    send_request(client, case)
    disbursement = db.session.scalar(select(Disbursement))
    assert client.get(f"/finance/disbursements/{disbursement.id}").status_code == 403


def test_evidence_is_required_and_checked_by_content(funded, staff_client):
    case = funded()
    client, _ = staff_client(case.charity)
    response = send_request(client, case, documents=[(io.BytesIO(b"just text, named like a pdf"), "lease.pdf")])
    assert response.status_code == 400 and "PDF" in response.get_data(as_text=True)
    response = send_request(client, case, documents=[])
    assert response.status_code == 400 and "مستند" in response.get_data(as_text=True)
    assert _count(Disbursement) == 0


def test_bad_fields_get_errors_next_to_them_and_change_nothing(funded, staff_client):
    case = funded()
    client, _ = staff_client(case.charity)
    for overrides, fragment in (
        ({"amount": "2000"}, "field__error"),
        ({"period_end": "2026-01-01"}, "field__error"),
        ({"outcome_text": "اتصل على 0551234567"}, "field__error"),
        ({"amount": "abc"}, "field__error"),
    ):
        response = send_request(client, case, **overrides)
        assert response.status_code == 400 and fragment in response.get_data(as_text=True), overrides
    assert _count(Disbursement) == 0


def test_another_charity_cannot_see_or_request_for_the_case(funded, staff_client, make_charity):
    case = funded()
    client, _ = staff_client(make_charity())
    assert client.get(f"/charity/cases/{case.code}/disbursement").status_code == 404
    assert send_request(client, case).status_code == 404
    assert _count(Disbursement) == 0


def test_returned_with_reasons_then_corrected_and_approved(funded, staff_client, finance_client):
    case = funded()
    charity_client, _ = staff_client(case.charity)
    send_request(charity_client, case)
    disbursement = db.session.scalar(select(Disbursement))
    client, _ = finance_client()
    response = decide(client, disbursement, "return")
    assert response.status_code == 400 and "field__error" in response.get_data(as_text=True)
    decide(client, disbursement, "return", reason="العقد غير موقّع")
    db.session.expire_all()
    assert db.session.get(Disbursement, disbursement.id).status == "returned"
    page = charity_client.get(f"/charity/cases/{case.code}/disbursement").get_data(as_text=True)
    assert "العقد غير موقّع" in page
    assert send_request(charity_client, case, amount="900").status_code == 302
    db.session.expire_all()
    disbursement = db.session.get(Disbursement, disbursement.id)
    assert disbursement.status == "requested" and disbursement.amount == 900_00 and len(disbursement.documents) == 2
    assert decide(client, disbursement).status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == CaseStatus.CLOSED and case.disbursed_amount == 900_00
    assert ledger.balance(core.pool_account("rent")) + ledger.balance(core.pool_account("rent", True)) == 100_00
    assert ledger.verify() == []


def test_evidence_is_served_only_to_authorised_users(app, funded, staff_client, finance_client, make_user,
                                                      make_charity):
    case = funded()
    charity_client, _ = staff_client(case.charity)
    send_request(charity_client, case)
    document = db.session.scalar(select(Disbursement)).documents[0]
    url = f"/disbursements/documents/{document.id}"
    assert charity_client.get(url).data.startswith(b"%PDF")
    finance, _ = finance_client()
    response = finance.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert app.test_client().get(url).status_code == 302  # anonymous: sign in first
    other, _ = staff_client(make_charity())
    assert other.get(url).status_code == 404
    donor = app.test_client()
    login(donor, make_user(Role.DONOR))
    assert donor.get(url).status_code == 404


def _approved(funded, make_user, **fields):
    case = funded(**fields)
    researcher = make_user(Role.RESEARCHER, charity=case.charity)
    disbursement = services.request_disbursement(case, services.RequestDetails(
        amount=case.raised_amount, payee_name="مالك", outcome_text="استلمت الأسرة مفاتيح المسكن",
        contract_reference="C-1", period_start=utcnow().date(), period_end=utcnow().date() + timedelta(days=365),
        files=[("a.png", PNG)]), actor=researcher)
    services.approve(disbursement, actor=make_user(Role.FINANCE))
    db.session.commit()
    return case, researcher


def test_follow_ups_when_due_are_public_on_the_case_and_in_the_figures(app, funded, make_user):
    case, researcher = _approved(funded, make_user)
    try:
        services.record_follow_up(case, 6, True, "", actor=researcher)
    except services.DisbursementError as error:
        assert error.code == "follow_up_not_due"
    else:
        raise AssertionError("a follow-up was accepted before it was due")
    case.disbursed_at = utcnow() - timedelta(days=190)
    services.record_follow_up(case, 6, True, "الأسرة مستقرة", actor=researcher)
    db.session.commit()
    assert _count(FollowUp) == 1
    html = render_partial(app, "_case_outcome", case=case)
    assert "استلمت الأسرة مفاتيح المسكن" in html and 'data-testid="follow-up-6"' in html
    figures = stats.impact(stats.Period(stats.today(), stats.today()))
    assert (figures["totals"]["follow_ups"], figures["totals"]["follow_ups_housed"]) == (1, 1)


def test_a_closed_rent_case_is_renewed_as_a_linked_draft(app, funded, make_user, staff_client):
    case, researcher = _approved(funded, make_user)
    client, _ = staff_client(case.charity)
    url = f"/charity/cases/{case.code}/renew"
    assert post_form(client, url, token_page="/charity/disbursements").status_code == 302
    renewal = db.session.scalar(select(CaseRenewal))
    assert renewal.previous_case_id == case.id
    new = db.session.get(Case, renewal.case_id)
    assert new.status == CaseStatus.DRAFT and new.code != case.code and new.charity_id == case.charity_id
    assert new.raised_amount == 0
    html = render_partial(app, "_case_outcome", case=case)
    assert new.code in html
    post_form(client, url, token_page="/charity/disbursements")
    assert _count(CaseRenewal) == 1


def test_the_donor_sees_the_outcome_on_the_receipt_partial_and_the_account_page(app, make_case, make_user):
    from jood.donations.models import Donation
    from tests.conftest import sandbox_pay, start_case_gift

    donor = make_user(Role.DONOR, email="account-donor@example.org")
    client = app.test_client()
    login(client, donor)
    case = make_case(target_amount=50_00, family_size=4)
    sandbox_pay(client, start_case_gift(client, case, "50"))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == CaseStatus.FUNDED
    researcher = make_user(Role.RESEARCHER, charity=case.charity)
    disbursement = services.request_disbursement(case, services.RequestDetails(
        amount=case.raised_amount, payee_name="مالك", outcome_text="سُدّد إيجار عام 1448هـ",
        period_start=utcnow().date(), period_end=utcnow().date() + timedelta(days=365),
        files=[("a.png", PNG)]), actor=researcher)
    services.approve(disbursement, actor=make_user(Role.FINANCE))
    db.session.commit()

    page = client.get("/account/impact").get_data(as_text=True)
    assert 'data-testid="families-helped">1<' in page and "سُدّد إيجار عام 1448هـ" in page
    year = utcnow().astimezone(display_zone()).year
    pdf = client.get(f"/account/statement/{year}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Annual giving statement" in text and "JD-" in text

    donation = db.session.scalar(select(Donation).where(Donation.user_id == donor.id))
    html = render_partial(app, "_donation_outcome", donation=donation)
    assert "سُدّد إيجار عام 1448هـ" in html and case.code in html

"""Basket, pools, gifts, sandbox recurring gifts, refunds and cancelled cases."""

import io
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from jood.auth.roles import Role
from jood.cases.models import CaseStatus, Track
from jood.cases.services import change_status
from jood.core.db import utcnow
from jood.donations.models import Donation, RecurringGift
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.transparency.api import ledger_page
from tests.conftest import donation_count, login, post_form, sandbox_pay


def _add(client, case, amount):
    page = f"/cases/{case.code}/donate"
    return post_form(client, page, {"amount": amount, "action": "basket"}, token_page=page)


def _last():
    db.session.expire_all()
    return db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()


def test_basket_pays_several_cases_at_once_split_exactly(client, make_case):
    a, b = make_case(), make_case()
    assert _add(client, a, "100").status_code == 302
    assert _add(client, b, "٥٠").status_code == 302
    page = client.get("/basket").get_data(as_text=True)
    assert a.code in page and b.code in page and "150\u00a0ر.س" in page
    response = post_form(client, "/basket", {"anonymous": "y"}, token_page="/basket")
    sandbox_pay(client, response)
    donation = _last()
    assert donation.amount == 150_00 and [line.amount for line in donation.lines] == [100_00, 50_00]
    assert (a.raised_amount, b.raised_amount) == (100_00, 50_00)
    assert len(ledger_page(1)["items"]) == 1  # one payment, split in one transaction
    assert ledger.verify() == []


def test_a_case_funded_meanwhile_is_flagged_never_dropped_and_can_go_to_the_pool(client, make_case, donate):
    case = make_case(target_amount=100_00, track=Track.OWNERSHIP)
    other = make_case()
    _add(client, case, "60")
    _add(client, other, "10")
    case.raised_amount = 0
    donate(case, "100", client=client)  # someone else fills the case
    response = post_form(client, "/basket", {"anonymous": "y"}, token_page="/basket")
    assert response.status_code == 400 and "اكتمل تمويل هذه الحالة أو أُغلقت" in response.get_data(as_text=True)
    assert donation_count() == 1  # only the other donor's
    page = client.get("/basket").get_data(as_text=True)
    assert case.code in page  # still there, with a choice
    post_form(client, "/basket/0/to-pool", {}, token_page="/basket")
    sandbox_pay(client, post_form(client, "/basket", {"anonymous": "y"}, token_page="/basket"))
    donation = _last()
    assert [(line.pool, line.case_id) for line in donation.lines] == [("ownership", None), (None, other.id)]
    assert ledger.verify() == []


def test_quick_donate_to_a_pool_is_allocated_to_the_neediest_case(client, make_case):
    needy = make_case(priority_total=80, target_amount=50_00)
    less = make_case(priority_total=10)
    response = post_form(client, "/give", {"pool": "rent", "amount": "70", "anonymous": "y"}, token_page="/give")
    sandbox_pay(client, response)
    db.session.expire_all()
    assert (needy.raised_amount, less.raised_amount) == (50_00, 20_00)
    assert needy.status == CaseStatus.FUNDED
    assert ledger.verify() == []


def test_gift_card_page_and_pdf_hide_the_amount_unless_chosen(client, make_case, donate):
    case = make_case()
    hidden = donate(case, "321", is_gift="y", gift_recipient="سارة", gift_message="رمضان كريم", client=client)
    shown = donate(case, "123", is_gift="y", gift_recipient="Ali", gift_show_amount="y", client=client)
    page = client.get(f"/gifts/{hidden.gift_token}").get_data(as_text=True)
    assert "سارة" in page and "رمضان كريم" in page and "321" not in page
    assert "123\u00a0ر.س" in client.get(f"/gifts/{shown.gift_token}").get_data(as_text=True)
    pdf = client.get(f"/gifts/{hidden.gift_token}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "إهداء" in text and "سارة" in text and "321" not in text


def test_gift_without_a_recipient_name_is_refused(client, make_case):
    case = make_case()
    page = f"/cases/{case.code}/donate"
    response = post_form(client, page, {"amount": "50", "action": "pay", "is_gift": "y"}, token_page=page)
    assert response.status_code == 400 and "أدخل اسم المُهدى إليه" in response.get_data(as_text=True)
    assert donation_count() == 0


def test_receipt_pdf_has_shaped_arabic_in_logical_order_english_and_the_reference(client, make_case, donate):
    case = make_case()
    donation = donate(case, "100", client=client)
    response = client.get(f"/receipts/{donation.receipt_token}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "إيصال تبرع" in text and "نوع التبرع: صدقة" in text
    assert "Donation receipt" in text and donation.reference in text
    assert f"/r/{donation.reference}" in text


def test_sandbox_monthly_gift_renews_with_its_own_receipt_and_can_be_cancelled(app, client, make_user):
    from jood.payments.cli import renew_sandbox_command

    donor = make_user(Role.DONOR)
    login(client, donor)
    response = post_form(client, "/give", {"pool": "general", "amount": "30", "monthly": "y"}, token_page="/give")
    sandbox_pay(client, response)
    recurring = db.session.scalars(select(RecurringGift)).one()
    db.session.refresh(recurring)
    assert recurring.status == "active" and recurring.subscription_id.startswith("sbxsub_")
    recurring.next_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(renew_sandbox_command)
    assert result.exit_code == 0 and "1 monthly" in result.output
    assert app.test_cli_runner().invoke(renew_sandbox_command).output.startswith("0 monthly")
    donations = db.session.scalars(select(Donation).order_by(Donation.id)).all()
    assert [d.status for d in donations] == ["paid", "paid"] and donations[0].reference != donations[1].reference
    assert ledger.balance(core.clearing_account("sandbox")) == -60_00
    post_form(client, f"/account/recurring/{recurring.id}/cancel", {}, token_page="/account/donations")
    db.session.expire_all()
    assert recurring.status == "cancelled"


def test_monthly_giving_needs_an_account(client):
    response = post_form(client, "/give", {"pool": "general", "amount": "30", "monthly": "y"}, token_page="/give")
    assert response.status_code == 400 and donation_count() == 0


def test_finance_refund_in_the_sandbox_reopens_the_case(client, make_case, make_user, donate):
    case = make_case(target_amount=100_00)
    donation = donate(case, "100", client=client)
    assert case.status == CaseStatus.FUNDED
    login(client, make_user(Role.FINANCE))
    response = post_form(client, f"/finance/donations/{donation.reference}/refund", {"reason": "duplicate gift"},
                         token_page="/finance/donations")
    assert response.status_code == 302
    db.session.expire_all()
    assert donation.status == "refunded" and case.raised_amount == 0 and case.status == CaseStatus.PUBLISHED
    assert ledger.verify() == []
    assert "مسترد" in client.get(f"/r/{donation.reference}").get_data(as_text=True)


def test_a_donor_cannot_refund(client, make_case, login_as, donate):
    donation = donate(make_case(), "100", client=client)
    login_as(Role.DONOR)
    response = post_form(client, f"/finance/donations/{donation.reference}/refund", {"reason": "mine"})
    assert response.status_code == 403


def test_cancelled_case_money_goes_to_the_pool_and_donors_are_told(app, make_case, donate):
    case = make_case()
    donate(case, "100", email="told@example.org")
    change_status(case, None, CaseStatus.CANCELLED, "the landlord refused")
    db.session.commit()
    assert ledger.balance(core.pool_account("rent")) == 100_00 and case.raised_amount == 0
    mails = [p.read_text() for p in Path(app.config["MAIL_OUTBOX"]).glob("*told_at_example.org.eml")]
    assert len(mails) == 2  # the receipt, then the notice
    assert ledger.verify() == []


def test_account_history_lists_only_my_gifts(client, make_case, make_user, donate):
    case = make_case()
    other = donate(case, "40", client=client)
    me = make_user(Role.DONOR)
    login(client, me)
    mine = donate(case, "60", client=client)
    page = client.get("/account/donations").get_data(as_text=True)
    assert mine.reference in page and other.reference not in page


def _outbox_mails(app, address: str):
    from email import message_from_bytes
    from email.policy import default
    from pathlib import Path

    return [message_from_bytes(path.read_bytes(), policy=default)
            for path in Path(app.config["MAIL_OUTBOX"]).glob(f"*{address.replace('@', '_at_')}.eml")]


def test_a_gift_recipient_with_an_e_mail_is_told_with_the_card(app, make_case, donate):
    case = make_case()
    donation = donate(case, "100", is_gift="y", gift_recipient="أم سعد", gift_contact="um.saad@example.org",
                       gift_message="رمضان كريم", display_name="خالد", anonymous="")
    mails = _outbox_mails(app, "um.saad@example.org")
    assert len(mails) == 1
    body = mails[0].get_body(preferencelist=("plain",)).get_content()
    assert "أم سعد" in body and "خالد" in body and f"/gifts/{donation.gift_token}" in body and "رمضان كريم" in body
    assert "100" not in mails[0]["Subject"] and mails[0]["Message-ID"].startswith(f"<gift-{donation.reference}@")
    assert any(part.get_filename() == "jood-gift.pdf" for part in mails[0].iter_attachments())


def test_a_gift_to_a_mobile_number_sends_no_mail_to_anyone_else(app, make_case, donate):
    from pathlib import Path

    before = set(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"))
    donate(make_case(), "50", is_gift="y", gift_recipient="أبو فهد", gift_contact="0551234567")
    assert set(Path(app.config["MAIL_OUTBOX"]).glob("*.eml")) == before  # no donor e-mail, no recipient e-mail


def test_queued_gift_notices_are_sent_by_the_jobs_runner(app, make_case, donate):
    from jood.donations import services

    app.config["RECEIPT_QUEUE"] = True
    try:
        donate(make_case(), "100", is_gift="y", gift_recipient="هند", gift_contact="hind@example.org")
        assert _outbox_mails(app, "hind@example.org") == []
        services.send_queued_receipts()
        assert len(_outbox_mails(app, "hind@example.org")) == 1
    finally:
        app.config["RECEIPT_QUEUE"] = False

import io
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from sqlalchemy import select

from jood.auth.models import User
from jood.auth.roles import Role
from jood.charities.models import Charity, CharityStatus
from jood.extensions import db
from tests.conftest import login, post_form

PDF = b"%PDF-1.4\n%%EOF\n"


def application(**overrides):
    data = {"name_ar": "جمعية الإسكان الخيرية بتبوك", "name_en": "Tabuk Housing Charity", "licence_number": "2201",
            "region": "tabuk", "city": "تبوك", "contact_name": "فيصل العنزي", "contact_email": "manager@tabuk.org",
            "contact_phone": "0144444444", "licence_document": (io.BytesIO(PDF), "licence.pdf")}
    data.update(overrides)
    return data


def outbox_messages(app) -> list[str]:
    messages = [message_from_bytes(path.read_bytes(), policy=default)
                for path in sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]
    # Other features' mails (receipts) carry attachments: read each message's plain-text body.
    return [f"{message['To']}\n{message.get_body(preferencelist=('plain',)).get_content()}" for message in messages]


def test_a_charity_applies_with_its_licence(client):
    response = post_form(client, "/charities/apply", application(), content_type="multipart/form-data")
    assert response.status_code == 302
    charity = db.session.scalar(select(Charity))
    assert (charity.status, charity.slug, charity.contact_name) == ("pending", "tabuk-housing-charity", "فيصل العنزي")
    assert charity.licence_document.endswith(".pdf") and charity.licence_document_type == "application/pdf"
    assert client.get(f"/charities/{charity.slug}").status_code == 404  # not public until approved


def test_an_application_with_a_disguised_file_is_refused(client):
    response = post_form(client, "/charities/apply",
                         application(licence_document=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "licence.pdf")),
                         content_type="multipart/form-data", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Only PDF, JPEG and PNG files are accepted." in response.get_data(as_text=True)
    assert db.session.scalar(select(Charity)) is None


def test_approval_creates_the_manager_and_sends_a_set_password_link(app, client, make_user, make_charity):
    charity = make_charity(status=CharityStatus.PENDING, contact_email="boss@new.org", contact_name="مدير جديد")
    before = len(outbox_messages(app))
    login(client, make_user(Role.REVIEWER))
    assert post_form(client, f"/charities/applications/{charity.id}/approve").status_code == 302
    db.session.expire_all()
    manager = db.session.scalar(select(User).where(User.email == "boss@new.org"))
    assert charity.status == "approved" and charity.approved_at is not None
    assert manager.role == "charity_manager" and manager.charity_id == charity.id
    mails = outbox_messages(app)[before:]
    assert len(mails) == 1 and "boss@new.org" in mails[0] and "/reset/" in mails[0]


@pytest.mark.parametrize("action", ["reject", "suspend"])
def test_reject_and_suspend_need_a_reason(client, make_user, make_charity, action):
    status = CharityStatus.PENDING if action == "reject" else CharityStatus.APPROVED
    charity = make_charity(status=status)
    login(client, make_user(Role.REVIEWER))
    post_form(client, f"/charities/applications/{charity.id}/{action}", {"reason": ""})
    db.session.expire_all()
    assert charity.status == status.value
    post_form(client, f"/charities/applications/{charity.id}/{action}", {"reason": "الترخيص منتهي"})
    db.session.expire_all()
    assert charity.status == ("rejected" if action == "reject" else "suspended")
    assert charity.status_reason == "الترخيص منتهي"


def test_only_reviewers_decide(client, make_user, make_charity):
    charity = make_charity(status=CharityStatus.PENDING)
    login(client, make_user(Role.CHARITY_MANAGER))
    assert post_form(client, f"/charities/applications/{charity.id}/approve").status_code == 403
    db.session.expire_all()
    assert charity.status == "pending"


def test_the_directory_and_profile_show_approved_partners(client, make_charity, make_case):
    approved = make_charity(name_ar="جمعية معتمدة")
    make_charity(status=CharityStatus.PENDING, name_ar="جمعية قيد الدراسة")
    make_case(charity=approved)
    page = client.get("/charities").get_data(as_text=True)
    assert "جمعية معتمدة" in page and "جمعية قيد الدراسة" not in page
    profile = client.get(f"/charities/{approved.slug}").get_data(as_text=True)
    assert approved.licence_number in profile and 'data-testid="published-count">1<' in profile


def test_profile_median_days_to_disbursement(make_charity, make_case):
    from datetime import timedelta

    from jood.charities.services import profile_numbers
    from jood.core.db import utcnow

    charity = make_charity()
    start = utcnow() - timedelta(days=100)
    for days in (10, 20, 60):
        make_case(charity=charity, status=CaseStatus_DISBURSED(), published_at=start, raised_amount=20_000_00,
                  disbursed_amount=20_000_00, disbursed_at=start + timedelta(days=days))
    make_case(charity=charity)
    numbers = profile_numbers(charity)
    assert numbers == {"published": 4, "funded": 3, "disbursed": 3, "median_days": 20}


def CaseStatus_DISBURSED():  # noqa: N802 - keeps the factory call readable
    from jood.cases.models import CaseStatus

    return CaseStatus.DISBURSED


def test_a_manager_invites_and_removes_own_researchers(app, client, make_user, make_charity):
    manager = make_user(Role.CHARITY_MANAGER)
    login(client, manager)
    before = len(outbox_messages(app))
    assert post_form(client, "/charities/staff/invite", {"display_name": "باحثة جديدة",
                                                         "email": "new@charity.org"}).status_code == 302
    researcher = db.session.scalar(select(User).where(User.email == "new@charity.org"))
    assert researcher.role == "researcher" and researcher.charity_id == manager.charity_id
    assert "/reset/" in outbox_messages(app)[before]
    other = make_user(Role.RESEARCHER, charity=make_charity())
    assert post_form(client, f"/charities/staff/{other.id}/remove").status_code == 404
    assert post_form(client, f"/charities/staff/{researcher.id}/remove").status_code == 302
    db.session.expire_all()
    assert researcher.active is False and other.active is True


def test_invite_refuses_an_existing_address(client, make_user):
    existing = make_user(Role.DONOR)
    login(client, make_user(Role.CHARITY_MANAGER))
    response = post_form(client, "/charities/staff/invite", {"display_name": "x", "email": existing.email},
                         headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "already has an account" in response.get_data(as_text=True)


def test_researchers_cannot_invite(client, make_user):
    login(client, make_user(Role.RESEARCHER))
    assert post_form(client, "/charities/staff/invite", {"display_name": "x", "email": "y@z.org"}).status_code == 403


def test_the_licence_is_served_to_reviewers_not_to_other_charities(app, client, make_user, make_charity):
    post_form(client, "/charities/apply", application(), content_type="multipart/form-data")
    charity = db.session.scalar(select(Charity))
    url = f"/charities/applications/{charity.id}/licence"
    reviewer_client = app.test_client()
    login(reviewer_client, make_user(Role.REVIEWER))
    assert reviewer_client.get(url).data == PDF
    login(client, make_user(Role.CHARITY_MANAGER, charity=make_charity()))
    assert client.get(url).status_code == 404

"""The public side: filing a request, the tracking number, the status page, rating."""

from datetime import timedelta

from sqlalchemy import func, select

from jood.audit.models import AuditEntry
from jood.auth.roles import Role
from jood.core.db import utcnow
from jood.extensions import db
from jood.support import rules, services
from jood.support.models import SupportRequest
from tests.conftest import post_form
from tests.support.conftest import mails_to


def _count():
    return db.session.scalar(select(func.count()).select_from(SupportRequest))


def test_filing_a_complaint_in_arabic_gives_a_tracking_number_and_an_email(app, client):
    response = post_form(client, "/support/", {
        "kind": "complaint", "name": "هدى السالم", "email": "Huda@Example.org", "mobile": "",
        "case_code": "je-1448-00042", "message": "لم يصلني إيصال التبرع حتى الآن رغم خصم المبلغ.",
    }, token_page="/support/")
    assert response.status_code == 302
    item = db.session.scalar(select(SupportRequest))
    assert item.kind == "complaint" and item.email == "huda@example.org" and item.case_code == "JE-1448-00042"
    assert rules.TRACKING_RE.match(item.tracking_number)
    assert item.tracking_number.endswith(f"{item.id:06d}")
    assert item.due_at - item.created_at == timedelta(days=rules.RESPONSE_DEADLINE_DAYS["complaint"])
    assert response.headers["Location"].endswith(f"/support/requests/{item.tracking_number}")

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert item.tracking_number in page and "لم يصلني إيصال التبرع" in page
    assert "رقم متابعته" in page  # the flash, in Arabic

    [mail] = mails_to(app, "huda@example.org")
    assert item.tracking_number in mail["Subject"] and "استلمنا طلبك" in mail["Subject"]
    assert item.tracking_number in mail.get_content()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_id == item.tracking_number))
    assert entry.action == "support.filed" and entry.to_state == "new"


def test_a_grievance_past_sixty_days_is_refused_with_a_clear_message(client):
    late = (utcnow() - timedelta(days=75)).date()
    response = post_form(client, "/support/", {
        "kind": "grievance", "name": "محمد", "email": "m@example.org", "message": "أتظلّم من قرار رفض طلبي.",
        "contested_decision": "رفض الطلب", "notified_on": late.isoformat(),
    }, token_page="/support/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "يجب تقديم التظلّم خلال 60 يومًا" in page and 'class="field__error"' in page
    assert _count() == 0


def test_a_grievance_in_time_is_filed_with_the_committee_deadline(client):
    notified = (utcnow() - timedelta(days=59)).date()
    response = post_form(client, "/support/", {
        "kind": "grievance", "name": "محمد", "mobile": "+966 55 123 4567", "message": "أتظلّم من قرار رفض طلبي.",
        "contested_decision": "رفض الطلب بسبب الدخل", "notified_on": notified.isoformat(),
    }, token_page="/support/")
    assert response.status_code == 302
    item = db.session.scalar(select(SupportRequest))
    assert item.kind == "grievance" and item.notified_on == notified and item.mobile == "0551234567"
    assert item.due_at - item.created_at == timedelta(days=30)


def test_grievance_fields_are_required_only_for_grievances(client):
    data = {"name": "سارة", "email": "s@example.org", "message": "اقتراح لتحسين صفحة الحالة."}
    response = post_form(client, "/support/", {**data, "kind": "grievance"}, token_page="/support/")
    assert "صِف القرار الذي تتظلّم منه" in response.get_data(as_text=True) and _count() == 0
    assert post_form(client, "/support/", {**data, "kind": "suggestion",
                                           "contested_decision": "x"}, token_page="/support/").status_code == 302
    assert db.session.scalar(select(SupportRequest)).contested_decision is None


def test_no_contact_or_a_bad_mobile_is_refused(client):
    base = {"kind": "inquiry", "name": "سارة", "message": "سؤال عن الزكاة وإيصالها."}
    page = post_form(client, "/support/", base, token_page="/support/").get_data(as_text=True)
    assert "أدخل بريدًا إلكترونيًا أو رقم جوال" in page
    page = post_form(client, "/support/", {**base, "mobile": "12345"}, token_page="/support/").get_data(as_text=True)
    assert "أدخل رقم جوال سعوديًا" in page
    assert _count() == 0


def test_the_public_form_is_rate_limited(client):
    data = {"kind": "inquiry", "name": "سارة", "email": "s@example.org", "message": "سؤال عن الزكاة وإيصالها."}
    statuses = [post_form(client, "/support/", data, token_page="/support/").status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert _count() == 5


def test_status_page_needs_the_tracking_number_and_the_contact(app, client, file_request):
    item = file_request(email="huda@example.org", mobile="0551234567")
    stranger = app.test_client()
    # Guessing a number shows nothing: the page sends the visitor to the lookup form.
    response = stranger.get(f"/support/requests/{item.tracking_number}")
    assert response.status_code == 302 and "/support/status" in response.headers["Location"]
    page = post_form(stranger, "/support/status", {"tracking": item.tracking_number, "contact": "x@example.org"},
                     token_page="/support/status").get_data(as_text=True)
    assert "لا يوجد طلب يطابق" in page and "لم يصلني" not in page
    wrong_number = post_form(stranger, "/support/status", {"tracking": "JS-1448-999999", "contact": "huda@example.org"},
                             token_page="/support/status").get_data(as_text=True)
    assert "لا يوجد طلب يطابق" in wrong_number  # the same answer: no hint which half was wrong

    response = post_form(stranger, "/support/status", {"tracking": item.tracking_number.lower(),
                                                       "contact": "055 123 4567"}, token_page="/support/status")
    assert response.status_code == 302
    assert "لم يصلني" in stranger.get(response.headers["Location"]).get_data(as_text=True)


def test_rating_once_after_resolution(app, client, file_request, make_user):
    reviewer = make_user(Role.REVIEWER)
    item = file_request()
    post_form(client, "/support/status", {"tracking": item.tracking_number, "contact": item.email},
              token_page="/support/status")
    url = f"/support/requests/{item.tracking_number}/rate"
    post_form(client, url, {"rating": "5"}, token_page="/support/status")
    assert db.session.get(SupportRequest, item.id).rating is None  # not resolved yet

    services.reply(item, "تمت المعالجة.", actor=reviewer)
    services.resolve(item, actor=reviewer)
    db.session.commit()
    assert 'data-testid="rating-5"' in client.get(f"/support/requests/{item.tracking_number}").get_data(as_text=True)
    assert post_form(client, url, {"rating": "4"}, token_page="/support/status").status_code == 302
    post_form(client, url, {"rating": "1"}, token_page="/support/status")
    db.session.expire_all()
    assert db.session.get(SupportRequest, item.id).rating == 4
    page = client.get(f"/support/requests/{item.tracking_number}").get_data(as_text=True)
    assert 'data-testid="rated"' in page and 'data-testid="rating-5"' not in page
    assert post_form(app.test_client(), url, {"rating": "1"}).status_code == 302  # a stranger is sent away
    assert db.session.get(SupportRequest, item.id).rating == 4


def test_a_request_with_only_a_mobile_is_not_promised_an_e_mail(app, file_request):
    item = file_request(email=None, mobile="0551234567")
    visitor = app.test_client()
    page = post_form(visitor, "/support/status", {"tracking": item.tracking_number, "contact": "0551234567"},
                     token_page="/support/status", follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="no-reply"' in page
    assert "سيظهر ردنا في هذه الصفحة" in page and "سنراسلك بالبريد" not in page

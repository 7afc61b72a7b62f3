import re
from datetime import date

import pytest
from sqlalchemy import select

from jood.auth.roles import Role
from jood.cases import services
from jood.cases.models import Case, CaseDocument, FamilyMember
from jood.extensions import db
from tests.cases.conftest import PDF, SUMMARY, national_id, upload
from tests.conftest import login, post_form


def case_form(**overrides):
    data = {
        "full_name": "سالم ناصر الدوسري", "national_id": national_id(501), "phone": "0509998887",
        "address": "حي الشفا", "applicant_role": "husband", "nationality": "SA", "birth_date": "1975-03-02",
        "monthly_income": "3,500", "domestic_workers": "0", "assets_value": "0", "resides_in_ksa": "y",
        "application_completed_on": "2019-06-01", "suspended_periods": "2020-01-01 to 2021-01-01",
        "region": "riyadh", "city": "الرياض", "track": "rent", "target_amount": "24000", "amount_basis": "lease",
        "amount_basis_note": "عقد سنوي", "public_summary": SUMMARY, "zakat_eligible": "y",
    }
    data.update(overrides)
    return data


def test_a_researcher_opens_a_case_through_the_form(client, staff):
    login(client, staff.researcher)
    response = post_form(client, "/workspace/cases/new", case_form(), token_page="/workspace/cases/new")
    assert response.status_code == 302
    case = db.session.scalar(select(Case))
    assert response.headers["Location"].endswith(f"/workspace/cases/{case.code}")
    assert case.status == "draft" and case.target_amount == 24_000_00 and case.applicant.monthly_income == 3_500_00
    assert case.applicant.suspended_periods == [["2020-01-01", "2021-01-01"]]
    page = client.get(f"/workspace/cases/{case.code}").get_data(as_text=True)
    assert "سالم ناصر الدوسري" in page and national_id(501) in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("national_id", "1234567890", "This number's check digit does not match"),  # ten digits, bad checksum
    ("national_id", "12345", "Enter a valid 10-digit national ID or iqama number."),
    ("target_amount", "12,50", "Enter an amount in riyals, for example 18000 or 18,000.50."),
    ("public_summary", "أسرة سالم تحتاج إلى سداد الإيجار المتأخر", "The public summary contains private data"),
])
def test_bad_input_is_shown_next_to_the_field_and_saves_nothing(client, staff, field, value, message):
    login(client, staff.researcher)
    response = post_form(client, "/workspace/cases/new", case_form(**{field: value}),
                         headers={"Accept-Language": "en"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error"[^>]*>{re.escape(message)}', page)
    assert db.session.scalar(select(Case)) is None


def test_visit_members_documents_and_submission_through_the_pages(client, staff, new_case):
    case = new_case(staff.charity, staff.researcher, members=0)
    login(client, staff.researcher)
    base = f"/workspace/cases/{case.code}"
    post_form(client, f"{base}/members", {"relation": "daughter", "member_name": "نورة", "age": "8",
                                          "marital_status": "single"})
    post_form(client, f"{base}/submit")
    db.session.expire_all()
    assert case.status == "draft" and case.family_size == 2  # no visit yet: refused
    response = post_form(client, f"{base}/documents", {"kind": "lease", "file": (upload(PDF).stream, "l.pdf")},
                         content_type="multipart/form-data")
    assert response.status_code == 302
    response = post_form(client, f"{base}/visit", {
        "visited_on": "2026-01-10", "findings": "زارت الباحثة المنزل ووجدته بحاجة إلى ترميم عاجل.",
        "recommendation": "support", "photos": (upload(PDF).stream, "p.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert post_form(client, f"{base}/submit").status_code == 302
    db.session.expire_all()
    assert case.status == "submitted" and case.field_verified_at is not None
    assert {d.kind for d in db.session.scalars(select(CaseDocument))} == {"lease", "visit_photo"}


def test_documents_are_served_only_to_the_charity_and_platform_staff(app, client, staff, new_case, make_user,
                                                                     make_charity):
    case = new_case(staff.charity, staff.researcher)
    document = services.add_document(case, staff.researcher, upload(PDF), "lease")
    db.session.commit()
    url = f"/workspace/cases/{case.code}/documents/{document.id}"
    assert not url.startswith("/static")
    expected = {
        staff.researcher: 200, staff.manager: 200, make_user(Role.REVIEWER): 200, make_user(Role.AUDITOR): 200,
        make_user(Role.ADMIN): 200, make_user(Role.FINANCE): 403, make_user(Role.DONOR): 403,
        make_user(Role.RESEARCHER, charity=make_charity()): 404,
    }
    for user, status in expected.items():
        other = app.test_client()
        login(other, user)
        response = other.get(url)
        assert response.status_code == status, user
        if status == 200:
            assert response.data == PDF and response.headers["Cache-Control"] == "private, no-store"
    assert client.get(url).status_code == 302  # anonymous: sign in first


def _routes_of(case, member_id, document_id):
    base = f"/workspace/cases/{case.code}"
    return [
        ("get", base), ("get", f"{base}/edit"), ("post", f"{base}/edit"), ("post", f"{base}/members"),
        ("post", f"{base}/members/{member_id}/delete"), ("post", f"{base}/documents"),
        ("get", f"{base}/documents/{document_id}"), ("get", f"{base}/visit"), ("post", f"{base}/visit"),
        ("post", f"{base}/verify"), ("post", f"{base}/submit"), ("post", f"{base}/withdraw"),
        ("post", f"{base}/situation"), ("post", f"/review/{case.code}/take"), ("post", f"/review/{case.code}/registry"),
        ("post", f"/review/{case.code}/publish"), ("post", f"/review/{case.code}/return"),
        ("post", f"/review/{case.code}/cancel"),
    ]


@pytest.mark.parametrize("role", [Role.RESEARCHER, Role.CHARITY_MANAGER])
def test_charity_a_cannot_touch_anything_of_charity_b(client, make_charity, make_user, new_case, role):
    charity_b = make_charity()
    researcher_b = make_user(Role.RESEARCHER, charity=charity_b)
    case = new_case(charity_b, researcher_b, members=1)
    document = services.add_document(case, researcher_b, upload(PDF), "lease")
    db.session.commit()
    member_id = db.session.scalar(select(FamilyMember.id))
    login(client, make_user(role, charity=make_charity()))
    for method, url in _routes_of(case, member_id, document.id):
        if method == "get":
            status = client.get(url).status_code
        else:
            status = post_form(client, url, {"reason": "سبب كافٍ", "note": "تغيير", "member_name": "x", "age": "3",
                                             "relation": "son", "marital_status": "single"}).status_code
        assert status in (403, 404), f"{method} {url} answered {status}"
    db.session.expire_all()
    assert case.status == "draft" and len(case.members) == 1 and len(case.documents) == 1


def test_review_publish_needs_the_confirmation(client, staff, new_case, make_user):
    reviewer = make_user(Role.REVIEWER)
    case = new_case(staff.charity, staff.researcher, stage="submitted")
    login(client, reviewer)
    assert post_form(client, f"/review/{case.code}/take").status_code == 302
    registry = {f"{name}_outcome": "clear" for name in services.REGISTRIES}
    registry |= {f"{name}_evidence": "اطلعت على النظام ولا يوجد سجل" for name in services.REGISTRIES}
    assert post_form(client, f"/review/{case.code}/registry", registry).status_code == 302
    response = post_form(client, f"/review/{case.code}/publish", {}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Confirm that the public summary holds no private data." in response.get_data(as_text=True)
    response = post_form(client, f"/review/{case.code}/publish", {"confirm_no_private_data": "y"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/cases/{case.code}")
    db.session.expire_all()
    assert case.status == "published"


def test_a_reviewer_can_return_with_reasons_and_the_charity_sees_them(client, staff, new_case, make_user):
    case = new_case(staff.charity, staff.researcher, stage="submitted")
    login(client, make_user(Role.REVIEWER))
    assert post_form(client, f"/review/{case.code}/return", {"reason": ""}).status_code == 400
    post_form(client, f"/review/{case.code}/return", {"reason": "أرفقوا عقد الإيجار الموثق"})
    db.session.expire_all()
    assert case.status == "returned"
    staff_client = client.application.test_client()
    login(staff_client, staff.researcher)
    assert "أرفقوا عقد الإيجار الموثق" in staff_client.get(f"/workspace/cases/{case.code}").get_data(as_text=True)


def test_the_workspace_lists_only_the_own_charitys_cases(client, staff, new_case, make_charity, make_user):
    mine = new_case(staff.charity, staff.researcher)
    other_charity = make_charity()
    theirs = new_case(other_charity, make_user(Role.RESEARCHER, charity=other_charity))
    login(client, staff.manager)
    page = client.get("/workspace").get_data(as_text=True)
    assert mine.code in page and theirs.code not in page


def test_the_reviewer_is_warned_about_the_same_family_elsewhere(client, staff, new_case, make_charity, make_user):
    first = new_case(staff.charity, staff.researcher, seed=77)
    services.withdraw_case(first, staff.researcher, "انتقلت الأسرة")
    db.session.commit()
    other = make_charity()
    second = new_case(other, make_user(Role.RESEARCHER, charity=other), seed=77)
    login(client, make_user(Role.REVIEWER))
    page = client.get(f"/workspace/cases/{second.code}").get_data(as_text=True)
    assert 'data-testid="same-family"' in page and first.code in page


def test_the_case_page_shows_public_fields_only(client, staff, new_case, make_user):
    case = new_case(staff.charity, staff.researcher, stage="published", reviewer=make_user(Role.REVIEWER), seed=9)
    page = client.get(f"/cases/{case.code}").get_data(as_text=True)
    assert case.code in page and SUMMARY in page and '<progress max="1800000" value="0"' in page
    assert 'property="og:title"' in page and "wa.me" in page and "x.com/intent" in page
    for private in ("محمد عبدالله القحطاني", "القحطاني", national_id(9), "0551234567", "حي النسيم", "ابن 0"):
        assert private not in page
    assert "Set-Cookie" not in client.get(f"/cases/{case.code}").headers  # anonymous pages carry no session


@pytest.mark.parametrize("stage", ["draft", "submitted"])
def test_unpublished_cases_have_no_public_page(client, staff, new_case, stage):
    case = new_case(staff.charity, staff.researcher, stage=stage)
    assert client.get(f"/cases/{case.code}").status_code == 404


def test_the_calculator_page_scores_and_explains(client):
    page = client.get("/priority?applicant_role=mother&nationality=SA&age=41&family_size=6&monthly_income=2500"
                      "&domestic_workers=0&precedence_years=3&assets_value=0&resides_in_ksa=y",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    # 20 family + 3 income + 7 age + 3 precedence + 5 category
    assert "Points: 38" in page and "Eligible" in page
    page = client.get("/priority?applicant_role=father&nationality=SA&age=20&family_size=2&monthly_income=9000"
                      "&domestic_workers=0&precedence_years=0&assets_value=0", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Not eligible" in text and "the applicant (husband or father) is under 25" in text
    assert "the family does not reside in the Kingdom" in text


def test_the_calculator_shows_errors_next_to_fields(client):
    page = client.get("/priority?age=abc&family_size=0", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="age-error"' in page and 'id="family_size-error"' in page and "Points:" not in page


def test_situation_update_stamps_the_case(client, staff, new_case, make_user):
    case = new_case(staff.charity, staff.researcher, stage="published", reviewer=make_user(Role.REVIEWER))
    before = case.situation_updated_at
    login(client, staff.researcher)
    assert post_form(client, f"/workspace/cases/{case.code}/situation",
                     {"note": "ولد طفل جديد للأسرة"}).status_code == 302
    db.session.expire_all()
    assert case.situation_updated_at > before


def test_visit_dates_cannot_be_in_the_future(client, staff, new_case):
    case = new_case(staff.charity, staff.researcher)
    login(client, staff.researcher)
    response = post_form(client, f"/workspace/cases/{case.code}/visit", {
        "visited_on": date(2100, 1, 1).isoformat(), "findings": "زيارة ميدانية كاملة للمنزل والأسرة",
        "recommendation": "support"}, headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "This date cannot be in the future." in response.get_data(as_text=True)


def test_editing_a_draft_keeps_the_stored_id_and_refreshes_points(client, staff, new_case):
    case = new_case(staff.charity, staff.researcher, seed=31)
    login(client, staff.researcher)
    form = client.get(f"/workspace/cases/{case.code}/edit").get_data(as_text=True)
    assert 'value="2500"' in form and 'value="18000"' in form and national_id(31) not in form
    data = case_form(national_id="", full_name="محمد عبدالله القحطاني", monthly_income="6000", public_summary=SUMMARY)
    assert post_form(client, f"/workspace/cases/{case.code}/edit", data).status_code == 302
    db.session.expire_all()
    assert case.applicant.monthly_income == 6_000_00 and case.priority_breakdown["income"] == 0
    assert services.identity.decrypt_national_id(case.applicant.national_id_encrypted) == national_id(31)


def test_the_public_sees_the_total_points_and_need_level_never_the_breakdown(client, staff, new_case, make_user):
    """Dignity: 'incurable disease or disability in the family: 5' is no one's business but the reviewers'."""
    reviewer = make_user(Role.REVIEWER)
    case = new_case(staff.charity, staff.researcher, stage="published", reviewer=reviewer, seed=11)
    case.priority_breakdown = {**(case.priority_breakdown or {}), "health_condition": 5, "applicant_category": 2}
    db.session.commit()
    labels_by_language = {"ar": ("مرض مستعصٍ أو إعاقة", "أم أو زوجة"), "en": ("Incurable disease", "a mother, a wife")}
    for language, labels in labels_by_language.items():
        page = client.get(f"/cases/{case.code}", headers={"Accept-Language": language}).get_data(as_text=True)
        assert 'data-testid="points-breakdown"' not in page
        assert not any(label in page for label in labels)
        assert 'data-testid="points-privacy"' in page
    for body in (client.get(f"/api/v1/cases/{case.code}").get_json(),
                 client.get("/api/v1/cases").get_json()["items"][0]):
        assert body["priority"] == {"policy": case.priority_policy, "total": case.priority_total}
        assert "health" not in str(body) and "applicant_category" not in str(body)
    login(client, reviewer)  # the platform's reviewers still see why
    assert 'data-testid="points-breakdown"' in client.get(f"/workspace/cases/{case.code}").get_data(as_text=True)


MARKUP_SUMMARY = 'أسرة من خمسة أفراد <script>alert(1)</script> <b>تحتاج</b> دعم الإيجار لسنة كاملة'


def test_a_summary_with_html_is_flagged_to_the_reviewer_and_cannot_be_published(client, staff, new_case, make_user):
    reviewer = make_user(Role.REVIEWER)
    case = new_case(staff.charity, staff.researcher, stage="under_review", reviewer=reviewer)
    case.public_summary = MARKUP_SUMMARY  # written before summaries were checked for markup
    db.session.commit()
    login(client, reviewer)
    page = client.get(f"/workspace/cases/{case.code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-testid="summary-markup"' in page and "must be plain text" in page
    registry = {f"{name}_outcome": "clear" for name in services.REGISTRIES}
    registry |= {f"{name}_evidence": "اطلعت على النظام ولا يوجد سجل" for name in services.REGISTRIES}
    post_form(client, f"/review/{case.code}/registry", registry)
    response = post_form(client, f"/review/{case.code}/publish", {"confirm_no_private_data": "y"},
                         headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "must be plain text" in response.get_data(as_text=True)
    db.session.expire_all()
    assert case.status == "under_review"


def test_a_researcher_cannot_save_a_summary_with_html(staff, new_case):
    case = new_case(staff.charity, staff.researcher)
    with pytest.raises(services.CaseError) as refused:
        fields = {name: getattr(case, name) for name in services.CASE_FIELDS}
        fields |= {name: getattr(case.applicant, name) for name in services.APPLICANT_FIELDS}
        services.update_case(case, staff.researcher, {**fields, "public_summary": MARKUP_SUMMARY})
    assert refused.value.code == "summary_markup"


@pytest.mark.parametrize(("text", "markup"), [
    ("<b>bold</b>", True), ("</p>", True), ("<script src=x>", True), ("<!-- hidden -->", True), ("&amp;", True),
    ("&#60;", True), ("&#x3C;", True), ("< b >", True), ("الإيجار < 3000 ريال", False), ("5 > 3", False),
    ("إيجار & كهرباء", False), ("أسرة من سبعة أفراد", False),
])
def test_what_counts_as_markup(text, markup):
    from jood.text import has_markup

    assert has_markup(text) is markup

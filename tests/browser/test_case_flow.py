"""The whole path in Chromium: intake with a document, the field visit, submission, a platform reviewer's checks and
publication, the case's place in the catalog by its points, and a public page without any private field."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from jood.auth.roles import Role
from jood.cases import services
from jood.cases.models import Case
from jood.extensions import db
from tests.browser.conftest import screenshot
from tests.cases.conftest import PDF, national_id
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NAME = "عبدالعزيز سالم المطيري"
ID = national_id(8801)
PHONE = "0561112233"
ADDRESS = "حي الملز، شارع الأمير سعد"
MEMBERS = [("spouse", "هيا فهد المطيري", "41", "married"), ("son", "راكان عبدالعزيز", "12", "single"),
           ("daughter", "جود عبدالعزيز", "9", "single")]
SUMMARY = "أسرة من أربعة أفراد تسكن في شقة صغيرة مستأجرة وتعجز عن سداد الإيجار السنوي بعد توقف دخل العائل."


def sign_in(page, user):
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def test_researcher_to_reviewer_to_catalog(page, make_charity, make_user, make_case):
    charity = make_charity(name_ar="جمعية البر التجريبية")
    researcher = make_user(Role.RESEARCHER, charity=charity, email="researcher@flow.test")
    reviewer = make_user(Role.REVIEWER, email="reviewer@flow.test")

    # --- the researcher opens the case ---------------------------------------------------------------------------
    sign_in(page, researcher)
    page.goto("/workspace")
    page.get_by_test_id("new-case").click()
    for selector, value in {
        "#full_name": NAME, "#national_id": ID, "#phone": PHONE, "#address": ADDRESS, "#birth_date": "1970-02-01",
        "#monthly_income": "٢٬٥٠٠", "#domestic_workers": "0", "#assets_value": "0",
        "#application_completed_on": "2019-06-01", "#city": "الرياض", "#target_amount": "24,000",
        "#amount_basis_note": "عقد إيجار سنوي موثق", "#public_summary": SUMMARY,
        "#public_title": "أسرة من ستة أفراد في الرياض تحتاج إيجار سنة",
    }.items():
        page.fill(selector, value)
    page.select_option("#applicant_role", "father")
    page.select_option("#region", "riyadh")
    page.select_option("#track", "rent")
    screenshot(page, "case-intake-ar")
    page.get_by_test_id("save-case").click()
    code = page.locator("h1").inner_text().split()[-1]
    assert re.fullmatch(r"JE-\d{4}-\d{5}", code)

    for relation, name, age, marital in MEMBERS:
        page.select_option("#relation", relation)
        page.fill("#member_name", name)
        page.fill("#age", age)
        page.select_option("#marital_status", marital)
        page.get_by_test_id("add-member").click()
    expect(page.get_by_test_id("members").locator("tbody tr")).to_have_count(3)
    page.select_option("#kind", "lease")
    page.set_input_files("#file", files=[{"name": "lease.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_test_id("upload-document").click()
    assert "lease.pdf" in page.get_by_test_id("documents").inner_text()

    page.get_by_test_id("submit-case").click()  # refused: no visit yet
    expect(page.locator(".alert--danger")).to_have_count(1)
    page.get_by_test_id("record-visit").click()
    page.fill("#visited_on", "2026-01-15")
    page.fill("#findings", "زار الباحث المسكن ووجده ضيقًا ورطبًا، وتأكد من عقد الإيجار ومن دخل الأسرة.")
    page.select_option("#recommendation", "support")
    page.get_by_test_id("save-visit").click()
    expect(page.get_by_test_id("visit")).to_have_count(1)
    page.get_by_test_id("submit-case").click()
    expect(page.get_by_test_id("case-status")).to_have_text("مرفوعة")
    screenshot(page, "case-file-submitted-ar")
    page.get_by_test_id("logout").click()

    # --- a platform reviewer checks and publishes --------------------------------------------------------------
    sign_in(page, reviewer)
    page.goto("/review")
    page.get_by_test_id("review-queue").get_by_role("link", name=code).click()
    page.get_by_test_id("take-case").click()
    for registry in ("social_security", "property_ownership", "housing_support"):
        page.select_option(f"#{registry}_outcome", "clear")
        page.fill(f"#{registry}_evidence", "اطلعت على السجل الإلكتروني ولا يوجد قيد على الأسرة")
    page.get_by_test_id("record-registry").click()
    expect(page.get_by_test_id("eligibility").locator(".badge--danger")).to_have_count(0)
    page.get_by_test_id("publish").click()  # refused without the confirmation
    expect(page.locator("#confirm_no_private_data-error")).to_have_count(1)
    page.check("#confirm_no_private_data")
    page.get_by_test_id("publish").click()
    page.wait_for_url(f"**/cases/{code}")
    screenshot(page, "case-public-ar")

    # --- the public page shows no private field ----------------------------------------------------------------
    public_text = page.content()
    for private in (NAME, "المطيري", ID, PHONE, ADDRESS, "الملز", "راكان", "هيا فهد"):
        assert private not in public_text
    expect(page.get_by_test_id("public-summary")).to_have_text(SUMMARY)
    assert page.locator("progress").count() >= 1

    # --- its place in the catalog follows its points -----------------------------------------------------------
    db.session.expire_all()
    case = db.session.scalar(select(Case).where(Case.code == code))
    assert case.status == "published" and case.family_size == 4
    total = case.priority_total
    above = make_case(charity=charity, priority_total=total + 1, family_size=2, code="JE-1448-90001")
    tie_bigger_family = make_case(charity=charity, priority_total=total, family_size=7, code="JE-1448-90002")
    tie_smaller_family = make_case(charity=charity, priority_total=total, family_size=3, code="JE-1448-90003")
    below = make_case(charity=charity, priority_total=total - 1, family_size=9, code="JE-1448-90004")
    for other in (above, tie_bigger_family, tie_smaller_family, below):
        services.refresh_search_text(other)
    db.session.commit()
    page.goto("/cases")
    codes = [card.get_attribute("data-code") for card in page.get_by_test_id("case-card").all()]
    assert codes == [above.code, tie_bigger_family.code, code, tie_smaller_family.code, below.code]
    page.goto("/cases?q=" + "سداد الايجار السنوي")  # no hamza on alef: still found
    assert code in [card.get_attribute("data-code") for card in page.get_by_test_id("case-card").all()]
    screenshot(page, "catalog-ar")
    assert page.outside_requests == []

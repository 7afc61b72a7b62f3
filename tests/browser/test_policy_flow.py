"""In Chromium: an admin switches the points policy, previews re-scoring the published cases (before and after),
confirms, and the catalog's order follows; the rules page explains both policies in Arabic."""

import pytest
from playwright.sync_api import expect

from jood.auth.roles import Role
from jood.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.test_case_flow import sign_in
from tests.cases import conftest as case_fixtures

pytestmark = pytest.mark.browser
new_case = case_fixtures.new_case  # the cases factory fixture, walking the real services


def test_admin_switches_policy_previews_and_confirms_rescoring(page, make_user, make_charity, new_case):
    charity = make_charity(name_ar="جمعية السياسات التجريبية")
    researcher = make_user(Role.RESEARCHER, charity=charity)
    reviewer = make_user(Role.REVIEWER)
    admin = make_user(Role.ADMIN, email="admin@policy.test")
    rich = new_case(charity, researcher, "published", reviewer, members=5, monthly_income=4_500_00)
    poor = new_case(charity, researcher, "published", reviewer, members=3, monthly_income=2_000_00)
    assert rich.priority_total > poor.priority_total

    sign_in(page, admin)
    page.goto("/admin/priority-policy")
    expect(page.get_by_test_id("active-policy")).to_contain_text("moh-points-v1")
    page.select_option("#policy", "moh-regulation-2")
    page.fill("#reason", "بدء العمل باللائحة التنفيذية")
    page.get_by_test_id("policy-submit").click()
    expect(page.get_by_test_id("active-policy")).to_contain_text("moh-regulation-2")

    page.get_by_test_id("rescore-link").click()
    rows = page.get_by_test_id("rescore-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(poor.code)  # listed in the new order: the poorer family first
    screenshot(page, "policy-rescore-preview-ar")
    db.session.expire_all()
    assert rich.priority_policy == "moh-points-v1"  # the preview changed nothing

    page.check("#confirm")
    page.get_by_test_id("rescore-confirm").click()
    expect(page.get_by_test_id("active-policy")).to_be_visible()
    db.session.expire_all()
    assert {rich.priority_policy, poor.priority_policy} == {"moh-regulation-2"}
    assert poor.priority_total > rich.priority_total

    page.goto("/priority/rules")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("policy-moh-regulation-2")).to_contain_text("اللائحة التنفيذية")
    screenshot(page, "policy-rules-ar")
    assert page.outside_requests == []

import pytest
from playwright.sync_api import expect

from jood.auth.roles import Role
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_home_in_arabic_then_english_then_sign_in_and_out(page, make_user):
    user = make_user(Role.DONOR, email="browser-donor@example.org")

    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("امنح أسرة مسكنًا")
    # The web font comes from our own static folder and is actually used.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"')")
    screenshot(page, "home-ar")

    page.get_by_test_id("language-switch").click()
    page.wait_for_url("**/")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Give a family a home")
    screenshot(page, "home-en")

    page.get_by_test_id("login-link").click()
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_text(f"Welcome, {user.display_name}.")).to_be_visible()
    screenshot(page, "signed-in-en")

    page.get_by_test_id("logout").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.get_by_test_id("login-link")).to_be_visible()
    page.get_by_test_id("language-switch").click()
    expect(html).to_have_attribute("dir", "rtl")
    assert page.outside_requests == []


def test_wrong_password_shows_the_error_next_to_the_field(page, make_user):
    user = make_user(Role.DONOR)
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", "not-the-password")
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".field__error")).to_have_text("البريد الإلكتروني أو كلمة المرور غير صحيحة.")
    assert page.input_value("#email") == user.email
    screenshot(page, "login-error-ar")

import pytest

from jood.auth.roles import Role
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_home_in_arabic_then_english_then_sign_in_and_out(page, make_user):
    user = make_user(Role.DONOR, email="browser-donor@example.org")

    page.goto("/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "امنح أسرة مسكنًا"
    # The web font comes from our own static folder and is actually used.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Arabic\"')")
    screenshot(page, "home-ar")

    page.get_by_test_id("language-switch").click()
    page.wait_for_url("**/")
    assert html.get_attribute("lang") == "en" and html.get_attribute("dir") == "ltr"
    assert page.locator("h1").inner_text() == "Give a family a home"
    screenshot(page, "home-en")

    page.get_by_test_id("login-link").click()
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    assert page.get_by_text(f"Welcome, {user.display_name}.").is_visible()
    screenshot(page, "signed-in-en")

    page.get_by_test_id("logout").click()
    assert page.get_by_text("You have signed out.").is_visible()
    assert page.get_by_test_id("login-link").is_visible()

    page.get_by_test_id("language-switch").click()
    assert html.get_attribute("dir") == "rtl"
    assert page.outside_requests == []


def test_wrong_password_shows_the_error_next_to_the_field(page, make_user):
    user = make_user(Role.DONOR)
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", "not-the-password")
    page.get_by_test_id("login-submit").click()
    assert page.locator(".field__error").inner_text() == "البريد الإلكتروني أو كلمة المرور غير صحيحة."
    assert page.input_value("#email") == user.email
    screenshot(page, "login-error-ar")

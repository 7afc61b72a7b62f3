"""Revocable sign-ins, per-account sign-in throttling and safe redirects (issue 11, items 2-4)."""

import pytest
from flask import url_for

from jood.auth import services as accounts
from jood.auth import throttle
from jood.auth.roles import Role
from jood.charities import services as charities
from jood.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, post_form


def _signed_in_with_remember_me(app, user):
    """A browser that signed in with "keep me signed in": its session cookie and its remember-me cookie."""
    browser = app.test_client()
    response = post_form(browser, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    cookies = {cookie.key: cookie.value for cookie in browser._cookies.values()}
    assert {"session", "remember_token"} <= set(cookies)
    return cookies


def _replay(app, cookies: dict, only: str | None = None):
    """A new browser carrying saved cookies (all, or just one of them), asking for the account page."""
    browser = app.test_client()
    for name, value in cookies.items():
        if only is None or name == only:
            browser.set_cookie(name, value)
    return browser.get("/account")


def _is_signed_in(response) -> bool:
    return response.status_code == 200


@pytest.mark.parametrize("which", ["session", "remember_token"])
def test_saved_cookies_open_the_account_until_something_revokes_them(app, make_user, which):
    user = make_user(Role.DONOR)
    cookies = _signed_in_with_remember_me(app, user)
    assert _is_signed_in(_replay(app, cookies, only=which))


@pytest.mark.parametrize("which", ["session", "remember_token"])
def test_sign_out_voids_the_saved_cookies(app, make_user, which):
    user = make_user(Role.DONOR)
    browser = app.test_client()
    post_form(browser, "/login", {"email": user.email, "password": PASSWORD, "remember": "y"})
    cookies = {cookie.key: cookie.value for cookie in browser._cookies.values()}
    response = browser.post("/logout", data={"csrf_token": csrf_token(browser, "/account")})
    assert response.status_code == 302
    replay = _replay(app, cookies, only=which)
    assert replay.status_code == 302 and "/login" in replay.headers["Location"]


@pytest.mark.parametrize("which", ["session", "remember_token"])
def test_a_password_reset_ends_every_other_session(app, client, make_user, which):
    user = make_user(Role.DONOR)
    cookies = _signed_in_with_remember_me(app, user)
    token = accounts.make_reset_token(user)
    response = post_form(client, f"/reset/{token}", {"password": "a-new-long-password", "confirm":
                                                      "a-new-long-password"}, token_page=f"/reset/{token}")
    assert response.status_code == 302
    assert "/login" in _replay(app, cookies, only=which).headers.get("Location", "")


@pytest.mark.parametrize("which", ["session", "remember_token"])
def test_a_role_change_and_a_suspension_end_sessions(app, make_user, make_charity, which):
    donor = make_user(Role.DONOR)
    cookies = _signed_in_with_remember_me(app, donor)
    donor.role = Role.FINANCE.value
    db.session.commit()
    assert "/login" in _replay(app, cookies, only=which).headers.get("Location", "")

    charity = make_charity()
    researcher = make_user(Role.RESEARCHER, charity=charity)
    cookies = _signed_in_with_remember_me(app, researcher)
    researcher.active = False
    db.session.commit()
    assert not _is_signed_in(_replay(app, cookies, only=which))

    manager = make_user(Role.CHARITY_MANAGER, charity=charity)
    cookies = _signed_in_with_remember_me(app, manager)
    charities.suspend(charity, make_user(Role.ADMIN), "licence lapsed")
    db.session.commit()
    assert not _is_signed_in(_replay(app, cookies, only=which))


def test_each_sign_in_after_a_sign_out_gets_a_new_remember_me_cookie(app, make_user):
    user = make_user(Role.DONOR)
    first = _signed_in_with_remember_me(app, user)["remember_token"]
    user.revoke_sessions()
    db.session.commit()
    assert _signed_in_with_remember_me(app, user)["remember_token"] != first


def test_a_cookie_naming_no_version_signs_nobody_in(app, make_user):
    user = make_user(Role.DONOR)
    with app.test_request_context():
        from flask_login import login_user

        assert app.login_manager._user_callback(str(user.id)) is None
        assert app.login_manager._user_callback(user.get_id()) is user
        assert login_user  # imported for the context's sake


# --- per-account sign-in throttling ------------------------------------------------------------------------------


def test_the_delay_grows_with_failures_and_is_capped():
    delays = [throttle.delay_for(n) for n in range(1, 15)]
    assert delays[:4] == [0, 0, 0, 0]
    assert delays[4:9] == [1, 2, 4, 8, 16]
    assert max(delays) == throttle.MAX_DELAY and delays == sorted(delays)


def test_guesses_from_many_addresses_against_one_account_are_slowed(client, make_user):
    user = make_user(Role.DONOR)
    statuses = []
    for n in range(12):
        token = csrf_token(client)
        statuses.append(client.post("/login", data={"csrf_token": token, "email": user.email,
                                                    "password": f"guess-{n}"},
                                    environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code)
    assert statuses[:5] == [200] * 5  # processed (and wrong)
    assert set(statuses[5:]) == {429}  # within the delay: refused before the password is even checked
    page = client.post("/login", data={"csrf_token": csrf_token(client), "email": user.email,
                                       "password": PASSWORD}).get_data(as_text=True)
    assert "محاولات كثيرة" in page  # translated; even the right password waits out the delay


def test_the_owner_gets_in_once_the_delay_is_over(client, make_user, monkeypatch):
    user = make_user(Role.DONOR)
    for n in range(6):
        post_form(client, "/login", {"email": user.email, "password": f"guess-{n}"})
    assert throttle.wait_seconds(user.email) > 0
    monkeypatch.setattr(throttle, "wait_seconds", lambda email: 0)  # the delay (at most a minute) has passed
    response = login(client, user)
    assert response.status_code == 302
    monkeypatch.undo()
    assert throttle.wait_seconds(user.email) == 0  # a success clears the account's counters


def test_another_account_is_not_slowed_by_someone_elses_failures(client, make_user):
    victim, other = make_user(Role.DONOR), make_user(Role.DONOR)
    for n in range(8):
        post_form(client, "/login", {"email": victim.email, "password": f"guess-{n}"})
    assert throttle.wait_seconds(other.email) == 0


# --- redirects stay on this site ---------------------------------------------------------------------------------

BYPASSES = ["/%09/evil.example", "/\t/evil.example", "/\\evil.example", "\\\\evil.example", "/%2F%2Fevil.example",
            "%0d%0aLocation: https://evil.example", "/\r\nLocation:https://evil.example", "https:evil.example",
            "///evil.example", "//evil.example", "https://evil.example", "/%5Cevil.example", "javascript:alert(1)",
            "/\x00/evil.example", " //evil.example", "/%09%2f/evil.example", "http:/evil.example"]


@pytest.mark.parametrize("target", BYPASSES)
def test_language_switch_never_redirects_to_another_host(client, target):
    response = client.get("/language/en", query_string={"next": target})
    _stays_home(response, target)


def _stays_home(response, target):
    if any(ord(char) < 32 for char in target):  # a raw control character is refused at the edge (400)
        assert response.status_code == 400 and "Location" not in response.headers
    else:
        assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", BYPASSES)
def test_sign_in_never_redirects_to_another_host(client, make_user, target):
    user = make_user(Role.DONOR)
    token = csrf_token(client)
    response = client.post("/login", query_string={"next": target},
                           data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    _stays_home(response, target)


@pytest.mark.parametrize("target", ["/cases", "/cases?track=rent&page=2", "/account/donations", "/cases/JE-1#top"])
def test_paths_of_this_site_are_kept(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.headers["Location"] == target


def test_the_safe_target_rule(app):
    from jood.core.urls import safe_next

    with app.test_request_context():
        home = url_for("main.home")
        assert safe_next("/impact") == "/impact"
        assert all(safe_next(target) == home for target in BYPASSES + [None, "", "impact"])


def test_the_throttle_lets_sign_ins_through_when_its_storage_is_away(client, make_user, monkeypatch):
    class Away:
        def __getattr__(self, name):
            raise ConnectionError("redis is away")

    user = make_user(Role.DONOR)
    monkeypatch.setattr(type(throttle.limiter), "storage", property(lambda self: Away()))
    assert throttle.wait_seconds(user.email) == 0
    throttle.note_failure(user.email)  # no error
    assert login(client, user).status_code == 302

from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import func, select

from jood.auth.models import User
from jood.auth.roles import Role
from jood.auth.services import make_reset_token
from jood.extensions import db
from tests.conftest import PASSWORD, login, post_form


def _user_count():
    return db.session.scalar(select(func.count()).select_from(User))


def test_signup_creates_a_donor_and_signs_in(client):
    response = post_form(
        client,
        "/signup",
        {"display_name": "محمد", "email": "Donor@Example.org ", "password": "a-long-password",
         "confirm": "a-long-password"},
        token_page="/signup",
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "donor@example.org" and user.role == Role.DONOR
    assert user.password_hash.startswith("scrypt:")
    assert "محمد" in client.get("/account").get_data(as_text=True)


def test_bad_signup_keeps_input_shows_translated_errors_and_writes_nothing(client, make_user):
    make_user(email="taken@example.org")
    before = _user_count()
    page = post_form(
        client,
        "/signup",
        {"display_name": "سارة", "email": "taken@example.org", "password": "short", "confirm": "other"},
        token_page="/signup",
    ).get_data(as_text=True)
    assert "يوجد حساب مسجّل بهذا البريد الإلكتروني." in page
    assert "يجب أن تكون كلمة المرور بين 10 و128 حرفًا." in page
    assert "كلمتا المرور غير متطابقتين." in page
    assert 'value="سارة"' in page and 'value="taken@example.org"' in page
    assert _user_count() == before


def test_login_and_logout(client, make_user):
    user = make_user(Role.DONOR)
    login(client, user)
    assert user.display_name in client.get("/").get_data(as_text=True)
    assert client.get("/logout").status_code == 405  # signing out is a POST with a CSRF token
    assert post_form(client, "/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_wrong_password_is_refused_with_a_translated_message(client, make_user):
    user = make_user()
    page = post_form(client, "/login", {"email": user.email, "password": "nope-nope-nope"}, token_page="/login")
    assert page.status_code == 200
    assert "البريد الإلكتروني أو كلمة المرور غير صحيحة." in page.get_data(as_text=True)


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    page = post_form(client, "/login", {"email": user.email, "password": PASSWORD}, token_page="/login")
    assert page.status_code == 200


def test_login_never_redirects_off_site(client, make_user):
    user = make_user()
    response = post_form(
        client, "/login?next=//evil.example/", {"email": user.email, "password": PASSWORD}, token_page="/login"
    )
    assert response.headers["Location"] == "/"


def test_login_is_rate_limited_per_address(client):
    attempts = [{"email": f"guess{n}@example.org", "password": "wrong-password"} for n in range(11)]
    statuses = [post_form(client, "/login", attempt, token_page="/login").status_code for attempt in attempts]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def _last_mail(app):
    outbox = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"), key=lambda path: path.stat().st_mtime_ns)
    assert outbox, "no mail was written to the outbox"
    return message_from_bytes(outbox[-1].read_bytes(), policy=default_policy)


def test_password_reset_by_single_use_emailed_token(app, client, make_user):
    user = make_user(email="reset-me@example.org")
    response = post_form(client, "/reset", {"email": "reset-me@example.org"}, token_page="/reset")
    assert response.status_code == 302
    mail = _last_mail(app)
    assert mail["To"] == "reset-me@example.org"
    assert mail["Subject"] == "استعادة كلمة المرور في جود"
    token = make_reset_token(user)
    assert f"/reset/{token}" in mail.get_content()

    response = post_form(
        client, f"/reset/{token}", {"password": "a-brand-new-pass", "confirm": "a-brand-new-pass"}, token_page="/login"
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("a-brand-new-pass")

    # The same link a second time does nothing.
    again = client.get(f"/reset/{token}")
    assert again.status_code == 302 and again.headers["Location"].endswith("/reset")


def test_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(app, client):
    response = post_form(client, "/reset", {"email": "nobody@example.org"}, token_page="/reset")
    assert response.status_code == 302
    assert not list(Path(app.config["MAIL_OUTBOX"]).glob("*nobody*"))


def test_expired_reset_token_is_refused(app, client, make_user, monkeypatch):
    user = make_user()
    token = make_reset_token(user)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        assert client.get(f"/reset/{token}").headers["Location"].endswith("/reset")
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create-admin", "--email", "root@example.org", "--name", "Root"],
        input="a-long-admin-password\na-long-admin-password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "root@example.org"))
    assert user.role == Role.ADMIN
    again = runner.invoke(
        args=["users", "create-admin", "--email", "root@example.org"], input="a-long-admin-password\n" * 2
    )
    assert again.exit_code != 0 and "already exists" in again.output

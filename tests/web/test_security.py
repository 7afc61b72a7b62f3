import pytest
from sqlalchemy.exc import OperationalError

from jood.auth.roles import Role
from tests.conftest import login


def test_security_headers_and_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_another_host(client):
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "")
    assert "https://" not in page and 'src="//' not in page and 'href="//' not in page


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user(Role.DONOR)
    response = login(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_in_production(monkeypatch, tmp_path):
    from jood.config import build_config

    monkeypatch.setenv("JOOD_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    config = build_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]


def test_missing_csrf_token_gets_a_translated_400(client):
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert "رمز الأمان في النموذج مفقود أو منتهي الصلاحية" in response.get_data(as_text=True)


@pytest.mark.parametrize(("language", "text"), [("ar", "الصفحة غير موجودة"), ("en", "Page not found")])
def test_unknown_route_gets_a_translated_404(client, language, text):
    response = client.get("/no-such-page", headers={"Accept-Language": language})
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_database_outage_gives_a_503_page_not_a_stack_trace(app, client, monkeypatch):
    from jood.main import views

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(views.db.session, "scalar", broken)
    response = client.get("/")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "الخدمة غير متاحة مؤقتًا" in body and "Traceback" not in body

"""Input that used to become a false outage or a crash (issue 11, item 5)."""

import logging

import pytest

from jood.auth.roles import Role
from tests.conftest import PASSWORD, csrf_token, post_form


@pytest.fixture
def no_outage_logged(caplog):
    caplog.set_level(logging.ERROR)
    yield
    assert not [r for r in caplog.records if "Database error" in r.getMessage()], "logged as an outage"


@pytest.mark.parametrize("url", ["/cases?q=%00", "/cases?q=a%01b", "/api/v1/cases?city=%00", "/ledger?x=%7f",
                                 "/support/report?month=%00"])
def test_a_control_character_in_a_query_is_a_translated_400(client, url, no_outage_logged):
    response = client.get(url)
    assert response.status_code == 400
    if not url.startswith("/api/"):
        assert "غير مسموح" in response.get_data(as_text=True)


def test_a_control_character_in_a_path_segment_is_a_404(client, make_case, no_outage_logged):
    case = make_case()
    assert client.get(f"/cases/{case.code}%00").status_code == 404
    assert client.get("/r/JD-2026-000001%00").status_code == 404
    assert client.get("/charities/x%0ay").status_code == 404


def test_nul_in_a_sign_in_email_is_refused_before_any_lookup(client, make_user, no_outage_logged):
    user = make_user(Role.DONOR)
    response = post_form(client, "/login", {"email": user.email + "\x00", "password": PASSWORD})
    assert response.status_code == 400


def test_nul_in_a_gift_recipient_creates_nothing(client, make_case, no_outage_logged):
    from tests.conftest import donation_count

    case = make_case()
    response = post_form(client, f"/cases/{case.code}/donate", {
        "amount": "50", "action": "pay", "anonymous": "y", "is_gift": "y", "gift_recipient": "أم\x00محمد"},
        token_page=f"/cases/{case.code}/donate")
    assert response.status_code == 400 and donation_count() == 0


def test_text_areas_keep_tabs_and_newlines_but_not_other_controls():
    from jood.security import CONTROL_IN_FIELD, CONTROL_IN_URL

    assert not CONTROL_IN_FIELD.search("line one\r\n\tline two")
    assert all(CONTROL_IN_FIELD.search(f"a{chr(code)}b") for code in [*range(0, 9), 11, 12, *range(14, 32), 127])
    assert CONTROL_IN_URL.search("a\tb") and CONTROL_IN_URL.search("a\nb")


def test_a_form_with_a_newline_in_a_text_area_is_not_refused(client, make_user, login_as):
    login_as(Role.DONOR)
    token = csrf_token(client, "/support/")
    response = client.post("/support/", data={"csrf_token": token, "message": "سطر\n\tسطر"})
    assert "غير مسموح" not in response.get_data(as_text=True)


def test_nul_inside_a_json_body_is_refused(client):
    response = client.post("/api/v1/priority", json={"monthly_income": "1000\x00", "family_size": 4})
    assert response.status_code == 400

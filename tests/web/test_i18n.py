from datetime import UTC, date, datetime

import pytest
from babel.messages.pofile import read_po

from jood.i18n import format_dates, hijri_date
from jood.money import format_money


def test_arabic_is_the_default_and_right_to_left(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "امنح أسرة مسكنًا" in page


def test_accept_language_english_gives_ltr(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page
    assert "Give a family a home" in page


def test_explicit_switch_beats_accept_language_and_returns_to_the_page(client):
    response = client.get("/language/en?next=/about", headers={"Accept-Language": "ar"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/about")
    cookie = response.headers["Set-Cookie"]
    assert "lang=en" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/about", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'lang="en" dir="ltr"' in page

    client.get("/language/ar?next=/")
    assert 'lang="ar" dir="rtl"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_language_switch_never_redirects_off_site(client):
    response = client.get("/language/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_anonymous_pages_set_no_session_cookie(client):
    """Anonymous pages carry no session or CSRF token, so they can be cached and shared between visitors."""
    response = client.get("/")
    assert "Set-Cookie" not in response.headers
    assert "csrf_token" not in response.get_data(as_text=True)


def test_unknown_language_falls_back_to_arabic(client):
    client.get("/language/xx")
    assert 'lang="ar"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("halalas", "language", "expected"),
    [
        (125000, "ar", "1,250\u00a0ر.س"),
        (2550000, "ar", "25,500\u00a0ر.س"),
        (2550050, "ar", "25,500.50\u00a0ر.س"),
        (-2550000, "ar", "\u200e-25,500\u00a0ر.س"),
        (125000, "en", "SAR\u00a01,250"),
        (5, "en", "SAR\u00a00.05"),
        (0, "ar", "0\u00a0ر.س"),
        (123456789, "en", "SAR\u00a01,234,567.89"),
        (-1050, "en", "SAR\u00a0-10.50"),
    ],
)
def test_money_formatting_from_integer_halalas(halalas, language, expected):
    """One format (docs/design.md): Latin digits, comma thousands, decimals only when there are halalas."""
    assert format_money(halalas, language) == expected


def test_hijri_and_gregorian_dates_in_riyadh_time():
    # 21:30 UTC on 24 Nov 2026 is already 25 Nov in Riyadh (UTC+3): 15 Jumada al-Akhirah 1448.
    moment = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)
    assert format_dates(moment, "en") == "15 Jumada al-Akhirah 1448 AH (November 25, 2026)"
    arabic = format_dates(moment, "ar")
    assert arabic == "15 جمادى الآخرة 1448 هـ (25 نوفمبر 2026)"
    # Ramadan 1447 begins in February 2026 on the Umm al-Qura calendar.
    assert hijri_date(date(2026, 2, 18), "en") == "1 Ramadan 1447 AH"


def _catalog(language):
    with open(f"translations/{language}/LC_MESSAGES/messages.po", "rb") as handle:
        return read_po(handle, locale=language)


def test_every_message_has_an_arabic_translation():
    missing = [
        message.id
        for message in _catalog("ar")
        if message.id and (not message.string or (isinstance(message.string, tuple) and not all(message.string)))
    ]
    assert missing == []
    assert not [message.id for message in _catalog("ar") if message.id and message.fuzzy]


def test_catalogs_hold_every_marked_string(tmp_path):
    """A string marked in code or templates but missing from the catalogs fails here: run `make i18n`."""
    from babel.messages.frontend import CommandLineInterface

    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."]
    )
    with open(pot, "rb") as handle:
        extracted = {message.id for message in read_po(handle) if message.id}
    for language in ("ar", "en"):
        known = {message.id for message in _catalog(language) if message.id}
        assert extracted - known == set(), f"{language} catalog is missing strings"

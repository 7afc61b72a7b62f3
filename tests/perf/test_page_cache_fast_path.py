"""The page cache's fast path: a visitor without a session gets the stored response before Flask is reached, the
same bytes and headers Flask would send, and everything it cannot judge goes on to Flask."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jood import cache, create_app
from jood.extensions import db
from jood.transparency.models import VisitorDay

UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
PER_RESPONSE = {"Date", "Set-Cookie"}


@pytest.fixture
def flask_calls(app, monkeypatch):
    """How many requests got past the fast path into Flask."""
    calls = []
    inner = app.wsgi_app.wsgi_app

    def counting(environ, start_response):
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    monkeypatch.setattr(app.wsgi_app, "wsgi_app", counting)
    return calls


def _headers(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in PER_RESPONSE}


def test_a_cookieless_visitor_gets_the_stored_page_without_flask(app, caching, make_case, flask_calls):
    case = make_case()
    path = f"/cases/{case.code}"
    filled = app.test_client().get(path)  # a miss: rendered by Flask and stored
    assert flask_calls == [path]
    fast = app.test_client().get(path)
    assert flask_calls == [path], "served before Flask"
    # A visitor with a session cookie is served the same entry by Flask: the two answers are the same.
    with_session = app.test_client()
    with_session.set_cookie("session", "not-a-valid-signature")
    through_flask = with_session.get(path)
    assert flask_calls == [path, path]
    for response in (fast, through_flask):
        assert response.status_code == 200 and response.get_data() == filled.get_data()
        assert _headers(response) == _headers(filled)
    assert fast.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert fast.headers["Content-Length"] == str(len(filled.get_data()))


def test_sessions_remember_me_and_credentials_always_reach_flask(app, caching, make_case, flask_calls):
    case = make_case()
    path = f"/cases/{case.code}"
    app.test_client().get(path)
    for cookie in ("session", "remember_token"):
        client = app.test_client()
        client.set_cookie(cookie, "x")
        assert client.get(path).status_code == 200
    app.test_client().get(path, headers={"Authorization": "Bearer x"})
    app.test_client().post(path)
    assert len(flask_calls) == 5


def test_each_language_has_its_own_entry_on_the_fast_path(app, caching, make_case, flask_calls):
    make_case()
    english = app.test_client()
    english.set_cookie("lang", "en")
    for client, headers, language in [(app.test_client(), {}, "ar"), (english, {}, "en"),
                                      (app.test_client(), {"Accept-Language": "en-GB,en;q=0.8"}, "en"),
                                      (app.test_client(), {"Accept-Language": "fr"}, "ar")]:
        first = client.get("/cases", headers=headers)
        calls = len(flask_calls)
        again = client.get("/cases", headers=headers)
        assert len(flask_calls) == calls, (headers, language)
        assert f'lang="{language}"' in again.get_data(as_text=True) and again.get_data() == first.get_data()
    assert len(flask_calls) == 2  # one miss per language


def test_conditional_and_head_requests_on_the_fast_path(app, caching, make_case, flask_calls):
    case = make_case()
    path = f"/cases/{case.code}"
    client = app.test_client()
    etag = client.get(path).headers["ETag"]
    not_modified = client.get(path, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    assert not_modified.headers["ETag"] == etag and "Content-Type" not in not_modified.headers
    head = client.head(path)
    assert head.status_code == 200 and head.get_data() == b"" and int(head.headers["Content-Length"]) > 1000
    assert flask_calls == [path]


def test_a_commit_sends_the_next_visitor_to_flask(app, caching, make_case, flask_calls, donate):
    case = make_case(target_amount=20_000_00)
    path = f"/cases/{case.code}"
    client = app.test_client()
    client.get(path, headers={"Accept-Language": "en"})
    donate(case, 250_00, browser=False)
    page = client.get(path, headers={"Accept-Language": "en"})
    assert "SAR\u00a0250</bdi> raised" in page.get_data(as_text=True)
    assert flask_calls == [path, path]


def test_no_rate_limit_headers_are_kept_and_the_stats_api_keeps_its_own(app, caching, flask_calls):
    client = app.test_client()
    first = client.get("/api/v1/stats.csv")
    assert first.headers["Content-Disposition"].startswith("attachment")
    again = client.get("/api/v1/stats.csv")
    assert flask_calls == ["/api/v1/stats.csv"]
    assert again.get_data() == first.get_data() and again.headers["Cache-Control"] == "public, max-age=300"
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert not [name for name in again.headers.keys() if name.lower().startswith("x-ratelimit")]


def test_static_files_cost_no_cache_round_trip(app, caching, monkeypatch):
    lookups, lookup = [], caching.lookup
    monkeypatch.setattr(caching, "lookup", lambda tags, key: lookups.append(key) or lookup(tags, key))
    assert app.test_client().get("/static/css/jood.css").status_code == 200
    assert lookups == [], "static files are never in the page cache: no lookup"
    assert app.test_client().get("/about").status_code == 200 and lookups == []  # not a cached view: no lookup
    assert app.test_client().get("/cases").status_code == 200 and lookups  # a cached page is looked up


def test_a_cache_outage_sends_every_visitor_to_flask(app, caching, make_case, flask_calls, monkeypatch):
    case = make_case()
    app.test_client().get(f"/cases/{case.code}")

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caching, "lookup", down)
    page = app.test_client().get(f"/cases/{case.code}")
    assert page.status_code == 200 and case.code in page.get_data(as_text=True)
    assert len(flask_calls) == 2


def test_views_answered_by_the_fast_path_are_counted(app, make_case, tmp_path):
    counted = create_app({
        "TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "VISITOR_FLUSH_SECONDS": 0, "MAIL_OUTBOX": str(tmp_path), "RATELIMIT_STORAGE_URI": "memory://",
        "PAGE_CACHE_ENABLED": True,
    })
    counted.extensions["jood_cache"] = cache.MemoryStore(prefix="jood-fast-path-test:")
    case = make_case()
    client = counted.test_client()
    for user_agent in (UA, UA, UA + " other", "curl/8.0"):
        assert client.get(f"/cases/{case.code}", headers={"User-Agent": user_agent}).status_code == 200
    with counted.app_context():
        rows = db.session.scalars(select(VisitorDay)).all()
        assert [(row.unique_visitors, row.page_views) for row in rows] == [(2, 3)]  # the bot is not counted
        db.session.remove()
        db.engines[None].dispose()

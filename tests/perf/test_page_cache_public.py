"""The page cache on the public pages: what is cached, what never is, and that a confirmed gift shows at once."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login


def cached_paths(case) -> list[str]:
    return ["/", "/cases", "/cases?track=rent&sort=newest", f"/cases/{case.code}", "/charities",
            f"/charities/{case.charity.slug}", "/priority", "/priority?age=40", "/api/v1/cases",
            f"/api/v1/cases/{case.code}", "/impact", "/ledger", "/ledger/verify", "/rules"]


def _raised(client, path: str, code: str) -> str:
    response = client.get(path, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    if path.startswith("/api/"):
        data = response.get_json()
        item = data if "code" in data else next(i for i in data["items"] if i["code"] == code)
        return item["raised_amount"]
    return response.get_data(as_text=True)


def test_public_pages_are_cached_with_an_etag_and_no_session_or_csrf(client, caching, make_case):
    case = make_case()
    for path in cached_paths(case):
        first = client.get(path)
        body = first.get_data(as_text=True)
        assert first.status_code == 200, path
        assert "csrf_token" not in body and "Set-Cookie" not in first.headers, path
        assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate", path
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b"", path
    # One entry per URL and language, stored under the versions of its tags (site first) it was rendered for.
    entry = caching.entry(f"/cases/{case.code}")
    assert entry is not None
    assert entry.versions == (caching.tag_version("site"), caching.tag_version(f"case:{case.code}"))


def test_a_confirmed_gift_shows_at_once_on_the_case_page_the_catalog_and_the_api(client, caching, make_case, donate):
    case = make_case(target_amount=20_000_00)
    pages = [f"/cases/{case.code}", "/cases", f"/api/v1/cases/{case.code}", "/api/v1/cases"]
    before = {path: _raised(client, path, case.code) for path in pages}
    assert "SAR\u00a00</bdi> raised" in before[f"/cases/{case.code}"] and before["/api/v1/cases"] == "0.00"
    version = caching.tag_version(f"case:{case.code}")

    donate(case, 250_00, browser=False)

    assert caching.tag_version(f"case:{case.code}") > version
    raised = 'SAR\u00a0250</bdi> raised of <bdi class="money" dir="ltr">SAR\u00a020,000</bdi>'
    assert raised in _raised(client, f"/cases/{case.code}", case.code)
    assert re.search(r"SAR\u00a019,750<", _raised(client, "/cases", case.code))  # the card's remaining amount
    assert _raised(client, f"/api/v1/cases/{case.code}", case.code) == "250.00"
    assert _raised(client, "/api/v1/cases", case.code) == "250.00"


def test_an_etag_from_before_a_gift_no_longer_matches(client, caching, make_case, donate):
    case = make_case()
    etag = client.get(f"/cases/{case.code}").headers["ETag"]
    assert client.get(f"/cases/{case.code}", headers={"If-None-Match": etag}).status_code == 304
    donate(case, 100_00, browser=False)
    fresh = client.get(f"/cases/{case.code}", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag


def test_a_stale_entry_is_never_served_even_if_it_is_still_stored(client, caching, make_case):
    """Entries carry their tags' versions: a bump from another process makes them misses without deleting them."""
    from jood import cache

    case = make_case()
    key = caching.entry_key(f"/cases/{case.code}")
    client.get(f"/cases/{case.code}")
    caching.set(key, caching.get(key)._replace(body=b"stale page", etag="stale"), 300)
    assert client.get(f"/cases/{case.code}").get_data() == b"stale page"  # same versions: served from the cache
    cache.bump("catalog")  # a tag this page does not show
    assert client.get(f"/cases/{case.code}").get_data() == b"stale page"
    cache.bump(f"case:{case.code}")  # what another worker's commit of a gift to this case does
    assert b"stale page" not in client.get(f"/cases/{case.code}").get_data()
    caching.set(key, caching.get(key)._replace(body=b"stale page", etag="stale"), 300)
    cache.refresh_all()  # a restored backup
    assert b"stale page" not in client.get(f"/cases/{case.code}").get_data()


def test_filters_and_languages_are_separate_entries(client, caching, make_case):
    make_case(track=pytest.importorskip("jood.cases.models").Track.RENT, code="JE-1448-90001")
    make_case(track=pytest.importorskip("jood.cases.models").Track.OWNERSHIP, code="JE-1448-90002")
    rent = client.get("/cases?track=rent").get_data(as_text=True)
    ownership = client.get("/cases?track=ownership").get_data(as_text=True)
    assert "JE-1448-90001" in rent and "JE-1448-90002" not in rent
    assert "JE-1448-90002" in ownership and "JE-1448-90001" not in ownership
    assert 'lang="en"' in client.get("/cases", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="ar"' in client.get("/cases").get_data(as_text=True)


def test_signed_in_visitors_and_flashes_bypass_the_cache(client, caching, make_case, make_user):
    case = make_case()
    client.get(f"/cases/{case.code}")
    user = make_user()
    login(client, user)
    page = client.get(f"/cases/{case.code}")
    assert user.display_name in page.get_data(as_text=True) and "ETag" not in page.headers


def test_a_cache_outage_serves_the_page_uncached(client, caching, make_case, monkeypatch):
    case = make_case()

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caching, "lookup", down)
    page = client.get(f"/cases/{case.code}")
    assert page.status_code == 200 and case.code in page.get_data(as_text=True) and "ETag" not in page.headers


def test_a_gift_to_one_case_refreshes_its_page_the_catalog_and_impact_and_leaves_the_others_cached(
        client, caching, make_case, make_user, donate):
    gifted, other = make_case(target_amount=20_000_00), make_case(target_amount=20_000_00)
    pages = ["/", "/cases", f"/cases/{gifted.code}", f"/cases/{other.code}", "/impact", "/ledger",
             f"/api/v1/cases/{other.code}", "/charities"]
    for path in pages:
        client.get(path)
    stored = {path: caching.entry(path) for path in pages}
    assert all(stored.values())
    make_user()  # an account is on no public page: nothing is refreshed

    donate(gifted, 250_00, browser=False)

    def still_cached(path):
        current = client.get(path)  # a hit returns the stored bytes and keeps the stored entry
        same = current.headers["ETag"].strip('"') == stored[path].etag
        return same and caching.entry(path).versions == stored[path].versions

    refreshed = [path for path in pages if not still_cached(path)]
    assert refreshed == ["/", "/cases", f"/cases/{gifted.code}", "/impact", "/ledger"]


def test_a_confirmed_gift_shows_at_once_on_the_impact_page_and_the_public_ledger(app, client, caching, make_case):
    from tests.conftest import sandbox_pay, start_case_gift

    case = make_case(target_amount=20_000_00)
    assert case.code not in client.get("/ledger").get_data(as_text=True)
    impact_before = client.get("/impact", headers={"Accept-Language": "en"}).get_data(as_text=True)
    giver = app.test_client()
    sandbox_pay(giver, start_case_gift(giver, case, "100"))
    assert case.code in client.get("/ledger").get_data(as_text=True)
    impact_after = client.get("/impact", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert impact_after != impact_before and "SAR\u00a0100<" in impact_after


def test_the_stats_api_computes_its_figures_once_until_the_figures_move(client, caching, make_case, count_queries,
                                                                        donate):
    case = make_case()
    first = client.get("/api/v1/stats")
    with count_queries() as statements:
        again = client.get("/api/v1/stats")
    assert again.get_json() == first.get_json()
    assert not [s for s in statements if "impact_daily" in s], statements
    assert again.headers["Cache-Control"] == "public, max-age=300"  # its own headers, not the page cache's
    csv = client.get("/api/v1/stats.csv")
    assert csv.headers["Content-Disposition"].startswith("attachment")

    donate(case, 100_00, browser=False)  # refreshes the impact figures

    after = client.get("/api/v1/stats").get_json()
    assert after["totals"]["donations"] == first.get_json()["totals"]["donations"] + 1


def test_caching_a_view_never_declares_its_access_tier_for_it():
    """A view that declared no tier stays undeclared under @cached_page (the access test then catches it), and one
    that did keeps its own."""
    from jood import cache
    from jood.auth.access import public

    def undeclared():
        return "page"

    assert not hasattr(cache.cached_page("catalog")(undeclared), "allowed_roles")
    declared = cache.cached_page("catalog")(public(undeclared))
    assert declared.allowed_roles == public(undeclared).allowed_roles and declared.cache_tags == ("catalog",)

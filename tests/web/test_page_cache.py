import pytest

from jood.charities.models import CharityStatus
from jood.extensions import db
from tests.conftest import login


@pytest.fixture
def page_cache_on(app):
    """The page cache on, in the app's own store (tests/perf's `caching` also swaps the store: memory, then Redis)."""
    app.config["PAGE_CACHE_ENABLED"] = True
    yield
    app.config["PAGE_CACHE_ENABLED"] = False


def _partners(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return page.split('data-testid="partner-count">', 1)[1].split("<", 1)[0]


def test_anonymous_page_is_cached_with_an_etag_and_revalidates(client, page_cache_on, make_charity):
    make_charity()
    first = client.get("/")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""


def test_a_service_that_changes_public_data_refreshes_the_cached_pages(client, page_cache_on, make_charity):
    from jood.charities import services

    make_charity()
    assert _partners(client) == "1"
    charity = make_charity(status=CharityStatus.PENDING)
    assert _partners(client) == "1"
    services.approve(charity, None)
    db.session.commit()
    assert _partners(client) == "2"
    charity.name_ar = "اسم لم يمر بخدمة"  # a write no service made names no tag: the page stays as cached
    db.session.commit()
    assert _partners(client) == "2"


def test_languages_are_cached_apart(client, page_cache_on):
    assert 'lang="ar"' in client.get("/").get_data(as_text=True)
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_signed_in_users_are_never_served_a_cached_page(client, page_cache_on, make_user):
    client.get("/")
    user = make_user()
    login(client, user)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert user.display_name in page

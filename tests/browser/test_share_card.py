"""The case page as a social network's crawler and a donor see it: the og:image and Twitter tags lead to a
1200 x 630 share card, and the share buttons carry the hashtag. The cards land in tests/artifacts/ to be looked at."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from tests.browser.conftest import ARTIFACTS
from tests.browser.showcase import build

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_case_page_shares_a_card(browser, live_server, make_charity, make_case, language):
    show = build(make_charity, make_case)
    case = show.cases[0]
    context = browser.new_context(base_url=live_server, locale="ar-SA" if language == "ar" else "en-US",
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"/cases/{case.code}")
        meta = {name: page.locator(f'meta[{kind}="{name}"]').get_attribute("content")
                for kind, name in (("property", "og:image"), ("property", "og:title"), ("name", "twitter:card"))}
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["og:title"] == (case.public_title if language == "ar" else case.public_title_en)
        response = page.request.get(meta["og:image"])
        assert response.ok and response.headers["content-type"] == "image/png"
        image = Image.open(io.BytesIO(response.body()))
        assert image.size == (1200, 630)
        ARTIFACTS.mkdir(exist_ok=True)
        image.save(ARTIFACTS / f"share-card-{language}.png")
        tag = "#جود_الإسكان" if language == "ar" else "#JoodHousing"
        whatsapp = page.get_by_test_id("share-whatsapp").get_attribute("href")
        assert tag in parse_qs(urlsplit(whatsapp).query)["text"][0]
        x = page.get_by_test_id("share-x").get_attribute("href")
        assert parse_qs(urlsplit(x).query)["hashtags"] == [tag[1:]]
        share = page.get_by_test_id("share-whatsapp").bounding_box()
        assert share["height"] >= 44  # a tap target
    finally:
        context.close()

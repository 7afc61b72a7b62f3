"""Share cards: render_card's PNG, a case's card at /cases/<code>/card.png (drawn once per state of its figures),
the case page's Open Graph and Twitter tags, and share links carrying the hashtag."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from jood.sharecards import HEIGHT, WIDTH, render_card
from jood.sharecards.render import LRI, PDI, isolate_numbers, line_direction


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png))


@pytest.mark.parametrize("language", ["ar", "en"])
def test_render_card_is_a_1200_by_630_png(language):
    png = render_card(title="أسرة من سبعة أفراد في صبيا تحتاج إيجار سنة", subtitle="جازان · صبيا",
                      progress=0.42, figure="12,500 ر.س", hashtag="#كليومبيت", language=language)
    image = _image(png)
    assert png.startswith(b"\x89PNG") and image.size == (WIDTH, HEIGHT) == (1200, 630)


def _bar_fill(png: bytes) -> tuple[int, int]:
    """Where the green of the progress bar starts and ends, along its middle line."""
    image = _image(png).convert("RGB")
    for y in range(380, 520):
        row = [x for x in range(image.width) if image.getpixel((x, y)) == (0x0b, 0x6e, 0x4f)]
        if len(row) > 100:
            return row[0], row[-1]
    return 0, 0


def test_the_bar_fills_from_the_reading_side_in_proportion():
    def card(language, progress):
        return render_card(title="T", subtitle="", progress=progress, figure="F", hashtag="", language=language)

    left, right = _bar_fill(card("en", 0.5))
    assert left < 100 and 560 < right < 640  # from the left, half way
    left, right = _bar_fill(card("ar", 0.5))
    assert right > 1100 and 560 < left < 640  # from the right in Arabic
    left, right = _bar_fill(card("ar", 7))
    assert right - left > 1000  # clamped to full
    assert _bar_fill(card("en", -1)) == (0, 0)


def test_numbers_are_isolated_and_lines_take_their_own_direction():
    assert isolate_numbers("نسبة 49% من 12,500 ر.س") == f"نسبة {LRI}49%{PDI} من {LRI}12,500{PDI} ر.س"
    assert line_direction("#كليومبيت") == "rtl" and line_direction("SAR 12 · جدة") == "ltr"
    assert line_direction("12 ر.س") == "rtl" and line_direction("12 %") == "ltr"


def test_a_long_title_is_cut_with_an_ellipsis_not_drawn_off_the_card():
    from jood.sharecards.render import _Canvas

    canvas = _Canvas("ar")
    lines = canvas.wrap("كلمة " * 80, 56, 1056, 2, bold=True)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(canvas.width(line, 56, True) <= 1056 for line in lines)
    assert canvas.wrap("قصير", 56, 1056, 2) == ["قصير"]


def test_the_case_card_route_is_public_cached_and_redrawn_when_the_figures_move(app, client, make_case, donate):
    case = make_case(target_amount=1000_00, public_title="أسرة من خمسة أفراد في جدة")
    first = client.get(f"/cases/{case.code}/card.png?lang=ar")
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert _image(first.data).size == (1200, 630) and "public" in first.headers["Cache-Control"]
    cards = list(Path(app.config["SHARECARD_CACHE_DIR"]).glob(f"case-{case.code}-ar-*.png"))
    assert len(cards) == 1
    assert client.get(f"/cases/{case.code}/card.png?lang=ar").data == first.data
    english = client.get(f"/cases/{case.code}/card.png?lang=en")
    assert english.status_code == 200 and english.data != first.data
    donate(case, 400_00, browser=False)
    moved = client.get(f"/cases/{case.code}/card.png?lang=ar")
    assert moved.data != first.data
    cards = list(Path(app.config["SHARECARD_CACHE_DIR"]).glob(f"case-{case.code}-ar-*.png"))
    assert len(cards) == 1 and cards[0].read_bytes() == moved.data  # the old card is gone


def test_a_case_that_is_not_public_has_no_card(client, make_case):
    from jood.cases.models import CaseStatus

    draft = make_case(CaseStatus.DRAFT)
    assert client.get(f"/cases/{draft.code}/card.png").status_code == 404
    assert client.get("/cases/JE-0000-00000/card.png").status_code == 404


def _meta(page: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in
            re.findall(r'<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)"', page)}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_case_page_has_open_graph_and_twitter_tags_and_share_links_with_the_hashtag(client, make_case,
                                                                                       language, donate):
    case = make_case(target_amount=1000_00, public_title="أسرة من خمسة أفراد في جدة",
                     public_title_en="A family of five in Jeddah")
    donate(case, 250_00, browser=False)
    page = client.get(f"/cases/{case.code}", headers={"Accept-Language": language}).get_data(as_text=True)
    meta = _meta(page)
    title = "أسرة من خمسة أفراد في جدة" if language == "ar" else "A family of five in Jeddah"
    assert meta["og:title"] == title and meta["twitter:title"] == title
    assert meta["twitter:card"] == "summary_large_image"
    image = urlsplit(meta["og:image"])
    assert image.path == f"/cases/{case.code}/card.png" and image.scheme == "http" and image.netloc
    query = parse_qs(image.query)
    assert query["lang"] == [language] and len(query["v"][0]) == 16
    assert meta["twitter:image"] == meta["og:image"]
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert ("250" in meta["og:description"]) and meta["og:url"].endswith(f"/cases/{case.code}")
    tag = "#جود_الإسكان" if language == "ar" else "#JoodHousing"
    whatsapp = html.unescape(re.search(r'data-testid="share-whatsapp"[^>]*href="([^"]+)"', page, re.S).group(1))
    text = parse_qs(urlsplit(whatsapp).query)["text"][0]
    assert tag in text and title in text and f"/cases/{case.code}" in text
    x = html.unescape(re.search(r'data-testid="share-x"[^>]*href="([^"]+)"', page, re.S).group(1))
    assert parse_qs(urlsplit(x).query)["hashtags"] == [tag.lstrip("#")]
    # The card's key moves with the figures, so that social networks fetch the new card.
    donate(case, 100_00, browser=False)
    again = _meta(client.get(f"/cases/{case.code}", headers={"Accept-Language": language}).get_data(as_text=True))
    assert again["og:image"] != meta["og:image"]


def test_other_pages_keep_a_plain_site_name(client):
    assert _meta(client.get("/about").get_data(as_text=True)) == {"og:site_name": "جود الإسكان"}

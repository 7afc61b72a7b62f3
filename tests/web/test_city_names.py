"""Cities in English: every city the data holds has an English name, found whatever the Arabic spelling; a city
with none stays Arabic on English pages, marked lang="ar" dir="rtl"."""

import pytest

from jood.cases.demo import SERVICE_AREAS
from jood.demo import CHARITIES
from jood.regions import CITIES_EN, REGIONS, city_english, city_name
from tests.browser.showcase import TITLES


def test_every_region_has_its_cities_and_every_demo_city_an_english_name():
    assert set(CITIES_EN) == set(REGIONS)
    demo = {city for regions in SERVICE_AREAS.values() for cities in regions.values() for city in cities}
    demo |= {charity[5] for charity in CHARITIES} | {title[2] for title in TITLES}
    assert [city for city in sorted(demo) if city_english(city) is None] == []
    # A region's demo cities are listed under that region.
    for regions in SERVICE_AREAS.values():
        for region, cities in regions.items():
            assert set(cities) <= set(CITIES_EN[region]), region


def test_every_region_seat_is_listed():
    seats = {"riyadh": "الرياض", "makkah": "مكة المكرمة", "madinah": "المدينة المنورة", "qassim": "بريدة",
             "eastern": "الدمام", "asir": "أبها", "tabuk": "تبوك", "hail": "حائل", "northern_borders": "عرعر",
             "jazan": "جازان", "najran": "نجران", "baha": "الباحة", "jouf": "سكاكا"}
    assert {region: seat in CITIES_EN[region] for region, seat in seats.items()} == dict.fromkeys(seats, True)


@pytest.mark.parametrize(("typed", "english"), [
    ("جدة", "Jeddah"), ("جده", "Jeddah"), (" مكه المكرمه ", "Makkah"), ("الاحساء", "Al-Ahsa"),
    ("أبها", "Abha"), ("ابها", "Abha"), ("الأحساء", "Al-Ahsa"), ("خميس  مشيط", "Khamis Mushait"),
])
def test_spellings_of_a_city_find_its_english_name(typed, english):
    assert city_name(typed, "en") == (english, False)


def test_a_city_without_an_english_name_stays_arabic_and_is_marked():
    assert city_name("قرية صغيرة", "en") == ("قرية صغيرة", True)
    assert city_name("قرية صغيرة", "ar") == ("قرية صغيرة", False)
    assert city_name("جدة", "ar") == ("جدة", False)
    assert city_name("—", "en") == ("—", False) and city_name("", "en") == ("", False)


def test_charity_pages_name_the_city_in_english(client, make_charity):
    known = make_charity(city="جده", name_en="Known Society")
    unknown = make_charity(city="قرية صغيرة", name_en="Village Society")
    english = {"Accept-Language": "en"}
    assert "Jeddah" in client.get(f"/charities/{known.slug}", headers=english).get_data(as_text=True)
    page = client.get(f"/charities/{unknown.slug}", headers=english).get_data(as_text=True)
    assert '<span lang="ar" dir="rtl">قرية صغيرة</span>' in page
    directory = client.get("/charities", headers=english).get_data(as_text=True)
    assert "Jeddah" in directory and '<span lang="ar" dir="rtl">قرية صغيرة</span>' in directory
    assert "جده" in client.get(f"/charities/{known.slug}").get_data(as_text=True)


def test_the_catalog_city_list_labels_cities_in_english(client, make_case):
    make_case(city="جدة")
    page = client.get("/cases", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<option value="جدة">Jeddah</option>' in page
    assert "Jeddah" in page

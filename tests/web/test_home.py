"""The home page: headline figures from the aggregates, the day's neediest cases, both tracks' pools."""

from datetime import date

from jood.cases.featured import cases_of_the_day
from jood.cases.models import CaseStatus, Track
from jood.main import home


def test_headline_figures_come_from_the_aggregates(client, make_case, donate):
    case = make_case(target_amount=1000_00)
    donate(case, 250_00, browser=False, name="محسن")
    donate(case, 100_00, browser=False)
    figures = home.headline_figures()
    assert figures["given"] == 350_00 and figures["donors"] == 2
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="figure-given"><bdi class="money" dir="rtl">350\u00a0ر.س</bdi>' in page
    assert 'data-testid="figure-donors">2<' in page


def test_the_daily_selection_is_stable_for_a_day_and_only_needy_published_cases(make_case, donate):
    cases = [make_case(priority_total=50 - n) for n in range(8)]
    funded = make_case(priority_total=99, target_amount=100_00)
    donate(funded, 100_00, browser=False)
    make_case(CaseStatus.DRAFT, priority_total=98)
    day = date(2026, 3, 1)
    first = cases_of_the_day(day)
    assert len(first) == 3 and first == cases_of_the_day(day)
    assert {case.id for case in first} <= {case.id for case in cases}
    assert {c.id for c in first} != {c.id for c in cases_of_the_day(date(2026, 3, 2))}  # a new day, new faces
    # Shown neediest first within the day's three.
    assert [c.priority_total for c in first] == sorted((c.priority_total for c in first), reverse=True)


def test_each_track_shows_its_pool_against_what_its_cases_need(client, make_case):
    make_case(track=Track.RENT, target_amount=20_000_00)
    make_case(track=Track.OWNERSHIP, target_amount=300_000_00)
    pools = {pool["track"]: pool for pool in home.track_pools()}
    assert pools["rent"]["needed"] == 20_000_00 and pools["rent"]["cases"] == 1
    assert pools["ownership"]["needed"] == 300_000_00 and pools["ownership"]["held"] == 0
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-testid="track-rent"' in page and 'data-testid="track-ownership"' in page
    assert "1 case is waiting." in page


def test_case_cards_show_the_public_title_and_the_code_small(client, make_case):
    case = make_case(public_title="أسرة من سبعة أفراد في صبيا تحتاج إيجار سنة", city="صبيا", region="jazan",
                     public_title_en="A family of seven in Sabya needs a year's rent")
    arabic = client.get("/cases").get_data(as_text=True)
    assert "أسرة من سبعة أفراد في صبيا تحتاج إيجار سنة" in arabic
    assert f'<bdi class="ref" dir="ltr">{case.code}</bdi>' in arabic
    english = client.get("/cases", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "A family of seven in Sabya needs a year&#39;s rent" in english and "Sabya" in english


def test_english_pages_mark_arabic_only_texts(client, make_case):
    case = make_case(public_title="أم وأربعة أبناء يواجهون الإخلاء", city="مدينة صغيرة")
    page = client.get(f"/cases/{case.code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span lang="ar" dir="rtl">أم وأربعة أبناء يواجهون الإخلاء</span>' in page
    assert '<span lang="ar" dir="rtl">مدينة صغيرة</span>' in page
    assert "In Arabic:" in page

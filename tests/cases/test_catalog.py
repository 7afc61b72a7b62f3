import re

import pytest

from jood.cases import services
from jood.cases.models import CaseStatus, Track
from jood.extensions import db


@pytest.fixture
def publish(make_case, make_charity):
    charity = make_charity()

    def factory(**fields):
        case = make_case(charity=charity, **fields)
        services.refresh_search_text(case)
        db.session.commit()
        return case

    return factory


def codes(client, query: str = "") -> list[str]:
    page = client.get(f"/cases{query}").get_data(as_text=True)
    return re.findall(r'data-testid="case-card" data-code="([^"]+)"', page)


def test_neediest_first_with_the_regulations_tie_breaks(client, publish):
    low = publish(priority_total=10)
    high = publish(priority_total=40)
    tie_small_family = publish(priority_total=25, family_size=4)
    tie_big_family = publish(priority_total=25, family_size=6, monthly_income=4000)
    tie_big_poorer = publish(priority_total=25, family_size=6, monthly_income=2000, applicant_age=30)
    tie_big_poorer_older = publish(priority_total=25, family_size=6, monthly_income=2000, applicant_age=60)
    assert codes(client) == [high.code, tie_big_poorer_older.code, tie_big_poorer.code, tie_big_family.code,
                             tie_small_family.code, low.code]


def test_only_published_cases_of_approved_charities_are_listed(client, publish, make_case, make_charity):
    from jood.charities.models import CharityStatus

    shown = publish()
    for status in (CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.SUSPENDED, CaseStatus.CANCELLED):
        make_case(status=status)
    make_case(charity=make_charity(status=CharityStatus.SUSPENDED))
    assert codes(client) == [shown.code]


def test_filters_and_sorts_are_kept_in_the_url(client, publish):
    rent = publish(track=Track.RENT, region="riyadh", target_amount=10_000_00, raised_amount=9_000_00)
    own = publish(track=Track.OWNERSHIP, region="makkah", city="جدة", target_amount=300_000_00, need_level="highest")
    assert codes(client, "?track=ownership") == [own.code]
    assert codes(client, "?region=riyadh") == [rent.code]
    assert codes(client, "?city=جدة") == [own.code]
    assert codes(client, "?need=highest") == [own.code]
    assert codes(client, "?min_amount=20000") == [own.code]
    assert codes(client, "?max_amount=١٠٬٠٠٠") == [rent.code]  # Arabic digits and separators
    assert codes(client, "?nearly_funded=1") == [rent.code]
    assert codes(client, "?sort=closest") == [rent.code, own.code]
    assert codes(client, "?sort=least_funded") == [own.code, rent.code]
    page = client.get("/cases?track=rent&per_page=1&region=riyadh").get_data(as_text=True)
    assert 'name="track"' in page and '<option value="rent" selected' in page


def test_newest_sort(client, publish):
    from datetime import timedelta

    from jood.core.db import utcnow

    old = publish(published_at=utcnow() - timedelta(days=30), priority_total=50)
    new = publish(published_at=utcnow(), priority_total=1)
    assert codes(client, "?sort=newest") == [new.code, old.code]
    assert "30" in client.get("/cases").get_data(as_text=True)  # days since publication on the card


def test_arabic_search_ignores_diacritics_and_letter_forms(client, publish):
    target = publish(public_summary="أسرةٌ تسكن في مدينة الطائف وتحتاج إلى مساعدة عاجلة في الإيجار", city="الطائف")
    publish(public_summary="عائلة في الدمام تحتاج إلى سداد الإيجار المتأخر منذ أشهر", city="الدمام")
    assert codes(client, "?q=اسره") == [target.code]
    assert codes(client, "?q=الطَّائِف") == [target.code]
    assert codes(client, "?q=مساعده") == [target.code]
    assert codes(client, "?q=Riyadh") != []  # region names in both languages are searchable
    assert codes(client, "?q=%25") == []  # LIKE wildcards are escaped


def test_pagination_keeps_the_filters(client, publish):
    for _ in range(5):
        publish(track=Track.RENT)
    page = client.get("/cases?track=rent&per_page=2").get_data(as_text=True)
    assert len(re.findall('data-testid="case-card"', page)) == 2
    next_link = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "track=rent" in next_link and "page=2" in next_link and "per_page=2" in next_link
    assert len(codes(client, "?track=rent&per_page=2&page=3")) == 1


@pytest.mark.parametrize("per_page", [2, 40])
def test_the_catalog_makes_a_bounded_number_of_queries(client, publish, count_queries, per_page):
    for _ in range(per_page):
        publish()
    with count_queries() as statements:
        page = client.get(f"/cases?per_page={per_page}")
    assert page.status_code == 200
    assert len(re.findall('data-testid="case-card"', page.get_data(as_text=True))) == per_page
    assert len(statements) <= 4, statements  # the page, the count, the city list


def test_bad_filter_values_are_ignored_not_errors(client, publish):
    case = publish()
    assert codes(client, "?track=boat&region=mars&sort=random&page=abc") == [case.code]
    page = client.get("/cases?min_amount=abc", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Enter an amount in riyals" in page


def test_closest_to_completion_is_the_largest_share_funded(client, publish):
    small_left = publish(target_amount=1_000_00, raised_amount=900_00)  # 90 %, 100 SAR left
    big_share = publish(target_amount=100_000_00, raised_amount=99_000_00)  # 99 %, 1,000 SAR left
    assert codes(client, "?sort=closest") == [big_share.code, small_left.code]

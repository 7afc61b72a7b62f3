"""The public monthly service report, computed from the requests of the chosen month."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from jood.auth.roles import Role
from jood.extensions import db
from jood.support import services


def _cell(page: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', page)
    assert match, testid
    return match.group(1).strip()


def test_an_empty_month_shows_zeros_honestly(client, file_request):
    file_request(kind="complaint", now=datetime(2026, 6, 20, 9, tzinfo=UTC))  # the data starts in June
    page = client.get("/support/report?month=2026-07").get_data(as_text=True)
    assert 'data-testid="empty-month"' in page
    assert _cell(page, "received-total") == "0" and _cell(page, "received-complaint") == "0"
    assert _cell(page, "referred") == "0" and _cell(page, "decision-upheld") == "0"
    assert _cell(page, "resolution-rate") == "—" and _cell(page, "median-response") == "—"
    assert "يوليو 2026" in page and "محرم" in page  # Gregorian and Hijri month names


def test_the_report_counts_the_month_from_the_data(client, make_user, committee, file_request):
    reviewer = make_user(Role.REVIEWER)
    july = datetime(2026, 7, 10, 9, tzinfo=UTC)

    def answered(kind, hours, rating=None, resolve=True):
        item = file_request(kind=kind, now=july)
        services.reply(item, "تم.", actor=reviewer, now=july + timedelta(hours=hours))
        if resolve:
            services.resolve(item, actor=reviewer, now=july + timedelta(hours=hours + 1))
        if rating:
            services.rate(item, rating)
        return item

    answered("complaint", 2, rating=5)
    answered("complaint", 30, rating=2)
    answered("inquiry", 4, rating=4)
    answered("suggestion", 6, resolve=False)
    grievance = file_request(kind="grievance", now=july, notified_on=july.date() - timedelta(days=5))
    for member in committee:
        services.vote(grievance, member, "upheld")
    services.decide(grievance, actor=reviewer, now=july + timedelta(days=3))
    file_request(kind="inquiry", now=datetime(2026, 8, 1, 6, tzinfo=UTC))  # 1 August in Riyadh: not July
    file_request(kind="inquiry", now=datetime(2026, 6, 30, 22, tzinfo=UTC))  # already 1 July in Riyadh
    db.session.commit()

    page = client.get("/support/report?month=2026-07", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _cell(page, "received-complaint") == "2" and _cell(page, "received-inquiry") == "2"
    assert _cell(page, "received-suggestion") == "1" and _cell(page, "received-grievance") == "1"
    assert _cell(page, "received-total") == "6"
    assert _cell(page, "median-response") == "6 hours"  # 2, 4, 6, 30 and 72 hours, plus one unanswered
    assert _cell(page, "resolution-rate") == "67%"  # 4 of 6
    assert _cell(page, "satisfaction") == "67%"  # ratings 5, 2, 4
    assert _cell(page, "referred") == "1" and _cell(page, "decision-upheld") == "1"
    assert 'data-testid="empty-month"' not in page
    assert "July 2026" in page and "Muharram" in page


def test_a_hijri_month_can_be_chosen(client, file_request):
    file_request(kind="complaint", now=datetime(2026, 2, 20, 9, tzinfo=UTC))  # 3 Ramadan 1447
    page = client.get("/support/report?calendar=hijri&hy=1447&hm=9",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Ramadan 1447 AH" in page and "February" in page
    assert _cell(page, "received-complaint") == "1"
    assert client.get("/support/report?month=2026-01").status_code == 404  # before the first request


@pytest.mark.parametrize("key", ["2077-11", "1924-07", "2999-01", "0001-01"])
def test_months_outside_the_data_answer_404_not_500(client, key):
    assert client.get(f"/support/report?month={key}").status_code == 404
    assert client.get(f"/support/report?calendar=hijri&hy={key[:4]}&hm=1").status_code == 404


def test_the_month_links_stop_at_the_data(client, file_request):
    from jood.core.db import utcnow
    from jood.support.periods import riyadh_today

    file_request(kind="complaint", now=utcnow())
    page = client.get("/support/report").get_data(as_text=True)  # the current month, the only one with data
    assert 'rel="prev"' not in page and 'rel="next"' not in page
    today = riyadh_today(utcnow())
    file_request(kind="complaint", now=datetime(today.year - 1, today.month, 5, 9, tzinfo=UTC))
    page = client.get("/support/report").get_data(as_text=True)
    assert 'rel="prev"' in page and 'rel="next"' not in page
    for link in re.findall(r'href="([^"]+)" rel="prev"', page):
        assert client.get(link.replace("&amp;", "&")).status_code == 200

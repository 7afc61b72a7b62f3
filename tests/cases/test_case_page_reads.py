"""The public case page reads narrowly (the case with its charity in one statement, its recent gifts' four columns in
one more) and remembers its case part by everything that part shows: never stale after a gift, a status change or
a charity's new name."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from jood.auth.roles import Role
from jood.cases.models import Case, CaseStatus
from jood.disbursements.models import CaseRenewal
from jood.extensions import db


def _page(client, code: str, language: str = "ar", query: str = "") -> str:
    db.session.expunge_all()  # as in production: the case is loaded by the page's own statement, not the test's
    response = client.get(f"/cases/{code}{query}", headers={"Accept-Language": language})
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _progress(html: str) -> str:
    return re.search(r'<progress max="\d+" value="(\d+)"[^>]*data-testid="case-progress"', html).group(1)


def test_the_case_page_sends_two_statements(client, make_case, donate, count_queries):
    case = make_case()
    donate(case, 100_00, browser=False, name="أبو خالد")
    code = case.code
    db.session.expunge_all()
    with count_queries() as statements:
        assert client.get(f"/cases/{code}").status_code == 200
    # The case with its charity and whether it has an outcome to show (it has none), then its recent gifts.
    assert len(statements) == 2, statements
    assert "priority_breakdown" not in statements[0] and "monthly_income" not in statements[0]


def test_a_gift_shows_on_the_case_page_at_once(client, make_case, donate):
    case = make_case(target_amount=1_000_00)
    code = case.code
    before = _page(client, code)
    assert _progress(before) == "0" and "أبو خالد" not in before
    donate(db.session.merge(case), 250_00, browser=False, name="أبو خالد")
    after = _page(client, code)
    assert _progress(after) == "25000"
    assert "أبو خالد" in after.split('data-testid="recent-donations"')[1]
    assert "750" in after.split('data-testid="case-remaining"')[1].split("</p>")[0]


def test_a_charity_name_and_a_status_show_at_once(client, make_case):
    code = make_case().code
    before = _page(client, code)
    assert 'data-testid="donate-start"' in before

    def found():
        return db.session.scalar(select(Case).where(Case.code == code))

    found().charity.name_ar = "جمعية الإسكان الجديدة"
    db.session.commit()
    renamed = _page(client, code)
    assert "جمعية الإسكان الجديدة" in renamed and 'data-testid="donate-start"' in renamed
    found().status = CaseStatus.FUNDED.value
    db.session.commit()
    assert 'data-testid="donate-start"' not in _page(client, code)


def test_the_donate_form_keeps_the_campaign_it_came_through(client, make_case):
    code = make_case().code
    plain = _page(client, code)
    through = _page(client, code, query="?campaign=kul-yom-bait&team=7")
    assert 'name="campaign" value="kul-yom-bait"' in through and 'name="team" value="7"' in through
    assert 'name="campaign"' not in plain


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_page_reads_no_column_its_key_does_not_name(client, make_case, make_user, language):
    """The case is loaded with raiseload: reading a column outside catalog.PAGE_COLUMNS (or a relationship other
    than the charity) fails the page instead of showing a value the remembered part is not keyed by."""
    previous = make_case(CaseStatus.CLOSED)
    case = make_case(public_title="أسرة", public_title_en="A family", public_summary_en="A family of five.")
    db.session.add(CaseRenewal(case_id=case.id, previous_case_id=previous.id, created_by_id=make_user(Role.ADMIN).id))
    db.session.commit()
    code, previous_code = case.code, previous.code
    html = _page(client, code, language)
    assert previous_code in html.split('data-testid="case-outcome"')[1]  # the outcome partial ran on this case
    _page(client, code, language, query="?c=kul-yom-bait&team=3")

"""The remembered fragments of the uncached pages (jood.cache.FragmentMemo): case cards, the page frame, the catalog's
filters. Each is keyed by what it shows, so none may ever be served stale: a gift, a status change, another language
or another day must show at once."""

from __future__ import annotations

import re
import types
from datetime import timedelta

from flask import render_template_string

from jood.auth.roles import Role
from jood.cases import catalog
from jood.cases.cards import CARD_FIELDS
from jood.cases.models import Case, CaseStatus
from jood.core.db import utcnow
from jood.extensions import db
from tests.conftest import login

CARD = '{% from "cases/_card.html" import case_card with context %}{{ case_card(case, give_args) }}'


def _card(html: str, code: str) -> str:
    match = re.search(rf'<article class="card case-card"[^>]*data-code="{code}">.*?</article>', html, re.S)
    assert match, f"no card for {code}"
    return match.group(0)


def _render_card(app, case, language="ar", give_args=None) -> str:
    # A new app context: Flask-Babel keeps the locale it chose in `g` for the whole app context.
    with app.app_context(), app.test_request_context("/cases", headers={"Accept-Language": language}):
        return render_template_string(CARD, case=case, give_args=give_args)


def test_a_gift_shows_on_the_catalog_card_at_once(client, make_case, donate):
    case = make_case(target_amount=1_000_00)
    before = _card(client.get("/cases").get_data(as_text=True), case.code)
    assert "1,000" in before.split('data-testid="remaining">')[1].split("</dd>")[0]
    donate(case, 250_00, browser=False)

    after = _card(client.get("/cases").get_data(as_text=True), case.code)
    db.session.refresh(case)
    assert case.raised_amount == 250_00 and case.donor_count == 1
    assert after != before
    assert f'value="{250_00}"' in after  # the progress bar
    assert "750" in after.split('data-testid="remaining">')[1].split("</dd>")[0]


def test_a_funded_case_loses_its_give_button_and_each_language_has_its_own_card(app, make_case):
    case = make_case()
    assert 'data-testid="card-give"' in _render_card(app, case)
    english = _render_card(app, case, "en")
    assert "Give to this family" in english and "Give to this family" not in _render_card(app, case)

    case.status = CaseStatus.FUNDED.value  # same case, new state: a new key
    assert 'data-testid="card-give"' not in _render_card(app, case)
    assert 'data-testid="card-give"' not in _render_card(app, case, "en")


def test_the_days_since_publication_move_with_the_clock(app, make_case):
    case = make_case(published_at=utcnow())
    assert "نُشرت اليوم" in _render_card(app, case)
    today = _render_card(app, case, "en")
    assert "Published today" in today
    case.published_at = utcnow() - timedelta(days=3, minutes=1)
    assert "Published 3 days ago" in _render_card(app, case, "en")


def test_the_give_link_carries_its_own_arguments(app, make_case):
    case = make_case()
    plain = _render_card(app, case)
    campaign = _render_card(app, case, give_args={"campaign": "kul-yom-bait"})
    assert "campaign=kul-yom-bait" in campaign and "campaign=" not in plain


def test_the_card_reads_only_the_fields_its_key_names(app, make_case):
    """A card is remembered by CARD_FIELDS: if the template read anything else, a change to it would not show."""
    case = make_case(public_title="أسرة في الرياض", public_title_en="A family in Riyadh")
    read = set()

    class Recording:
        def __getattr__(self, name):
            derived = vars(Case).get(name)
            if isinstance(derived, property):  # the model's derived figures: record what they read
                return derived.fget(self)
            if callable(derived):
                return types.MethodType(derived, self)
            read.add(name)
            return getattr(case, name)

    for language in ("ar", "en"):
        _render_card(app, Recording(), language)
        _render_card(app, Recording(), language, give_args={"campaign": "x"})
    assert read <= set(CARD_FIELDS), read - set(CARD_FIELDS)


def test_the_catalog_rows_are_the_cards_of_the_orm_cases(app, make_case, donate):
    """The catalog's plain rows (CaseCard) render the very card the ORM case renders."""
    case = make_case(target_amount=1_000_00, public_title="أسرة")
    donate(case, 100_00, browser=False)
    db.session.refresh(case)
    row = catalog.card_page(catalog.CatalogQuery()).items[0]
    assert row.code == case.code and row.remaining_amount == case.remaining_amount == 900_00
    assert row.accepts_donations and case.accepts_donations
    for language in ("ar", "en"):
        assert _render_card(app, row, language) == _render_card(app, case, language)


def test_the_catalog_counts_in_the_page_statement_and_past_the_last_page(client, make_case, count_queries):
    for _ in range(3):
        make_case()
    page = catalog.card_page(catalog.CatalogQuery(per_page=2))
    assert (page.total, page.pages, len(page.items), page.has_next, page.next_num) == (3, 2, 2, True, 2)
    with count_queries() as statements:
        beyond = catalog.card_page(catalog.CatalogQuery(page=5, per_page=2))
    assert (beyond.total, beyond.items, beyond.has_prev, beyond.prev_num) == (3, [], True, 4)
    assert len(statements) == 2  # no row to carry the count: counted apart
    html = client.get("/cases?page=5&per_page=2").get_data(as_text=True)
    assert "3 cases found" in client.get("/cases?page=5&per_page=2", headers={"Accept-Language": "en"}).get_data(
        as_text=True) and 'data-testid="case-card"' not in html


def test_the_filters_form_follows_the_query_and_the_cities(client, make_case):
    make_case(city="الرياض")
    plain = client.get("/cases").get_data(as_text=True)
    rent = client.get("/cases?track=rent").get_data(as_text=True)
    assert '<option value="rent" selected>' in rent and '<option value="rent" selected>' not in plain
    assert 'value="أبها"' not in plain
    make_case(city="أبها", region="asir")  # a new city among the published cases
    assert '<option value="أبها">' in client.get("/cases").get_data(as_text=True)
    typed = client.get("/cases?min_amount=abc").get_data(as_text=True)
    assert 'value="abc"' in typed and 'role="alert"' in typed


def test_the_frame_is_shared_by_anonymous_visitors_only(app, client, make_user, make_charity):
    anonymous = client.get("/").get_data(as_text=True)
    assert "/workspace" not in anonymous
    staff = make_user(Role.CHARITY_MANAGER, charity=make_charity())
    signed_in = app.test_client()
    login(signed_in, staff)
    page = signed_in.get("/").get_data(as_text=True)
    assert 'data-testid="logout"' in page
    assert "/workspace" in page  # the charity's own menu, not the anonymous one remembered before
    assert "/workspace" not in client.get("/").get_data(as_text=True)
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True).count("Privacy") >= 1


def test_the_home_page_tracks_and_partners_follow_the_data(client, make_case, make_charity):
    make_case(target_amount=1_000_00)
    before = client.get("/").get_data(as_text=True)
    assert 'data-testid="partner-count">1<' in before
    make_case(target_amount=2_000_00)  # a second published case, of a second charity
    after = client.get("/").get_data(as_text=True)
    assert 'data-testid="partner-count">2<' in after
    rent = after.split('data-testid="track-rent"')[1].split("</article>")[0]
    assert "3,000" in rent and "2 cases are waiting" in client.get(
        "/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_a_gift_shows_in_the_cases_of_the_day_at_once(client, make_case, donate):
    case = make_case(need_level="highest", target_amount=1_000_00)

    def day_item():
        html = client.get("/cases").get_data(as_text=True).split('data-testid="cases-of-the-day"')[1]
        return re.search(rf'<li class="day-case"[^>]*data-code="{case.code}">.*?</li>', html, re.S).group(0)

    assert "1,000" in day_item()
    donate(case, 400_00, browser=False)
    after = day_item()
    assert 'value="40000"' in after and "600" in after and "1,000" not in after

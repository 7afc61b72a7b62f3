"""Cases of the day from the database: one query, the same all day, recorded by the job so that every case of a
band has its turn; on the home page and at the top of the catalog's first page."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from jood.cases.featured import cases_of_the_day, record_cases_of_the_day
from jood.cases.models import CaseStatus, FeaturedCase
from jood.extensions import db
from jood.jobs import REGISTRY, run_job

DAY = date(2026, 3, 1)


def _codes(cases) -> list[str]:
    return [case.code for case in cases]


def test_one_query_the_same_all_day_and_only_cases_that_still_need_money(make_case, count_queries, donate):
    needy = [make_case(need_level="highest", priority_total=40 - n) for n in range(6)]
    funded = make_case(need_level="highest", target_amount=100_00)
    donate(funded, 100_00, browser=False)
    make_case(CaseStatus.DRAFT, need_level="highest")
    make_case(need_level="medium", priority_total=99)  # more points, but a lower band of need
    with count_queries() as statements:
        first = cases_of_the_day(DAY)
    assert len(statements) == 1
    assert {c.code for c in first} <= {c.code for c in needy} and len(first) == 3
    assert _codes(cases_of_the_day(DAY)) == _codes(first)
    # Shown neediest first.
    assert [c.priority_total for c in first] == sorted((c.priority_total for c in first), reverse=True)


def test_the_job_records_the_day_and_the_turns_go_round(make_case):
    cases = [make_case(need_level="highest", region=region) for region in ("riyadh", "jazan", "tabuk") * 3]
    seen = []
    for offset in range(6):
        day = DAY + timedelta(days=offset)
        shown = _codes(cases_of_the_day(day))
        assert sorted(record_cases_of_the_day(day)) == sorted(shown)
        assert record_cases_of_the_day(day) == []  # written once
        db.session.commit()
        assert _codes(cases_of_the_day(day)) == shown  # what was recorded is what is shown
        seen.append(shown)
    # Nine families, three a day: each had exactly one turn in three days, then the next round.
    assert sorted(sum(seen[:3], [])) == sorted(c.code for c in cases)
    assert sorted(sum(seen[3:], [])) == sorted(c.code for c in cases)
    # And each day spreads over the three regions.
    by_code = {c.code: c.region for c in cases}
    assert all({by_code[code] for code in day} == {"riyadh", "jazan", "tabuk"} for day in seen[:3])


def test_a_pick_funded_during_the_day_is_replaced_by_the_next_run(make_case, donate):
    for _ in range(6):
        make_case(need_level="highest", target_amount=100_00)
    record_cases_of_the_day(DAY)
    db.session.commit()
    first = cases_of_the_day(DAY)
    donate(first[0], 100_00, browser=False)
    db.session.commit()
    now = cases_of_the_day(DAY)
    assert first[0] not in now and set(first[1:]) < set(now) and len(now) == 3
    assert len(record_cases_of_the_day(DAY)) == 1
    rows = db.session.scalars(select(FeaturedCase).where(FeaturedCase.day == DAY)).all()
    assert sorted(row.position for row in rows) == [0, 1, 2, 3]


def test_the_job_is_registered_and_commits(app, make_case):
    make_case(need_level="high")
    ok, result = run_job(REGISTRY["cases-of-the-day"])
    assert ok and result.startswith("1 recorded: JE-")
    assert db.session.scalar(select(FeaturedCase.case_id)) is not None


def test_home_and_the_catalog_show_the_cases_of_the_day(client, make_case):
    cases = [make_case(need_level="highest", public_title=f"أسرة رقم {n}") for n in range(5)]
    from jood.transparency.stats import today

    chosen = cases_of_the_day(today())
    home = client.get("/").get_data(as_text=True)
    assert "حالات اليوم" in home
    assert all(f'data-code="{case.code}"' in home for case in chosen)
    catalog = client.get("/cases").get_data(as_text=True)
    assert 'data-testid="cases-of-the-day"' in catalog
    assert re.findall(r'data-testid="day-case" data-code="([^"]+)"', catalog) == _codes(chosen)
    assert len(re.findall('data-testid="case-card"', catalog)) == len(cases)  # the list itself is untouched
    # Not when the visitor looks for something in particular, nor on later pages.
    for args in ("?track=rent", "?sort=newest", "?page=2&per_page=2", "?q=x", "?nearly_funded=1"):
        assert 'data-testid="cases-of-the-day"' not in client.get(f"/cases{args}").get_data(as_text=True), args

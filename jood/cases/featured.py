"""Cases of the day from the database: one SELECT for the home page and the catalog, and the job that records the
day's picks (the history the rotation's fairness rests on). The rule itself is jood/cases/daily.py."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import BigInteger, Date, Select, bindparam, case, cast, func, insert, select
from sqlalchemy.orm import aliased

from jood.cases import daily
from jood.cases.catalog import CaseCard, card_columns
from jood.cases.models import Case, CaseStatus, FeaturedCase
from jood.charities.models import Charity, CharityStatus
from jood.extensions import db

# Read enough of the queue for the diversity rule to find another region or charity among the never featured.
READ_AHEAD = 8


@lru_cache(maxsize=4)
def _queue_statement(limit: int) -> Select:
    """Built once per process (its construction and cache key cost more app CPU than the query's execution); the
    day and its shuffle are parameters."""
    day = bindparam("day", type_=Date)
    last_day = (select(FeaturedCase.case_id, func.max(FeaturedCase.day).label("day"))
                .where(FeaturedCase.day <= day).group_by(FeaturedCase.case_id).subquery())
    last = aliased(FeaturedCase)
    band = case(daily.BANDS, value=Case.need_level, else_=daily.OTHER_BAND)
    rotation = (cast(Case.id, BigInteger) * bindparam("multiplier", type_=BigInteger)) % daily.PRIME
    return (
        select(*card_columns(), last.day, last.position)
        .join(Case.charity)
        .outerjoin(last_day, last_day.c.case_id == Case.id)
        .outerjoin(last, (last.case_id == Case.id) & (last.day == last_day.c.day))
        .where(Case.status == CaseStatus.PUBLISHED.value, Charity.status == CharityStatus.APPROVED.value,
               Case.raised_amount < Case.target_amount)
        .order_by(case((last.day == day, 0), else_=1), band, last.day.is_not(None), last.day, last.position,
                  rotation, Case.id)
        .limit(limit)
    )


def _queue(day: date, limit: int) -> list[tuple[CaseCard, daily.Candidate]]:
    """Published cases still needing money, in the rule's order (daily.turn_order, the day's own picks first), each
    with its last turn. One statement, of the cards' columns only."""
    rows = db.session.execute(_queue_statement(limit), {"day": day, "multiplier": daily.day_multiplier(day)})
    queue = []
    for *columns, last_on, position in rows:
        found = CaseCard(*columns)
        queue.append((found, daily.Candidate(found.id, found.need_level, found.region, found.charity_id, last_on,
                                              position or 0)))
    return queue


def _picks(day: date, count: int) -> list[tuple[CaseCard, daily.Candidate]]:
    queue = _queue(day, count * READ_AHEAD)
    by_id = {candidate.id: (found, candidate) for found, candidate in queue}
    return [by_id[chosen.id] for chosen in daily.pick([candidate for _, candidate in queue], day, count)]


def cases_of_the_day(day: date, count: int = daily.COUNT) -> list[CaseCard]:
    """Today's cases, in one query, shown neediest first: the same for every request of the day, whether or not the
    job ran yet."""
    chosen = [found for found, _ in _picks(day, count)]
    return sorted(chosen, key=lambda found: (daily.band(found.need_level), -found.priority_total, found.id))


def record_cases_of_the_day(day: date, count: int = daily.COUNT) -> list[str]:
    """Write down the day's picks that are not yet written, with their places (a case funded during the day leaves
    a place that the next run fills). Flushes; the job's unit of work commits. Returns the codes newly recorded."""
    picks = _picks(day, count)
    taken = db.session.scalar(select(func.count()).select_from(FeaturedCase).where(FeaturedCase.day == day)) or 0
    new = [found for found, candidate in picks if candidate.last_featured != day]
    if new:
        db.session.execute(insert(FeaturedCase), [{"day": day, "case_id": found.id, "position": taken + index}
                                                  for index, found in enumerate(new)])
        db.session.flush()
    return [found.code for found in new]

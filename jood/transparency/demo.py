"""Demo data for /impact: cookieless visitor counts for the last sixty days, so the demo does not read 0 visitors.
Only the two daily numbers are written, as the real counter keeps them; days that already have counts are left."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from jood.extensions import db
from jood.transparency.models import VisitorDay
from jood.transparency.stats import today

DAYS = 60


def seed() -> dict[str, int]:
    rng = random.Random(1447)  # noqa: S311 - reproducible demo figures, not a secret
    last = today()
    days = [last - timedelta(days=n) for n in range(DAYS)]
    known = set(db.session.scalars(select(VisitorDay.day).where(VisitorDay.day.in_(days))))
    added = 0
    for day in days:
        visitors = rng.randint(120, 480) + (200 if day.weekday() in (3, 4) else 0)  # busier Thursday and Friday
        if day not in known:
            db.session.add(VisitorDay(day=day, unique_visitors=visitors, page_views=visitors * rng.randint(3, 6)))
            added += 1
    db.session.flush()
    return {"visitor_days_added": added}

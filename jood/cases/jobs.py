"""The cases feature's periodic work: recording the cases of the day (jood/cases/daily.py)."""

from __future__ import annotations

from jood.cases.featured import record_cases_of_the_day
from jood.jobs import job


@job("cases-of-the-day", every=600)
def cases_of_the_day() -> str:
    """Within ten minutes of Riyadh midnight the day's picks are written down, so tomorrow's rotation moves on; later
    runs only fill the place of a pick that was funded meanwhile."""
    from jood.transparency.stats import today

    recorded = record_cases_of_the_day(today())
    return f"{len(recorded)} recorded" + (f": {', '.join(recorded)}" if recorded else "")

"""The case pipeline as plain arithmetic (no Flask, no database): stage durations, medians, return rates, flags.

Thresholds are data in this one place.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

# (key, from timestamp, to timestamp): the stages whose median duration the dashboard shows.
STAGES = (
    ("submitted_to_published", "submitted_at", "published_at"),
    ("published_to_funded", "published_at", "funded_at"),
    ("funded_to_disbursed", "funded_at", "disbursed_at"),
)
# A charity stands out when its median funded -> disbursed time, or a funded case still waiting, exceeds this.
SLOW_DISBURSEMENT_DAYS = 14
# ... or when at least this share of its submitted cases were returned for corrections,
HIGH_RETURN_RATE = 0.30
# ... counted only once it has submitted this many cases (one returned case out of two says little).
MIN_CASES_FOR_RATE_FLAG = 3
# A published case whose situation was not updated for this many days is an exception (the regulation asks
# applicants to update their data within 15 days of a change; seed 003).
STALE_UPDATE_DAYS = 15


@dataclass(frozen=True)
class CaseTimes:
    charity_id: int
    status: str
    submitted_at: datetime | None
    published_at: datetime | None
    funded_at: datetime | None
    disbursed_at: datetime | None


def days_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 86400


def median_or_none(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class PipelineFigures:
    status_counts: Counter = field(default_factory=Counter)
    medians: dict[str, float | None] = field(default_factory=dict)
    submitted: int = 0
    returned: int = 0
    waiting_too_long: int = 0  # funded, not yet disbursed, for longer than SLOW_DISBURSEMENT_DAYS

    @property
    def return_rate(self) -> float | None:
        return self.returned / self.submitted if self.submitted else None

    @property
    def slow_disbursement(self) -> bool:
        median = self.medians.get("funded_to_disbursed")
        return self.waiting_too_long > 0 or (median is not None and median > SLOW_DISBURSEMENT_DAYS)

    @property
    def high_returns(self) -> bool:
        rate = self.return_rate
        return self.submitted >= MIN_CASES_FOR_RATE_FLAG and rate is not None and rate >= HIGH_RETURN_RATE

    @property
    def stands_out(self) -> bool:
        return self.slow_disbursement or self.high_returns


def figures(cases: list[CaseTimes], returned: int, now: datetime) -> PipelineFigures:
    """Counts, stage medians and flags for one group of cases (one charity, or all)."""
    result = PipelineFigures(status_counts=Counter(case.status for case in cases), returned=returned)
    result.submitted = sum(1 for case in cases if case.submitted_at is not None)
    for key, start, end in STAGES:
        durations = [days_between(getattr(case, start), getattr(case, end)) for case in cases]
        result.medians[key] = median_or_none([value for value in durations if value is not None])
    result.waiting_too_long = sum(
        1 for case in cases
        if case.funded_at is not None and case.disbursed_at is None and case.status == "funded"
        and (days_between(case.funded_at, now) or 0) > SLOW_DISBURSEMENT_DAYS
    )
    return result


def by_charity(cases: list[CaseTimes], returned: dict[int, int], now: datetime) -> dict[int, PipelineFigures]:
    groups: dict[int, list[CaseTimes]] = {}
    for case in cases:
        groups.setdefault(case.charity_id, []).append(case)
    return {charity_id: figures(group, returned.get(charity_id, 0), now) for charity_id, group in groups.items()}

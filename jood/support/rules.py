"""Support rules as plain data and functions (no Flask): deadlines, the grievance window, tracking numbers,
contact matching, committee majority and the monthly service-report arithmetic.

The numbers come from the seeds: a grievance must be filed within sixty days of notification of the decision and
goes to a committee of at least three members (003); the ministry's report warns that a committee answer "may take
more than 30 days" (004). They are data in this one module so that a policy change is a one-line edit.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from hijridate import Gregorian


class Kind(StrEnum):
    INQUIRY = "inquiry"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    GRIEVANCE = "grievance"


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"  # assigned to a staff member
    ANSWERED = "answered"  # a reply has been sent; may still get more replies
    RESOLVED = "resolved"


class Decision(StrEnum):
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    MORE_STUDY = "more_study"


# Days the platform gives itself to resolve each kind of request, counted from filing.
RESPONSE_DEADLINE_DAYS: dict[str, int] = {
    Kind.INQUIRY: 5,
    Kind.COMPLAINT: 15,
    Kind.SUGGESTION: 30,
    Kind.GRIEVANCE: 30,
}
# A grievance must be filed within this many days of being notified of the decision (seed 003).
GRIEVANCE_FILING_WINDOW_DAYS = 60
# The grievance committee has at least this many members, and a decision needs at least this many votes (seed 003).
COMMITTEE_MIN_MEMBERS = 3
COMMITTEE_QUORUM = 3
# Ratings counted as "satisfied" in the service report.
SATISFIED_RATINGS = frozenset({4, 5})
TRACKING_PREFIX = "JS"


def hijri_year(day: date) -> int:
    return Gregorian(day.year, day.month, day.day).to_hijri().year


def tracking_number(day: date, sequence: int) -> str:
    """'JS-1448-000123': the Hijri year of filing and the request's sequence number."""
    return f"{TRACKING_PREFIX}-{hijri_year(day)}-{sequence:06d}"


TRACKING_RE = re.compile(r"^JS-\d{4}-\d{6}$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalise_tracking(value: str) -> str:
    return (value or "").translate(_DIGITS).strip().upper().replace(" ", "")


def normalise_mobile(value: str | None) -> str:
    """Saudi mobiles in one form: Arabic-Indic digits, spaces, dashes and +966/00966 prefixes all give 05XXXXXXXX."""
    digits = re.sub(r"\D", "", (value or "").translate(_DIGITS))
    for prefix in ("00966", "966"):
        if digits.startswith(prefix):
            digits = "0" + digits[len(prefix):]
            break
    if len(digits) == 9 and digits.startswith("5"):
        digits = "0" + digits
    return digits


def is_valid_mobile(value: str | None) -> bool:
    return bool(re.fullmatch(r"05\d{8}", normalise_mobile(value)))


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


def contact_matches(given: str, email: str | None, mobile: str | None) -> bool:
    """True when `given` is the request's e-mail (any case) or its mobile (any common spelling)."""
    given = (given or "").strip()
    if not given:
        return False
    if "@" in given:
        return bool(email) and normalise_email(given) == normalise_email(email)
    return bool(mobile) and normalise_mobile(given) == normalise_mobile(mobile)


def grievance_window_error(notified_on: date, filed_on: date, window: int = GRIEVANCE_FILING_WINDOW_DAYS) -> str | None:
    """None when a grievance may be filed; otherwise 'future' or 'late'."""
    if notified_on > filed_on:
        return "future"
    if (filed_on - notified_on).days > window:
        return "late"
    return None


def due_at(kind: str, filed_at: datetime, deadlines: dict[str, int] | None = None) -> datetime:
    return filed_at + timedelta(days=(deadlines or RESPONSE_DEADLINE_DAYS)[kind])


def days_left(due: datetime, now: datetime) -> int:
    """Whole days until `due`, counted toward zero: 3 means 3 to 4 days left, -3 means 3 to 4 days overdue."""
    return int((due - now).total_seconds() / 86400)


def is_overdue(due: datetime, now: datetime, resolved: bool) -> bool:
    return not resolved and now > due


def majority(votes: list[str], quorum: int = COMMITTEE_QUORUM) -> str | None:
    """The outcome more than half of the votes chose, once at least `quorum` members voted; else None."""
    if len(votes) < quorum:
        return None
    for outcome in set(votes):
        if votes.count(outcome) * 2 > len(votes):
            return outcome
    return None


# --- The monthly service report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFacts:
    """What the report needs from one request, as plain values."""

    kind: str
    created_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    rating: int | None
    decision: str | None


@dataclass(frozen=True)
class ServiceReport:
    received: dict[str, int]
    total: int
    responded: int
    median_response_hours: float | None
    mean_response_hours: float | None
    resolved: int
    resolution_rate: float | None  # share of the month's requests resolved, 0..1
    ratings: int
    satisfied: int
    satisfaction_rate: float | None  # share of ratings that are 4 or 5, 0..1
    referred: int
    decisions: dict[str, int]
    pending_decisions: int


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def rate(part: int, whole: int) -> float | None:
    """A share in 0..1, or None when there is nothing to divide (an empty month shows '—', not a fake 0 %)."""
    return part / whole if whole else None


def service_report(requests: list[RequestFacts]) -> ServiceReport:
    received = {kind.value: 0 for kind in Kind}
    for item in requests:
        received[item.kind] += 1
    response_hours = [
        (item.first_response_at - item.created_at).total_seconds() / 3600
        for item in requests
        if item.first_response_at is not None
    ]
    resolved = sum(1 for item in requests if item.resolved_at is not None)
    ratings = [item.rating for item in requests if item.rating is not None]
    satisfied = sum(1 for value in ratings if value in SATISFIED_RATINGS)
    grievances = [item for item in requests if item.kind == Kind.GRIEVANCE]
    decisions = {decision.value: 0 for decision in Decision}
    for item in grievances:
        if item.decision:
            decisions[item.decision] += 1
    return ServiceReport(
        received=received,
        total=len(requests),
        responded=len(response_hours),
        median_response_hours=median(response_hours),
        mean_response_hours=statistics.fmean(response_hours) if response_hours else None,
        resolved=resolved,
        resolution_rate=rate(resolved, len(requests)),
        ratings=len(ratings),
        satisfied=satisfied,
        satisfaction_rate=rate(satisfied, len(ratings)),
        referred=len(grievances),
        decisions=decisions,
        pending_decisions=sum(1 for item in grievances if not item.decision),
    )

"""Report months, Gregorian or Hijri (Umm al-Qura), as [start, end) ranges of days in the display time zone (Riyadh's
unless DISPLAY_TIMEZONE says otherwise). No Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from hijridate import Gregorian, Hijri

from jood.core.timezone import display_zone
from jood.core.timezone import local_today as riyadh_today  # noqa: F401 - the support feature's name for it


@dataclass(frozen=True)
class ReportMonth:
    calendar: str  # "gregorian" or "hijri"
    year: int
    month: int
    first_day: date  # Gregorian date of the first day (Riyadh)
    end_day: date  # Gregorian date of the day after the last day

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.first_day, time(), display_zone()).astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return datetime.combine(self.end_day, time(), display_zone()).astimezone(UTC)

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    def previous(self) -> ReportMonth:
        if self.calendar == "hijri":
            return hijri_month(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)
        return gregorian_month(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)

    def next(self) -> ReportMonth:
        if self.calendar == "hijri":
            return hijri_month(self.year + (self.month == 12), 1 if self.month == 12 else self.month + 1)
        return gregorian_month(self.year + (self.month == 12), 1 if self.month == 12 else self.month + 1)

    def has_previous(self, earliest: date) -> bool:
        """Whether the month before holds any data (the first request was made before this month began)."""
        return earliest < self.first_day

    def has_next(self, today: date) -> bool:
        return self.end_day <= today

    def hijri_span(self) -> tuple[Hijri, Hijri]:
        """The Hijri dates of the first and last day (a Gregorian month spans two Hijri months)."""
        return _to_hijri(self.first_day), _to_hijri(self.last_day)

    def gregorian_span(self) -> tuple[date, date]:
        return self.first_day, self.last_day


def _to_hijri(day: date) -> Hijri:
    return Gregorian(day.year, day.month, day.day).to_hijri()


def gregorian_month(year: int, month: int) -> ReportMonth:
    first = date(year, month, 1)
    end = date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    return ReportMonth("gregorian", year, month, first, end)


def hijri_month(year: int, month: int) -> ReportMonth:
    start = Hijri(year, month, 1)
    first = start.to_gregorian()
    end = first + timedelta(days=start.month_length())
    return ReportMonth("hijri", year, month, date(first.year, first.month, first.day), end)


_KEY = re.compile(r"^(\d{4})-(\d{1,2})$")


class OutsideTheData(LookupError):
    """A readable month with no data: before the first request, after today, or beyond the Umm al-Qura table."""


def parse_month(value: str | None, calendar: str, today: date, earliest: date | None = None) -> ReportMonth:
    """`2026-07` (Gregorian) or `1448-01` (Hijri); anything unreadable gives the current month.

    A readable month outside [the month of `earliest`, the month of `today`] raises OutsideTheData (404).
    """
    match = _KEY.match((value or "").strip())
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        try:
            found = hijri_month(year, month) if calendar == "hijri" else gregorian_month(year, month)
            found.hijri_span()  # both calendars are shown: the month must lie inside the Umm al-Qura table
        except (ValueError, OverflowError):
            raise OutsideTheData(value) from None
        if found.first_day > today or (earliest is not None and found.end_day <= min(earliest, today)):
            raise OutsideTheData(value)
        return found
    if calendar == "hijri":
        now = _to_hijri(today)
        return hijri_month(now.year, now.month)
    return gregorian_month(today.year, today.month)

"""The one time zone people read dates in: the ``DISPLAY_TIMEZONE`` setting (Asia/Riyadh unless configured).

Times are stored in UTC; days are counted (impact aggregates, support periods, "today") and times shown in this
zone. The app factory sets it from the configuration once (``configure``); Flask-free, so the domain modules that
count days (support periods, statistics) use it without an app.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

DEFAULT = "Asia/Riyadh"
_zone = ZoneInfo(DEFAULT)


def configure(name: str | None) -> None:
    global _zone
    _zone = ZoneInfo(name or DEFAULT)


def display_zone() -> ZoneInfo:
    return _zone


def local_today(now: datetime | None = None) -> date:
    """Today's date in the display zone (``now`` an aware datetime, or the current moment)."""
    return (now or datetime.now(UTC)).astimezone(_zone).date()

"""The campaign state machine (Flask-free, tested as a table).

    draft --schedule--> scheduled --launch--> live --end--> ended
      ^                    |
      +----unschedule------+

Unlike a payment's (where a late event is a harmless no-op), a campaign's events come from staff pressing a button
or from the daily job: an event that does not apply is refused, so the person is told. Whether a campaign *may*
be scheduled or launched (a period and a goal) is a guard in ``services.transition``.
"""

from __future__ import annotations

from enum import StrEnum


class CampaignStatus(StrEnum):
    DRAFT = "draft"  # being written by staff, or proposed by a charity manager for its region
    SCHEDULED = "scheduled"  # approved, waiting for its first day
    LIVE = "live"  # gifts through it count
    ENDED = "ended"


class CampaignEvent(StrEnum):
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    LAUNCH = "launch"
    END = "end"


S, E = CampaignStatus, CampaignEvent
TRANSITIONS: dict[tuple[CampaignStatus, CampaignEvent], CampaignStatus] = {
    (S.DRAFT, E.SCHEDULE): S.SCHEDULED,
    (S.SCHEDULED, E.UNSCHEDULE): S.DRAFT,
    (S.SCHEDULED, E.LAUNCH): S.LIVE,
    (S.LIVE, E.END): S.ENDED,
}
PUBLIC_STATUSES = frozenset({S.SCHEDULED, S.LIVE, S.ENDED})
# A gift paid while the campaign is in one of these states, and within its period, counts toward it.
COUNTING_STATUSES = frozenset({S.LIVE, S.ENDED})


class TransitionRefused(Exception):
    pass


def next_state(state: str | CampaignStatus, event: str | CampaignEvent) -> CampaignStatus:
    """The state after ``event``; raises ``TransitionRefused`` when the event does not apply in ``state``."""
    try:
        key = (CampaignStatus(state), CampaignEvent(event))
    except ValueError:
        raise TransitionRefused(f"{state}/{event}") from None
    if key not in TRANSITIONS:
        raise TransitionRefused(f"{state}/{event}")
    return TRANSITIONS[key]


def events_from(state: str | CampaignStatus) -> list[CampaignEvent]:
    """The buttons a staff page shows for a campaign in ``state``."""
    return [event for (source, event) in TRANSITIONS if source == CampaignStatus(state)]

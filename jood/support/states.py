"""A support request's state machine (Flask-free, tested as a table).

    new --assign / more_study--> in_progress --reply--> answered
     |  \\-------------------------reply------------------/  |
     \\---------------- resolve (from any open state) -------+--> resolved

A move not in the table leaves the state as it is (assigning a request already in progress, replying again to an
answered one): the service still records the action itself in the audit log. Resolving is final.
"""

from __future__ import annotations

from enum import StrEnum

from jood.core.transitions import follow
from jood.support.rules import Status


class SupportEvent(StrEnum):
    ASSIGN = "assign"  # a staff member takes it
    REPLY = "reply"  # a reply is sent to the requester
    MORE_STUDY = "more_study"  # the grievance committee asks for more study
    RESOLVE = "resolve"


S, E = Status, SupportEvent
OPEN = (S.NEW, S.IN_PROGRESS, S.ANSWERED)

TRANSITIONS: dict[tuple[Status, SupportEvent], Status] = {
    **{(S.NEW, event): S.IN_PROGRESS for event in (E.ASSIGN, E.MORE_STUDY)},
    **{(state, E.REPLY): S.ANSWERED for state in (S.NEW, S.IN_PROGRESS)},
    **{(state, E.RESOLVE): S.RESOLVED for state in OPEN},
}


def next_state(state: str | Status, event: str | SupportEvent) -> Status:
    return follow(TRANSITIONS, Status(state), SupportEvent(event))

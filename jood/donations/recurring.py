"""The monthly gift's state machine (Flask-free, tested as a table), shared by the sandbox, Stripe and Moyasar.

    pending --activate--> active --cancel / stop--> cancelled
       \\-------------------cancel / stop-----------/

``activate``: the first payment was confirmed (or Stripe named the subscription); ``cancel``: the donor stopped it;
``stop``: Jood stopped it after the last retry of a failed charge. As with payments, a move not in the table leaves
the state unchanged: a late confirmation never revives a cancelled gift, and cancelling twice is harmless.
"""

from __future__ import annotations

from enum import StrEnum

from jood.core.transitions import follow


class RecurringStatus(StrEnum):
    PENDING = "pending"  # waiting for the first payment
    ACTIVE = "active"  # charged every month
    CANCELLED = "cancelled"  # by the donor, or stopped after failed charges


class RecurringEvent(StrEnum):
    ACTIVATE = "activate"
    CANCEL = "cancel"
    STOP = "stop"


S, E = RecurringStatus, RecurringEvent

TRANSITIONS: dict[tuple[RecurringStatus, RecurringEvent], RecurringStatus] = {
    (S.PENDING, E.ACTIVATE): S.ACTIVE,
    **{(state, event): S.CANCELLED for state in (S.PENDING, S.ACTIVE) for event in (E.CANCEL, E.STOP)},
}


def next_state(state: str | RecurringStatus, event: str | RecurringEvent) -> RecurringStatus:
    return follow(TRANSITIONS, RecurringStatus(state), RecurringEvent(event))

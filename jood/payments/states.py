"""The one payment state machine, shared by every gateway (Flask-free, tested as a table).

Gateways report *events* (the sandbox page's buttons, Stripe's webhooks, the reconciler); ``next_state`` says what
each event does to a payment in each state. Transitions are monotonic: money that arrived is never "un-arrived" by
a late ``expire`` or ``fail``, and replaying any event any number of times, in any order, ends in the same state.

    created --open--> pending --succeed--> paid --refund--> refunded
        \\                |  \\--fail--> failed      (succeed still wins afterwards: the money did arrive)
         \\               |---expire--> expired
          \\--------------+---cancel--> cancelled
"""

from __future__ import annotations

from enum import StrEnum


class PaymentStatus(StrEnum):
    CREATED = "created"  # stored, no gateway session yet
    PENDING = "pending"  # the donor is at the gateway (or an async method is clearing)
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PaymentEvent(StrEnum):
    OPEN = "open"
    SUCCEED = "succeed"
    FAIL = "fail"
    EXPIRE = "expire"
    CANCEL = "cancel"
    REFUND = "refund"


S, E = PaymentStatus, PaymentEvent
UNPAID = frozenset({S.CREATED, S.PENDING, S.FAILED, S.EXPIRED, S.CANCELLED})

# (state, event) -> new state. Anything not listed leaves the state unchanged (a no-op, never an error), which is
# what makes duplicate and out-of-order deliveries harmless.
TRANSITIONS: dict[tuple[PaymentStatus, PaymentEvent], PaymentStatus] = {
    (S.CREATED, E.OPEN): S.PENDING,
    **{(state, E.SUCCEED): S.PAID for state in UNPAID},
    (S.CREATED, E.FAIL): S.FAILED,
    (S.PENDING, E.FAIL): S.FAILED,
    (S.CREATED, E.EXPIRE): S.EXPIRED,
    (S.PENDING, E.EXPIRE): S.EXPIRED,
    (S.CREATED, E.CANCEL): S.CANCELLED,
    (S.PENDING, E.CANCEL): S.CANCELLED,
    (S.PAID, E.REFUND): S.REFUNDED,
}


def next_state(state: str | PaymentStatus, event: str | PaymentEvent) -> PaymentStatus:
    """The state after ``event``; the same state when the event does not apply (duplicate, late, out of order)."""
    state, event = PaymentStatus(state), PaymentEvent(event)
    return TRANSITIONS.get((state, event), state)


def events_to_reach(state: str | PaymentStatus, event: str | PaymentEvent) -> list[PaymentEvent]:
    """The events to apply for ``event`` to take effect: a refund reported for a payment we have not yet seen paid
    (Stripe's ``charge.refunded`` overtaking ``checkout.session.completed``) first records the payment."""
    state, event = PaymentStatus(state), PaymentEvent(event)
    if event == E.REFUND and state in UNPAID:
        return [E.SUCCEED, E.REFUND]
    return [event]

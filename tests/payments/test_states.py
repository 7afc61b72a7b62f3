"""The payment state machine as a table: (from, event) -> to, and order-independence."""

from itertools import permutations

import pytest

from jood.payments.states import PaymentEvent as E
from jood.payments.states import PaymentStatus as S
from jood.payments.states import events_to_reach, next_state


@pytest.mark.parametrize(
    "state, event, expected",
    [
        (S.CREATED, E.OPEN, S.PENDING),
        (S.PENDING, E.SUCCEED, S.PAID),
        (S.PENDING, E.FAIL, S.FAILED),
        (S.PENDING, E.EXPIRE, S.EXPIRED),
        (S.PENDING, E.CANCEL, S.CANCELLED),
        (S.FAILED, E.SUCCEED, S.PAID),
        (S.EXPIRED, E.SUCCEED, S.PAID),
        (S.PAID, E.FAIL, S.PAID),
        (S.PAID, E.EXPIRE, S.PAID),
        (S.PAID, E.CANCEL, S.PAID),
        (S.PAID, E.OPEN, S.PAID),
        (S.PAID, E.SUCCEED, S.PAID),
        (S.PAID, E.REFUND, S.REFUNDED),
        (S.REFUNDED, E.SUCCEED, S.REFUNDED),
        (S.REFUNDED, E.REFUND, S.REFUNDED),
        (S.FAILED, E.EXPIRE, S.FAILED),
        (S.PENDING, E.OPEN, S.PENDING),
    ],
)
def test_transitions(state, event, expected):
    assert next_state(state, event) == expected


def test_a_refund_seen_before_the_payment_first_records_the_payment():
    assert events_to_reach(S.PENDING, E.REFUND) == [E.SUCCEED, E.REFUND]
    assert events_to_reach(S.PAID, E.REFUND) == [E.REFUND]


@pytest.mark.parametrize("events", list(permutations([E.SUCCEED, E.EXPIRE, E.FAIL, E.SUCCEED])))
def test_any_order_of_success_and_late_failures_ends_paid(events):
    state = S.PENDING
    for event in events:
        for step in events_to_reach(state, event):
            state = next_state(state, step)
    assert state == S.PAID

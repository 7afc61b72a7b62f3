"""The payment state machine as a table: (from, event) -> to, and order-independence."""

from itertools import permutations

import pytest

from jood.payments.states import PaymentEvent as E
from jood.payments.states import PaymentStatus as S
from jood.payments.states import events_to_reach, next_state
from tests.state_tables import assert_every_pair_is_written, pairs

# Every (state, event) pair, written out by hand rather than derived from the table under test: 7 states x 6 events.
#            open       succeed    fail       expire     cancel       refund
EXPECTED = {
    S.CREATED: (S.PENDING, S.PAID, S.FAILED, S.EXPIRED, S.CANCELLED, S.CREATED),
    S.PENDING: (S.PENDING, S.PAID, S.FAILED, S.EXPIRED, S.CANCELLED, S.PENDING),
    S.PAID: (S.PAID, S.PAID, S.PAID, S.PAID, S.PAID, S.REFUNDED),
    S.FAILED: (S.FAILED, S.PAID, S.FAILED, S.FAILED, S.FAILED, S.FAILED),
    S.EXPIRED: (S.EXPIRED, S.PAID, S.EXPIRED, S.EXPIRED, S.EXPIRED, S.EXPIRED),
    S.CANCELLED: (S.CANCELLED, S.PAID, S.CANCELLED, S.CANCELLED, S.CANCELLED, S.CANCELLED),
    S.REFUNDED: (S.REFUNDED, S.REFUNDED, S.REFUNDED, S.REFUNDED, S.REFUNDED, S.REFUNDED),
}
EVENTS = (E.OPEN, E.SUCCEED, E.FAIL, E.EXPIRE, E.CANCEL, E.REFUND)
PAIRS = pairs(EXPECTED, EVENTS)


def test_the_table_covers_every_pair():
    assert_every_pair_is_written(EXPECTED, EVENTS, S, E)
    assert len(PAIRS) == 42


@pytest.mark.parametrize("state, event, expected", PAIRS)
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

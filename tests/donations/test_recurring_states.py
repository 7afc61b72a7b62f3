"""The monthly gift's state machine as a table: every (state, event) pair, written out by hand."""

import pytest

from jood.donations.recurring import RecurringEvent as E
from jood.donations.recurring import RecurringStatus as S
from jood.donations.recurring import next_state

#            activate     cancel        stop
EXPECTED = {
    S.PENDING: (S.ACTIVE, S.CANCELLED, S.CANCELLED),
    S.ACTIVE: (S.ACTIVE, S.CANCELLED, S.CANCELLED),
    S.CANCELLED: (S.CANCELLED, S.CANCELLED, S.CANCELLED),  # a late confirmation never revives a cancelled gift
}
EVENTS = (E.ACTIVATE, E.CANCEL, E.STOP)
PAIRS = [(state, event, row[i]) for state, row in EXPECTED.items() for i, event in enumerate(EVENTS)]


def test_the_table_covers_every_pair():
    assert set(EVENTS) == set(E) and set(EXPECTED) == set(S)
    assert len({(state, event) for state, event, _ in PAIRS}) == len(S) * len(E)


@pytest.mark.parametrize("state, event, expected", PAIRS)
def test_transitions(state, event, expected):
    assert next_state(state, event) == expected
    assert next_state(state.value, event.value) == expected

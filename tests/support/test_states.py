"""A support request's state machine as a table: every (state, event) pair, written out by hand."""

import pytest

from jood.support.rules import Status as S
from jood.support.states import SupportEvent as E
from jood.support.states import next_state

#            assign          reply         more_study      resolve
EXPECTED = {
    S.NEW: (S.IN_PROGRESS, S.ANSWERED, S.IN_PROGRESS, S.RESOLVED),
    S.IN_PROGRESS: (S.IN_PROGRESS, S.ANSWERED, S.IN_PROGRESS, S.RESOLVED),
    S.ANSWERED: (S.ANSWERED, S.ANSWERED, S.ANSWERED, S.RESOLVED),
    S.RESOLVED: (S.RESOLVED, S.RESOLVED, S.RESOLVED, S.RESOLVED),  # resolving is final
}
EVENTS = (E.ASSIGN, E.REPLY, E.MORE_STUDY, E.RESOLVE)
PAIRS = [(state, event, row[i]) for state, row in EXPECTED.items() for i, event in enumerate(EVENTS)]


def test_the_table_covers_every_pair():
    assert set(EVENTS) == set(E) and set(EXPECTED) == set(S)
    assert len({(state, event) for state, event, _ in PAIRS}) == len(S) * len(E)


@pytest.mark.parametrize("state, event, expected", PAIRS)
def test_transitions(state, event, expected):
    assert next_state(state, event) == expected
    assert next_state(state.value, event.value) == expected

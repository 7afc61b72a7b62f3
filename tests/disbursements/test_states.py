"""The disbursement state machine as a table: every (state, event) pair, written out by hand."""

import pytest

from jood.disbursements.states import INITIAL, next_state
from jood.disbursements.states import DisbursementEvent as E
from jood.disbursements.states import DisbursementStatus as S

#            resubmit     return      approve          (None: refused)
EXPECTED = {
    S.REQUESTED: (None, S.RETURNED, S.APPROVED),
    S.RETURNED: (S.REQUESTED, None, None),
    S.APPROVED: (None, None, None),
}
EVENTS = (E.RESUBMIT, E.RETURN, E.APPROVE)
PAIRS = [(state, event, row[i]) for state, row in EXPECTED.items() for i, event in enumerate(EVENTS)]


def test_the_table_covers_every_pair():
    assert set(EVENTS) == set(E) and set(EXPECTED) == set(S)
    assert len({(state, event) for state, event, _ in PAIRS}) == len(S) * len(E)


@pytest.mark.parametrize("state, event, expected", PAIRS)
def test_transitions(state, event, expected):
    assert next_state(state, event) == expected
    assert next_state(state.value, event.value) == expected  # the stored strings work as well


def test_a_new_request_waits_for_a_finance_officer():
    assert INITIAL == S.REQUESTED

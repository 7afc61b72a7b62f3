"""The disbursement state machine as a table: every (state, event) pair, written out by hand."""

from jood.disbursements.states import INITIAL, next_state
from jood.disbursements.states import DisbursementEvent as E
from jood.disbursements.states import DisbursementStatus as S
from tests.state_tables import table_tests

#            resubmit     return      approve          (None: refused)
EXPECTED = {
    S.REQUESTED: (None, S.RETURNED, S.APPROVED),
    S.RETURNED: (S.REQUESTED, None, None),
    S.APPROVED: (None, None, None),
}
EVENTS = (E.RESUBMIT, E.RETURN, E.APPROVE)
test_the_table_covers_every_pair, test_transitions = table_tests(next_state, EXPECTED, EVENTS, S, E)


def test_a_new_request_waits_for_a_finance_officer():
    assert INITIAL == S.REQUESTED

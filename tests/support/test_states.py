"""A support request's state machine as a table: every (state, event) pair, written out by hand."""

from jood.support.rules import Status as S
from jood.support.states import SupportEvent as E
from jood.support.states import next_state
from tests.state_tables import table_tests

#            assign          reply         more_study      resolve
EXPECTED = {
    S.NEW: (S.IN_PROGRESS, S.ANSWERED, S.IN_PROGRESS, S.RESOLVED),
    S.IN_PROGRESS: (S.IN_PROGRESS, S.ANSWERED, S.IN_PROGRESS, S.RESOLVED),
    S.ANSWERED: (S.ANSWERED, S.ANSWERED, S.ANSWERED, S.RESOLVED),
    S.RESOLVED: (S.RESOLVED, S.RESOLVED, S.RESOLVED, S.RESOLVED),  # resolving is final
}
EVENTS = (E.ASSIGN, E.REPLY, E.MORE_STUDY, E.RESOLVE)
test_the_table_covers_every_pair, test_transitions = table_tests(next_state, EXPECTED, EVENTS, S, E)

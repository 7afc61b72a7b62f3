"""The monthly gift's state machine as a table: every (state, event) pair, written out by hand."""

from jood.donations.recurring import RecurringEvent as E
from jood.donations.recurring import RecurringStatus as S
from jood.donations.recurring import next_state
from tests.state_tables import table_tests

#            activate     cancel        stop
EXPECTED = {
    S.PENDING: (S.ACTIVE, S.CANCELLED, S.CANCELLED),
    S.ACTIVE: (S.ACTIVE, S.CANCELLED, S.CANCELLED),
    S.CANCELLED: (S.CANCELLED, S.CANCELLED, S.CANCELLED),  # a late confirmation never revives a cancelled gift
}
EVENTS = (E.ACTIVATE, E.CANCEL, E.STOP)
test_the_table_covers_every_pair, test_transitions = table_tests(next_state, EXPECTED, EVENTS, S, E)

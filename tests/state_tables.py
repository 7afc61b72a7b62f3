"""State machines tested as tables written by hand: {state: (next state for each event, in EVENTS order)}."""

import pytest


def pairs(expected: dict, events: tuple) -> list[tuple]:
    """Every (state, event, expected next state) of the table."""
    return [(state, event, row[i]) for state, row in expected.items() for i, event in enumerate(events)]


def assert_every_pair_is_written(expected: dict, events: tuple, states, all_events) -> None:
    """The hand-written table names every state and every event, so no (state, event) pair goes untested."""
    assert set(events) == set(all_events) and set(expected) == set(states)
    assert all(len(row) == len(events) for row in expected.values())
    assert len({(state, event) for state, event, _ in pairs(expected, events)}) == len(states) * len(all_events)


def table_tests(next_state, expected: dict, events: tuple, states, all_events):
    """The two tests of a state machine's table, for a test module to bind to its own ``test_`` names."""

    def test_the_table_covers_every_pair():
        assert_every_pair_is_written(expected, events, states, all_events)

    @pytest.mark.parametrize("state, event, after", pairs(expected, events))
    def test_transitions(state, event, after):
        assert next_state(state, event) == after
        assert next_state(state.value, event.value) == after  # the stored strings work as well

    return test_the_table_covers_every_pair, test_transitions

"""Partial refunds take a donation's money back in order, so successive parts add up to exactly the whole."""

import pytest

from jood.ledger.core import part_to_refund, still_held, take_in_order

SOURCES = [("case:A", 70_00), ("pool:rent", 20_00), ("fees:operating", 10_00)]


@pytest.mark.parametrize("amount,expected", [
    (0, [0, 0, 0]), (50_00, [50_00, 0, 0]), (70_00, [70_00, 0, 0]), (85_00, [70_00, 15_00, 0]),
    (100_00, [70_00, 20_00, 10_00]), (150_00, [70_00, 20_00, 10_00]), (-5, [0, 0, 0]),
])
def test_take_in_order(amount, expected):
    assert [part for _, part in take_in_order(SOURCES, amount)] == expected


def test_successive_parts_add_up_to_the_whole_whatever_the_steps():
    for steps in ([1, 99_99], [30_00, 45_00, 25_00], [70_00, 1, 29_99], [100_00]):
        total, refunded = {}, 0
        for step in steps:
            for account, part in part_to_refund(SOURCES, refunded, refunded + step):
                assert part > 0
                total[account] = total.get(account, 0) + part
            refunded += step
        assert total == dict(SOURCES)
        assert still_held(SOURCES, refunded) == []


def test_what_is_still_held_after_a_part():
    assert still_held(SOURCES, 75_00) == [("pool:rent", 15_00), ("fees:operating", 10_00)]

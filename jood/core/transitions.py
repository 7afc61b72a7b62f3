"""Reading a transition table: the one rule every state machine here shares (payments/states.py is the model).

A table maps (state, event) to the next state. A pair it does not list is either a no-op (events that may repeat or
arrive late: a gateway's, a monthly gift's, a support request's) or a refusal (people's decisions: disbursements).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

S = TypeVar("S")
E = TypeVar("E")


def follow(table: Mapping[tuple[S, E], S], state: S, event: E, *, refuse: bool = False) -> S | None:
    """The state ``event`` leads to from ``state``; for a pair not in ``table``, the same state, or None if
    ``refuse``."""
    return table.get((state, event), None if refuse else state)

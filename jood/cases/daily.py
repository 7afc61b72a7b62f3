"""Cases of the day: which of the neediest published cases the home page and the catalog feature today.

Plain functions on plain data (no Flask, no database), so the rule is tested on its own:

- **Neediest first**: cases are taken band by band (the need level of their points: highest, high, then medium);
  a lower band is reached only when the bands above have too few cases still needing money.
- **Fair**: within a band, a case that was featured waits until every case of its band has had its turn since its
  own: the band is a queue ordered by each case's last turn (never featured first), then by its place among that
  day's picks, so the turns go round in a fixed cycle and no case gets ahead. The turns come from the history of past
  days (`FeaturedCase`, written by the `cases-of-the-day` job).
- **Fair across regions and charities** follows: each region and each charity gets turns in proportion to its
  families in need, never more. Among cases never featured (none has waited longer than another), a case of a region
  and a charity not yet among the day's picks goes first, so that one region or one large charity does not fill a
  day. Beyond that the queue is kept strictly: letting a case skip ahead for variety starves the cases that share a
  charity with the day's first pick (a test shows it).
- **Stable for the day, new the next**: inside a group the order is a permutation keyed on the (Riyadh) day, so every
  request of a day sees the same picks, even before the job has recorded them, and the next day shuffles again.
  Picks already recorded for the day stay while they still need money.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

COUNT = 3
BANDS = {"highest": 0, "high": 1}
OTHER_BAND = 2  # every other need level
PRIME = 4_294_967_291  # the largest prime below 2**32: (id * k) % PRIME is a permutation of the ids, for any k


@dataclass(frozen=True)
class Candidate:
    """A published case still needing money, with what the rule looks at."""

    id: int
    need_level: str
    region: str
    charity_id: int
    last_featured: date | None = None  # the last day it was a case of the day, if ever
    last_position: int = 0  # its place among that day's picks (0 = picked first)


def band(need_level: str) -> int:
    return BANDS.get(need_level, OTHER_BAND)


@lru_cache(maxsize=64)  # the rule sorts by it dozens of times per request, for one or two days
def day_multiplier(day: date) -> int:
    """Unrelated from one day to the next (a hash of the date); never 0 modulo the prime, so `rotation_key` stays a
    permutation."""
    digest = hashlib.sha256(f"jood-cases-of-the-day:{day.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (PRIME - 1) + 1


def rotation_key(case_id: int, day: date) -> int:
    """The day's shuffle of a group (also computed in SQL by jood.cases.featured, which must agree)."""
    return (case_id * day_multiplier(day)) % PRIME


def turn_order(candidate: Candidate, day: date) -> tuple:
    """Band, then whose turn it is (never featured, then the longest ago, then its place that day), then the day's
    shuffle (which orders only the never-featured)."""
    last = candidate.last_featured
    return (band(candidate.need_level), last is not None, last or date.min, candidate.last_position,
            rotation_key(candidate.id, day))


def pick(candidates: list[Candidate], day: date, count: int = COUNT) -> list[Candidate]:
    """The day's cases in the order they were picked: those already recorded for `day` (still in `candidates`),
    then the next by turn."""
    order = {c.id: turn_order(c, day) for c in candidates}  # computed once per candidate, not once per comparison
    chosen = sorted((c for c in candidates if c.last_featured == day), key=lambda c: order[c.id])[:count]
    waiting = sorted((c for c in candidates if c.last_featured != day), key=lambda c: order[c.id])
    while len(chosen) < count and waiting:
        best = waiting[0]
        if best.last_featured is None:  # among the never featured of its band, the most diverse first
            regions, charities = {c.region for c in chosen}, {c.charity_id for c in chosen}
            best_band = order[best.id][0]
            group = [c for c in waiting if c.last_featured is None and order[c.id][0] == best_band]
            best = min(group, key=lambda c: ((c.region in regions) + (c.charity_id in charities), order[c.id]))
        chosen.append(best)
        waiting.remove(best)
    return chosen

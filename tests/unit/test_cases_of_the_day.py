"""The cases of the day's rule (jood/cases/daily.py): neediest band first, every case of a band in turn, several
regions and charities a day, the same picks all day."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from jood.cases.daily import Candidate, pick, rotation_key

DAY = date(2026, 3, 1)


def band(n: int, level: str = "highest", start: int = 1, regions: int = 4, charities: int = 3) -> list[Candidate]:
    return [Candidate(id=i, need_level=level, region=f"r{i % regions}", charity_id=i % charities)
            for i in range(start, start + n)]


def run_days(candidates: list[Candidate], days: int, start: date = DAY) -> list[list[int]]:
    """What the job does: each day's picks are recorded, with their places, as the cases' last turn."""
    history, shown = {c.id: (c.last_featured, c.last_position) for c in candidates}, []
    for offset in range(days):
        day = start + timedelta(days=offset)
        today = [replace(c, last_featured=history[c.id][0], last_position=history[c.id][1]) for c in candidates]
        picked = [c.id for c in pick(today, day)]
        assert len(picked) == len(set(picked)) == min(3, len(candidates))
        history.update({case: (day, position) for position, case in enumerate(picked)})
        shown.append(picked)
    return shown


def test_the_same_picks_all_day_whatever_the_order_they_are_read_in():
    candidates = band(20)
    first = [c.id for c in pick(candidates, DAY)]
    shuffled = candidates[:]
    random.Random(7).shuffle(shuffled)
    assert [c.id for c in pick(shuffled, DAY)] == first and len(first) == 3


def test_the_neediest_band_comes_first_and_a_lower_band_only_fills_what_is_missing():
    high = band(5, "high", start=1)
    highest = band(2, "highest", start=100)
    medium = band(5, "medium", start=200)
    picked = pick(high + medium + highest, DAY)
    assert {c.id for c in picked[:2]} == {100, 101} and picked[2].need_level == "high"
    assert all(c.need_level == "highest" for c in pick(band(9) + medium, DAY))


def test_every_case_of_a_band_has_its_turn_before_any_case_comes_back():
    for size in (4, 7, 10, 11, 25):
        candidates = band(size)
        shown = run_days(candidates, 40)
        days_of = {c.id: [day for day, cases in enumerate(shown) if c.id in cases] for c in candidates}
        for case, days in days_of.items():
            for before, again in zip(days, days[1:], strict=False):
                # Between two turns of a case, every other case of the band had one (possibly the same day).
                others = [other for other, theirs in days_of.items() if other != case
                          and not any(before <= day <= again for day in theirs)]
                assert others == [], (size, case, before, again, others)
        counts = [len(days) for days in days_of.values()]
        assert max(counts) - min(counts) <= 1, (size, counts)


def test_a_case_that_had_its_turn_waits_even_if_it_has_more_points_in_its_band():
    # Points order the catalog; within a band of need, the turn decides.
    candidates = band(6)
    shown = run_days(candidates, 2)
    assert set(shown[0]).isdisjoint(shown[1]) and set(shown[0]) | set(shown[1]) == set(range(1, 7))


def test_a_newly_published_case_goes_before_those_that_were_already_shown():
    candidates = band(6)
    history = run_days(candidates, 2)  # everyone had a turn
    last = {case: DAY + timedelta(days=day) for day, cases in enumerate(history) for case in cases}
    known = [replace(c, last_featured=last[c.id]) for c in candidates]
    newcomer = Candidate(id=50, need_level="highest", region="r9", charity_id=9)
    assert 50 in [c.id for c in pick([*known, newcomer], DAY + timedelta(days=2))]


def test_a_day_spreads_over_regions_and_charities_when_it_can():
    crowded = [Candidate(id=i, need_level="highest", region="riyadh", charity_id=1) for i in range(1, 10)]
    others = [Candidate(id=20, need_level="highest", region="jazan", charity_id=2),
              Candidate(id=21, need_level="highest", region="tabuk", charity_id=3)]
    for offset in range(10):
        picked = pick(crowded + others, DAY + timedelta(days=offset))
        assert {c.region for c in picked} == {"riyadh", "jazan", "tabuk"}
        assert len({c.charity_id for c in picked}) == 3


def test_spreading_never_jumps_a_turn():
    # Two cases from the same region and charity waiting since long before a third, far away, had its turn.
    waiting = [Candidate(id=1, need_level="highest", region="riyadh", charity_id=1),
               Candidate(id=2, need_level="highest", region="riyadh", charity_id=1),
               Candidate(id=3, need_level="highest", region="jazan", charity_id=2, last_featured=DAY - timedelta(1))]
    assert [c.id for c in pick(waiting, DAY, count=2)] in ([1, 2], [2, 1])


def test_recorded_picks_stay_for_the_day_and_a_funded_one_is_replaced():
    candidates = band(12)
    recorded = {c.id for c in pick(candidates, DAY)}
    marked = [replace(c, last_featured=DAY) if c.id in recorded else c for c in candidates]
    assert {c.id for c in pick(marked, DAY)} == recorded
    funded = sorted(recorded)[0]
    remaining = [c for c in marked if c.id != funded]
    again = {c.id for c in pick(remaining, DAY)}
    assert recorded - {funded} < again and len(again) == 3 and funded not in again


def test_before_any_history_the_day_still_changes_the_picks():
    candidates = band(30)
    seen = {c.id for offset in range(10) for c in pick(candidates, DAY + timedelta(days=offset))}
    assert len(seen) >= 15


def test_the_rotation_key_is_a_permutation():
    assert len({rotation_key(case_id, DAY) for case_id in range(1, 5001)}) == 5000
    assert [rotation_key(i, DAY) for i in range(1, 50)] != [rotation_key(i, DAY + timedelta(1)) for i in range(1, 50)]


def test_nothing_to_pick():
    assert pick([], DAY) == []
    assert [c.id for c in pick(band(2), DAY)] in ([1, 2], [2, 1])


def test_regions_and_charities_get_turns_in_proportion_to_their_families_never_more():
    crowded = [Candidate(id=i, need_level="highest", region="riyadh", charity_id=1) for i in range(1, 7)]
    others = [Candidate(id=i, need_level="highest", region=f"r{i}", charity_id=i) for i in range(7, 10)]
    shown = run_days(crowded + others, 30)  # 90 turns for 9 families: 10 each
    turns = [case for cases in shown for case in cases]
    assert sum(case <= 6 for case in turns) == 60 and all(turns.count(case) == 10 for case in range(1, 10))

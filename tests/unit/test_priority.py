"""Priority points (policy moh-points-v1): every table row, every edge between rows, precedence and ranking."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from jood import eligibility, priority
from jood.priority import (
    APPLICANT_ROLES,
    BREAKDOWN_KEYS,
    DEFAULT_POLICY,
    NEEDIEST_FIRST,
    POLICIES,
    Applicant,
    Policy,
    Score,
    need_level,
    neediest_key,
    precedence_years,
    rank,
    score,
)

BASE = {
    "applicant_role": "husband",
    "nationality": "SA",
    "age": 30,
    "family_size": 2,
    "monthly_income": 6_000,
    "domestic_workers": 0,
    "precedence_years": 0,
    "prior_land_grant_application": False,
    "owns_suitable_home": False,
    "prior_housing_support": False,
    "assets_value": 100_000,
    "resides_in_ksa": True,
    "incurable_condition": False,
    "development_centre": False,
}


def make(**overrides: object) -> Applicant:
    """Build an applicant who scores 0 on every line unless a test says otherwise."""
    return Applicant(**{**BASE, **overrides})  # type: ignore[arg-type]


def points(line: str, **overrides: object) -> int:
    return score(make(**overrides)).breakdown[line]


# --- the points tables ----------------------------------------------------------------------------------------------


def test_baseline_applicant_scores_zero_everywhere():
    result = score(make())
    assert result.total == 0
    assert set(result.breakdown.values()) == {0}


@pytest.mark.parametrize(
    ("family_size", "expected"),
    [(1, 0), (2, 0), (3, 5), (4, 10), (5, 15), (6, 20), (7, 20), (12, 20), (50, 20)],
)
def test_family_size_points(family_size, expected):
    assert points("family_size", family_size=family_size) == expected


@pytest.mark.parametrize(
    ("income", "expected"),
    [
        (0, 3),
        (1, 3),
        (2_999, 3),
        (3_000, 3),
        (3_001, 2),
        (3_500, 2),
        (4_000, 2),
        (4_001, 1),
        (4_500, 1),
        (5_000, 1),
        (5_001, 0),
        (20_000, 0),
        (10**12, 0),
    ],
)
def test_income_points(income, expected):
    assert points("income", monthly_income=income) == expected


@pytest.mark.parametrize(
    ("workers", "expected"),
    [(0, 0), (1, 0), (3, 0), (4, -3), (5, -6), (6, -9), (10, -21)],
)
def test_domestic_workers_beyond_three_cost_three_points_each(workers, expected):
    assert points("domestic_workers", domestic_workers=workers) == expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, 0),
        (25, 0),
        (34, 0),
        (35, 1),
        (36, 2),
        (37, 3),
        (38, 4),
        (39, 5),
        (40, 6),
        (41, 7),
        (42, 8),
        (43, 9),
        (44, 10),
        (45, 11),
        (46, 12),
        (47, 13),
        (48, 14),
        (49, 15),
        (50, 15),
        (51, 15),
        (65, 15),
        (130, 15),
    ],
)
def test_age_points(age, expected):
    assert points("age", age=age) == expected


@pytest.mark.parametrize(
    ("years", "land_grant", "expected"),
    [
        (0, False, 0),
        (1, False, 1),
        (5, False, 5),
        (9, False, 9),
        (10, False, 10),
        (11, False, 10),
        (30, False, 10),
        (0, True, 2),
        (3, True, 5),
        (7, True, 9),
        (8, True, 10),
        (9, True, 10),
        (10, True, 10),
        (25, True, 10),
    ],
)
def test_precedence_points_with_land_grant_bonus_and_cap(years, land_grant, expected):
    assert points("precedence", precedence_years=years, prior_land_grant_application=land_grant) == expected


@pytest.mark.parametrize(("incurable", "expected"), [(False, 0), (True, 5)])
def test_health_condition_points(incurable, expected):
    assert points("health_condition", incurable_condition=incurable) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("husband", 0),
        ("father", 0),
        ("wife", 5),
        ("mother", 5),
        ("siblings", 5),
        ("divorced_woman", 0),
        ("widowed_woman", 0),
        ("unmarried_over_25", 0),
        ("disability", 0),
    ],
)
def test_applicant_category_points(role, expected):
    assert points("applicant_category", applicant_role=role) == expected


def test_category_table_covers_every_role():
    tested = {
        "husband",
        "father",
        "wife",
        "mother",
        "siblings",
        "divorced_woman",
        "widowed_woman",
        "unmarried_over_25",
        "disability",
    }
    assert set(APPLICANT_ROLES) == tested


@pytest.mark.parametrize(("chosen", "expected"), [(False, 0), (True, 5)])
def test_development_centre_points(chosen, expected):
    assert points("development_centre", development_centre=chosen) == expected


# --- the score as a whole -------------------------------------------------------------------------------------------


def test_breakdown_keys_are_ordered_and_total_is_their_sum():
    result = score(make(family_size=4, monthly_income=3_500, age=41, precedence_years=2, domestic_workers=4))
    assert list(result.breakdown) == list(BREAKDOWN_KEYS)
    assert BREAKDOWN_KEYS == (
        "family_size",
        "income",
        "domestic_workers",
        "age",
        "precedence",
        "health_condition",
        "applicant_category",
        "development_centre",
    )
    assert result.total == sum(result.breakdown.values())
    assert result.policy == "moh-points-v1"


def test_worked_example():
    """A widowed mother of five with a sick child, on 2,800 SAR, aged 44, waiting six years, with a land-grant bid."""
    applicant = make(
        applicant_role="mother",
        family_size=6,
        monthly_income=2_800,
        age=44,
        precedence_years=6,
        prior_land_grant_application=True,
        incurable_condition=True,
    )
    result = score(applicant)
    assert result.breakdown == {
        "family_size": 20,
        "income": 3,
        "domestic_workers": 0,
        "age": 10,
        "precedence": 8,
        "health_condition": 5,
        "applicant_category": 5,
        "development_centre": 0,
    }
    assert result.total == 51


def test_maximum_total_is_63():
    best = make(
        applicant_role="wife",
        family_size=9,
        monthly_income=0,
        age=70,
        precedence_years=40,
        prior_land_grant_application=True,
        incurable_condition=True,
        development_centre=True,
    )
    assert score(best).total == 63


def test_worker_penalty_can_make_the_total_negative():
    assert score(make(domestic_workers=10)).total == -21


def test_penalty_is_subtracted_from_other_points():
    result = score(make(family_size=6, domestic_workers=5))
    assert (result.breakdown["family_size"], result.breakdown["domestic_workers"], result.total) == (20, -6, 14)


def test_default_policy_is_named_and_registered():
    assert DEFAULT_POLICY == "moh-points-v1"
    assert score(make(), policy="moh-points-v1") == score(make())


def test_unknown_policy_is_rejected():
    with pytest.raises(ValueError, match="unknown priority policy"):
        score(make(), policy="no-such-policy")
    with pytest.raises(ValueError, match="unknown priority policy"):
        need_level(10, policy="no-such-policy")


def test_a_new_policy_is_just_new_data(monkeypatch):
    doubled = dataclasses.replace(
        POLICIES["moh-points-v1"], name="test-doubled", family_size=((6, 40), (3, 10)), development_centre=7
    )
    monkeypatch.setitem(POLICIES, "test-doubled", doubled)
    result = score(make(family_size=4, development_centre=True), policy="test-doubled")
    assert result.policy == "test-doubled"
    assert (result.breakdown["family_size"], result.breakdown["development_centre"]) == (10, 7)
    assert score(make(family_size=4, development_centre=True)).breakdown["family_size"] == 10  # v1 untouched


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"family_size": ((3, 5), (6, 20))}, "family_size bounds must be unique and descending"),
        ({"family_size": ((6, 20), (6, 15))}, "family_size bounds must be unique and descending"),
        ({"income": {"ordinary_unit": ((5_000, 1), (3_000, 3)), "housing_complex": ((3_000, 3),)}},
         r"income\[ordinary_unit\] bounds must be unique and ascending"),
        ({"income": {"ordinary_unit": ((3_000, 3),)}}, "income needs one table per housing type"),
        ({"age": ((35, 1), (50, 15))}, "age bounds must be unique and descending"),
        ({"need_levels": ((18, "high"), (30, "highest"))}, "need_levels bounds must be unique and descending"),
        ({"worker_penalty": 3}, "worker_penalty must not be positive"),
    ],
)
def test_policy_rejects_misordered_tables(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(POLICIES["moh-points-v1"], **changes)


def test_policy_age_table_lists_every_year_from_35_to_50():
    table = dict(POLICIES["moh-points-v1"].age)
    assert sorted(table) == list(range(35, 51))


def test_score_is_immutable():
    result = score(make())
    assert isinstance(result, Score)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.total = 99  # type: ignore[misc]


@pytest.mark.parametrize(
    ("total", "level"),
    [(63, "highest"), (30, "highest"), (29, "high"), (18, "high"), (17, "medium"), (0, "medium"), (-21, "medium")],
)
def test_need_level(total, level):
    assert need_level(total) == level


def test_need_level_thresholds_live_in_the_policy():
    policy: Policy = POLICIES["moh-points-v1"]
    assert policy.need_levels == ((30, "highest"), (18, "high"))
    assert policy.need_level_floor == "medium"


# --- precedence_years -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed_on", "today", "expected"),
    [
        (date(2020, 3, 15), date(2020, 3, 15), 0),
        (date(2020, 3, 15), date(2019, 1, 1), 0),
        (date(2020, 3, 15), date(2021, 3, 14), 0),
        (date(2020, 3, 15), date(2021, 3, 15), 1),
        (date(2020, 3, 15), date(2023, 3, 14), 2),
        (date(2020, 3, 15), date(2023, 3, 15), 3),
        (date(2020, 12, 31), date(2021, 1, 1), 0),
        (date(2010, 1, 1), date(2025, 6, 1), 15),
        # Completed on a leap day: the anniversary falls on 1 March in common years.
        (date(2020, 2, 29), date(2021, 2, 28), 0),
        (date(2020, 2, 29), date(2021, 3, 1), 1),
        (date(2020, 2, 29), date(2024, 2, 28), 3),
        (date(2020, 2, 29), date(2024, 2, 29), 4),
    ],
)
def test_precedence_years_without_suspensions(completed_on, today, expected):
    assert precedence_years(completed_on, [], today) == expected


def test_a_suspension_stops_the_clock():
    completed, suspended = date(2020, 1, 1), [(date(2020, 6, 1), date(2020, 7, 1))]  # 30 days on hold
    assert precedence_years(completed, suspended, date(2021, 1, 30)) == 0
    assert precedence_years(completed, suspended, date(2021, 1, 31)) == 1


@pytest.mark.parametrize(
    "suspended",
    [
        # Overlapping: June 1 - July 15 is 44 days, not 30 + 30.
        [(date(2020, 6, 1), date(2020, 7, 1)), (date(2020, 6, 15), date(2020, 7, 15))],
        # The same periods out of order.
        [(date(2020, 6, 15), date(2020, 7, 15)), (date(2020, 6, 1), date(2020, 7, 1))],
        # Touching periods: counted end to end.
        [(date(2020, 6, 1), date(2020, 6, 20)), (date(2020, 6, 20), date(2020, 7, 15))],
        # One period inside another, and a duplicate.
        [
            (date(2020, 6, 1), date(2020, 7, 15)),
            (date(2020, 6, 10), date(2020, 6, 20)),
            (date(2020, 6, 1), date(2020, 7, 15)),
        ],
    ],
)
def test_overlapping_suspensions_are_counted_once(suspended):
    completed = date(2020, 1, 1)  # 44 paused days move the start to 14 February 2020
    assert precedence_years(completed, suspended, date(2021, 2, 13)) == 0
    assert precedence_years(completed, suspended, date(2021, 2, 14)) == 1


def test_suspension_parts_outside_the_waiting_period_are_ignored():
    completed = date(2020, 1, 1)
    before = [(date(2019, 1, 1), date(2019, 12, 31))]
    assert precedence_years(completed, before, date(2021, 1, 1)) == 1
    straddling_start = [(date(2019, 12, 1), date(2020, 1, 11))]  # only ten days fall after completion
    assert precedence_years(completed, straddling_start, date(2021, 1, 10)) == 0
    assert precedence_years(completed, straddling_start, date(2021, 1, 11)) == 1
    future = [(date(2030, 1, 1), date(2031, 1, 1))]
    assert precedence_years(completed, future, date(2023, 1, 1)) == 3


def test_an_ongoing_suspension_counts_only_until_today():
    completed = date(2020, 1, 1)
    ongoing = [(date(2022, 1, 1), date(2099, 1, 1))]
    assert precedence_years(completed, ongoing, date(2025, 6, 1)) == 2


def test_empty_suspension_changes_nothing():
    assert precedence_years(date(2020, 1, 1), [(date(2020, 5, 1), date(2020, 5, 1))], date(2021, 1, 1)) == 1


def test_suspensions_may_be_any_iterable():
    periods = ((date(2020, 6, 1), date(2020, 7, 1)) for _ in range(3))
    assert precedence_years(date(2020, 1, 1), periods, date(2021, 1, 31)) == 1


def test_suspension_ending_before_it_starts_is_an_error():
    with pytest.raises(ValueError, match="ends before it starts"):
        precedence_years(date(2020, 1, 1), [(date(2020, 7, 1), date(2020, 6, 1))], date(2021, 1, 1))


def test_precedence_years_feeds_the_score():
    years = precedence_years(date(2012, 5, 1), [(date(2013, 1, 1), date(2014, 1, 1))], date(2024, 5, 1))
    assert years == 11
    assert points("precedence", precedence_years=years) == 10


# --- ranking --------------------------------------------------------------------------------------------------------


def test_the_neediest_order_is_points_then_family_then_income_then_age_then_seniority():
    assert [name for name, _ in NEEDIEST_FIRST] == [
        "priority_total", "family_size", "monthly_income", "applicant_age", "published_at", "id"]
    base = {"priority_total": 10, "family_size": 4, "monthly_income": 7_000, "applicant_age": 33, "id": 1}
    neediest = [{**base, "priority_total": 11}, {**base, "family_size": 5}, {**base, "monthly_income": 6_999},
                {**base, "applicant_age": 34}, {**base, "id": 0}]
    for needier in neediest:
        assert neediest_key(needier) < neediest_key(base), needier


def test_rank_puts_higher_total_first():
    low, high, middle = make(family_size=3), make(family_size=6), make(family_size=4)
    assert rank([low, high, middle]) == [high, middle, low]


def test_rank_tie_on_points_larger_family_first():
    small_older = make(family_size=2, age=39)  # 5 points from age
    large_younger = make(family_size=3, age=30)  # 5 points from family size
    assert score(small_older).total == score(large_younger).total == 5
    assert rank([small_older, large_younger]) == [large_younger, small_older]


def test_rank_tie_on_points_and_family_lower_income_first():
    richer, poorer = make(monthly_income=9_000), make(monthly_income=6_000)
    assert score(richer).total == score(poorer).total
    assert rank([richer, poorer]) == [poorer, richer]


def test_rank_tie_on_points_family_and_income_older_first():
    younger, older = make(age=30), make(age=33)  # both under 35: no age points
    assert rank([younger, older]) == [older, younger]
    assert rank([make(age=55), make(age=60)]) == [make(age=60), make(age=55)]


def test_family_size_outranks_income_in_a_tie():
    large_richer = make(family_size=3, monthly_income=9_000)  # 5 points
    small_poorer = make(family_size=2, monthly_income=6_000, development_centre=True)  # 5 points
    assert rank([small_poorer, large_richer]) == [large_richer, small_poorer]


def test_income_outranks_age_in_a_tie():
    poorer_younger = make(monthly_income=6_000, age=30)
    richer_older = make(monthly_income=9_000, age=33)
    assert rank([richer_older, poorer_younger]) == [poorer_younger, richer_older]


def test_points_outrank_every_tie_break():
    needy_on_points = make(family_size=2, monthly_income=9_000, age=30, development_centre=True)
    tie_break_winner = make(family_size=2, monthly_income=5_500, age=34)
    assert rank([tie_break_winner, needy_on_points]) == [needy_on_points, tie_break_winner]


def test_rank_is_stable_for_complete_ties():
    first, second = ("case-1", make()), ("case-2", make())
    assert rank([first, second], key=lambda pair: pair[1]) == [first, second]
    assert rank([second, first], key=lambda pair: pair[1]) == [second, first]


def test_rank_with_key_returns_the_original_items():
    cases = [("a", make(family_size=3)), ("b", make(family_size=6)), ("c", make(family_size=4))]
    assert [case_id for case_id, _ in rank(cases, key=lambda pair: pair[1])] == ["b", "c", "a"]


def test_rank_accepts_any_iterable_and_empty_input():
    assert rank([]) == []
    assert rank(make(family_size=size) for size in (3, 5)) == [make(family_size=5), make(family_size=3)]


def test_rank_uses_the_requested_policy(monkeypatch):
    reversed_family = dataclasses.replace(POLICIES["moh-points-v1"], name="test-small-first", family_size=((1, 20),))
    monkeypatch.setitem(POLICIES, "test-small-first", reversed_family)
    young, old = make(age=30), make(age=45)
    assert rank([young, old], policy="moh-points-v1") == [old, young]
    assert rank([young, old], policy="test-small-first") == [old, young]
    big = make(family_size=6)
    assert rank([big, old], policy="moh-points-v1") == [big, old]
    assert rank([big, old], policy="test-small-first") == [old, big]  # family points equal, age decides


# --- Applicant.from_mapping -----------------------------------------------------------------------------------------

INT_FIELDS = ("age", "family_size", "monthly_income", "domestic_workers", "precedence_years", "assets_value")
BOOL_FIELDS = (
    "prior_land_grant_application",
    "owns_suitable_home",
    "prior_housing_support",
    "resides_in_ksa",
    "incurable_condition",
    "development_centre",
)


def test_from_mapping_builds_an_applicant():
    applicant, errors = Applicant.from_mapping(dict(BASE))
    assert errors == {}
    assert applicant == make()
    assert applicant.years_since_divorce is None


def test_from_mapping_round_trips_asdict():
    original = make(applicant_role="divorced_woman", years_since_divorce=3, incurable_condition=True)
    assert Applicant.from_mapping(dataclasses.asdict(original)) == (original, {})


@pytest.mark.parametrize("value", [None, ""])
def test_years_since_divorce_is_optional(value):
    applicant, errors = Applicant.from_mapping({**BASE, "years_since_divorce": value})
    assert errors == {}
    assert applicant.years_since_divorce is None


@pytest.mark.parametrize("field", list(BASE))
def test_every_other_field_is_required(field):
    missing = {key: value for key, value in BASE.items() if key != field}
    assert Applicant.from_mapping(missing) == (None, {field: ["required"]})
    assert Applicant.from_mapping({**BASE, field: None}) == (None, {field: ["required"]})
    assert Applicant.from_mapping({**BASE, field: ""}) == (None, {field: ["required"]})


@pytest.mark.parametrize("field", [*INT_FIELDS, "years_since_divorce"])
@pytest.mark.parametrize("value", ["5", 5.5, True, False, [5], {"n": 5}])
def test_integer_fields_reject_other_types(field, value):
    assert Applicant.from_mapping({**BASE, field: value}) == (None, {field: ["not_an_integer"]})


@pytest.mark.parametrize("field", [*INT_FIELDS, "years_since_divorce"])
def test_integer_fields_take_a_whole_number_written_with_a_decimal_point(field):
    """JSON has one number type and JSON Schema (the API's document) counts 5.0 as the integer 5."""
    applicant, errors = Applicant.from_mapping({**BASE, field: 5.0})
    assert errors == {} and getattr(applicant, field) == 5 and type(getattr(applicant, field)) is int


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("age", -1, "out_of_range"),
        ("age", 0, None),
        ("age", 130, None),
        ("age", 131, "out_of_range"),
        ("family_size", 0, "out_of_range"),
        ("family_size", 1, None),
        ("family_size", 50, None),
        ("family_size", 51, "out_of_range"),
        ("monthly_income", -1, "out_of_range"),
        ("monthly_income", 0, None),
        ("monthly_income", 2**63 - 1, None),
        ("monthly_income", 2**63, "out_of_range"),
        ("domestic_workers", -1, "out_of_range"),
        ("domestic_workers", 0, None),
        ("precedence_years", -1, "out_of_range"),
        ("precedence_years", 0, None),
        ("assets_value", -1, "out_of_range"),
        ("assets_value", 0, None),
        ("years_since_divorce", -1, "out_of_range"),
        ("years_since_divorce", 0, None),
        ("years_since_divorce", 131, "out_of_range"),
    ],
)
def test_integer_ranges(field, value, error):
    applicant, errors = Applicant.from_mapping({**BASE, field: value})
    if error is None:
        assert errors == {}
        assert getattr(applicant, field) == value
    else:
        assert (applicant, errors) == (None, {field: [error]})


@pytest.mark.parametrize("field", BOOL_FIELDS)
@pytest.mark.parametrize("value", [1, 0, "true", "false", "yes", "on", [True]])
def test_boolean_fields_need_real_booleans(field, value):
    assert Applicant.from_mapping({**BASE, field: value}) == (None, {field: ["not_a_boolean"]})


@pytest.mark.parametrize("field", BOOL_FIELDS)
def test_boolean_false_is_a_value_not_a_missing_field(field):
    applicant, errors = Applicant.from_mapping({**BASE, field: False})
    assert errors == {}
    assert getattr(applicant, field) is False


@pytest.mark.parametrize("role", APPLICANT_ROLES)
def test_every_role_is_accepted(role):
    applicant, errors = Applicant.from_mapping({**BASE, "applicant_role": role})
    assert errors == {}
    assert applicant.applicant_role == role


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("king", "invalid_choice"),
        ("Husband", "invalid_choice"),
        (" husband", "invalid_choice"),
        ("زوج", "invalid_choice"),
        (3, "not_a_string"),
        (["husband"], "not_a_string"),
    ],
)
def test_unknown_roles_are_rejected(value, error):
    assert Applicant.from_mapping({**BASE, "applicant_role": value}) == (None, {"applicant_role": [error]})


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("EG", None),
        ("sa", "invalid_format"),
        ("SAU", "invalid_format"),
        ("S", "invalid_format"),
        ("S1", "invalid_format"),
        ("ﺱﺱ", "invalid_format"),
        (966, "not_a_string"),
    ],
)
def test_nationality_is_an_iso_code(value, error):
    applicant, errors = Applicant.from_mapping({**BASE, "nationality": value})
    if error is None:
        assert errors == {}
        assert applicant.nationality == value
    else:
        assert (applicant, errors) == (None, {"nationality": [error]})


def test_all_errors_are_reported_at_once():
    data = {**BASE, "age": "thirty", "family_size": 0, "resides_in_ksa": "yes", "applicant_role": "uncle"}
    del data["nationality"]
    applicant, errors = Applicant.from_mapping(data)
    assert applicant is None
    assert errors == {
        "applicant_role": ["invalid_choice"],
        "nationality": ["required"],
        "age": ["not_an_integer"],
        "family_size": ["out_of_range"],
        "resides_in_ksa": ["not_a_boolean"],
    }


def test_unknown_fields_are_errors_unless_allowed():
    data = {**BASE, "csrf_token": "abc", "salary": 3}
    assert Applicant.from_mapping(data) == (None, {"csrf_token": ["unknown_field"], "salary": ["unknown_field"]})
    assert Applicant.from_mapping(data, allow_unknown=True) == (make(), {})


@pytest.mark.parametrize("data", [None, [], "husband", 5, [("age", 30)]])
def test_non_mapping_input_is_rejected(data):
    assert Applicant.from_mapping(data) == (None, {"_schema": ["not_an_object"]})


def test_applicant_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        make().age = 40  # type: ignore[misc]


# --- the priority module re-exports eligibility ---------------------------------------------------------------------


def test_eligibility_is_reexported():
    assert priority.check_eligibility is eligibility.check_eligibility
    assert priority.REASON_CODES is eligibility.REASON_CODES
    assert priority.APPLICANT_ROLES is eligibility.APPLICANT_ROLES
    assert priority.check_eligibility(make(age=30)) == []

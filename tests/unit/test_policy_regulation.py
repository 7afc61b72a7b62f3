"""The executive regulation (policy moh-regulation-2) beside moh-points-v1: every row of its tables, their edges,
each eligibility reason under it, and the same families scored under both policies."""

from __future__ import annotations

import dataclasses

import pytest

from jood import eligibility, priority
from jood.eligibility import REASON_CODES, check_eligibility, get_rules, is_eligible
from jood.priority import (
    DEFAULT_POLICY,
    HOUSING_TYPES,
    POLICIES,
    POLICY_NAMES,
    Applicant,
    need_level,
    rank,
    score,
)
from tests.unit.test_priority import BASE, make  # an applicant scoring 0 on every line under both policies

V1 = "moh-points-v1"
REG = "moh-regulation-2"

def line(name: str, policy: str, **overrides: object) -> int:
    return score(make(**overrides), policy).breakdown[name]


# --- the registry of policies ---------------------------------------------------------------------------------------


def test_both_policies_are_registered_for_points_and_eligibility():
    assert POLICY_NAMES == (V1, REG)
    assert tuple(eligibility.POLICIES) == POLICY_NAMES
    assert all(POLICIES[name].name == name and get_rules(name).name == name for name in POLICY_NAMES)
    assert DEFAULT_POLICY == eligibility.DEFAULT_RULES == V1


def test_unknown_policy_is_a_programming_error_for_eligibility_too():
    with pytest.raises(ValueError, match="unknown eligibility policy"):
        check_eligibility(make(), "no-such-policy")


def test_every_policy_has_an_income_table_per_housing_type():
    for policy in POLICIES.values():
        assert set(policy.income) == set(HOUSING_TYPES)


# --- the regulation's income tables: every row and the edges between rows --------------------------------------------


@pytest.mark.parametrize(
    ("income", "ordinary", "complex_"),
    [
        (0, 20, 10),
        (1, 20, 10),
        (2_999, 20, 10),  # "below 3,000 SAR" (seed 003): the last riyal of the row
        (3_000, 3, 3),  # not below 3,000: v1's row for 3,000 exactly stays
        (3_001, 2, 2),
        (4_000, 2, 2),
        (4_001, 1, 1),
        (5_000, 1, 1),
        (5_001, 0, 0),
        (50_000, 0, 0),
    ],
)
def test_regulation_income_points_by_housing_type(income, ordinary, complex_):
    assert line("income", REG, monthly_income=income, housing_type="ordinary_unit") == ordinary
    assert line("income", REG, monthly_income=income, housing_type="housing_complex") == complex_


def test_housing_type_defaults_to_an_ordinary_unit():
    assert make().housing_type == "ordinary_unit"
    assert line("income", REG, monthly_income=2_000) == 20


@pytest.mark.parametrize("income", [0, 2_999, 3_000, 3_001, 4_000, 4_001, 5_000, 5_001])
def test_v1_income_does_not_depend_on_the_housing_type(income):
    assert line("income", V1, monthly_income=income, housing_type="ordinary_unit") == line(
        "income", V1, monthly_income=income, housing_type="housing_complex")


# --- where seed 003 gives no figure, v1's values are kept ------------------------------------------------------------


@pytest.mark.parametrize("family_size", range(1, 12))
def test_family_size_rows_are_v1s(family_size):
    assert line("family_size", REG, family_size=family_size) == line("family_size", V1, family_size=family_size)


@pytest.mark.parametrize("age", range(18, 70))
def test_age_rows_are_v1s(age):
    assert line("age", REG, age=age) == line("age", V1, age=age)


@pytest.mark.parametrize("workers", range(0, 8))
def test_domestic_worker_penalty_is_v1s(workers):
    assert line("domestic_workers", REG, domestic_workers=workers) == line("domestic_workers", V1,
                                                                           domestic_workers=workers)
    assert line("domestic_workers", REG, domestic_workers=workers) == -3 * max(0, workers - 3)


@pytest.mark.parametrize("years", [0, 1, 7, 8, 9, 10, 11, 30])
@pytest.mark.parametrize("land_grant", [False, True])
def test_precedence_is_v1s(years, land_grant):
    kwargs = {"precedence_years": years, "prior_land_grant_application": land_grant}
    assert line("precedence", REG, **kwargs) == line("precedence", V1, **kwargs) == min(years + 2 * land_grant, 10)


@pytest.mark.parametrize(("incurable", "expected"), [(False, 0), (True, 5)])
def test_incurable_disease_keeps_v1s_five_points(incurable, expected):
    assert line("health_condition", REG, incurable_condition=incurable) == expected


@pytest.mark.parametrize("role", eligibility.APPLICANT_ROLES)
def test_applicant_category_mother_wife_or_siblings_keeps_v1s_five_points(role):
    expected = 5 if role in {"mother", "wife", "siblings"} else 0
    assert line("applicant_category", REG, applicant_role=role) == expected


@pytest.mark.parametrize(("chosen", "expected"), [(False, 0), (True, 5)])
def test_targeted_development_centre_earns_five_points(chosen, expected):
    assert line("development_centre", REG, development_centre=chosen) == expected


def test_the_policies_differ_only_in_the_income_table():
    v1, reg = POLICIES[V1], POLICIES[REG]
    differing = [field.name for field in dataclasses.fields(v1) if getattr(v1, field.name) != getattr(reg, field.name)]
    assert differing == ["name", "income"]


def test_maximum_total_under_the_regulation_is_80():
    best = make(family_size=8, monthly_income=0, age=60, precedence_years=20, prior_land_grant_application=True,
                incurable_condition=True, applicant_role="mother", development_centre=True)
    assert score(best, REG).total == 20 + 20 + 15 + 10 + 5 + 5 + 5
    assert score(best, V1).total == 63
    assert score(best.__class__(**{**dataclasses.asdict(best), "housing_type": "housing_complex"}), REG).total == 70


@pytest.mark.parametrize(("total", "level"), [(17, "medium"), (18, "high"), (29, "high"), (30, "highest")])
def test_need_levels_are_v1s_thresholds(total, level):
    assert need_level(total, REG) == need_level(total, V1) == level


# --- the same family under both policies -----------------------------------------------------------------------------


def test_a_low_income_family_scores_17_more_under_the_regulation():
    family = make(family_size=5, monthly_income=2_500, age=41, precedence_years=3, incurable_condition=True)
    v1, reg = score(family, V1), score(family, REG)
    assert (v1.policy, reg.policy) == (V1, REG)
    assert v1.breakdown["income"] == 3 and reg.breakdown["income"] == 20
    assert {k: v for k, v in v1.breakdown.items() if k != "income"} == {
        k: v for k, v in reg.breakdown.items() if k != "income"}
    assert reg.total - v1.total == 17


def test_in_a_housing_complex_the_same_family_gains_only_7():
    family = make(family_size=5, monthly_income=2_500, housing_type="housing_complex")
    assert score(family, REG).total - score(family, V1).total == 10 - 3


def test_at_3000_sar_both_policies_agree():
    family = make(family_size=4, monthly_income=3_000)
    assert score(family, REG) == dataclasses.replace(score(family, V1), policy=REG)


def test_the_regulation_can_reorder_two_families():
    larger_richer = make(family_size=6, monthly_income=4_500, age=40)  # v1: 20 + 1 + 6 = 27
    smaller_poorer = make(family_size=4, monthly_income=2_000, age=40)  # v1: 10 + 3 + 6 = 19; reg: 10 + 20 + 6 = 36
    assert rank([smaller_poorer, larger_richer], policy=V1) == [larger_richer, smaller_poorer]
    assert rank([larger_richer, smaller_poorer], policy=REG) == [smaller_poorer, larger_richer]


def test_regulation_tie_breaks_larger_family_then_lower_income_then_older():
    # 20 income points each; equal totals are broken exactly as under v1 (seed 003 states the same order).
    a = make(family_size=5, monthly_income=1_000, age=30, incurable_condition=True)  # 15 + 20 + 5 = 40
    b = make(family_size=6, monthly_income=2_000, age=30)  # 20 + 20 = 40
    c = make(family_size=6, monthly_income=1_500, age=30)  # 40, lower income than b
    d = make(family_size=6, monthly_income=1_500, age=34)  # 40, older than c (34 earns no age points)
    assert {score(x, REG).total for x in (a, b, c, d)} == {40}
    assert rank([a, b, c, d], policy=REG) == [d, c, b, a]


# --- the applicant's new inputs ---------------------------------------------------------------------------------------


def test_from_mapping_accepts_the_housing_type_and_home_ownership_years():
    applicant, errors = Applicant.from_mapping({**BASE, "housing_type": "housing_complex",
                                                "years_since_home_owned": 3})
    assert errors == {}
    assert (applicant.housing_type, applicant.years_since_home_owned) == ("housing_complex", 3)


@pytest.mark.parametrize(("value", "error"), [("villa", "invalid_choice"), ("", None), (None, None),
                                              (1, "not_a_string"), (True, "not_a_string")])
def test_housing_type_validation(value, error):
    applicant, errors = Applicant.from_mapping({**BASE, "housing_type": value})
    if error:
        assert errors == {"housing_type": [error]}
    else:
        assert errors == {} and applicant.housing_type == "ordinary_unit"


@pytest.mark.parametrize(("value", "error"), [(-1, "out_of_range"), (131, "out_of_range"), ("2", "not_an_integer"),
                                              (True, "not_an_integer"), (None, None), (0, None), (130, None)])
def test_years_since_home_owned_validation(value, error):
    applicant, errors = Applicant.from_mapping({**BASE, "years_since_home_owned": value})
    assert errors == ({"years_since_home_owned": [error]} if error else {})


# --- eligibility under the regulation: each reason, the window, and v1's difference ----------------------------------


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"nationality": "EG"}, "nationality"),
        ({"resides_in_ksa": False}, "residence"),
        ({"applicant_role": "husband", "age": 24}, "age"),
        ({"applicant_role": "father", "age": 24}, "age"),
        ({"owns_suitable_home": True}, "owns_home"),
        ({"years_since_home_owned": 0}, "owns_home"),
        ({"prior_housing_support": True}, "prior_support"),
        ({"assets_value": 5_000_000}, "assets"),
        ({"assets_value": 9_000_000}, "assets"),
        ({"applicant_role": "divorced_woman", "years_since_divorce": 1}, "applicant_role"),
        ({"applicant_role": "divorced_woman", "years_since_divorce": None}, "applicant_role"),
        ({"applicant_role": "cousin"}, "applicant_role"),
    ],
)
@pytest.mark.parametrize("policy", POLICY_NAMES)
def test_each_reason_fails_on_its_own_under_both_policies(policy, overrides, reason):
    assert check_eligibility(make(**overrides), policy) == [reason]
    assert not is_eligible(make(**overrides), policy)


@pytest.mark.parametrize("policy", POLICY_NAMES)
def test_every_reason_is_reachable_and_reported_in_order(policy):
    applicant = make(nationality="US", resides_in_ksa=False, age=20, owns_suitable_home=True,
                     prior_housing_support=True, assets_value=5_000_000)
    assert check_eligibility(applicant, policy) == [code for code in REASON_CODES if code != "applicant_role"]
    assert check_eligibility(make(applicant_role="cousin"), policy) == ["applicant_role"]


@pytest.mark.parametrize(
    ("years", "v1_eligible", "regulation_eligible"),
    [
        (None, True, True),  # nobody ever owned a suitable home
        (0, False, False),  # owned one within the past year
        (1, False, True),  # a full year ago: outside the regulation's window, inside v1's five years
        (2, False, True),
        (4, False, True),
        (5, True, True),  # five full years: outside both windows
        (30, True, True),
    ],
)
def test_home_ownership_window_one_year_under_the_regulation_five_under_v1(years, v1_eligible, regulation_eligible):
    applicant = make(years_since_home_owned=years)
    assert is_eligible(applicant, V1) is v1_eligible
    assert is_eligible(applicant, REG) is regulation_eligible
    assert (get_rules(V1).home_ownership_window_years, get_rules(REG).home_ownership_window_years) == (5, 1)


@pytest.mark.parametrize("policy", POLICY_NAMES)
def test_owning_a_home_now_fails_whatever_the_past(policy):
    assert check_eligibility(make(owns_suitable_home=True, years_since_home_owned=20), policy) == ["owns_home"]


@pytest.mark.parametrize(("assets", "eligible"), [(0, True), (4_999_999, True), (5_000_000, False)])
def test_regulation_assets_limit_is_five_million(assets, eligible):
    assert is_eligible(make(assets_value=assets), REG) is eligible
    assert get_rules(REG).assets_excluded == ("personal_cars", "small_residential_plots")


@pytest.mark.parametrize("role", ["divorced_woman", "widowed_woman", "unmarried_over_25", "disability"])
def test_special_categories_may_apply_on_their_own_under_the_regulation(role):
    alone = make(applicant_role=role, family_size=1, age=30, years_since_divorce=3)
    assert check_eligibility(alone, REG) == []


@pytest.mark.parametrize(("years", "eligible"), [(None, False), (1, False), (2, True)])
def test_divorce_wait_keeps_v1s_two_years(years, eligible):
    assert is_eligible(make(applicant_role="divorced_woman", years_since_divorce=years), REG) is eligible


def test_age_limit_keeps_v1s_25_for_husband_and_father_only():
    assert is_eligible(make(applicant_role="husband", age=25), REG)
    assert not is_eligible(make(applicant_role="husband", age=24), REG)
    assert is_eligible(make(applicant_role="mother", age=20), REG)


def test_eligibility_rules_differ_only_in_the_window():
    v1, reg = get_rules(V1), get_rules(REG)
    differing = [field.name for field in dataclasses.fields(v1) if getattr(v1, field.name) != getattr(reg, field.name)]
    assert differing == ["name", "home_ownership_window_years"]


def test_the_rule_modules_import_nothing_from_flask():
    for module in (priority, eligibility):
        with open(module.__file__, encoding="utf-8") as source:
            text = source.read()
        assert "import flask" not in text and "from flask" not in text

"""Eligibility rules of the housing-support regulation: each reason on its own, its edges, and their order."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from jood.eligibility import (
    APPLICANT_ROLES,
    ASSETS_LIMIT,
    REASON_CODES,
    check_eligibility,
    is_eligible,
)
from jood.priority import Applicant

ELIGIBLE = {
    "applicant_role": "husband",
    "nationality": "SA",
    "age": 32,
    "family_size": 4,
    "monthly_income": 4_500,
    "domestic_workers": 0,
    "precedence_years": 2,
    "prior_land_grant_application": False,
    "owns_suitable_home": False,
    "prior_housing_support": False,
    "assets_value": 250_000,
    "resides_in_ksa": True,
    "incurable_condition": False,
    "development_centre": False,
    "years_since_divorce": None,
}


def make(**overrides: object) -> Applicant:
    return Applicant(**{**ELIGIBLE, **overrides})  # type: ignore[arg-type]


def test_reason_codes_are_the_documented_ones_in_order():
    assert REASON_CODES == ("nationality", "residence", "age", "owns_home", "prior_support", "assets", "applicant_role")


def test_baseline_applicant_is_eligible():
    assert check_eligibility(make()) == []
    assert is_eligible(make())


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"nationality": "EG"}, "nationality"),
        ({"nationality": "YE"}, "nationality"),
        ({"resides_in_ksa": False}, "residence"),
        ({"applicant_role": "husband", "age": 24}, "age"),
        ({"applicant_role": "father", "age": 24}, "age"),
        ({"applicant_role": "father", "age": 18}, "age"),
        ({"owns_suitable_home": True}, "owns_home"),
        ({"prior_housing_support": True}, "prior_support"),
        ({"assets_value": ASSETS_LIMIT}, "assets"),
        ({"assets_value": 12_000_000}, "assets"),
        ({"applicant_role": "divorced_woman", "years_since_divorce": 1}, "applicant_role"),
        ({"applicant_role": "divorced_woman", "years_since_divorce": 0}, "applicant_role"),
        ({"applicant_role": "divorced_woman", "years_since_divorce": None}, "applicant_role"),
        ({"applicant_role": "cousin"}, "applicant_role"),
        ({"applicant_role": ""}, "applicant_role"),
    ],
)
def test_each_rule_fails_on_its_own(overrides, reason):
    assert check_eligibility(make(**overrides)) == [reason]
    assert not is_eligible(make(**overrides))


@pytest.mark.parametrize(
    ("role", "age", "eligible"),
    [
        ("husband", 24, False),
        ("husband", 25, True),
        ("husband", 26, True),
        ("father", 24, False),
        ("father", 25, True),
        # The minimum age applies only when a husband or father files.
        ("wife", 22, True),
        ("mother", 19, True),
        ("siblings", 16, True),
        ("widowed_woman", 23, True),
        ("disability", 20, True),
    ],
)
def test_minimum_age_applies_to_husband_and_father_only(role, age, eligible):
    assert (check_eligibility(make(applicant_role=role, age=age)) == []) is eligible


@pytest.mark.parametrize(
    ("assets", "eligible"),
    [(0, True), (4_999_999, True), (5_000_000, False), (5_000_001, False)],
)
def test_assets_must_stay_below_five_million(assets, eligible):
    assert ASSETS_LIMIT == 5_000_000
    assert (check_eligibility(make(assets_value=assets)) == []) is eligible


@pytest.mark.parametrize(
    ("years", "eligible"),
    [(None, False), (0, False), (1, False), (2, True), (3, True), (20, True)],
)
def test_divorced_woman_waits_two_years(years, eligible):
    applicant = make(applicant_role="divorced_woman", years_since_divorce=years)
    assert (check_eligibility(applicant) == []) is eligible


@pytest.mark.parametrize("role", [role for role in APPLICANT_ROLES if role != "divorced_woman"])
def test_other_roles_do_not_need_a_divorce_date(role):
    assert check_eligibility(make(applicant_role=role, years_since_divorce=None)) == []


def test_years_since_divorce_is_ignored_for_other_roles():
    assert check_eligibility(make(applicant_role="mother", years_since_divorce=0)) == []


def test_all_failures_are_reported_in_order():
    applicant = make(
        nationality="US",
        resides_in_ksa=False,
        applicant_role="cousin",
        age=20,
        owns_suitable_home=True,
        prior_housing_support=True,
        assets_value=9_000_000,
    )
    # A "cousin" is not a husband or father, so the age rule does not apply.
    assert check_eligibility(applicant) == [
        "nationality",
        "residence",
        "owns_home",
        "prior_support",
        "assets",
        "applicant_role",
    ]
    young_father = make(
        applicant_role="father",
        age=20,
        nationality="US",
        resides_in_ksa=False,
        owns_suitable_home=True,
        prior_housing_support=True,
        assets_value=9_000_000,
    )
    assert check_eligibility(young_father) == list(REASON_CODES[:-1])
    divorced = make(
        applicant_role="divorced_woman", years_since_divorce=1, prior_housing_support=True, nationality="EG"
    )
    assert check_eligibility(divorced) == ["nationality", "prior_support", "applicant_role"]


def test_any_object_with_the_facts_can_be_checked():
    """The rules do not need an Applicant: an ORM row with the same attributes works too."""
    facts = SimpleNamespace(
        applicant_role="mother",
        nationality="SA",
        age=40,
        owns_suitable_home=False,
        prior_housing_support=False,
        assets_value=0,
        resides_in_ksa=True,
        years_since_divorce=None,
        years_since_home_owned=None,
    )
    assert check_eligibility(facts) == []
    facts.resides_in_ksa = False
    assert check_eligibility(facts) == ["residence"]

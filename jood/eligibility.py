"""Eligibility for housing support under the housing-support regulation (تنظيم الدعم السكني).

Eligibility is a gate, not a score: an applicant who fails any rule is not ranked at all. The rules live here, apart
from the points in :mod:`jood.priority`, because they change on a different schedule (the regulation) than the points
policy does. Nothing here imports Flask, so views, the CLI and the API share one implementation.

The checks take any object with the attributes of :class:`EligibilityFacts`: a :class:`jood.priority.Applicant`, an
ORM row or a test double all work.

The rules are versioned with the points, under the same policy names (:data:`POLICIES`): ``moh-points-v1`` follows
the regulation as announced (seed 002), ``moh-regulation-2`` the detailed executive regulation in force (seed 003).
They differ in one figure, the home-ownership window; everything else is the same data, traced in comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

__all__ = [
    "ADULT_AGE",
    "AGE_CHECKED_ROLES",
    "APPLICANT_ROLES",
    "ASSETS_LIMIT",
    "DIVORCE_WAIT_YEARS",
    "POLICIES",
    "REASON_CODES",
    "SAUDI",
    "EligibilityFacts",
    "EligibilityPolicy",
    "check_eligibility",
    "get_rules",
    "is_eligible",
]

#: Who may file on behalf of a family. The first five are the family shapes of the regulation; the last four are the
#: categories the executive regulations treat "as a family" and allow to apply on their own.
APPLICANT_ROLES: Final[tuple[str, ...]] = (
    "husband",
    "father",
    "wife",
    "mother",
    "siblings",
    "divorced_woman",
    "widowed_woman",
    "unmarried_over_25",
    "disability",
)

#: Reason codes in the order :func:`check_eligibility` reports them; the web layer translates them.
REASON_CODES: Final[tuple[str, ...]] = (
    "nationality",
    "residence",
    "age",
    "owns_home",
    "prior_support",
    "assets",
    "applicant_role",
)

#: ISO 3166-1 alpha-2 code of the only nationality that may apply (seeds 002 and 003: Saudi nationality).
SAUDI: Final = "SA"
#: The minimum age applies only when a man files for the family (seed 002: 25, for a husband or father only).
ADULT_AGE: Final = 25
AGE_CHECKED_ROLES: Final[frozenset[str]] = frozenset({"husband", "father"})
#: Families whose assets reach this market value (SAR) can afford a home; the limit itself already fails (seed 003:
#: "assets of 5 million riyals or more").
ASSETS_LIMIT: Final = 5_000_000
#: A divorced woman may file for her children only once this many whole years have passed since the divorce (seed
#: 002: "two years or more").
DIVORCE_WAIT_YEARS: Final = 2


@dataclass(frozen=True)
class EligibilityPolicy:
    """The figures of one version of the eligibility rules."""

    name: str
    #: Owning a suitable home within this many whole years before the application still disqualifies.
    home_ownership_window_years: int
    assets_limit: int
    #: What the declared assets value leaves out (codes, translated by the web layer).
    assets_excluded: tuple[str, ...]
    adult_age: int
    divorce_wait_years: int
    applicant_roles: tuple[str, ...]


POLICIES: Final[dict[str, EligibilityPolicy]] = {
    "moh-points-v1": EligibilityPolicy(
        name="moh-points-v1",
        # Seed 002: nobody in the family owns a suitable home, or did "during the five years before the application".
        home_ownership_window_years=5,
        # Seed 002 asks for no "financial capacity to own a suitable home" without a figure: seed 003's limit.
        assets_limit=ASSETS_LIMIT,
        assets_excluded=("personal_cars", "small_residential_plots"),  # seed 003, as for the limit itself
        adult_age=ADULT_AGE,  # seed 002
        divorce_wait_years=DIVORCE_WAIT_YEARS,  # seed 002
        applicant_roles=APPLICANT_ROLES,  # as on main since the first release (the special categories included)
    ),
    "moh-regulation-2": EligibilityPolicy(
        name="moh-regulation-2",
        # Seed 003: no suitable home "at the application and until the contract, or during the year before it".
        home_ownership_window_years=1,
        # Seed 003: assets whose market value is 5 million SAR or more disqualify, personal cars and small
        # residential plots excluded.
        assets_limit=ASSETS_LIMIT,
        assets_excluded=("personal_cars", "small_residential_plots"),
        adult_age=ADULT_AGE,  # no figure in seed 003: seed 002's (v1)
        divorce_wait_years=DIVORCE_WAIT_YEARS,  # seed 003 says "with conditions" without a figure: v1's
        # Seed 003: divorced or widowed women, unmarried people over 25 and people with a disability or an incurable
        # illness count as a family and may apply on their own.
        applicant_roles=APPLICANT_ROLES,
    ),
}

#: The rules used when no policy is named; the same name as :data:`jood.priority.DEFAULT_POLICY`.
DEFAULT_RULES: Final = "moh-points-v1"


def get_rules(name: str) -> EligibilityPolicy:
    """Look the eligibility rules of a policy up by name; an unknown name is a programming error."""
    try:
        return POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown eligibility policy: {name!r}") from None


class EligibilityFacts(Protocol):
    """The facts the eligibility rules read; anything with these attributes can be checked."""

    @property
    def applicant_role(self) -> str: ...
    @property
    def nationality(self) -> str: ...
    @property
    def age(self) -> int: ...
    @property
    def owns_suitable_home(self) -> bool: ...
    @property
    def prior_housing_support(self) -> bool: ...
    @property
    def assets_value(self) -> int: ...
    @property
    def resides_in_ksa(self) -> bool: ...
    @property
    def years_since_divorce(self) -> int | None: ...
    @property
    def years_since_home_owned(self) -> int | None: ...


def _role_allowed(facts: EligibilityFacts, rules: EligibilityPolicy) -> bool:
    if facts.applicant_role not in rules.applicant_roles:
        return False
    if facts.applicant_role == "divorced_woman":
        # An unknown divorce date cannot prove the waiting period has passed.
        return facts.years_since_divorce is not None and facts.years_since_divorce >= rules.divorce_wait_years
    return True


def _owns_home(facts: EligibilityFacts, rules: EligibilityPolicy) -> bool:
    """Owning a suitable home now, or having owned one less than the window's whole years before the application."""
    if facts.owns_suitable_home:
        return True
    since = facts.years_since_home_owned
    return since is not None and since < rules.home_ownership_window_years


def check_eligibility(facts: EligibilityFacts, policy: str = DEFAULT_RULES) -> list[str]:
    """Return every failed rule as a reason code, in :data:`REASON_CODES` order; an empty list means eligible.

    All failures are reported, not just the first, so a caseworker can fix the whole file in one pass.
    """
    rules = get_rules(policy)
    failed = {
        "nationality": facts.nationality != SAUDI,
        "residence": not facts.resides_in_ksa,
        "age": facts.applicant_role in AGE_CHECKED_ROLES and facts.age < rules.adult_age,
        "owns_home": _owns_home(facts, rules),
        "prior_support": facts.prior_housing_support,
        "assets": facts.assets_value >= rules.assets_limit,
        "applicant_role": not _role_allowed(facts, rules),
    }
    return [code for code in REASON_CODES if failed[code]]


def is_eligible(facts: EligibilityFacts, policy: str = DEFAULT_RULES) -> bool:
    """Shorthand for templates and filters that only need the verdict."""
    return not check_eligibility(facts, policy)

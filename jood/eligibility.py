"""Eligibility for housing support under the housing-support regulation (تنظيم الدعم السكني).

Eligibility is a gate, not a score: an applicant who fails any rule is not ranked at all. The rules live here, apart
from the points in :mod:`jood.priority`, because they change on a different schedule (the regulation) than the points
policy does. Nothing here imports Flask, so views, the CLI and the API share one implementation.

The checks take any object with the attributes of :class:`EligibilityFacts`: a :class:`jood.priority.Applicant`, an
ORM row or a test double all work.
"""

from __future__ import annotations

from typing import Final, Protocol

__all__ = [
    "ADULT_AGE",
    "AGE_CHECKED_ROLES",
    "APPLICANT_ROLES",
    "ASSETS_LIMIT",
    "DIVORCE_WAIT_YEARS",
    "REASON_CODES",
    "SAUDI",
    "EligibilityFacts",
    "check_eligibility",
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

#: ISO 3166-1 alpha-2 code of the only nationality that may apply.
SAUDI: Final = "SA"
#: The minimum age applies only when a man files for the family.
ADULT_AGE: Final = 25
AGE_CHECKED_ROLES: Final[frozenset[str]] = frozenset({"husband", "father"})
#: Families whose assets reach this market value (SAR) can afford a home; the limit itself already fails.
ASSETS_LIMIT: Final = 5_000_000
#: A divorced woman may file for her children only once this many whole years have passed since the divorce.
DIVORCE_WAIT_YEARS: Final = 2


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


def _role_allowed(facts: EligibilityFacts) -> bool:
    if facts.applicant_role not in APPLICANT_ROLES:
        return False
    if facts.applicant_role == "divorced_woman":
        # An unknown divorce date cannot prove the waiting period has passed.
        return facts.years_since_divorce is not None and facts.years_since_divorce >= DIVORCE_WAIT_YEARS
    return True


def check_eligibility(facts: EligibilityFacts) -> list[str]:
    """Return every failed rule as a reason code, in :data:`REASON_CODES` order; an empty list means eligible.

    All failures are reported, not just the first, so a caseworker can fix the whole file in one pass.
    """
    failed = {
        "nationality": facts.nationality != SAUDI,
        "residence": not facts.resides_in_ksa,
        "age": facts.applicant_role in AGE_CHECKED_ROLES and facts.age < ADULT_AGE,
        "owns_home": facts.owns_suitable_home,
        "prior_support": facts.prior_housing_support,
        "assets": facts.assets_value >= ASSETS_LIMIT,
        "applicant_role": not _role_allowed(facts),
    }
    return [code for code in REASON_CODES if failed[code]]


def is_eligible(facts: EligibilityFacts) -> bool:
    """Shorthand for templates and filters that only need the verdict."""
    return not check_eligibility(facts)

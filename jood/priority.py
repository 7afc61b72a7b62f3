"""Priority points for eligible applicants, and the order in which they are helped.

Two schedules are kept as *data* in :data:`POLICIES`, side by side: ``moh-points-v1``, the Ministry of Housing's
published guide (seed 001) with the extra points of seed 003, and ``moh-regulation-2``, the detailed executive
regulation of the housing-support system that has since come into force (seed 003). A revised schedule is a new
table beside the old one rather than an edit of if-chains: cases scored under the old policy stay explainable, and
the tests can walk every row of every table. Seeds are the files in ``/work/shared/seeds`` (001: the points guide,
002: the regulation as announced, 003: the executive regulation in force).

Eligibility is a separate gate (:mod:`jood.eligibility`); it is re-exported here because callers usually want both.
Nothing in this module imports Flask.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, TypeVar, cast

from jood.eligibility import APPLICANT_ROLES, REASON_CODES, check_eligibility

__all__ = [
    "APPLICANT_ROLES",
    "BREAKDOWN_KEYS",
    "DEFAULT_POLICY",
    "HOUSING_TYPES",
    "NEEDIEST_FIRST",
    "POLICIES",
    "POLICY_NAMES",
    "REASON_CODES",
    "Applicant",
    "Policy",
    "Score",
    "check_eligibility",
    "get_policy",
    "need_level",
    "neediest_key",
    "precedence_years",
    "rank",
    "score",
]

T = TypeVar("T")

#: Points table: ``(bound, points)`` rows. How the bound is read is said where each table is declared.
Table = tuple[tuple[int, int], ...]

#: The policy of the code when no platform setting says otherwise (the admin's choice lives in the database).
DEFAULT_POLICY: Final = "moh-points-v1"

#: What kind of housing the support is for. Seed 003 scores low incomes differently for an ordinary housing unit and
#: for a unit in a housing complex built for beneficiaries; the first is the default when nothing is said.
HOUSING_TYPES: Final[tuple[str, ...]] = ("ordinary_unit", "housing_complex")

#: The lines of a score, in the order they are stored and shown.
BREAKDOWN_KEYS: Final[tuple[str, ...]] = (
    "family_size",
    "income",
    "domestic_workers",
    "age",
    "precedence",
    "health_condition",
    "applicant_category",
    "development_centre",
)


@dataclass(frozen=True)
class Policy:
    """One published points schedule. Every number that decides a family's place in the queue lives here."""

    name: str
    #: ``(minimum family size, points)``, largest first; smaller families score 0.
    family_size: Table
    #: Per housing type (every one of :data:`HOUSING_TYPES`): ``(maximum monthly income in whole SAR, points)``,
    #: lowest first; higher incomes score ``income_above``.
    income: Mapping[str, Table] = dataclasses.field(hash=False)
    income_above: int
    #: Households may keep this many workers; each one beyond costs ``worker_penalty`` (a negative number).
    workers_allowed: int
    worker_penalty: int
    #: ``(minimum age in whole years, points)``, oldest first; younger applicants score 0.
    age: Table
    #: Precedence: points per full year since the application was completed, a bonus for an unmet land-grant
    #: application, and a cap on the criterion as a whole.
    precedence_per_year: int
    land_grant_bonus: int
    precedence_cap: int
    health_condition: int
    #: Roles that earn ``applicant_category`` points: a mother or wife filing, or siblings filing jointly.
    category_roles: frozenset[str]
    applicant_category: int
    development_centre: int
    #: ``(minimum total, level)``, highest first; anything lower is ``need_level_floor``. Jood's own banding for the
    #: public catalogue (the ministry publishes no levels): with a maximum of 63 points (v1), 30+ means several
    #: criteria are near their top and 18+ roughly one strong criterion plus smaller ones.
    need_levels: tuple[tuple[int, str], ...]
    need_level_floor: str

    def __post_init__(self) -> None:
        # A mis-ordered table would silently pick the wrong row, so refuse it when the policy is declared.
        if set(self.income) != set(HOUSING_TYPES):
            raise ValueError(f"policy {self.name!r}: income needs one table per housing type {HOUSING_TYPES}")
        for label, bounds, descending in (
            ("family_size", [b for b, _ in self.family_size], True),
            *((f"income[{kind}]", [b for b, _ in table], False) for kind, table in self.income.items()),
            ("age", [b for b, _ in self.age], True),
            ("need_levels", [b for b, _ in self.need_levels], True),
        ):
            if bounds != sorted(set(bounds), reverse=descending):
                order = "descending" if descending else "ascending"
                raise ValueError(f"policy {self.name!r}: {label} bounds must be unique and {order}")
        if self.worker_penalty > 0:
            raise ValueError(f"policy {self.name!r}: worker_penalty must not be positive")


# Seed 001's age table: 35 → 1 ... 39 → 5, then 40 to 49 → 6 to 15 (one more point a year), 50 and over → 15.
_V1_AGE: Final[Table] = (
    (50, 15),
    *((years, 6 + years - 40) for years in range(49, 39, -1)),
    (39, 5),
    (38, 4),
    (37, 3),
    (36, 2),
    (35, 1),
)
# Seed 001's income table: up to 3,000 SAR → 3, 3,001 to 4,000 → 2, 4,001 to 5,000 → 1, above → 0.
_V1_INCOME: Final[Table] = ((3_000, 3), (4_000, 2), (5_000, 1))

POLICIES: Final[dict[str, Policy]] = {
    "moh-points-v1": Policy(
        name="moh-points-v1",
        family_size=((6, 20), (5, 15), (4, 10), (3, 5)),  # seed 001: 6+ → 20, 5 → 15, 4 → 10, 3 → 5, 2 → 0
        # Seed 001 makes no difference between kinds of housing: the same table for both.
        income={"ordinary_unit": _V1_INCOME, "housing_complex": _V1_INCOME},
        income_above=0,  # seed 001: more than 5,000 SAR → 0
        workers_allowed=3,  # seed 001: more than three domestic or other workers ...
        worker_penalty=-3,  # ... cost 3 points each beyond the allowed number
        age=_V1_AGE,  # seed 001
        precedence_per_year=1,  # seed 001: precedence from the completion notice, at most 10 points
        land_grant_bonus=2,  # seed 001: 2 more points for an unmet land-grant application
        precedence_cap=10,  # seed 001: at most 10 points for the criterion, bonus included
        health_condition=5,  # seed 003 names the criterion without a figure: Jood's value
        category_roles=frozenset({"mother", "wife", "siblings"}),  # seed 003: a mother, a wife, siblings together
        applicant_category=5,  # seed 003 names the criterion without a figure: Jood's value
        development_centre=5,  # seed 003: five points for a targeted development centre
        need_levels=((30, "highest"), (18, "high")),
        need_level_floor="medium",
    ),
    # The executive regulation in force (seed 003). It states only some figures; every other value is v1's, kept on
    # purpose and listed in docs/cases.md, so that the two policies differ exactly where seed 003 says they do.
    "moh-regulation-2": Policy(
        name="moh-regulation-2",
        family_size=((6, 20), (5, 15), (4, 10), (3, 5)),  # no figure in seed 003: v1's (seed 001)
        income={
            # Seed 003: a monthly income *below* 3,000 SAR earns 20 points for an ordinary housing unit and 10 for a
            # unit in a housing complex built for beneficiaries. Incomes are whole SAR rounded up, so "below 3,000"
            # is "at most 2,999" and a halala over 2,999 SAR already misses the row. Seed 003 gives no figure for
            # higher incomes: v1's rows (seed 001) stay, so 3,000 exactly still earns v1's 3 points.
            "ordinary_unit": ((2_999, 20), *_V1_INCOME),
            "housing_complex": ((2_999, 10), *_V1_INCOME),
        },
        income_above=0,  # no figure in seed 003: v1's (seed 001)
        workers_allowed=3,  # no figure in seed 003: v1's (seed 001)
        worker_penalty=-3,  # no figure in seed 003: v1's (seed 001)
        age=_V1_AGE,  # no figure in seed 003: v1's (seed 001)
        precedence_per_year=1,  # no figure in seed 003: v1's (seed 001)
        land_grant_bonus=2,  # no figure in seed 003: v1's (seed 001)
        precedence_cap=10,  # no figure in seed 003: v1's (seed 001)
        health_condition=5,  # seed 003: extra points for incurable disease, no figure: v1's 5
        category_roles=frozenset({"mother", "wife", "siblings"}),  # seed 003: a mother, a wife or siblings together
        applicant_category=5,  # seed 003: extra points for these applicants, no figure: v1's 5
        development_centre=5,  # seed 003: "five points" for a targeted development centre
        # Jood's banding, not the ministry's: v1's thresholds, so a level means the same total under both policies.
        need_levels=((30, "highest"), (18, "high")),
        need_level_floor="medium",
    ),
}

#: Every policy name, in the order they are offered (the API's enum, the calculator's choices).
POLICY_NAMES: Final[tuple[str, ...]] = tuple(POLICIES)


def get_policy(name: str) -> Policy:
    """Look a policy up by name; an unknown name is a programming error, not a user error."""
    try:
        return POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown priority policy: {name!r}") from None


# --- the applicant ------------------------------------------------------------------------------------------------

_MAX_INT: Final = 2**63 - 1  # fits a BIGINT column, so a validated value can always be stored
_INT_RANGES: Final[dict[str, tuple[int, int]]] = {
    "age": (0, 130),
    "family_size": (1, 50),
    "monthly_income": (0, _MAX_INT),
    "domestic_workers": (0, _MAX_INT),
    "precedence_years": (0, _MAX_INT),
    "assets_value": (0, _MAX_INT),
    "years_since_divorce": (0, 130),
    "years_since_home_owned": (0, 130),
}
INT_RANGES: Final = _INT_RANGES  # published as minimum and maximum in the API's OpenAPI document
_BOOL_FIELDS: Final = frozenset(
    {
        "prior_land_grant_application",
        "owns_suitable_home",
        "prior_housing_support",
        "resides_in_ksa",
        "incurable_condition",
        "development_centre",
    }
)
#: Fields that may be left out: they have a default in :class:`Applicant`.
_OPTIONAL_FIELDS: Final = frozenset({"years_since_divorce", "years_since_home_owned", "housing_type"})


@dataclass(frozen=True)
class Applicant:
    """The facts about one family that eligibility and points are computed from; plain data, no database."""

    applicant_role: str
    nationality: str  # ISO 3166-1 alpha-2, "SA" for Saudi
    age: int  # whole years
    family_size: int
    monthly_income: int  # whole SAR
    domestic_workers: int
    precedence_years: int  # see precedence_years() for how to compute it
    prior_land_grant_application: bool
    owns_suitable_home: bool  # someone in the family owns a suitable home now
    prior_housing_support: bool
    assets_value: int  # whole SAR, market value
    resides_in_ksa: bool
    incurable_condition: bool  # incurable disease or disability in the family
    development_centre: bool
    years_since_divorce: int | None = None
    #: Whole years since someone in the family last owned a suitable home; None when nobody did (or owns one now,
    #: which ``owns_suitable_home`` says). The policy's eligibility window decides whether it still counts.
    years_since_home_owned: int | None = None
    housing_type: str = HOUSING_TYPES[0]

    @classmethod
    def from_mapping(cls, data: Any, *, allow_unknown: bool = False) -> tuple[Applicant | None, dict[str, list[str]]]:
        """Build an applicant from JSON-like data, or return machine error codes per field.

        Validation is strict (no "5" for 5, no 1 for True, no 4.5 for a count; 4.0 is the JSON number 4) because a
        silently coerced value would change a family's points; an empty string counts as missing. Codes:
        ``required``, ``not_an_integer``, ``out_of_range``, ``not_a_boolean``, ``not_a_string``, ``invalid_choice``,
        ``invalid_format``, ``unknown_field``; data that is not a mapping gives ``{"_schema": ["not_an_object"]}``.
        """
        if not isinstance(data, Mapping):
            return None, {"_schema": ["not_an_object"]}
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}
        known = [spec.name for spec in dataclasses.fields(cls)]
        for name in known:
            value = data.get(name)
            if value is None or value == "":  # an empty form field means "not given"
                if name not in _OPTIONAL_FIELDS:
                    errors[name] = ["required"]
                continue
            if name in _INT_RANGES and isinstance(value, float) and value.is_integer():
                value = int(value)  # JSON has one number type: 42.0 is the integer 42 (as JSON Schema says)
            code = _field_error(name, value)
            if code:
                errors[name] = [code]
            else:
                values[name] = value
        if not allow_unknown:
            for name in data:
                if name not in known:
                    errors[str(name)] = ["unknown_field"]
        if errors:
            return None, errors
        return cls(**values), {}


def _field_error(name: str, value: object) -> str | None:
    """Return the error code for one field value, or None when it is acceptable."""
    if name in _BOOL_FIELDS:
        return None if isinstance(value, bool) else "not_a_boolean"
    if name in _INT_RANGES:
        if not isinstance(value, int) or isinstance(value, bool):
            return "not_an_integer"
        low, high = _INT_RANGES[name]
        return None if low <= value <= high else "out_of_range"
    if not isinstance(value, str):
        return "not_a_string"
    if name == "applicant_role":
        return None if value in APPLICANT_ROLES else "invalid_choice"
    if name == "housing_type":
        return None if value in HOUSING_TYPES else "invalid_choice"
    if name == "nationality":
        return None if len(value) == 2 and value.isascii() and value.isalpha() and value.isupper() else "invalid_format"
    raise AssertionError(f"no validation rule for field {name!r}")  # a new field was added without one


# --- points -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """A total with the line items that produced it, so staff and families can see *why* a case ranks where it does."""

    total: int
    breakdown: dict[str, int] = dataclasses.field(hash=False)
    policy: str


def _at_least(table: Table, value: int, default: int = 0) -> int:
    for bound, points in table:
        if value >= bound:
            return points
    return default


def _at_most(table: Table, value: int, default: int) -> int:
    for bound, points in table:
        if value <= bound:
            return points
    return default


def score(applicant: Applicant, policy: str = DEFAULT_POLICY) -> Score:
    """Score an applicant under ``policy``. Eligibility is not checked here; rank only eligible applicants."""
    rules = get_policy(policy)
    extra_workers = max(0, applicant.domestic_workers - rules.workers_allowed)
    precedence = applicant.precedence_years * rules.precedence_per_year
    if applicant.prior_land_grant_application:
        precedence += rules.land_grant_bonus
    breakdown = {
        "family_size": _at_least(rules.family_size, applicant.family_size),
        "income": _at_most(rules.income[applicant.housing_type], applicant.monthly_income, rules.income_above),
        "domestic_workers": extra_workers * rules.worker_penalty,
        "age": _at_least(rules.age, applicant.age),
        "precedence": min(precedence, rules.precedence_cap),
        "health_condition": rules.health_condition if applicant.incurable_condition else 0,
        "applicant_category": rules.applicant_category if applicant.applicant_role in rules.category_roles else 0,
        "development_centre": rules.development_centre if applicant.development_centre else 0,
    }
    return Score(total=sum(breakdown.values()), breakdown=breakdown, policy=rules.name)


def need_level(total: int, policy: str = DEFAULT_POLICY) -> str:
    """Band a total into "highest" / "high" / "medium" for display; the thresholds are in the policy."""
    rules = get_policy(policy)
    for minimum, level in rules.need_levels:
        if total >= minimum:
            return level
    return rules.need_level_floor


# --- precedence ---------------------------------------------------------------------------------------------------


def precedence_years(completed_on: date, suspended: Iterable[tuple[date, date]], today: date) -> int:
    """Full years an application has been waiting, with the clock stopped while it was suspended.

    The regulation counts from the notice that the application was complete and skips periods when it was on hold
    for missing documents. Each suspension is ``(start, end)`` with ``end`` the day it resumed (half-open), so
    ``(d, d)`` is empty; overlapping suspensions are counted once, and parts outside ``[completed_on, today)`` are
    ignored. The suspended days push the start date forward, then whole calendar years are counted (an application
    completed on 29 February reaches its anniversary on 1 March in common years).
    """
    if today <= completed_on:
        return 0
    periods: list[tuple[date, date]] = []
    for began, resumed in suspended:
        if resumed < began:
            raise ValueError(f"suspension ends before it starts: {began} > {resumed}")
        clipped = (max(began, completed_on), min(resumed, today))
        if clipped[0] < clipped[1]:
            periods.append(clipped)
    paused_days = 0
    covered_until = completed_on
    for began, resumed in sorted(periods):
        if resumed > covered_until:
            paused_days += (resumed - max(began, covered_until)).days
            covered_until = resumed
    start = completed_on + timedelta(days=paused_days)
    years = today.year - start.year - ((today.month, today.day) < (start.month, start.day))
    return max(0, years)


# --- ranking ------------------------------------------------------------------------------------------------------


# The neediest-first order, defined once: (a case's attribute, descending?). More points first; for equal points the
# regulation's tie-breaks (seed 003), the same under every policy: a larger family, then a lower income, then an
# older applicant; then the case published earlier. The catalog and the pool allocator sort by it in SQL
# (``cases.catalog.neediest_order``), the re-scoring preview and ``rank`` in Python (``neediest_key``).
NEEDIEST_FIRST: tuple[tuple[str, bool], ...] = (
    ("priority_total", True),
    ("family_size", True),
    ("monthly_income", False),
    ("applicant_age", True),
    ("published_at", False),
    ("id", False),
)


def neediest_key(values: Mapping[str, object]) -> tuple:
    """An ascending sort key in the ``NEEDIEST_FIRST`` order; an absent value (None) sorts after every known one."""
    key = []
    for name, descending in NEEDIEST_FIRST:
        value = values.get(name)
        if value is None:
            key.append((1, 0))
            continue
        number = value.timestamp() if isinstance(value, datetime) else value
        key.append((0, -number if descending else number))
    return tuple(key)


def rank(items: Iterable[T], key: Callable[[T], Applicant] | None = None, policy: str = DEFAULT_POLICY) -> list[T]:
    """Return ``items`` neediest first; ``key`` extracts the applicant (default: the item is the applicant).

    The sort is stable, so applicants equal on every criterion keep their input order (pass them oldest first to
    favour the earlier application). Callers should drop ineligible applicants first with ``check_eligibility``.
    """
    get = key if key is not None else _identity

    def item_key(item: T) -> tuple:
        applicant = get(item)
        return neediest_key({"priority_total": score(applicant, policy).total, "family_size": applicant.family_size,
                             "monthly_income": applicant.monthly_income, "applicant_age": applicant.age})

    return sorted(items, key=item_key)


def _identity(item: object) -> Applicant:
    return cast(Applicant, item)

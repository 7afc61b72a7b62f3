"""The public catalog's query: filters, sorts and pagination shared by the `/cases` page and `GET /api/v1/cases`.

For the API, one SELECT for the page (the charity is joined into it) and one COUNT, whatever the page size; for
the HTML catalog, one SELECT of the cards' columns that also counts (`card_page`).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field, fields
from functools import lru_cache

from sqlalchemy import BigInteger, Integer, Select, bindparam, cast, exists, func, select
from sqlalchemy.orm import contains_eager, joinedload, load_only, raiseload

from jood.cases.cards import CARD_FIELDS
from jood.cases.models import Case, CaseStatus, Track
from jood.charities.models import Charity
from jood.donations.models import Donation, DonationLine
from jood.money import AmountError, parse_amount_sar
from jood.payments.models import Payment, PaymentStatus
from jood.priority import NEEDIEST_FIRST
from jood.regions import REGIONS
from jood.text import normalize_arabic

NEED_LEVELS = ("highest", "high", "medium")
SORTS = ("neediest", "newest", "closest", "least_funded")
PER_PAGE = 12
MAX_PER_PAGE = 48
# "Nearly funded": at least three quarters raised.
NEARLY_FUNDED_NUM, NEARLY_FUNDED_DEN = 3, 4


@dataclass
class CatalogQuery:
    q: str = ""
    track: str = ""
    region: str = ""
    city: str = ""
    need: str = ""
    min_amount: int | None = None  # halalas
    max_amount: int | None = None
    nearly_funded: bool = False
    sort: str = "neediest"
    page: int = 1
    per_page: int = PER_PAGE
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_args(cls, args) -> CatalogQuery:
        """Read query-string arguments; unknown values are dropped (and reported in `errors`), never an error page."""
        query = cls(q=(args.get("q") or "").strip()[:100], city=(args.get("city") or "").strip()[:80])
        for name, allowed in (("track", [t.value for t in Track]), ("region", list(REGIONS)),
                              ("need", NEED_LEVELS), ("sort", SORTS)):
            value = args.get(name) or ""
            if value in allowed:
                setattr(query, name, value)
            elif value:
                query.errors[name] = "invalid_choice"
        for name in ("min_amount", "max_amount"):
            value = (args.get(name) or "").strip()
            if value:
                try:
                    setattr(query, name, parse_amount_sar(value))
                except AmountError:
                    query.errors[name] = "invalid_amount"
        query.nearly_funded = (args.get("nearly_funded") or "") in ("1", "true", "on")
        query.page = _positive_int(args.get("page"), 1, 10_000)
        query.per_page = _positive_int(args.get("per_page"), PER_PAGE, MAX_PER_PAGE)
        return query

    def is_plain_first_page(self) -> bool:
        """The catalog as it opens: no filter, the default sort, page one."""
        return (self.page == 1 and self.sort == "neediest" and not self.nearly_funded and not self.errors
                and not any((self.q, self.track, self.region, self.city, self.need))
                and self.min_amount is None and self.max_amount is None)

    def key(self) -> tuple:
        """Every field of the query as a hashable value (the catalog remembers its filters form by it)."""
        return tuple((f.name, tuple(sorted(self.errors.items())) if f.name == "errors" else getattr(self, f.name))
                     for f in fields(self))

    def url_args(self, **changes) -> dict:
        """The current filters as URL arguments (for pagination and sort links), without the defaults."""
        from jood.money import format_sar

        values = {
            "q": self.q, "track": self.track, "region": self.region, "city": self.city, "need": self.need,
            "min_amount": format_sar(self.min_amount) if self.min_amount else "",
            "max_amount": format_sar(self.max_amount) if self.max_amount else "",
            "nearly_funded": "1" if self.nearly_funded else "",
            "sort": "" if self.sort == "neediest" else self.sort,
            "per_page": "" if self.per_page == PER_PAGE else str(self.per_page),
        }
        values.update({key: str(value) for key, value in changes.items()})
        return {key: value for key, value in values.items() if value}


def _positive_int(value, default: int, maximum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, 1), maximum)


def neediest_order() -> tuple:
    """``priority.NEEDIEST_FIRST`` as SQL: points, then the regulation's tie-breaks (larger family, lower income,
    older applicant), then seniority. The catalog, the home page and the pool allocator all sort by it."""
    return tuple(getattr(Case, name).desc() if descending else getattr(Case, name).asc()
                 for name, descending in NEEDIEST_FIRST)


# A card's columns: what the case cards and the cases of the day show (cards.CARD_FIELDS), the charity's id and the
# points (the day's list is sorted by them). Public columns only.
CARD_COLUMNS = (*CARD_FIELDS, "charity_id", "priority_total")


class CaseCard(namedtuple("CaseCardRow", CARD_COLUMNS)):
    """A published case as the public pages' cards show it: plain values from one SELECT of `CARD_COLUMNS`, with
    the model's own derived figures. Loading twelve whole ORM cases (identity map, every column, the points
    breakdown's JSON) cost more than rendering their cards; these rows cost a tenth of that."""

    __slots__ = ()
    remaining_amount = vars(Case)["remaining_amount"]
    room_for = vars(Case)["room_for"]
    accepts_donations = vars(Case)["accepts_donations"]
    is_public = vars(Case)["is_public"]


def card_columns() -> tuple:
    return tuple(getattr(Case, name) for name in CARD_COLUMNS)


def _filter_values(query: CatalogQuery) -> dict:
    """The values of the filters in use, by the name of their bound parameter in `_filtered`."""
    values = {"track": query.track, "region": query.region, "city": query.city, "need": query.need,
              "min_amount": query.min_amount, "max_amount": query.max_amount}
    values = {name: value for name, value in values.items() if value not in ("", None)}
    if query.q:  # LIKE '%…%' with the pattern's own wildcards escaped, as contains(autoescape=True) does
        words = normalize_arabic(query.q).replace("/", "//").replace("%", "/%").replace("_", "/_")
        values["q"] = f"%{words}%"
    return values


def _filtered(statement: Select, names, nearly_funded: bool, sort: str) -> Select:
    """The catalog's filters (`names`, as bound parameters) and sort, on a SELECT of published cases of approved
    charities."""
    statement = statement.where(Case.status == CaseStatus.PUBLISHED.value, Charity.status == "approved")
    if "q" in names:
        statement = statement.where(Case.search_text.like(bindparam("q"), escape="/"))
    for name, condition in (("track", Case.track == bindparam("track")),
                            ("region", Case.region == bindparam("region")),
                            ("city", Case.city == bindparam("city")),
                            ("need", Case.need_level == bindparam("need")),
                            ("min_amount", Case.target_amount >= bindparam("min_amount")),
                            ("max_amount", Case.target_amount <= bindparam("max_amount"))):
        if name in names:
            statement = statement.where(condition)
    if nearly_funded:
        raised, target = cast(Case.raised_amount, BigInteger), cast(Case.target_amount, BigInteger)
        statement = statement.where(raised * NEARLY_FUNDED_DEN >= target * NEARLY_FUNDED_NUM)
    order = {
        "neediest": neediest_order(),
        "newest": (Case.published_at.desc(), Case.id.desc()),
        # Closest to completion: the largest share funded first (not the smallest amount left).
        "closest": (((cast(Case.raised_amount, BigInteger) * 10_000) / Case.target_amount).desc(),
                    *neediest_order()),
        # Share funded in basis points; BIGINT so that large amounts times 10,000 cannot overflow.
        "least_funded": (((cast(Case.raised_amount, BigInteger) * 10_000) / Case.target_amount).asc(),
                         *neediest_order()),
    }[sort]
    return statement.order_by(*order)


def catalog_select(query: CatalogQuery) -> Select:
    """Whole cases with their charity (the API shows both), the filters' values bound."""
    values = _filter_values(query)
    statement = select(Case).join(Case.charity).options(contains_eager(Case.charity))
    return _filtered(statement, values, query.nearly_funded, query.sort).params(values)


def run(query: CatalogQuery):
    """A Flask-SQLAlchemy Pagination of published cases (two SQL queries: the page and the count)."""
    from jood.extensions import db

    return db.paginate(catalog_select(query), page=query.page, per_page=query.per_page, error_out=False)


@lru_cache(maxsize=256)
def _card_statements(names: tuple[str, ...], nearly_funded: bool, sort: str) -> tuple[Select, Select]:
    """The HTML catalog's page and count statements for one shape of query (the filters in use and the sort), built
    once per process: building a statement and its cache key cost more app CPU than running it. The values are
    bound at execution."""
    page = (_filtered(select(*card_columns(), func.count().over()).join(Case.charity), names, nearly_funded, sort)
            .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))
    count = select(func.count()).select_from(
        _filtered(select(Case.id).join(Case.charity), names, nearly_funded, sort).order_by(None).subquery())
    return page, count


@dataclass
class CardPage:
    """One page of the HTML catalog: its `CaseCard`s and the total, with Flask-SQLAlchemy's Pagination attributes
    that the template reads."""

    page: int
    per_page: int
    total: int
    items: list[CaseCard]

    @property
    def pages(self) -> int:
        return -(-self.total // self.per_page) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def card_page(query: CatalogQuery) -> CardPage:
    """The catalog page's cards and the number of matching cases in one statement (a window count beside the
    page's rows); a page past the last has no row to carry the count, so only then is it counted apart."""
    from jood.extensions import db

    values = _filter_values(query)
    page, count = _card_statements(tuple(sorted(values)), query.nearly_funded, query.sort)
    rows = db.session.execute(page, {**values, "limit": query.per_page,
                                     "offset": (query.page - 1) * query.per_page}).all()
    if rows:
        total = rows[0][-1]
    elif query.page == 1:
        total = 0
    else:
        total = db.session.scalar(count, values)
    return CardPage(query.page, query.per_page, total, [CaseCard(*row[:-1]) for row in rows])


@lru_cache(maxsize=1)
def _cities_statement() -> Select:
    return select(Case.city).where(Case.status == CaseStatus.PUBLISHED.value).distinct().order_by(Case.city)


def cities() -> list[str]:
    """Cities that have a published case, for the filter's suggestions."""
    from jood.extensions import db

    return list(db.session.scalars(_cities_statement()))


# --- the public case page --------------------------------------------------------------------------------------

# What the case page shows of a case (with cards.CARD_FIELDS), its donate box, its outcome and its share card read:
# not its points breakdown, income, age, search text or the reasons given to the charity.
PAGE_COLUMNS = (*CARD_COLUMNS, "priority_policy", "public_summary", "public_summary_en", "amount_basis",
                "zakat_eligible", "field_verified_at", "electronic_verified_at", "situation_updated_at",
                "disbursed_at")
PAGE_CHARITY_COLUMNS = ("id", "slug", "name_ar", "name_en", "status")


def _has_outcome():
    """Whether the case page's outcome section (disbursements/_case_outcome.html) has anything to show: an approved
    payment, or an earlier case this one renews. Most cases have neither, and then the section's own statements are
    not sent."""
    from jood.disbursements.models import CaseRenewal, Disbursement
    from jood.disbursements.states import DisbursementStatus

    return (exists().where(Disbursement.case_id == Case.id, Disbursement.status == DisbursementStatus.APPROVED.value)
            | exists().where(CaseRenewal.case_id == Case.id)).label("has_outcome")


@lru_cache(maxsize=1)
def _public_case_statement() -> Select:
    # raiseload: reading any other column or relationship of the case is an error, not a silent extra query, so that
    # `page_key` names everything the page's remembered part can show.
    return (select(Case, _has_outcome()).where(Case.code == bindparam("code"))
            .options(load_only(*(getattr(Case, name) for name in PAGE_COLUMNS), raiseload=True),
                     joinedload(Case.charity).load_only(*(getattr(Charity, name) for name in PAGE_CHARITY_COLUMNS),
                                                        raiseload=True),
                     raiseload("*")))


def public_case(code: str) -> tuple[Case, bool] | tuple[None, bool]:
    """The case of a public page with its charity, and whether it has an outcome to show, in one statement built
    once per process (a 404 is the view's to decide: the case may not be public)."""
    from jood.extensions import db

    row = db.session.execute(_public_case_statement(), {"code": code}).first()
    return (row[0], bool(row[1])) if row else (None, False)


def page_key(case: Case, args) -> tuple:
    """What the case page's remembered part shows: the case's and its charity's columns loaded by `public_case` (no
    other can be read) and the campaign a donate link came through (`args`, the query string)."""
    return ("case-page", *(getattr(case, name) for name in PAGE_COLUMNS),
            *(getattr(case.charity, name) for name in PAGE_CHARITY_COLUMNS),
            args.get("campaign"), args.get("c"), args.get("team"))


class RecentGift(namedtuple("RecentGiftRow", ("anonymous", "display_name", "amount", "paid_at"))):
    """A paid gift to a case as its page lists it: the line's amount, the day, and the donor's display name by the
    donation's own rule (`Donation.public_name`: None means "a doer of good"). Nothing else about the donor."""

    __slots__ = ()
    public_name = vars(Donation)["public_name"]


@lru_cache(maxsize=4)
def _recent_gifts_statement(limit: int) -> Select:
    return (select(Donation.anonymous, Donation.display_name, DonationLine.amount, Donation.paid_at)
            .join(DonationLine, DonationLine.donation_id == Donation.id)
            .join(Payment, Payment.donation_id == Donation.id)
            .where(DonationLine.case_id == bindparam("case_id"), Payment.status == PaymentStatus.PAID.value)
            .order_by(Donation.paid_at.desc()).limit(limit))


def recent_gifts(case_id: int, limit: int = 10) -> tuple[RecentGift, ...]:
    """The latest paid gifts to a case, newest first, in one statement of the four columns shown (not whole
    donations with their payments, lines and those lines' cases), for the case page and its donate page."""
    from jood.extensions import db

    rows = db.session.execute(_recent_gifts_statement(limit), {"case_id": case_id})
    return tuple(RecentGift(*row) for row in rows)  # a tuple: the page remembers the list's HTML by it


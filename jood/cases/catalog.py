"""The public catalog's query: filters, sorts and pagination shared by the `/cases` page and `GET /api/v1/cases`.

One SELECT for the page (the charity is joined into it) and one COUNT, whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import BigInteger, Select, cast, select
from sqlalchemy.orm import contains_eager

from jood.cases.models import Case, CaseStatus, Track
from jood.charities.models import Charity
from jood.money import AmountError, parse_amount_sar
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


def catalog_select(query: CatalogQuery) -> Select:
    statement = (
        select(Case)
        .join(Case.charity)
        .options(contains_eager(Case.charity))
        .where(Case.status == CaseStatus.PUBLISHED.value, Charity.status == "approved")
    )
    if query.q:
        statement = statement.where(Case.search_text.contains(normalize_arabic(query.q), autoescape=True))
    if query.track:
        statement = statement.where(Case.track == query.track)
    if query.region:
        statement = statement.where(Case.region == query.region)
    if query.city:
        statement = statement.where(Case.city == query.city)
    if query.need:
        statement = statement.where(Case.need_level == query.need)
    if query.min_amount is not None:
        statement = statement.where(Case.target_amount >= query.min_amount)
    if query.max_amount is not None:
        statement = statement.where(Case.target_amount <= query.max_amount)
    if query.nearly_funded:
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
    }[query.sort]
    return statement.order_by(*order)


def run(query: CatalogQuery):
    """A Flask-SQLAlchemy Pagination of published cases (two SQL queries: the page and the count)."""
    from jood.extensions import db

    return db.paginate(catalog_select(query), page=query.page, per_page=query.per_page, error_out=False)


def cities() -> list[str]:
    """Cities that have a published case, for the filter's suggestions."""
    from jood.extensions import db

    return list(db.session.scalars(
        select(Case.city).where(Case.status == CaseStatus.PUBLISHED.value).distinct().order_by(Case.city)
    ))

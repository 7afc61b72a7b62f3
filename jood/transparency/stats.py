"""The impact figures as maintained aggregates: one row per Riyadh day x track x region x charity x zakat flag.

Every figure the impact page and ``GET /api/v1/stats`` publish is read from ``impact_daily`` alone, so a page costs
the same with a thousand or a million donations: it reads the aggregate rows of the period, grouped by SQL.

The rows are updated in the same transaction as the change they count, never by a later scan:

- a paid donation and a refund are counted by the paid path (``count_paid``, ``count_refund``, called from
  ``jood/donations/confirm.py``), whichever gateway, webhook or reconciler confirmed them;
- a disbursement, and a follow-up, are counted by the disbursements service that records them
  (``record_disbursement``, ``record_follow_up``);
- ``flask bench-data`` (jood/bench) writes the rows in bulk with the data it generates.

Pool gifts have no region or charity: they are kept under region ``""`` and charity ``0``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from hijridate import Gregorian, Hijri
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Integer,
    String,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from jood.charities.models import Charity
from jood.core.db import insert_new, upsert_adding
from jood.core.errors import DomainError
from jood.core.timezone import display_zone, local_today
from jood.extensions import db

METRICS = (
    "donations",  # gifts: one per donation line (a basket of three cases counts three gifts)
    "donations_amount",  # halalas given (gross, as the donors chose)
    "new_donors",  # donors whose first paid donation fell on this day
    "refunded_amount",  # halalas returned to donors
    "operating_share",  # halalas actually deducted for operating costs (never from zakat)
    "families",  # cases disbursed
    "beneficiaries",  # members of the families whose case was disbursed
    "disbursed_amount",  # halalas paid out
    "follow_ups",  # six- and twelve-month follow-ups recorded
    "follow_ups_housed",  # of which the family was still housed there
)
AMOUNTS = frozenset({"donations_amount", "refunded_amount", "operating_share", "disbursed_amount"})
DIMENSIONS = ("track", "region", "charity", "zakat")
TIME_GROUPS = ("day", "week", "month", "hijri_month")
GROUPS = (*TIME_GROUPS, "track", "region", "charity")
MAX_DAYS = 3 * 366  # the longest period one request may ask for
POOL_REGION = ""
POOL_CHARITY = 0


class ImpactDaily(db.Model):
    __tablename__ = "impact_daily"
    __table_args__ = (
        UniqueConstraint("day", "track", "region", "charity_id", "zakat", name="uq_impact_daily_key"),
        CheckConstraint("track IN ('rent', 'ownership', 'general')", name="track_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)  # Riyadh calendar day
    track: Mapped[str] = mapped_column(String(20))
    region: Mapped[str] = mapped_column(String(30), default=POOL_REGION)
    charity_id: Mapped[int] = mapped_column(Integer, default=POOL_CHARITY)  # no foreign key: 0 means a pool
    zakat: Mapped[bool] = mapped_column(Boolean, default=False)

    donations: Mapped[int] = mapped_column(default=0)
    donations_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    new_donors: Mapped[int] = mapped_column(default=0)
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    operating_share: Mapped[int] = mapped_column(BigInteger, default=0)
    families: Mapped[int] = mapped_column(default=0)
    beneficiaries: Mapped[int] = mapped_column(default=0)
    disbursed_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    follow_ups: Mapped[int] = mapped_column(default=0)
    follow_ups_housed: Mapped[int] = mapped_column(default=0)


class ImpactDonor(db.Model):
    """A keyed hash of each donor identity already counted, so "new donors" costs one primary-key insert."""

    __tablename__ = "impact_donors"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_day: Mapped[date] = mapped_column(Date)


# --- keys and days ---------------------------------------------------------------------------------------------


def riyadh_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(display_zone()).date()


def donor_key(secret: str, user_id: int | None, email: str | None, donation_id: int) -> str:
    """HMAC of the donor's identity: the account, else the e-mail, else the donation itself (a guest without
    e-mail cannot be recognised, so each such donation is its own donor)."""
    if user_id:
        identity = f"user:{user_id}"
    elif email:
        identity = f"email:{email.strip().lower()}"
    else:
        identity = f"donation:{donation_id}"
    return hmac.new(secret.encode(), identity.encode(), hashlib.sha256).hexdigest()


def case_dimension(case) -> tuple[str, str, int]:
    return case.track, case.region, case.charity_id


def pool_dimension(pool: str) -> tuple[str, str, int]:
    return pool, POOL_REGION, POOL_CHARITY


# --- writing -----------------------------------------------------------------------------------------------------


KEYS = ("day", "track", "region", "charity_id", "zakat")


def _upsert_statement():
    """Add a row's metrics to its key's row, creating it when missing: the same statement for every row (metrics
    it does not move add 0), so many rows go in one call."""
    return upsert_adding(ImpactDaily.__tablename__, (*KEYS, *METRICS), KEYS, METRICS)


def _upsert(connection, rows: list[dict], batch: int = 5_000) -> None:
    rows = [{**dict.fromkeys(METRICS, 0), **row} for row in rows]
    for start in range(0, len(rows), batch):
        connection.execute(_upsert_statement(), rows[start:start + batch])


def add(rows: list[dict], session: Session | None = None) -> None:
    """Add metric deltas to the aggregate, in the current unit of work (any number of rows: executemany); the pages
    showing the figures are refreshed once it commits."""
    from jood.cache import refresh

    session = session or db.session
    if rows:
        _upsert(session.connection(), merge_rows(rows))
        refresh("impact")


def merge_rows(rows: list[dict]) -> list[dict]:
    """Sum rows that share a key, so one flush writes each aggregate row once."""
    merged: OrderedDict[tuple, dict] = OrderedDict()
    for row in rows:
        key = (row["day"], row["track"], row["region"], row["charity_id"], bool(row["zakat"]))
        target = merged.setdefault(key, dict(zip(("day", "track", "region", "charity_id", "zakat"), key, strict=True)))
        for metric in METRICS:
            if row.get(metric):
                target[metric] = target.get(metric, 0) + row[metric]
    return list(merged.values())


def _row(day: date, dimension: tuple[str, str, int], zakat: bool, **metrics) -> dict:
    track, region, charity_id = dimension
    return {"day": day, "track": track, "region": region, "charity_id": charity_id, "zakat": zakat, **metrics}


def donation_rows(donation, *, new_donor: bool) -> list[dict]:
    """The aggregate deltas of a donation that has just been paid: one gift per line, the donor on the first."""
    day = riyadh_day(donation.paid_at)
    rows = []
    for index, line in enumerate(donation.lines):
        dimension = case_dimension(line.case) if line.case is not None else pool_dimension(line.pool)
        rows.append(_row(day, dimension, donation.zakat, donations=1, donations_amount=line.amount,
                         operating_share=line.fee or 0, new_donors=1 if new_donor and index == 0 else 0))
    return rows


def refund_rows(donation, parts: list[int], moment: datetime) -> list[dict]:
    """The aggregate deltas of a refund returning ``parts[i]`` halalas of line i."""
    day = riyadh_day(moment)
    return [_row(day, case_dimension(line.case) if line.case is not None else pool_dimension(line.pool),
                 donation.zakat, refunded_amount=part) for line, part in zip(donation.lines, parts, strict=True)
            if part]


def record_disbursement(case, *, zakat_amount: int, other_amount: int, moment: datetime) -> None:
    """A case paid out: one family helped, its members, and the amounts (zakat and other money apart)."""
    day, dimension = riyadh_day(moment), case_dimension(case)
    rows = [_row(day, dimension, False, families=1, beneficiaries=case.family_size, disbursed_amount=other_amount)]
    if zakat_amount:
        rows.append(_row(day, dimension, True, disbursed_amount=zakat_amount))
    add(rows)


def record_follow_up(case, *, housed: bool, moment: datetime) -> None:
    add([_row(riyadh_day(moment), case_dimension(case), False, follow_ups=1, follow_ups_housed=int(housed))])


def _is_new_donor(connection, key: str, day: date) -> bool:
    statement = insert_new(ImpactDonor.__tablename__, ("key", "first_day"), ("key",), "key")
    return connection.execute(statement, {"key": key, "first_day": day}).first() is not None


def count_paid(donation) -> None:
    """A donation has just been paid (``paid_at`` set): one gift per line, and a new donor on their first day."""
    connection = db.session.connection()
    key = donor_key(current_app.config["SECRET_KEY"], donation.user_id, donation.email, donation.id or 0)
    day = riyadh_day(donation.paid_at)
    add(donation_rows(donation, new_donor=_is_new_donor(connection, key, day)))


def count_refund(donation, *, before: int, after: int, moment: datetime) -> None:
    """The refunded total of a donation went from ``before`` to ``after`` halalas: count what went back, per line in
    the order refunds take it (line by line, as ``core.take_in_order``)."""
    from jood.ledger.core import take_in_order

    lines = [(str(index), line.amount) for index, line in enumerate(donation.lines)]
    before_parts = [part for _, part in take_in_order(lines, before)]
    after_parts = [part for _, part in take_in_order(lines, after)]
    add(refund_rows(donation, [a - b for a, b in zip(after_parts, before_parts, strict=True)], moment))


# --- periods -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date  # inclusive, Riyadh days
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def today() -> date:
    return local_today()


def hijri_month_bounds(year: int, month: int) -> Period:
    first = Hijri(year, month, 1)
    start = first.to_gregorian()
    return Period(date(start.year, start.month, start.day),
                  date(start.year, start.month, start.day) + timedelta(days=first.month_length() - 1))


def hijri_month_of(day: date) -> tuple[int, int]:
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return hijri.year, hijri.month


def presets(now: date | None = None) -> list[tuple[str, Period]]:
    """Named periods offered as one click: this month, the last 30 days, Ramadan 1447, the Hijri year, all time."""
    now = now or today()
    year, _ = hijri_month_of(now)
    hijri_start = hijri_month_bounds(year, 1).start
    return [
        ("this_month", Period(now.replace(day=1), now)),
        ("last_30_days", Period(now - timedelta(days=29), now)),
        ("ramadan_1447", hijri_month_bounds(1447, 9)),
        ("hijri_year", Period(hijri_start, now)),
        ("last_year", Period(now - timedelta(days=364), now)),
    ]


class PeriodError(DomainError):
    pass


def parse_period(start_text: str | None, end_text: str | None, *, default: Period | None = None) -> Period:
    """A period from two ISO dates; raises PeriodError for bad, reversed or too long periods."""
    default = default or presets()[1][1]
    try:
        start = date.fromisoformat(start_text) if start_text else default.start
        end = date.fromisoformat(end_text) if end_text else default.end
    except ValueError:
        raise PeriodError("bad_date") from None
    if end < start:
        raise PeriodError("reversed")
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError("too_long")
    return Period(start, end)


# --- reading -------------------------------------------------------------------------------------------------------


def _sums():
    return [func.coalesce(func.sum(getattr(ImpactDaily, m)), 0).label(m) for m in METRICS]


def _in_period(query, period: Period):
    return query.where(ImpactDaily.day >= period.start, ImpactDaily.day <= period.end)


def _as_dict(row, keys) -> dict:
    data = dict(zip(keys, row[: len(keys)], strict=True))
    data.update({m: int(getattr(row, m)) for m in METRICS})
    return data


def grouped(period: Period, dimension: str) -> list[dict]:
    """One SQL query: the period's aggregate rows summed per day, track, region, charity or zakat flag."""
    if dimension == "charity":
        query = (select(ImpactDaily.charity_id, Charity.name_ar, Charity.name_en, *_sums())
                 .outerjoin(Charity, Charity.id == ImpactDaily.charity_id)
                 .group_by(ImpactDaily.charity_id, Charity.name_ar, Charity.name_en))
        keys = ("key", "name_ar", "name_en")
    else:
        column = {"day": ImpactDaily.day, "track": ImpactDaily.track, "region": ImpactDaily.region,
                  "zakat": ImpactDaily.zakat}[dimension]
        query = select(column, *_sums()).group_by(column).order_by(column)
        keys = ("key",)
    rows = [_as_dict(row, keys) for row in db.session.execute(_in_period(query, period))]
    if dimension == "zakat":
        for row in rows:
            row["key"] = bool(row["key"])
    if dimension == "charity":
        rows.sort(key=lambda row: (-row["donations_amount"], row["key"]))
    return rows


def total(rows: list[dict]) -> dict:
    return {m: sum(row[m] for row in rows) for m in METRICS}


def _bucket(day: date, group: str) -> tuple:
    if group == "week":  # weeks start on Sunday, as the Saudi working week does
        start = day - timedelta(days=(day.weekday() + 1) % 7)
        return (start,)
    if group == "month":
        return (day.year, day.month)
    if group == "hijri_month":
        return hijri_month_of(day)
    return (day,)


def timeline(day_rows: list[dict], group: str) -> list[dict]:
    """Fold daily rows (already summed by SQL) into weeks, Gregorian months or Hijri months, oldest first."""
    buckets: OrderedDict[tuple, dict] = OrderedDict()
    for row in sorted(day_rows, key=lambda r: r["key"]):
        day = row["key"] if isinstance(row["key"], date) else date.fromisoformat(str(row["key"]))
        bucket = buckets.setdefault(_bucket(day, group), {"key": _bucket(day, group), **dict.fromkeys(METRICS, 0)})
        for metric in METRICS:
            bucket[metric] += row[metric]
    return list(buckets.values())


def bucket_label(key: tuple, group: str, language: str) -> str:
    from jood.i18n import gregorian_date

    if group == "hijri_month":
        year, month = key
        name = Hijri(year, month, 1).month_name("ar" if language == "ar" else "en")
        return f"{name} {year}" + (" هـ" if language == "ar" else " AH")
    if group == "month":
        from babel.dates import format_date

        return format_date(date(key[0], key[1], 1), "MMMM y", locale="ar_SA" if language == "ar" else "en")
    return gregorian_date(key[0], language)


def bucket_code(key: tuple, group: str) -> str:
    """A stable machine form of a bucket for the API and CSV: 2026-03-01, 2026-03, 1447-09."""
    if group in ("month", "hijri_month"):
        return f"{key[0]:04d}-{key[1]:02d}"
    return key[0].isoformat()


def visitor_counts(start: date, end: date) -> tuple[int, int]:
    """(unique visitors, page views) for the period, from the cookieless daily counts (jood/transparency/visitors.py).

    Unique visitors are summed per day: a person returning on another day counts again (no cross-day identifier
    is ever kept).
    """
    from jood.transparency import visitors

    counted = visitors.totals(start, end)
    return counted.visitors, counted.page_views


def impact(period: Period, time_group: str = "day") -> dict:
    """Everything the impact page shows for a period: five small grouped queries on the aggregate table."""
    by_day = grouped(period, "day")
    by_zakat = grouped(period, "zakat")
    figures = {
        "period": period,
        "totals": total(by_zakat),
        "zakat": next((row for row in by_zakat if row["key"]), dict.fromkeys(METRICS, 0)),
        "sadaqah": next((row for row in by_zakat if not row["key"]), dict.fromkeys(METRICS, 0)),
        "by_track": grouped(period, "track"),
        "by_region": grouped(period, "region"),
        "by_charity": grouped(period, "charity"),
        "timeline": timeline(by_day, time_group),
        "time_group": time_group,
        "visitors": visitor_counts(period.start, period.end),
    }
    return figures

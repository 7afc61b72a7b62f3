"""`flask bench-data`: fill a database fast with charities, published cases and paid donations, keeping the ledger
valid, so page costs can be measured at a million donations (tools/bench.py runs it).

Everything a real paid donation writes is written here too, in bulk: donations, lines, payments, one ``payment``
ledger transaction each (drafted and sealed by the ledger's own ``core.seal``, in seq order, after the current
head), its entries, account balances, the chain head, the case counters (raised, donor count, funded status) and
the impact aggregates. Only the writing is bulk: rows are inserted without the ORM. The
ledger head is locked for the whole run, so live writers wait rather than fork the chain. PostgreSQL is written with
COPY; SQLite with executemany. ``flask ledger verify`` is green afterwards.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import JSON, select, text, update

from jood.cases.models import Case, CaseStatus
from jood.charities.models import Charity, CharityStatus
from jood.donations.models import Donation, DonationLine
from jood.extensions import db
from jood.ledger import core
from jood.ledger.models import AccountBalance, LedgerEntry, LedgerHead, LedgerTransaction
from jood.ledger.services import HEAD_ID, lock_head
from jood.payments.models import Payment
from jood.payments.states import PaymentStatus
from jood.regions import REGIONS
from jood.transparency import stats

CHUNK = 50_000  # donations generated and written per round
GATEWAY = "sandbox"
GIFTS_SAR = {
    "typical": (10, 20, 50, 100, 100, 200, 500, 1000),
    "small": (5, 5, 10, 10, 10, 20, 20, 50),
}


@dataclass
class _Case:
    id: int
    code: str
    track: str
    region: str
    charity_id: int
    family_size: int
    target: int
    raised: int = 0
    donors: int = 0
    funded_at: datetime | None = None


@dataclass
class Report:
    charities: int = 0
    cases: int = 0
    donations: int = 0
    transactions: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


# --- writing rows in bulk ------------------------------------------------------------------------------------------


def _defaults(table, given: set[str]) -> dict:
    """Values for the columns a row leaves out, from the model's own defaults (so new columns keep working)."""
    values = {}
    for column in table.columns:
        if column.name in given or column.default is None:
            continue
        arg = column.default.arg
        values[column.name] = arg(None) if callable(arg) else arg
    return values


def _write(table, rows: list[dict]) -> None:
    if not rows:
        return
    extra = _defaults(table, set(rows[0]))
    columns = [*rows[0], *extra]
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}

        def cell(name, value):
            if isinstance(value, datetime):
                return value.astimezone(UTC).replace(tzinfo=None)
            if name in json_columns:
                return json.dumps(value)
            return value

        raw = connection.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([cell(name, row[name] if name in row else extra[name]) for name in columns])
    else:
        for start in range(0, len(rows), 10_000):
            connection.execute(table.insert(), [{**extra, **row} for row in rows[start:start + 10_000]])


def _next_id(model) -> int:
    return (db.session.scalar(select(db.func.max(model.id))) or 0) + 1


def _fix_sequences(models) -> None:
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        name = model.__tablename__
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 - our names
                                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"))


# --- the run -------------------------------------------------------------------------------------------------------


def generate(cases: int, donations: int, *, seed: int | None = None, days: int = 365, gifts: str = "typical",
             progress: Callable[[str], None] = lambda message: None) -> Report:
    """Insert ``cases`` published cases and ``donations`` paid donations; the caller commits."""
    rng = random.Random(seed)  # noqa: S311 - benchmark data, not secrets
    report, started = Report(), time.monotonic()
    tag = secrets.token_hex(3)
    head = lock_head()
    seq, prev_hash = head.seq, head.hash
    now = datetime.now(UTC).replace(microsecond=0)

    # Charities, one region each; cases in their charity's region.
    charity_count = max(3, cases // 200)
    first_charity = _next_id(Charity)
    regions = list(REGIONS)
    charity_rows = [{"id": first_charity + n, "slug": f"bench-{tag}-{n}", "name_ar": f"جمعية قياس {n + 1}",
                     "name_en": f"Benchmark charity {n + 1}", "licence_number": f"B-{tag}-{n}",
                     "region": regions[n % len(regions)], "city": "—", "contact_email": f"c{n}@bench.invalid",
                     "contact_phone": "0110000000", "status": CharityStatus.APPROVED.value, "created_at": now,
                     "approved_at": now}
                    for n in range(charity_count)]
    _write(Charity.__table__, charity_rows)
    report.charities = charity_count

    first_case = _next_id(Case)
    plan: list[_Case] = []
    case_rows = []
    opened = now - timedelta(days=days + 1)
    for n in range(cases):
        charity = charity_rows[n % charity_count]
        track = "rent" if rng.random() < 0.7 else "ownership"
        target = rng.randrange(5_000, 30_001 if track == "rent" else 60_001, 500) * 100
        item = _Case(first_case + n, f"BN-{tag}-{n:06d}", track, charity["region"], charity["id"],
                     rng.randint(1, 10), target)
        plan.append(item)
        case_rows.append({"id": item.id, "code": item.code, "charity_id": item.charity_id, "track": track,
                          "status": CaseStatus.PUBLISHED.value, "region": item.region, "city": "—",
                          "family_size": item.family_size,
                          "public_summary": "أسرة تحتاج إلى دعم السكن.", "target_amount": target, "raised_amount": 0,
                          "disbursed_amount": 0, "donor_count": 0, "zakat_eligible": True,
                          "priority_total": rng.randint(0, 60), "priority_breakdown": {},
                          "monthly_income": rng.randint(0, 9000), "applicant_age": rng.randint(20, 80),
                          "created_at": opened, "updated_at": opened, "situation_updated_at": opened,
                          "submitted_at": opened, "published_at": opened})
    _write(Case.__table__, case_rows)
    report.cases = cases
    report.timings["charities_and_cases"] = round(time.monotonic() - started, 2)

    # Donations, oldest first, so seq order follows time.
    open_cases = list(range(len(plan)))
    moments = sorted(now - timedelta(seconds=rng.randrange(3600, days * 86_400)) for _ in range(donations))
    balances: dict[str, int] = defaultdict(int)
    aggregates: dict[tuple, dict] = {}
    secret = current_app.config["SECRET_KEY"]
    donor_pool = max(1, donations // 3)
    seen_donors: set[int] = set()
    donor_keys: list[dict] = []
    ids = {"donation": _next_id(Donation), "line": _next_id(DonationLine), "payment": _next_id(Payment),
           "tx": _next_id(LedgerTransaction), "entry": _next_id(LedgerEntry)}

    for chunk_start in range(0, donations, CHUNK):
        rows: dict[str, list[dict]] = defaultdict(list)
        for moment in moments[chunk_start:chunk_start + CHUNK]:
            moment = moment.replace(microsecond=0)
            zakat = rng.random() < 0.2
            amount = rng.choice(GIFTS_SAR[gifts]) * 100
            target_case = None
            if open_cases:
                index = rng.randrange(len(open_cases))
                target_case = plan[open_cases[index]]
                amount = min(amount, target_case.target - target_case.raised)
            if target_case is None:
                pool = rng.choice(core.POOL_TRACKS)
                account, dimension = core.pool_account(pool, zakat), stats.pool_dimension(pool)
            else:
                account = core.case_account(target_case.code, zakat)
                dimension = stats.case_dimension(target_case)
                target_case.raised += amount
                target_case.donors += 1
                if target_case.raised == target_case.target:
                    target_case.funded_at = moment
                    open_cases[index] = open_cases[-1]  # no longer open: swap it out in O(1)
                    open_cases.pop()
            donation_id, tx_id = ids["donation"], ids["tx"]
            ids["donation"] += 1
            ids["tx"] += 1
            reference = f"JD-{moment.year}-{donation_id:06d}"
            donor = rng.randrange(donor_pool)
            email = f"donor{donor}-{tag}@bench.invalid"
            rows["donations"].append({
                "id": donation_id, "reference": reference, "receipt_token": f"bench-{tag}-{donation_id}",
                "user_id": None, "email": email, "display_name": "", "anonymous": True, "zakat": zakat,
                "operating_bp": 0, "amount": amount, "fee_amount": 0, "language": "ar", "created_at": moment,
                "paid_at": moment})
            rows["lines"].append({
                "id": ids["line"], "donation_id": donation_id, "case_id": target_case.id if target_case else None,
                "pool": None if target_case else pool, "amount": amount, "to_case": amount if target_case else 0,
                "to_pool": 0 if target_case else amount, "fee": 0})
            ids["line"] += 1
            rows["payments"].append({
                "id": ids["payment"], "donation_id": donation_id, "gateway": GATEWAY,
                "status": PaymentStatus.PAID.value, "amount": amount, "currency": "SAR", "created_at": moment,
                "updated_at": moment, "paid_at": moment})
            ids["payment"] += 1
            draft = core.TransactionDraft(
                "payment", (core.credit(core.clearing_account(GATEWAY), amount), core.debit(account, amount)),
                memo=f"bench donation {reference}", reference=reference)
            seq += 1
            sealed = core.seal(draft, seq=seq, created_at=core.format_timestamp(moment), prev_hash=prev_hash)
            rows["tx"].append({"id": tx_id, "seq": sealed.seq, "kind": sealed.kind, "created_at": moment,
                               "prev_hash": sealed.prev_hash, "hash": sealed.hash, "memo": sealed.memo,
                               "reference": sealed.reference})
            prev_hash = sealed.hash
            for posting in sealed.postings:
                rows["entries"].append({"id": ids["entry"], "transaction_id": tx_id, "account": posting.account,
                                        "amount": posting.amount})
                ids["entry"] += 1
                balances[posting.account] += posting.amount
            new_donor = donor not in seen_donors
            if new_donor:
                seen_donors.add(donor)
                key = stats.donor_key(secret, None, email, donation_id)
                donor_keys.append({"key": key, "first_day": stats.riyadh_day(moment)})
            day = stats.riyadh_day(moment)
            slot = aggregates.setdefault((day, *dimension, zakat), dict.fromkeys(stats.METRICS, 0))
            slot["donations"] += 1
            slot["donations_amount"] += amount
            slot["new_donors"] += int(new_donor)
        _write(Donation.__table__, rows["donations"])
        _write(DonationLine.__table__, rows["lines"])
        _write(Payment.__table__, rows["payments"])
        _write(LedgerTransaction.__table__, rows["tx"])
        _write(LedgerEntry.__table__, rows["entries"])
        report.donations += len(rows["donations"])
        report.transactions += len(rows["tx"])
        progress(f"{report.donations} donations written ({time.monotonic() - started:.1f}s)")
    report.timings["donations_and_ledger"] = round(time.monotonic() - started, 2)

    # Counters kept equal to the ledger: balances, head, cases; then the aggregates.
    existing = dict(db.session.execute(select(AccountBalance.account, AccountBalance.balance)
                                       .where(AccountBalance.account.in_(
                                           [a for a in balances if not a.startswith("case:")]))).all())
    for account, delta in balances.items():
        if account in existing:
            db.session.execute(update(AccountBalance).where(AccountBalance.account == account)
                               .values(balance=AccountBalance.balance + delta))
    _write(AccountBalance.__table__, [{"account": a, "balance": d} for a, d in balances.items() if a not in existing])
    db.session.execute(update(LedgerHead).where(LedgerHead.id == HEAD_ID).values(seq=seq, hash=prev_hash))
    case_updates = [{"case_id": c.id, "raised": c.raised, "donors": c.donors,
                     "status": (CaseStatus.FUNDED if c.funded_at else CaseStatus.PUBLISHED).value,
                     "funded_at": c.funded_at}
                    for c in plan if c.raised]
    table = Case.__table__
    statement = (table.update().where(table.c.id == db.bindparam("case_id"))
                 .values(raised_amount=db.bindparam("raised"), donor_count=db.bindparam("donors"),
                         status=db.bindparam("status"), funded_at=db.bindparam("funded_at")))
    for start in range(0, len(case_updates), 5_000):
        db.session.connection().execute(statement, case_updates[start:start + 5_000])
    _write(stats.ImpactDonor.__table__, donor_keys)
    stats.add([{"day": key[0], "track": key[1], "region": key[2], "charity_id": key[3], "zakat": key[4],
                     **metrics} for key, metrics in aggregates.items()])
    _fix_sequences([Charity, Case, Donation, DonationLine, Payment, LedgerTransaction, LedgerEntry])
    db.session.expire_all()
    report.seconds = round(time.monotonic() - started, 2)
    report.timings["total"] = report.seconds
    return report

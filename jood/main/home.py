"""What the home page shows: headline figures from the daily aggregates, the cases of the day (jood/cases/daily.py)
and each track's pool. Reads only (five small queries, their statements built once per process: building them cost
more app CPU than running them); the page is cached like the other public pages."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Select, func, select

from jood.cases.models import Case, CaseStatus
from jood.charities.models import Charity, CharityStatus
from jood.extensions import db
from jood.ledger import core
from jood.ledger.models import AccountBalance

TRACKS = ("rent", "ownership")


@lru_cache(maxsize=1)
def _figures_statement() -> Select:
    from jood.transparency.stats import ImpactDaily

    return select(
        func.coalesce(func.sum(ImpactDaily.families), 0), func.coalesce(func.sum(ImpactDaily.beneficiaries), 0),
        func.coalesce(func.sum(ImpactDaily.new_donors), 0), func.coalesce(func.sum(ImpactDaily.donations_amount), 0),
    )


def headline_figures() -> dict[str, int]:
    """All-time totals from the maintained aggregate table: families housed, beneficiaries, donors, SAR given."""
    row = db.session.execute(_figures_statement()).one()
    return {"families": int(row[0]), "beneficiaries": int(row[1]), "donors": int(row[2]), "given": int(row[3])}


def _pool_accounts() -> dict[str, tuple[str, str]]:
    return {track: (core.pool_account(track), core.pool_account(track, zakat=True)) for track in TRACKS}


@lru_cache(maxsize=1)
def _pool_statements() -> tuple[Select, Select]:
    needs = (select(Case.track, func.coalesce(func.sum(Case.target_amount - Case.raised_amount), 0), func.count())
             .where(Case.status == CaseStatus.PUBLISHED.value).group_by(Case.track))
    codes = [code for pair in _pool_accounts().values() for code in pair]
    balances = select(AccountBalance.account, AccountBalance.balance).where(AccountBalance.account.in_(codes))
    return needs, balances


def track_pools() -> list[dict]:
    """Each track's pool (zakat and other money) beside what its published cases still need."""
    needs_statement, balances_statement = _pool_statements()
    needs = {track: (int(needed), int(count)) for track, needed, count in db.session.execute(needs_statement)}
    accounts = _pool_accounts()
    balances = dict(db.session.execute(balances_statement).all())
    return [{"track": track, "held": sum(balances.get(code, 0) for code in accounts[track]),
             "needed": needs.get(track, (0, 0))[0], "cases": needs.get(track, (0, 0))[1]} for track in TRACKS]


@lru_cache(maxsize=1)
def _partners_statement() -> Select:
    return select(func.count()).select_from(Charity).where(Charity.status == CharityStatus.APPROVED.value)


def partner_count() -> int:
    return db.session.scalar(_partners_statement())

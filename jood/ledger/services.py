"""Writing and checking the stored ledger. Every function here flushes; the caller (view or CLI) commits once.

Lock order, everywhere money moves: the ledger head first (``lock_head``), then the payment, then case rows.
Because every append holds the head lock until commit, appends are serialised and the chain has exactly one head.

Donation confirmations are the exception that keeps them fast: they lock only their payment and case rows, move the
case counters, and ``enqueue`` their transactions. ``commit()`` then hands the queue to the writer (``post_queue``),
which seals every queued transaction under one head lock and one commit. Whoever takes the head posts the queue
first, so a holder of the head always sees the complete ledger.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from jood.cache import refresh
from jood.cases.catalog import neediest_order
from jood.cases.models import Case, CaseStatus, Track
from jood.cases.workflow import follow_the_money
from jood.core.db import insert_now, upsert_adding, upsert_insert, utcnow, write_now
from jood.extensions import db
from jood.ledger import core
from jood.ledger.models import (
    AccountBalance,
    LedgerEntry,
    LedgerHead,
    LedgerTransaction,
    QueuedTransaction,
    parse_postings,
)

log = logging.getLogger(__name__)

HEAD_ID = 1
HEAD_HELD = "jood_ledger_head_held"  # session.info key: the head row locked by the current transaction
CASES_HELD = "jood_ledger_cases_held"  # session.info key: {code: Case} rows locked by the current transaction
QUEUED = "jood_ledger_queued"  # session.info key: this unit of work queued transactions (seal them after commit)
POSTED = "jood_ledger_posted"  # session.info key: how many queued transactions taking the head sealed
POOLS_FED = "jood_ledger_pools_fed"  # session.info key: the writer posted money into a pool (allocate it)
POST_BATCH = 2_000  # queued transactions sealed per round trip of inserts
QUEUE_STALE_AFTER = timedelta(minutes=5)  # a queued transaction older than this means no writer is running


# --- appending -----------------------------------------------------------------------------------------------


def lock_head() -> LedgerHead:
    """Take the ledger's single write lock for the rest of the unit of work and return the head row.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the one head row. SQLite: the insert-or-ignore below is a write, so it
    takes SQLite's database write lock (other writers wait up to busy_timeout), which serialises appends too.

    Taken once per unit of work: a second call in the same transaction returns the row already held (the lock
    lasts until commit or rollback), so the lock is held for as few statements as possible.
    """
    held = db.session.info.get(HEAD_HELD)
    if held is not None and held in db.session:
        if db.session.info.pop(QUEUED, None):  # queued since the head was taken: seal them before anything else
            db.session.info[POSTED] = db.session.info.get(POSTED, 0) + _post_queued(held)
        return held
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        db.session.execute(upsert_insert(dialect, LedgerHead).values(id=HEAD_ID, seq=0, hash=core.GENESIS_HASH)
                           .on_conflict_do_nothing())
        db.session.execute(update(LedgerHead).where(LedgerHead.id == HEAD_ID).values(seq=LedgerHead.seq))
    locking = select(LedgerHead).where(LedgerHead.id == HEAD_ID).with_for_update().execution_options(
        populate_existing=True)
    head = db.session.execute(locking).scalar_one_or_none()
    if head is None:  # the very first append: create the head row (concurrent creators: one insert wins)
        db.session.execute(upsert_insert(dialect, LedgerHead).values(id=HEAD_ID, seq=0, hash=core.GENESIS_HASH)
                           .on_conflict_do_nothing())
        head = db.session.execute(locking).scalar_one()
    return _hold(head)


def _hold(head: LedgerHead) -> LedgerHead:
    """Remember the held head for this transaction, then seal whatever is queued: the holder sees every payment."""
    db.session.info[HEAD_HELD] = head
    db.session.info.pop(QUEUED, None)  # sealed now, with everyone else's
    db.session.info[POSTED] = _post_queued(head)
    return head


@event.listens_for(Session, "after_transaction_end")
def _release_head(session, transaction) -> None:
    """Forget the held head when the transaction ends, or a savepoint does (a rolled-back savepoint releases the
    locks taken inside it; after a released one, locking again costs one statement and is always safe)."""
    if transaction.parent is None or transaction.nested:
        session.info.pop(HEAD_HELD, None)
        session.info.pop(CASES_HELD, None)
    if transaction.parent is None:
        session.info.pop(POOLS_FED, None)
        session.info.pop(POSTED, None)


@event.listens_for(Session, "after_rollback")
def _forget_queued(session) -> None:
    session.info.pop(QUEUED, None)


def lock_case(case_id: int) -> Case:
    """The case row, locked and re-read from the database (never a stale copy from the session)."""
    case = db.session.execute(
        select(Case).where(Case.id == case_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    db.session.info.setdefault(CASES_HELD, {})[case.code] = case
    return case


def _locked_case_by_code(code: str) -> Case:
    """The case row locked for this transaction: the copy already locked (and so current), else lock it now."""
    case = db.session.info.get(CASES_HELD, {}).get(code)
    if case is not None and case in db.session:
        return case
    case = db.session.execute(
        select(Case).where(Case.code == code).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
    db.session.info.setdefault(CASES_HELD, {})[code] = case
    return case


def append(draft: core.TransactionDraft) -> LedgerTransaction:
    """Seal ``draft`` after the current head, store it with its entries and update every counter it moves."""
    head = lock_head()  # seals what is queued, this unit of work's own confirmations included: they come first
    created = utcnow().replace(microsecond=0)
    row = _seal_after(head, draft, created)
    _add_to_balances(core.balances(draft.postings))
    _update_case_counters(draft.postings)
    db.session.flush()
    return row


def _seal_after(head: LedgerHead, draft: core.TransactionDraft, created) -> LedgerTransaction:
    """Chain ``draft`` after ``head``, add the row with its entries to the session and move the head."""
    sealed = core.seal(draft, seq=head.seq + 1, created_at=core.format_timestamp(created), prev_hash=head.hash)
    row = LedgerTransaction(
        seq=sealed.seq,
        kind=sealed.kind,
        created_at=created,
        prev_hash=sealed.prev_hash,
        hash=sealed.hash,
        memo=sealed.memo[:300],
        reference=sealed.reference,
    )
    row.entries = [LedgerEntry(account=p.account, amount=p.amount) for p in sealed.postings]
    db.session.add(row)
    head.seq, head.hash = sealed.seq, sealed.hash
    refresh("ledger", "catalog", *_case_tags(draft.postings))  # the public ledger, pools, the cases' histories
    return row


def _case_tags(postings: Iterable[core.Posting]) -> set[str]:
    return {f"case:{account.ident}" for account in map(core.parse_account, (p.account for p in postings))
            if account.kind in ("case", "disbursed")}


# --- the queue: fast confirmations -----------------------------------------------------------------------------


def enqueue(draft: core.TransactionDraft) -> None:
    """Queue ``draft`` for the writer and move its case counters now, without taking the head.

    The caller holds the rows of the cases it credits (``lock_case``): counters and the over-funding CHECK are
    settled here, in the confirming transaction; only the sealing waits for ``post_queue``. The draft is validated
    now, so a bad draft fails its own request instead of blocking the queue.
    """
    core.validate(draft)
    _update_case_counters(draft.postings)
    insert_now(QueuedTransaction, **QueuedTransaction.values_of(draft))
    db.session.info[QUEUED] = True


def _post_queued(head: LedgerHead) -> int:
    """Seal every queued transaction after ``head``, oldest first, with one balance upsert per batch."""
    posted = 0
    while rows := db.session.scalars(select(QueuedTransaction).order_by(QueuedTransaction.id)
                                     .limit(POST_BATCH)).all():
        created = utcnow().replace(microsecond=0)
        drafts = [queued.draft() for queued in rows]
        for draft in drafts:
            _seal_after(head, draft, created)
        moved = core.balances(posting for draft in drafts for posting in draft.postings)
        _add_to_balances(moved)
        db.session.execute(delete(QueuedTransaction).where(QueuedTransaction.id.in_([row.id for row in rows])),
                           execution_options={"synchronize_session": False})
        for queued in rows:
            db.session.expunge(queued)
        db.session.flush()
        posted += len(rows)
        if any(core.parse_account(account).kind == "pool" and amount > 0 for account, amount in moved.items()):
            db.session.info[POOLS_FED] = True
        if len(rows) < POST_BATCH:
            break
    return posted


def post_queue(*, allocate: bool = False) -> int:
    """The ledger writer: take the head, which seals everything queued, and commit; returns how many were sealed.

    Confirmations call this right after committing. While one of them holds the head the others wait for it (a
    blocked lock costs no CPU); the next to get it finds the queue empty, or holding every confirmation that
    committed meanwhile, and seals them all with one commit: batches form by themselves under load. Money that
    entered a pool is allocated to cases in the same unit of work.
    """
    try:
        lock_head()
        posted = db.session.info.pop(POSTED, 0)
        if db.session.info.pop(POOLS_FED, False) or allocate:
            allocate_pools()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return posted


def commit() -> None:
    """Commit the unit of work, then see its queued transactions sealed onto the chain before returning (unless a
    writer process seals them: ``LEDGER_SEAL_IN_REQUEST`` off, ``write_continuously``).

    If sealing fails, the confirmation stays committed and queued: the next holder of the head seals it.
    """
    queued, fed = db.session.info.pop(QUEUED, None), db.session.info.pop(POOLS_FED, False)
    db.session.commit()
    if queued and not fed and not current_app.config["LEDGER_SEAL_IN_REQUEST"]:
        return
    if queued or fed:
        try:
            post_queue(allocate=fed)
        except Exception:
            db.session.rollback()
            (current_app.logger if has_app_context() else log).exception("ledger writer failed; the queue waits")


def write_continuously(*, every: float = 0.2, seconds: float = 0, once: bool = False) -> int:
    """The ledger writer process (``flask ledger write``): seal whatever is queued, then again every `every` seconds
    while nothing was queued; returns how many it sealed. Several writers are safe (the head lock serialises them);
    one is enough. Stops after `seconds` (0: never) or one round (`once`)."""
    started, sealed = time.monotonic(), 0
    while True:
        posted = post_queue()
        sealed += posted
        db.session.remove()
        if once or (seconds and time.monotonic() - started >= seconds):
            return sealed
        if not posted:
            time.sleep(every)


def queued_postings() -> dict[str, int]:
    """Sum per account of what is queued but not sealed yet (``verify`` adds it to the case counters' side)."""
    return core.balances(posting for (text,) in db.session.execute(select(QueuedTransaction.postings))
                         for posting in parse_postings(text))


def _add_to_balances(moved: dict[str, int]) -> None:
    """One atomic upsert for every account moved (balance = balance + amount in the database)."""
    moved = {account: amount for account, amount in moved.items() if amount}
    if not moved:
        return
    connection = db.session.connection()
    connection.execute(_balance_upsert(connection.dialect.name),
                       [{"account": account, "balance": amount} for account, amount in sorted(moved.items())])
    for account in moved:  # a copy already in the session is now stale: reload it on next access
        cached = db.session.identity_map.get(db.session.identity_key(AccountBalance, account))
        if cached is not None:
            db.session.expire(cached)


def _balance_upsert(dialect: str):
    """Accounts in sorted order (the caller sorts), so concurrent writers never deadlock."""
    return upsert_adding(AccountBalance.__tablename__, ("account", "balance"), ("account",), ("balance",))


def _update_case_counters(postings: Iterable[core.Posting]) -> None:
    """raised = held + disbursed, disbursed = disbursed; then move the case between published and funded."""
    raised: dict[str, int] = defaultdict(int)
    disbursed: dict[str, int] = defaultdict(int)
    for posting in postings:
        account = core.parse_account(posting.account)
        if account.kind in ("case", "disbursed"):
            raised[account.ident] += posting.amount
        if account.kind == "disbursed":
            disbursed[account.ident] += posting.amount
    for code, delta in raised.items():
        case = _locked_case_by_code(code)
        # One UPDATE of the locked row now (with its other pending changes, such as the donor count), not a flush.
        write_now(case, raised_amount=case.raised_amount + delta,
                  disbursed_amount=case.disbursed_amount + disbursed.get(code, 0))
        follow_the_money(case)  # the case workflow decides whether it is now funded, or open again
    if raised:
        refresh("catalog", *(f"case:{code}" for code in raised))


def balance(account: str) -> int:
    return db.session.scalar(select(AccountBalance.balance).where(AccountBalance.account == account)) or 0


def case_held(case: Case, zakat: bool) -> int:
    return balance(core.case_account(case.code, zakat))


# --- pools -----------------------------------------------------------------------------------------------------


def _neediest_first(track: str | None, zakat: bool) -> list[Case]:
    """The published cases a pool may fund, locked, in the catalog's neediest-first order (one definition)."""
    query = select(Case).where(Case.status == CaseStatus.PUBLISHED.value, Case.raised_amount < Case.target_amount)
    if track is not None:
        query = query.where(Case.track == track)
    if zakat:
        query = query.where(Case.zakat_eligible.is_(True))
    query = query.order_by(*neediest_order())
    return list(db.session.scalars(query.with_for_update().execution_options(populate_existing=True)))


def allocate_pools() -> list[LedgerTransaction]:
    """Move pooled money to published cases, neediest first (priority points, then the regulation's tie-breaks).

    Track pools go to that track's cases, the general pool to any case; zakat pools only to zakat-eligible cases.
    One ledger transaction per case, so each allocation shows in that case's history.
    """
    lock_head()
    done: list[LedgerTransaction] = []
    for track in (*[t.value for t in Track], "general"):
        for zakat in (False, True):
            pool = core.pool_account(track, zakat)
            available = balance(pool)
            if available <= 0:
                continue
            cases = _neediest_first(None if track == "general" else track, zakat)
            needs = [(case, case.room_for(zakat=zakat)) for case in cases]
            for case, amount in core.allocate_pool(available, needs):
                draft = core.transfer("allocation", pool, core.case_account(case.code, zakat), amount,
                                      memo=f"allocation from {pool} to {case.code}")
                done.append(append(draft))
    return done


def move_case_money_to_pool(case: Case, *, kind: str = "cancellation", memo: str = "") -> list[LedgerTransaction]:
    """Move everything a case still holds (zakat and other money apart) to its track's pool."""
    lock_head()
    moved = []
    for zakat in (False, True):
        held = case_held(case, zakat)
        if held > 0:
            draft = core.transfer(kind, core.case_account(case.code, zakat), core.pool_account(case.track, zakat),
                                  held, memo=memo or f"{kind}: {case.code} to the {case.track} pool")
            moved.append(append(draft))
    return moved


def record_disbursement(case: Case, amount: int, *, zakat: bool = False, memo: str = "") -> LedgerTransaction:
    """Money paid out for a case (called by the disbursements feature); never more than the case holds."""
    lock_head()
    held = case_held(case, zakat)
    if amount > held:
        raise core.LedgerError("insufficient", f"{case.code} holds {held}, cannot disburse {amount}")
    draft = core.transfer("disbursement", core.case_account(case.code, zakat), core.disbursed_account(case.code, zakat),
                          amount, memo=memo or f"disbursement for {case.code}")
    return append(draft)


# --- reading -----------------------------------------------------------------------------------------------------


def public_transaction(row: LedgerTransaction) -> dict:
    """A transaction as the public sees it (and tools/verify_ledger.py reads it): no memo, no reference."""
    return {
        "seq": row.seq,
        "kind": row.kind,
        "created_at": core.format_timestamp(row.created_at),
        "postings": [{"account": e.account, "amount": e.amount} for e in row.entries],
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


def account_transactions(accounts: Iterable[str], limit: int = 100) -> list[dict]:
    """The public form of the transactions touching any of ``accounts`` (a case's history), newest first."""
    ids = select(LedgerEntry.transaction_id).where(LedgerEntry.account.in_(list(accounts)))
    rows = db.session.scalars(
        select(LedgerTransaction).where(LedgerTransaction.id.in_(ids)).order_by(LedgerTransaction.seq.desc())
        .limit(limit)
    )
    return [public_transaction(row) for row in rows]


def case_history(case: Case) -> list[dict]:
    return account_transactions([core.case_account(case.code, z) for z in (False, True)]
                                + [core.disbursed_account(case.code, z) for z in (False, True)])


# --- verifying -------------------------------------------------------------------------------------------------


def _stream_public(batch: int = 10_000):
    """Every transaction in chain order as its public dict, read in batches of plain rows.

    A million transactions must not become a million ORM objects (or one lazy load each): entries are joined to
    their transaction and grouped by seq as they stream past.
    """
    query = (
        select(LedgerTransaction.seq, LedgerTransaction.kind, LedgerTransaction.created_at,
               LedgerTransaction.prev_hash, LedgerTransaction.hash, LedgerEntry.account, LedgerEntry.amount)
        .outerjoin(LedgerEntry, LedgerEntry.transaction_id == LedgerTransaction.id)  # keep entry-less ones
        .order_by(LedgerTransaction.seq, LedgerEntry.id)
        .execution_options(yield_per=batch)
    )
    current = None
    for seq, kind, created_at, prev_hash, hash_, account, amount in db.session.execute(query):
        if current is None or current["seq"] != seq:
            if current is not None:
                yield current
            current = {"seq": seq, "kind": kind, "created_at": core.format_timestamp(created_at),
                       "postings": [], "prev_hash": prev_hash, "hash": hash_}
        if account is not None:
            current["postings"].append({"account": account, "amount": amount})
    if current is not None:
        yield current


def verify() -> list[str]:
    """Every problem with the stored ledger, in words: chain, balance of each transaction, counters."""
    problems: list[str] = []
    last = {"seq": 0, "hash": core.GENESIS_HASH}

    def remember_last(items):
        for item in items:
            last.update(seq=item["seq"], hash=item["hash"])
            yield item

    problems += [str(problem) for problem in core.verify_chain(remember_last(_stream_public()))]
    head = db.session.get(LedgerHead, HEAD_ID)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, core.GENESIS_HASH)
    last_seq, last_hash = last["seq"], last["hash"]
    if (head_seq, head_hash) != (last_seq, last_hash):
        problems.append(f"head: ledger_head says seq {head_seq} {head_hash}, "
                        f"last transaction is {last_seq} {last_hash}")

    sums = dict(db.session.execute(select(LedgerEntry.account, func.sum(LedgerEntry.amount))
                                   .group_by(LedgerEntry.account)).all())
    counters = dict(db.session.execute(select(AccountBalance.account, AccountBalance.balance)).all())
    for account in sorted(set(sums) | set(counters)):
        if int(sums.get(account) or 0) != int(counters.get(account) or 0):
            problems.append(f"balance: {account} counter {counters.get(account, 0)} != entries {sums.get(account, 0)}")
        if not core.is_public(account):
            problems.append(f"account: {account!r} is not a valid account code")
    total = sum(int(v) for v in sums.values())
    if total != 0:
        problems.append(f"ledger: all entries sum to {total}, not 0")

    # Case counters already include confirmations still in the queue (they move when the payment is confirmed).
    queued = queued_postings()
    stale = db.session.scalar(select(func.min(QueuedTransaction.queued_at)))
    if stale is not None and utcnow() - stale > QUEUE_STALE_AFTER:
        problems.append(f"queue: transactions waiting since {core.format_timestamp(stale)}; nothing is posting them")

    def settled(account: str) -> int:
        return int(sums.get(account) or 0) + queued.get(account, 0)

    for case in db.session.scalars(select(Case).order_by(Case.id)):
        held = sum(settled(core.case_account(case.code, z)) for z in (False, True))
        paid_out = sum(settled(core.disbursed_account(case.code, z)) for z in (False, True))
        if case.raised_amount != held + paid_out:
            problems.append(f"case {case.code}: raised_amount {case.raised_amount} != ledger {held + paid_out}")
        if case.disbursed_amount != paid_out:
            problems.append(f"case {case.code}: disbursed_amount {case.disbursed_amount} != ledger {paid_out}")
        if case.raised_amount > case.target_amount:
            problems.append(f"case {case.code}: raised {case.raised_amount} over target {case.target_amount}")
    from jood.campaigns import checks as campaign_checks  # campaign figures agree with their donation lines

    return problems + campaign_checks.verify()


def self_check() -> list[str]:
    """The periodic invariant check (scheduler, governance dashboard): a failure is logged at error level."""
    # The app's logger, not this module's: Alembic's fileConfig disables loggers that existed before it ran.
    logger = current_app.logger if has_app_context() else log
    problems = verify()
    for problem in problems:
        logger.error("ledger self-check: %s", problem)
    if not problems:
        logger.info("ledger self-check: OK")
    return problems


def public_head() -> dict:
    head = db.session.get(LedgerHead, HEAD_ID)
    return {"seq": head.seq if head else 0, "hash": head.hash if head else core.GENESIS_HASH}

"""The stored ledger: sealed transactions, their entries, per-account balances and the single chain head.

Rows in ``ledger_transactions`` and ``ledger_entries`` are only ever inserted (corrections are new transactions);
``account_balances`` and ``ledger_head`` are counters kept equal to them in the same unit of work. ``ledger_queue``
holds confirmed payments' transactions for the few milliseconds until the writer seals them onto the chain.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.core.db import UTCDateTime, utcnow
from jood.extensions import db
from jood.ledger.core import GENESIS_HASH, KINDS, Posting, TransactionDraft

_KIND_VALUES = ", ".join(f"'{kind}'" for kind in KINDS)


class LedgerHead(db.Model):
    """One row (id 1): the chain's last seq and hash. Appending locks it, so there is always exactly one head."""

    __tablename__ = "ledger_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"), CheckConstraint("seq >= 0", name="seq_positive"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class LedgerTransaction(db.Model):
    __tablename__ = "ledger_transactions"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KIND_VALUES})", name="kind_known"),
        CheckConstraint("seq >= 1", name="seq_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)  # whole seconds, as hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    memo: Mapped[str] = mapped_column(String(300), default="")  # private: never published, not hashed
    reference: Mapped[str | None] = mapped_column(String(40), index=True)  # a donation reference, private

    entries: Mapped[list[LedgerEntry]] = relationship(
        back_populates="transaction", order_by="LedgerEntry.id", lazy="selectin"
    )


class LedgerEntry(db.Model):
    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_nonzero"),
        Index("ix_ledger_entries_account_transaction", "account", "transaction_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("ledger_transactions.id"), index=True)
    account: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(BigInteger)  # halalas; positive = debit (money in), negative = credit

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="entries")


class AccountBalance(db.Model):
    """The running balance of one account, equal to the sum of its entries (``flask ledger verify`` checks)."""

    __tablename__ = "account_balances"

    account: Mapped[str] = mapped_column(String(100), primary_key=True)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)  # clearing and pools pass 21M SAR: 64-bit


class QueuedTransaction(db.Model):
    """A transaction waiting to be sealed onto the chain by the ledger writer (``services.post_queue``).

    A donation confirmation writes its transactions here instead of locking the chain's head: the case counters are
    already moved (the case row was locked to split the gift against its need), only the sealing remains. The
    writer seals every queued row in id order, under one head lock and one commit, then deletes it.
    """

    __tablename__ = "ledger_queue"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    postings: Mapped[str] = mapped_column(Text)  # JSON [[account, amount], ...], validated when queued
    memo: Mapped[str] = mapped_column(String(300), default="")
    reference: Mapped[str | None] = mapped_column(String(40))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    @staticmethod
    def values_of(draft: TransactionDraft) -> dict:
        """The row that queues ``draft``."""
        return {"kind": draft.kind, "postings": json.dumps([[p.account, p.amount] for p in draft.postings]),
                "memo": draft.memo[:300], "reference": draft.reference}

    def draft(self) -> TransactionDraft:
        return TransactionDraft(self.kind, parse_postings(self.postings), self.memo, self.reference)


def parse_postings(text: str) -> tuple[Posting, ...]:
    """The postings stored in ``ledger_queue.postings``."""
    return tuple(Posting(account, amount) for account, amount in json.loads(text))

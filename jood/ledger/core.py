"""Double-entry ledger rules on plain data: accounts, postings, the hash chain and the money arithmetic.

Nothing here imports Flask or SQLAlchemy, so the same rules serve the services, the CLI, the public API and the
tests. Money is always an ``int`` of halalas (1 SAR = 100 halalas); a float never enters the ledger.

Sign convention: a posting's amount is positive for a debit (money arriving in that account) and negative for a
credit (money leaving it). Every transaction sums to zero. Money enters the ledger by crediting a gateway's
clearing account, so clearing accounts carry a credit (negative) balance equal to what came in through them.
See ``docs/ledger.md``.
"""

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from jood.core.errors import DomainError

__all__ = [
    "GENESIS_HASH",
    "KINDS",
    "MAX_AMOUNT_HALALAS",
    "OPERATING_FEES",
    "POOL_TRACKS",
    "REFUNDED",
    "Account",
    "GiftLine",
    "LedgerError",
    "LineSplit",
    "Posting",
    "Problem",
    "SealedTransaction",
    "TransactionDraft",
    "allocate_pool",
    "balances",
    "can_still_take",
    "canonical_form",
    "case_account",
    "chain_hash",
    "check_basket",
    "clearing_account",
    "credit",
    "debit",
    "disbursed_account",
    "donation_holdings",
    "donation_postings",
    "format_timestamp",
    "is_public",
    "is_zakat",
    "operating_share",
    "parse_account",
    "part_to_refund",
    "pool_account",
    "refund_postings",
    "seal",
    "split_against_remaining",
    "still_held",
    "take_in_order",
    "transfer",
    "validate",
    "verify_chain",
]

K = TypeVar("K")

KINDS: tuple[str, ...] = ("payment", "allocation", "refund", "disbursement", "surplus", "cancellation", "fee")
POOL_TRACKS: tuple[str, ...] = ("rent", "ownership", "general")
REFUNDED = "refunded"
OPERATING_FEES = "fees:operating"
GENESIS_HASH = "0" * 64
CANONICAL_VERSION = "jood-ledger-v1"
MAX_AMOUNT_SAR = 10_000_000
MAX_AMOUNT_HALALAS = MAX_AMOUNT_SAR * 100
MAX_OPERATING_BP = 10_000

_ZAKAT = "zakat"
# Case codes and gateway names become part of public account codes, so they are restricted to a small ASCII
# alphabet: no colon (the separator), no whitespace (the canonical form's delimiters), nothing personal.
_IDENT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_GATEWAY_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_KIND_RE = re.compile(r"[a-z][a-z_]{0,31}")
_ACCOUNT_TEXT_RE = re.compile(r"[!-~]{1,200}")
_TIMESTAMP_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_HASH_RE = re.compile(r"[0-9a-f]{64}")


class LedgerError(DomainError):
    """A ledger rule was broken; ``code`` is stable for tests and callers, the message is for people."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.args = (message or code,)


# --- accounts ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """A parsed account code: ``kind`` is case, pool, disbursed, clearing, refunded or fees."""

    kind: str
    ident: str
    zakat: bool = False


def parse_account(code: str) -> Account:
    """Parse and check an account code, so a typo can never open a new account by accident."""
    if not isinstance(code, str):
        raise LedgerError("bad_account", f"account code must be a string, got {type(code).__name__}")
    if code == REFUNDED:
        return Account("refunded", "")
    if code == OPERATING_FEES:
        return Account("fees", "operating")
    parts = code.split(":")
    kind = parts[0]
    if kind == "clearing" and len(parts) == 2 and _GATEWAY_RE.fullmatch(parts[1]):
        return Account("clearing", parts[1])
    if kind in ("case", "pool", "disbursed") and len(parts) in (2, 3):
        zakat = len(parts) == 3
        ident = parts[1]
        if zakat and parts[2] != _ZAKAT:
            raise LedgerError("bad_account", f"not a ledger account: {code!r}")
        ok = ident in POOL_TRACKS if kind == "pool" else bool(_IDENT_RE.fullmatch(ident)) and ident != _ZAKAT
        if ok:
            return Account(kind, ident, zakat)
    raise LedgerError("bad_account", f"not a ledger account: {code!r}")


def _with_zakat(code: str, zakat: bool) -> str:
    code = f"{code}:{_ZAKAT}" if zakat else code
    parse_account(code)
    return code


def case_account(code: str, zakat: bool = False) -> str:
    """Money held for one case, waiting to be disbursed."""
    return _with_zakat(f"case:{code}", zakat)


def pool_account(track: str, zakat: bool = False) -> str:
    """Money given to a track (rent, ownership, general) and not yet allocated to a case."""
    return _with_zakat(f"pool:{track}", zakat)


def disbursed_account(code: str, zakat: bool = False) -> str:
    """Money paid out for one case; it only ever grows, so it doubles as the public 'delivered' figure."""
    return _with_zakat(f"disbursed:{code}", zakat)


def clearing_account(gateway: str) -> str:
    """Where money enters the ledger from a gateway; zakat and general money share it, nothing else does."""
    code = f"clearing:{gateway}"
    parse_account(code)
    return code


def is_zakat(account: str) -> bool:
    """True for the separate zakat accounts, which may only move money to other zakat accounts."""
    return parse_account(account).zakat


def is_public(account: str) -> bool:
    """True when the string is a well-formed account code and so safe to publish.

    Account codes are built only from case codes, pool tracks and gateway names; no person ever appears in one.
    Anything else is not an account and must not be shown on the public ledger.
    """
    try:
        parse_account(account)
    except LedgerError:
        return False
    return True


# --- postings and transactions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    """One line of a transaction: positive amount = debit (money in), negative = credit (money out)."""

    account: str
    amount: int


@dataclass(frozen=True)
class TransactionDraft:
    """A transaction before it is numbered and chained; ``memo`` and ``reference`` are private, not hashed."""

    kind: str
    postings: tuple[Posting, ...]
    memo: str = ""
    reference: str | None = None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_int(value: int, what: str) -> int:
    if not _is_int(value):
        raise LedgerError("not_integer", f"{what} must be an int of halalas, got {type(value).__name__}")
    if value <= 0:
        raise LedgerError("not_positive", f"{what} must be positive, got {value}")
    return value


def _non_negative_int(value: int, what: str) -> int:
    if not _is_int(value):
        raise LedgerError("not_integer", f"{what} must be an int of halalas, got {type(value).__name__}")
    if value < 0:
        raise LedgerError("negative_amount", f"{what} must not be negative, got {value}")
    return value


def debit(account: str, amount: int) -> Posting:
    """Money arriving in ``account``; spelt out so callers never flip a sign by hand."""
    return Posting(account, _positive_int(amount, "debit"))


def credit(account: str, amount: int) -> Posting:
    """Money leaving ``account``."""
    return Posting(account, -_positive_int(amount, "credit"))


def validate(draft: TransactionDraft) -> None:
    """Refuse any transaction that would break double entry or mix zakat with other money.

    A transaction touching a zakat account may otherwise touch only zakat accounts, clearing accounts and
    ``refunded``; it may never touch ``fees:operating``, because no operating cost is taken from zakat.
    """
    if draft.kind not in KINDS:
        raise LedgerError("unknown_kind", f"unknown transaction kind {draft.kind!r}")
    postings = tuple(draft.postings)
    if len(postings) < 2:
        raise LedgerError("too_few_postings", "a transaction needs at least two postings")
    parsed: list[Account] = []
    for posting in postings:
        if not isinstance(posting, Posting):
            raise LedgerError("bad_posting", f"expected a Posting, got {type(posting).__name__}")
        parsed.append(parse_account(posting.account))
        if not _is_int(posting.amount):
            raise LedgerError("not_integer", f"{posting.account}: amount must be an int of halalas")
        if posting.amount == 0:
            raise LedgerError("zero_amount", f"{posting.account}: a posting must move money")
    total = sum(p.amount for p in postings)
    if total != 0:
        raise LedgerError("unbalanced", f"postings sum to {total}, not 0")
    if any(account.zakat for account in parsed):
        for posting, account in zip(postings, parsed, strict=True):
            if account.kind == "fees":
                raise LedgerError("zakat_to_fees", "no operating share may be taken from zakat")
            if not account.zakat and account.kind not in ("clearing", "refunded"):
                raise LedgerError("zakat_mixed", f"zakat money cannot move to or from {posting.account}")


def transfer(
    kind: str, source: str, destination: str, amount: int, *, memo: str = "", reference: str | None = None
) -> TransactionDraft:
    """The common two-posting move: credit ``source``, debit ``destination``; validated before it is returned."""
    draft = TransactionDraft(kind, (credit(source, amount), debit(destination, amount)), memo, reference)
    validate(draft)
    return draft


def balances(postings: Iterable[Posting]) -> dict[str, int]:
    """Sum postings per account (debit-positive), e.g. for the public totals pages."""
    result: dict[str, int] = {}
    for posting in postings:
        result[posting.account] = result.get(posting.account, 0) + posting.amount
    return result


# --- hash chain ----------------------------------------------------------------------------------------------


def format_timestamp(moment: datetime) -> str:
    """The only timestamp spelling the canonical form accepts: UTC, whole seconds, ``Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise LedgerError("bad_timestamp", "timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _posting_pair(posting: Posting | Mapping[str, Any]) -> tuple[str, int]:
    if isinstance(posting, Posting):
        account, amount = posting.account, posting.amount
    elif isinstance(posting, Mapping):
        account, amount = posting.get("account"), posting.get("amount")
    else:
        raise LedgerError("malformed", f"a posting must be a Posting or a mapping, got {type(posting).__name__}")
    if not isinstance(account, str) or not _ACCOUNT_TEXT_RE.fullmatch(account):
        raise LedgerError("malformed", f"bad account in posting: {account!r}")
    if not _is_int(amount):
        raise LedgerError("malformed", f"{account}: amount must be an integer of halalas, got {amount!r}")
    return account, amount


def canonical_form(
    seq: int, kind: str, created_at: str, postings: Iterable[Posting | Mapping[str, Any]], prev_hash: str
) -> bytes:
    """The exact bytes that are hashed; documented in docs/ledger.md so anyone can recompute them.

    UTF-8 (in practice ASCII) of::

        jood-ledger-v1 LF {seq} LF {kind} LF {created_at} LF
        {account} TAB {amount} LF      -- one line per posting, sorted by (account, amount)
        {prev_hash}                    -- no trailing newline

    ``seq`` and ``amount`` are base-10 integers without leading zeros or ``+`` (negative amounts start with ``-``).
    Memo and reference are deliberately left out: they are private and never published.
    """
    if not _is_int(seq) or seq < 1:
        raise LedgerError("malformed", f"seq must be a positive integer, got {seq!r}")
    if not isinstance(kind, str) or not _KIND_RE.fullmatch(kind):
        raise LedgerError("malformed", f"bad kind {kind!r}")
    if not isinstance(created_at, str) or not _TIMESTAMP_RE.fullmatch(created_at):
        raise LedgerError("malformed", f"created_at must look like 2025-01-31T09:30:00Z, got {created_at!r}")
    try:
        datetime.strptime(created_at, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        raise LedgerError("malformed", f"created_at is not a real moment: {created_at!r}") from None
    if not isinstance(prev_hash, str) or not _HASH_RE.fullmatch(prev_hash):
        raise LedgerError("malformed", f"prev_hash must be 64 lowercase hex digits, got {prev_hash!r}")
    lines = [CANONICAL_VERSION, str(seq), kind, created_at]
    lines += [f"{account}\t{amount}" for account, amount in sorted(_posting_pair(p) for p in postings)]
    lines.append(prev_hash)
    return "\n".join(lines).encode("utf-8")


def chain_hash(
    seq: int, kind: str, created_at: str, postings: Iterable[Posting | Mapping[str, Any]], prev_hash: str
) -> str:
    """SHA-256 (lowercase hex) of the canonical form; each hash covers the previous one, forming the chain."""
    return hashlib.sha256(canonical_form(seq, kind, created_at, postings, prev_hash)).hexdigest()


@dataclass(frozen=True)
class SealedTransaction:
    """A validated transaction with its place in the chain (``services.public_transaction`` publishes it)."""

    seq: int
    kind: str
    created_at: str
    postings: tuple[Posting, ...]
    prev_hash: str
    hash: str
    memo: str = ""
    reference: str | None = None


def seal(draft: TransactionDraft, *, seq: int, created_at: str, prev_hash: str) -> SealedTransaction:
    """Validate a draft and chain it after ``prev_hash``; the caller stores the result in the same unit of work."""
    validate(draft)
    postings = tuple(draft.postings)
    digest = chain_hash(seq, draft.kind, created_at, postings, prev_hash)
    return SealedTransaction(seq, draft.kind, created_at, postings, prev_hash, digest, draft.memo, draft.reference)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a published chain; ``code`` is malformed, seq_gap, broken_link, bad_hash or unbalanced."""

    seq: int | None
    code: str
    detail: str

    def __str__(self) -> str:
        where = "?" if self.seq is None else str(self.seq)
        return f"seq {where}: {self.code}: {self.detail}"


def _read_public(tx: Mapping[str, Any]) -> tuple[int, list[tuple[str, int]], str, str, str]:
    """Check one published transaction's shape; returns (seq, postings, prev_hash, hash, recomputed hash)."""
    if not isinstance(tx, Mapping):
        raise LedgerError("malformed", f"a transaction must be an object, got {type(tx).__name__}")
    postings = tx.get("postings")
    if not isinstance(postings, list) or not postings:
        raise LedgerError("malformed", "postings must be a non-empty list")
    stored_hash = tx.get("hash")
    if not isinstance(stored_hash, str) or not _HASH_RE.fullmatch(stored_hash):
        raise LedgerError("malformed", f"hash must be 64 lowercase hex digits, got {stored_hash!r}")
    seq, linked_to = tx.get("seq"), tx.get("prev_hash")
    recomputed = chain_hash(seq, tx.get("kind"), tx.get("created_at"), postings, linked_to)  # checks every field
    return seq, [_posting_pair(p) for p in postings], linked_to, stored_hash, recomputed


def verify_chain(
    transactions: Iterable[Mapping[str, Any]], *, prev_hash: str = GENESIS_HASH, first_seq: int = 1
) -> list[Problem]:
    """Recompute a chain from its public form and list every problem, so one bad link does not hide the rest.

    ``prev_hash`` and ``first_seq`` let a caller verify a tail of the chain from a hash it already trusts.
    """
    problems: list[Problem] = []
    expected_seq = first_seq
    expected_prev = prev_hash
    for tx in transactions:
        try:
            seq, pairs, linked_to, stored_hash, recomputed = _read_public(tx)
        except LedgerError as exc:
            raw_seq = tx.get("seq") if isinstance(tx, Mapping) else None
            raw_hash = tx.get("hash") if isinstance(tx, Mapping) else None
            label = raw_seq if _is_int(raw_seq) else None
            problems.append(Problem(label, "malformed", str(exc)))
            # Carry on from what the item claims, so the items after it are still checked on their own merits.
            expected_seq = label + 1 if label is not None else expected_seq + 1
            expected_prev = raw_hash if isinstance(raw_hash, str) else expected_prev
            continue
        if seq != expected_seq:
            problems.append(Problem(seq, "seq_gap", f"expected seq {expected_seq}, got {seq}"))
        if linked_to != expected_prev:
            problems.append(Problem(seq, "broken_link", f"prev_hash {linked_to} != previous hash {expected_prev}"))
        total = sum(amount for _, amount in pairs)
        if total != 0:
            problems.append(Problem(seq, "unbalanced", f"postings sum to {total}, not 0"))
        if recomputed != stored_hash:
            problems.append(Problem(seq, "bad_hash", f"stored {stored_hash}, recomputed {recomputed}"))
        expected_seq = seq + 1
        expected_prev = stored_hash
    return problems


# --- money rules ---------------------------------------------------------------------------------------------


def split_against_remaining(amount: int, remaining: int) -> tuple[int, int]:
    """Split a gift to a case into (to_case, surplus_to_pool) so a case is never funded past its need."""
    _non_negative_int(amount, "amount")
    _non_negative_int(remaining, "remaining")
    to_case = min(amount, remaining)
    return to_case, amount - to_case


def can_still_take(target: int, raised: int) -> int:
    """What a case can still take: the one over-funding rule every check reads (the model's ``remaining_amount``,
    the checkout, the basket, the crediting split and the pool allocator). The database CHECK
    (raised <= target) and ``split_against_remaining`` are the guarantees behind it."""
    return max(target - raised, 0)


@dataclass(frozen=True)
class GiftLine:
    """One line of a paid donation as the ledger sees it: ``room`` is what its case can take right now (read with
    the case row locked; 0 for a case that takes no more money, or no zakat); a pool line has no ``case``."""

    amount: int
    track: str
    case: str | None = None
    room: int = 0


@dataclass(frozen=True)
class LineSplit:
    """Where one line's money went: the operating share, the case's part and any excess to the track's pool."""

    fee: int
    to_case: int
    to_pool: int


def donation_postings(lines: Sequence[GiftLine], *, gateway: str, zakat: bool, operating_bp: int,
                      reference: str) -> tuple[list[LineSplit], list[TransactionDraft]]:
    """Split a paid donation and write its ledger transactions: the rule for where a gift's money goes.

    Each line gives up its operating share (never from zakat), then its case takes what it still needs
    (``split_against_remaining``) and the excess goes to the track's pool. One ``payment`` transaction moves the
    money from the gateway's clearing account to the cases, pools and fees; each excess is a ``surplus`` transfer of
    its own, so the receipt and the case's history can say where it went.
    """
    clearing = clearing_account(gateway)
    splits: list[LineSplit] = []
    debits: dict[str, int] = {}
    surpluses: list[TransactionDraft] = []
    for line in lines:
        fee = operating_share(line.amount, operating_bp, zakat)
        net = line.amount - fee
        if line.case is None:
            to_case, to_pool = 0, net
            target = pool_account(line.track, zakat)
        else:
            to_case, to_pool = split_against_remaining(net, line.room)
            target = case_account(line.case, zakat)
            if to_pool:
                pool = pool_account(line.track, zakat)
                surpluses.append(transfer("surplus", clearing, pool, to_pool, reference=reference,
                                          memo=f"{reference}: excess over {line.case}'s need, to {pool}"))
        moved_now = to_case if line.case is not None else to_pool
        if moved_now:
            debits[target] = debits.get(target, 0) + moved_now
        if fee:
            debits[OPERATING_FEES] = debits.get(OPERATING_FEES, 0) + fee
        splits.append(LineSplit(fee, to_case, to_pool))
    drafts = []
    if debits:
        postings = (credit(clearing, sum(debits.values())),
                    *(debit(account, amount) for account, amount in sorted(debits.items())))
        drafts.append(TransactionDraft("payment", postings, memo=f"donation {reference}", reference=reference))
        validate(drafts[0])
    return splits, drafts + surpluses


def donation_holdings(lines: Sequence[GiftLine], splits: Sequence[LineSplit], *, zakat: bool) -> list[tuple[str, int]]:
    """Where a paid donation's money sits, in the order a refund takes it back: line by line, the case's part, then
    the pool's, then the operating share."""
    sources: list[tuple[str, int]] = []
    for line, split in zip(lines, splits, strict=True):
        if split.to_case:
            sources.append((case_account(line.case, zakat), split.to_case))
        if split.to_pool:
            sources.append((pool_account(line.track, zakat), split.to_pool))
        if split.fee:
            sources.append((OPERATING_FEES, split.fee))
    return sources


def take_in_order(sources: Sequence[tuple[str, int]], amount: int) -> list[tuple[str, int]]:
    """How much of ``amount`` comes from each source, filling them in order (the result is as long as ``sources``).

    >>> take_in_order([("case:A", 80), ("fees:operating", 20)], 90)
    [('case:A', 80), ('fees:operating', 10)]
    """
    taken, left = [], max(0, amount)
    for account, available in sources:
        part = min(available, left)
        taken.append((account, part))
        left -= part
    return taken


def still_held(sources: Sequence[tuple[str, int]], refunded: int) -> list[tuple[str, int]]:
    """What of each source is not yet refunded after ``refunded`` halalas went back (zero parts dropped)."""
    return [(account, available - part) for (account, available), (_, part) in zip(sources, take_in_order(
        sources, refunded), strict=True) if available - part > 0]


def part_to_refund(sources: Sequence[tuple[str, int]], before: int, after: int) -> list[tuple[str, int]]:
    """The sources of the refund that takes the refunded total from ``before`` to ``after`` halalas: a partial refund
    continues where the previous one stopped, and the final refund returns exactly what is left."""
    return [(account, part) for account, part in take_in_order(still_held(sources, before), after - before) if part]


def refund_postings(parts: Sequence[tuple[str, int]], *, reference: str, memo: str) -> TransactionDraft:
    """One ``refund`` transaction returning ``parts`` ([(account, halalas)]) to the donor."""
    postings = [credit(account, amount) for account, amount in parts]
    postings.append(debit(REFUNDED, sum(amount for _, amount in parts)))
    draft = TransactionDraft("refund", tuple(postings), memo=memo, reference=reference)
    validate(draft)
    return draft


def allocate_pool(balance: int, needs: Iterable[tuple[K, int]]) -> list[tuple[K, int]]:
    """Fill cases fully, in the given (neediest-first) order, until the pool runs out.

    Funding whole cases first gets families housed sooner than spreading the pool thinly; the last case reached
    may get a partial amount. Cases with nothing remaining are skipped.
    """
    left = _non_negative_int(balance, "balance")
    allocations: list[tuple[K, int]] = []
    for key, remaining in needs:
        _non_negative_int(remaining, f"remaining for {key!r}")
        if left == 0:
            break
        if remaining == 0:
            continue
        amount = min(left, remaining)
        allocations.append((key, amount))
        left -= amount
    return allocations


def operating_share(amount: int, percent_bp: int, zakat: bool) -> int:
    """The operating-cost share of a gift in basis points (250 = 2.5%), floored to the halala.

    Always 0 for zakat. Flooring means the donor's cause, not operations, keeps any fraction of a halala.
    """
    _non_negative_int(amount, "amount")
    if not _is_int(percent_bp) or not 0 <= percent_bp <= MAX_OPERATING_BP:
        raise LedgerError("bad_percent", f"percent_bp must be an int from 0 to {MAX_OPERATING_BP}, got {percent_bp!r}")
    if zakat:
        return 0
    return amount * percent_bp // 10_000


def check_basket(total: int, parts: Sequence[int]) -> None:
    """Refuse a basket whose lines do not add up to exactly what the donor is charged."""
    _positive_int(total, "basket total")
    if not parts:
        raise LedgerError("empty_basket", "a basket needs at least one line")
    for part in parts:
        _positive_int(part, "basket line")
    if sum(parts) != total:
        raise LedgerError("basket_mismatch", f"lines sum to {sum(parts)}, total is {total}")

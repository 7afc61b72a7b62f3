import ast
import sys
from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path

import pytest

from jood.core.errors import DomainError
from jood.ledger import core
from jood.ledger.core import (
    GENESIS_HASH,
    OPERATING_FEES,
    REFUNDED,
    LedgerError,
    Posting,
    TransactionDraft,
    allocate_pool,
    balances,
    canonical_form,
    case_account,
    chain_hash,
    check_basket,
    clearing_account,
    credit,
    debit,
    disbursed_account,
    format_timestamp,
    is_public,
    is_zakat,
    operating_share,
    parse_account,
    pool_account,
    seal,
    split_against_remaining,
    transfer,
    validate,
    verify_chain,
)

CASE = "JE-1448-00042"


def published(sealed) -> dict:
    """A sealed transaction in the public shape (jood.ledger.services.public_transaction, without a database)."""
    return {"seq": sealed.seq, "kind": sealed.kind, "created_at": sealed.created_at,
            "postings": [{"account": p.account, "amount": p.amount} for p in sealed.postings],
            "prev_hash": sealed.prev_hash, "hash": sealed.hash}
STRIPE = "clearing:stripe"


def draft(kind: str, *postings: Posting) -> TransactionDraft:
    return TransactionDraft(kind, postings)


def build_chain() -> list[dict]:
    """Five public transactions covering payment, allocation, disbursement, zakat and refund."""
    drafts = [
        draft("payment", credit(STRIPE, 10000), debit(case_account(CASE), 7500), debit(pool_account("rent"), 2500)),
        transfer("allocation", pool_account("rent"), case_account("JE-1448-00043"), 2500),
        transfer("disbursement", case_account(CASE), disbursed_account(CASE), 7500),
        transfer("payment", clearing_account("sandbox"), pool_account("general", zakat=True), 5000),
        transfer("refund", pool_account("general", zakat=True), REFUNDED, 5000),
    ]
    start = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    chain: list[dict] = []
    prev = GENESIS_HASH
    for seq, item in enumerate(drafts, start=1):
        sealed = seal(item, seq=seq, created_at=format_timestamp(start + timedelta(minutes=seq)), prev_hash=prev)
        chain.append(published(sealed))
        prev = sealed.hash
    return chain


# --- accounts ------------------------------------------------------------------------------------------------


def test_account_helpers_build_the_documented_codes():
    assert case_account(CASE) == "case:JE-1448-00042"
    assert case_account(CASE, zakat=True) == "case:JE-1448-00042:zakat"
    assert pool_account("rent") == "pool:rent"
    assert pool_account("ownership", zakat=True) == "pool:ownership:zakat"
    assert disbursed_account(CASE, zakat=True) == "disbursed:JE-1448-00042:zakat"
    assert clearing_account("stripe") == STRIPE
    assert REFUNDED == "refunded"
    assert OPERATING_FEES == "fees:operating"


@pytest.mark.parametrize(
    ("account", "zakat"),
    [
        ("case:JE-1448-00042", False),
        ("case:JE-1448-00042:zakat", True),
        ("pool:general:zakat", True),
        ("disbursed:JE-1448-00042", False),
        ("clearing:sandbox", False),
        ("refunded", False),
        ("fees:operating", False),
    ],
)
def test_is_zakat_and_public(account, zakat):
    assert is_zakat(account) is zakat
    assert is_public(account) is True


@pytest.mark.parametrize(
    "account",
    [
        "",
        "case:",
        "case:JE 1448",
        "case:JE-1448:zakat:zakat",
        "case:JE-1448:extra",
        "case:zakat",
        "case:Ahmed\tAli",
        "pool:holiday",
        "pool:rent:Zakat",
        "clearing:Stripe",
        "clearing:stripe:zakat",
        "fees:other",
        "fees:operating:zakat",
        "refunded:zakat",
        "donor:42",
        "case:JE-1448\n",
    ],
)
def test_malformed_accounts_are_not_public(account):
    assert is_public(account) is False
    with pytest.raises(LedgerError) as info:
        parse_account(account)
    assert info.value.code == "bad_account"


def test_helpers_refuse_bad_idents():
    with pytest.raises(LedgerError, match="not a ledger account"):
        pool_account("holiday")
    with pytest.raises(LedgerError):
        case_account("JE:1448")
    with pytest.raises(LedgerError):
        clearing_account("")
    assert is_public(42) is False  # type: ignore[arg-type]


# --- validation ----------------------------------------------------------------------------------------------


def test_a_balanced_payment_with_operating_share_is_valid():
    validate(draft("payment", credit(STRIPE, 10000), debit(case_account(CASE), 9750), debit(OPERATING_FEES, 250)))


def test_debit_and_credit_set_the_sign():
    assert debit("refunded", 5) == Posting("refunded", 5)
    assert credit("refunded", 5) == Posting("refunded", -5)
    for bad in (0, -5, 1.5, True):
        with pytest.raises(LedgerError):
            debit("refunded", bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("item", "code"),
    [
        (draft("gift", credit(STRIPE, 100), debit(REFUNDED, 100)), "unknown_kind"),
        (draft("payment"), "too_few_postings"),
        (draft("payment", Posting(STRIPE, 0)), "too_few_postings"),
        (draft("payment", credit(STRIPE, 100), ("refunded", 100)), "bad_posting"),  # type: ignore[arg-type]
        (draft("payment", credit(STRIPE, 100), debit("donor:7", 100)), "bad_account"),
        (draft("payment", Posting(STRIPE, -100), Posting(REFUNDED, 100.0)), "not_integer"),  # type: ignore[arg-type]
        (draft("payment", Posting(STRIPE, -1), Posting(REFUNDED, True)), "not_integer"),  # type: ignore[arg-type]
        (draft("payment", Posting(STRIPE, -100), Posting(REFUNDED, "100")), "not_integer"),  # type: ignore[arg-type]
        (draft("payment", credit(STRIPE, 100), debit(REFUNDED, 100), Posting(OPERATING_FEES, 0)), "zero_amount"),
        (draft("payment", credit(STRIPE, 100), debit(REFUNDED, 99)), "unbalanced"),
        (draft("payment", debit(STRIPE, 100), debit(REFUNDED, 100)), "unbalanced"),
    ],
)
def test_validation_errors(item, code):
    with pytest.raises(LedgerError) as info:
        validate(item)
    assert info.value.code == code
    assert isinstance(info.value, DomainError) and not isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "postings",
    [
        # zakat into a non-zakat case, pool or disbursed account
        (credit(case_account(CASE, zakat=True), 100), debit(case_account(CASE), 100)),
        (credit(pool_account("rent", zakat=True), 100), debit(pool_account("rent"), 100)),
        (credit(case_account(CASE, zakat=True), 100), debit(disbursed_account(CASE), 100)),
        # non-zakat money into a zakat account
        (credit(pool_account("general"), 100), debit(pool_account("general", zakat=True), 100)),
        # a payment split between zakat and non-zakat in one transaction
        (credit(STRIPE, 200), debit(case_account(CASE, zakat=True), 100), debit(case_account(CASE), 100)),
    ],
)
def test_zakat_never_mixes_with_other_money(postings):
    with pytest.raises(LedgerError) as info:
        validate(TransactionDraft("allocation", postings))
    assert info.value.code == "zakat_mixed"


def test_no_operating_share_from_zakat():
    item = draft("payment", credit(STRIPE, 1000), debit(case_account(CASE, zakat=True), 975), debit(OPERATING_FEES, 25))
    with pytest.raises(LedgerError) as info:
        validate(item)
    assert info.value.code == "zakat_to_fees"


@pytest.mark.parametrize(
    "postings",
    [
        (credit(STRIPE, 100), debit(case_account(CASE, zakat=True), 100)),
        (
            credit(pool_account("rent", zakat=True), 100),
            debit(case_account(CASE, zakat=True), 60),
            debit(case_account("JE-1448-00043", zakat=True), 40),
        ),
        (credit(case_account(CASE, zakat=True), 100), debit(disbursed_account(CASE, zakat=True), 100)),
        (credit(case_account(CASE, zakat=True), 100), debit(REFUNDED, 100)),
    ],
)
def test_zakat_moves_between_zakat_clearing_and_refunded(postings):
    validate(TransactionDraft("payment", postings))


def test_transfer_builds_a_validated_two_posting_draft():
    item = transfer(
        "disbursement", case_account(CASE), disbursed_account(CASE), 500, memo="rent March", reference="D-1"
    )
    assert item.postings == (Posting("case:JE-1448-00042", -500), Posting("disbursed:JE-1448-00042", 500))
    assert (item.memo, item.reference) == ("rent March", "D-1")
    with pytest.raises(LedgerError) as info:
        transfer("disbursement", case_account(CASE, zakat=True), disbursed_account(CASE), 500)
    assert info.value.code == "zakat_mixed"


def test_balances_sum_to_zero_over_the_whole_ledger():
    postings = [Posting(**p) for tx in build_chain() for p in tx["postings"]]
    totals = balances(postings)
    assert sum(totals.values()) == 0
    assert totals[STRIPE] == -10000
    assert totals[case_account(CASE)] == 0
    assert totals[disbursed_account(CASE)] == 7500
    assert totals[REFUNDED] == 5000


# --- hash chain ----------------------------------------------------------------------------------------------

VECTOR_POSTINGS = (credit(STRIPE, 10000), debit(case_account(CASE), 7500), debit(pool_account("rent"), 2500))


def test_canonical_form_matches_the_documented_bytes():
    form = canonical_form(1, "payment", "2025-03-01T09:30:00Z", VECTOR_POSTINGS, GENESIS_HASH)
    assert form == (
        b"jood-ledger-v1\n1\npayment\n2025-03-01T09:30:00Z\n"
        b"case:JE-1448-00042\t7500\nclearing:stripe\t-10000\npool:rent\t2500\n" + b"0" * 64
    )
    # The test vector published in docs/ledger.md; changing the form must change this on purpose.
    digest = chain_hash(1, "payment", "2025-03-01T09:30:00Z", VECTOR_POSTINGS, GENESIS_HASH)
    assert digest == "3e028b202ccb5da0e613b7a33cb65a148a3a25d2ed0662eef30b9fb548cb09a2"


def test_canonical_form_ignores_posting_order_and_accepts_public_dicts():
    reordered = [{"account": p.account, "amount": p.amount} for p in reversed(VECTOR_POSTINGS)]
    assert canonical_form(1, "payment", "2025-03-01T09:30:00Z", reordered, GENESIS_HASH) == canonical_form(
        1, "payment", "2025-03-01T09:30:00Z", VECTOR_POSTINGS, GENESIS_HASH
    )


def test_canonical_form_sorts_same_account_by_amount():
    postings = (Posting("refunded", 5), Posting("refunded", -7), Posting("case:A", 2))
    form = canonical_form(3, "refund", "2025-03-01T09:30:00Z", postings, GENESIS_HASH).decode()
    assert form.splitlines()[4:7] == ["case:A\t2", "refunded\t-7", "refunded\t5"]


@pytest.mark.parametrize(
    ("seq", "kind", "created_at", "postings", "prev_hash"),
    [
        (0, "payment", "2025-03-01T09:30:00Z", VECTOR_POSTINGS, GENESIS_HASH),
        (True, "payment", "2025-03-01T09:30:00Z", VECTOR_POSTINGS, GENESIS_HASH),
        (1, "pay\nment", "2025-03-01T09:30:00Z", VECTOR_POSTINGS, GENESIS_HASH),
        (1, "payment", "2025-03-01 09:30:00", VECTOR_POSTINGS, GENESIS_HASH),
        (1, "payment", "2025-03-01T09:30:00.5Z", VECTOR_POSTINGS, GENESIS_HASH),
        (1, "payment", "2025-02-30T09:30:00Z", VECTOR_POSTINGS, GENESIS_HASH),
        (1, "payment", "2025-03-01T09:30:00Z", (Posting("a\tb", 1),), GENESIS_HASH),
        (1, "payment", "2025-03-01T09:30:00Z", (Posting("refunded", 1.0),), GENESIS_HASH),
        (1, "payment", "2025-03-01T09:30:00Z", ("refunded",), GENESIS_HASH),
        (1, "payment", "2025-03-01T09:30:00Z", VECTOR_POSTINGS, "F" * 64),
        (1, "payment", "2025-03-01T09:30:00Z", VECTOR_POSTINGS, "0" * 63),
    ],
)
def test_canonical_form_refuses_ambiguous_input(seq, kind, created_at, postings, prev_hash):
    with pytest.raises(LedgerError) as info:
        canonical_form(seq, kind, created_at, postings, prev_hash)
    assert info.value.code == "malformed"


def test_format_timestamp_is_utc_whole_seconds():
    riyadh = timezone(timedelta(hours=3))
    assert format_timestamp(datetime(2025, 3, 1, 12, 30, 15, 999999, tzinfo=riyadh)) == "2025-03-01T09:30:15Z"
    with pytest.raises(LedgerError) as info:
        format_timestamp(datetime(2025, 3, 1, 12, 30))
    assert info.value.code == "bad_timestamp"


def test_seal_validates_and_links():
    with pytest.raises(LedgerError) as info:
        seal(
            draft("payment", credit(STRIPE, 1), debit(REFUNDED, 2)),
            seq=1,
            created_at="2025-03-01T09:30:00Z",
            prev_hash=GENESIS_HASH,
        )
    assert info.value.code == "unbalanced"
    sealed = seal(
        TransactionDraft("payment", VECTOR_POSTINGS, memo="private note", reference="pi_123"),
        seq=1,
        created_at="2025-03-01T09:30:00Z",
        prev_hash=GENESIS_HASH,
    )
    assert sealed.hash == "3e028b202ccb5da0e613b7a33cb65a148a3a25d2ed0662eef30b9fb548cb09a2"
    assert (sealed.memo, sealed.reference) == ("private note", "pi_123")  # kept, though never hashed


def test_an_intact_chain_has_no_problems():
    chain = build_chain()
    assert verify_chain(chain) == []
    assert chain[0]["prev_hash"] == GENESIS_HASH
    assert all(b["prev_hash"] == a["hash"] for a, b in pairwise(chain))
    assert verify_chain([]) == []


def test_a_tail_verifies_from_a_trusted_hash():
    chain = build_chain()
    assert verify_chain(chain[2:], prev_hash=chain[1]["hash"], first_seq=3) == []
    assert [p.code for p in verify_chain(chain[2:])] == ["seq_gap", "broken_link"]


def codes(problems) -> list[tuple[int | None, str]]:
    return [(p.seq, p.code) for p in problems]


def test_changed_amount_is_detected():
    chain = build_chain()
    chain[2]["postings"][1]["amount"] = 75  # someone shaves the disbursement
    assert codes(verify_chain(chain)) == [(3, "unbalanced"), (3, "bad_hash")]


def test_changed_amount_kept_balanced_is_detected():
    chain = build_chain()
    chain[0]["postings"][1]["amount"] -= 100
    chain[0]["postings"][2]["amount"] += 100
    assert codes(verify_chain(chain)) == [(1, "bad_hash")]


def test_changed_and_rehashed_transaction_breaks_the_next_link():
    chain = build_chain()
    tx = chain[1]
    tx["postings"] = [{"account": "pool:rent", "amount": -2000}, {"account": "case:JE-1448-00043", "amount": 2000}]
    tx["hash"] = chain_hash(tx["seq"], tx["kind"], tx["created_at"], tx["postings"], tx["prev_hash"])
    assert codes(verify_chain(chain)) == [(3, "broken_link")]


def test_removed_transaction_is_detected():
    chain = build_chain()
    del chain[2]
    assert codes(verify_chain(chain)) == [(4, "seq_gap"), (4, "broken_link")]


def test_removed_last_transaction_needs_the_published_head():
    chain = build_chain()
    head = chain[-1]["hash"]
    assert verify_chain(chain[:-1]) == []  # truncation is only visible against a head recorded elsewhere
    assert chain[-2]["hash"] != head


def test_reordered_transactions_are_detected():
    chain = build_chain()
    chain[1], chain[2] = chain[2], chain[1]
    assert codes(verify_chain(chain)) == [
        (3, "seq_gap"),
        (3, "broken_link"),
        (2, "seq_gap"),
        (2, "broken_link"),
        (4, "seq_gap"),
        (4, "broken_link"),
    ]


def test_renumbered_transaction_is_detected():
    chain = build_chain()
    chain[4]["seq"] = 9
    assert codes(verify_chain(chain)) == [(9, "seq_gap"), (9, "bad_hash")]


@pytest.mark.parametrize(
    ("field", "value", "extra"),
    [
        ("hash", "xyz", [(4, "broken_link")]),  # the next link cannot be checked against a bad hash
        ("hash", None, [(4, "broken_link")]),
        ("postings", [], []),
        ("postings", [{"account": "refunded"}], []),
        ("postings", [{"account": "refunded", "amount": "5"}], []),
        ("created_at", "yesterday", []),
        ("seq", "3", []),
        ("prev_hash", None, []),
    ],
)
def test_malformed_items_are_reported_and_the_rest_still_checked(field, value, extra):
    chain = build_chain()
    chain[2][field] = value
    chain[4]["postings"][0]["amount"] += 1
    found = codes(verify_chain(chain))
    assert found[0][1] == "malformed"
    assert found[1:] == [*extra, (5, "unbalanced"), (5, "bad_hash")]


def test_non_mapping_item_is_malformed():
    assert codes(verify_chain([["not", "a", "transaction"]])) == [(None, "malformed")]  # type: ignore[list-item]


def test_problem_reads_well():
    chain = build_chain()
    chain[0]["hash"] = "f" * 64
    problem = verify_chain(chain)[0]
    assert str(problem).startswith("seq 1: bad_hash: stored ffff")


# --- money rules ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "remaining", "expected"),
    [
        (10000, 25000, (10000, 0)),
        (25000, 25000, (25000, 0)),
        (30000, 25000, (25000, 5000)),
        (5000, 0, (0, 5000)),
        (0, 100, (0, 0)),
        (1, 1, (1, 0)),
    ],
)
def test_split_against_remaining_never_over_funds(amount, remaining, expected):
    assert split_against_remaining(amount, remaining) == expected
    assert sum(split_against_remaining(amount, remaining)) == amount


@pytest.mark.parametrize(
    ("amount", "remaining", "code"),
    [(-1, 100, "negative_amount"), (100, -1, "negative_amount"), (1.5, 100, "not_integer"), (100, None, "not_integer")],
)
def test_split_against_remaining_refuses_bad_input(amount, remaining, code):
    with pytest.raises(LedgerError) as info:
        split_against_remaining(amount, remaining)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("balance", "needs", "expected"),
    [
        (10000, [("a", 3000), ("b", 5000), ("c", 4000)], [("a", 3000), ("b", 5000), ("c", 2000)]),
        (8000, [("a", 3000), ("b", 5000), ("c", 4000)], [("a", 3000), ("b", 5000)]),
        (20000, [("a", 3000), ("b", 5000)], [("a", 3000), ("b", 5000)]),
        (2000, [("a", 3000), ("b", 5000)], [("a", 2000)]),
        (5000, [("a", 0), ("b", 4000), ("c", 0), ("d", 9000)], [("b", 4000), ("d", 1000)]),
        (0, [("a", 3000)], []),
        (5000, [], []),
    ],
)
def test_allocate_pool_fills_neediest_first(balance, needs, expected):
    allocations = allocate_pool(balance, needs)
    assert allocations == expected
    assert sum(amount for _, amount in allocations) <= balance


def test_allocate_pool_keeps_any_key_and_accepts_generators():
    needs = ((case_account(code), remaining) for code, remaining in [("JE-1", 100), ("JE-2", 100)])
    assert allocate_pool(150, needs) == [("case:JE-1", 100), ("case:JE-2", 50)]


@pytest.mark.parametrize(
    ("balance", "needs", "code"),
    [(-1, [("a", 1)], "negative_amount"), (100, [("a", -5)], "negative_amount"), (1.0, [], "not_integer")],
)
def test_allocate_pool_refuses_bad_input(balance, needs, code):
    with pytest.raises(LedgerError) as info:
        allocate_pool(balance, needs)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("amount", "bp", "zakat", "expected"),
    [
        (10000, 250, False, 250),
        (10000, 250, True, 0),
        (10000, 0, False, 0),
        (999, 250, False, 24),  # 24.975 floors to 24: the fraction stays with the cause
        (1, 9999, False, 0),
        (10000, 10000, False, 10000),
        (0, 250, False, 0),
    ],
)
def test_operating_share(amount, bp, zakat, expected):
    assert operating_share(amount, bp, zakat) == expected


@pytest.mark.parametrize(("amount", "bp"), [(100, -1), (100, 10001), (100, 2.5), (-100, 250)])
def test_operating_share_refuses_bad_input(amount, bp):
    with pytest.raises(LedgerError):
        operating_share(amount, bp, False)


def test_check_basket():
    check_basket(15000, [10000, 2500, 2500])
    for total, parts, code in [
        (15000, [10000, 2500], "basket_mismatch"),
        (15000, [10000, 2500, 2501], "basket_mismatch"),
        (15000, [], "empty_basket"),
        (15000, [15001, -1], "not_positive"),
        (15000, [15000.0], "not_integer"),
        (0, [0], "not_positive"),
    ]:
        with pytest.raises(LedgerError) as info:
            check_basket(total, parts)
        assert info.value.code == code, (total, parts)


def _imports(path) -> set[str]:
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return imported | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_core_imports_only_the_standard_library():
    """Besides the standard library, only the error base, which itself imports nothing else."""
    from jood.core import errors

    assert {name.split(".")[0] for name in _imports(core.__file__) - {"jood.core.errors"}} <= sys.stdlib_module_names
    assert {name.split(".")[0] for name in _imports(errors.__file__)} <= sys.stdlib_module_names

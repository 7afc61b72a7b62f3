"""Where a paid donation's money goes, and what a refund returns, as data (``jood/ledger/core.py``)."""

from __future__ import annotations

import pytest

from jood.ledger.core import (
    GiftLine,
    LedgerError,
    LineSplit,
    Posting,
    TransactionDraft,
    donation_holdings,
    donation_postings,
    part_to_refund,
    refund_postings,
    still_held,
)


def test_a_gift_within_the_case_s_need_goes_to_the_case_less_the_operating_share():
    splits, drafts = donation_postings([GiftLine(100_00, track="rent", case="JE-1", room=500_00)], gateway="sandbox",
                                       zakat=False, operating_bp=250, reference="JD-2026-000001")
    assert splits == [LineSplit(fee=2_50, to_case=97_50, to_pool=0)]
    assert drafts == [TransactionDraft("payment", (Posting("clearing:sandbox", -100_00), Posting("case:JE-1", 97_50),
                                                   Posting("fees:operating", 2_50)),
                                       memo="donation JD-2026-000001", reference="JD-2026-000001")]


def test_the_excess_over_a_case_s_need_goes_to_the_track_s_pool_in_a_transfer_of_its_own():
    splits, drafts = donation_postings([GiftLine(100_00, track="ownership", case="JE-2", room=30_00)],
                                       gateway="moyasar", zakat=True, operating_bp=250, reference="JD-2026-000002")
    assert splits == [LineSplit(fee=0, to_case=30_00, to_pool=70_00)]  # never an operating share from zakat
    assert [draft.kind for draft in drafts] == ["payment", "surplus"]
    assert drafts[0].postings == (Posting("clearing:moyasar", -30_00), Posting("case:JE-2:zakat", 30_00))
    assert drafts[1].postings == (Posting("clearing:moyasar", -70_00), Posting("pool:ownership:zakat", 70_00))
    assert drafts[1].memo == "JD-2026-000002: excess over JE-2's need, to pool:ownership:zakat"


def test_a_closed_case_takes_nothing_and_a_pool_line_goes_to_its_pool():
    lines = [GiftLine(50_00, track="rent", case="JE-3", room=0), GiftLine(20_00, track="general")]
    splits, drafts = donation_postings(lines, gateway="stripe", zakat=False, operating_bp=0, reference="JD-3")
    assert splits == [LineSplit(0, 0, 50_00), LineSplit(0, 0, 20_00)]
    assert [draft.postings for draft in drafts] == [
        (Posting("clearing:stripe", -20_00), Posting("pool:general", 20_00)),
        (Posting("clearing:stripe", -50_00), Posting("pool:rent", 50_00)),
    ]


def test_every_halala_of_a_basket_is_posted_once():
    lines = [GiftLine(33_33, track="rent", case="A", room=10_00), GiftLine(66_67, track="ownership", case="B",
                                                                          room=10**9), GiftLine(5_00, track="rent")]
    splits, drafts = donation_postings(lines, gateway="sandbox", zakat=False, operating_bp=175, reference="JD-4")
    moved_in = sum(p.amount for draft in drafts for p in draft.postings if p.account != "clearing:sandbox")
    assert moved_in == sum(line.amount for line in lines)
    assert [s.fee + s.to_case + s.to_pool for s in splits] == [line.amount for line in lines]


def test_holdings_list_the_money_in_the_order_a_refund_takes_it_back():
    lines = [GiftLine(100_00, track="rent", case="A"), GiftLine(50_00, track="ownership")]
    splits = [LineSplit(2_50, 60_00, 37_50), LineSplit(1_25, 0, 48_75)]
    assert donation_holdings(lines, splits, zakat=False) == [
        ("case:A", 60_00), ("pool:rent", 37_50), ("fees:operating", 2_50),
        ("pool:ownership", 48_75), ("fees:operating", 1_25)]


def test_partial_refunds_then_the_rest_return_exactly_what_was_given():
    sources = [("case:A", 60_00), ("pool:rent", 37_50), ("fees:operating", 2_50)]
    first = part_to_refund(sources, 0, 70_00)
    assert first == [("case:A", 60_00), ("pool:rent", 10_00)]
    assert still_held(sources, 70_00) == [("pool:rent", 27_50), ("fees:operating", 2_50)]
    draft = refund_postings(still_held(sources, 70_00), reference="JD-5", memo="refund of JD-5")
    assert draft.kind == "refund" and draft.postings == (
        Posting("pool:rent", -27_50), Posting("fees:operating", -2_50), Posting("refunded", 30_00))


def test_a_refund_of_nothing_is_refused():
    with pytest.raises(LedgerError):
        refund_postings([], reference="JD-6", memo="refund")

"""The PDFs' text direction: every code, amount, date and typed name in an Arabic line is a Unicode isolate, and
the English lines name the people too (an Arabic name in an English line is drawn with the Arabic face)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from jood.donations import receipts
from jood.i18n import FSI, LRI, PDI, RLI

ISOLATED = re.compile(f"[{FSI}{LRI}{RLI}][^{PDI}]*{PDI}")
DIGITS = re.compile(r"\d")


def _donation(**changes):
    case = SimpleNamespace(code="JE-1448-00014", track="rent")
    lines = [SimpleNamespace(case=case, pool=None, surplus=25_00, to_case=75_00, amount=100_00),
             SimpleNamespace(case=None, pool="rent", surplus=0, to_case=0, amount=255_50)]
    values = dict(reference="JD-2026-000123", paid_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
                  created_at=datetime(2026, 3, 1, tzinfo=UTC), amount=355_50, zakat=False, status="paid",
                  payment=SimpleNamespace(refunded_amount=50_00), lines=lines, fee_amount=12_50,
                  public_name="أبو محمد", gift_recipient="أم خالد", gift_message="رمضان كريم",
                  gift_show_amount=True, receipt_token="token")
    values.update(changes)
    return SimpleNamespace(**values)


@pytest.fixture
def facts(monkeypatch):
    """Every (Arabic, English) pair a PDF writes."""
    written = []
    real = receipts._Pdf.fact

    def record(pdf, arabic, english="", **options):
        written.append((arabic, english))
        return real(pdf, arabic, english, **options)

    monkeypatch.setattr(receipts._Pdf, "fact", record)
    return written


def _pdfs(app):
    from jood.disbursements.statement import statement_pdf

    donation = _donation()
    with app.test_request_context():
        return {"receipt": receipts.receipt_pdf(donation), "gift": receipts.gift_card_pdf(donation),
                "statement": statement_pdf(SimpleNamespace(display_name="نورة العتيبي"), 2026, [donation])}


def test_every_digit_in_an_arabic_line_sits_inside_an_isolate(app, facts):
    _pdfs(app)
    arabic_lines = [arabic for arabic, _ in facts if DIGITS.search(arabic)]
    assert len(arabic_lines) > 10
    for line in arabic_lines:
        assert not DIGITS.search(ISOLATED.sub("", line)), line


def test_typed_names_are_isolated_and_fill_the_english_lines(app, facts):
    pdfs = _pdfs(app)
    pairs = dict(facts)
    assert pairs[f"إلى: {FSI}أم خالد{PDI}"] == f"To: {FSI}أم خالد{PDI}"
    assert pairs[f"من: {FSI}أبو محمد{PDI}"] == f"From: {FSI}أبو محمد{PDI}"
    assert pairs[f"المتبرع: {FSI}نورة العتيبي{PDI}"] == f"Donor: {FSI}نورة العتيبي{PDI}"
    gift = PdfReader(io.BytesIO(pdfs["gift"])).pages[0].extract_text()
    statement = PdfReader(io.BytesIO(pdfs["statement"])).pages[0].extract_text()
    # Drawn twice, once per language: the English line is no longer blank after "To:".
    assert gift.count("خالد") == 2 and statement.count("العتيبي") == 2


def test_an_anonymous_gift_card_says_a_doer_of_good_in_both_languages(app, facts):
    with app.test_request_context():
        receipts.gift_card_pdf(_donation(public_name=None))
    assert ("من: فاعل خير", "From: A doer of good") in facts


def test_the_receipt_keeps_the_verify_label_with_its_qr_code(app):
    # Five lines leave just too little room at the foot of the first page for the QR code.
    many = [SimpleNamespace(case=None, pool="general", surplus=0, to_case=0, amount=10_00)] * 5
    with app.test_request_context():
        pdf = PdfReader(io.BytesIO(receipts.receipt_pdf(_donation(lines=many))))
    pages = [page.extract_text() for page in pdf.pages]
    assert len(pages) == 2
    assert "Verify this receipt" in pages[1] and "/r/JD-2026-000123" in pages[1]

"""Receipts and gift cards: bilingual PDFs (Arabic shaped by HarfBuzz, English), QR codes and e-mails (the receipt
mail is HTML and text with the verification link and its QR code; its PDF is rendered on download, then cached)."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import qrcode
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF
from PIL import Image

from jood import ROOT
from jood.donations.models import Donation
from jood.i18n import hijri_date, isolate, text_direction, to_riyadh
from jood.money import format_money

FONTS = Path(ROOT) / "static" / "fonts"
POOL_NAMES = {
    "rent": ("صندوق دعم الإيجار", "Rent support pool"),
    "ownership": ("صندوق التمليك", "Ownership pool"),
    "general": ("الصندوق العام", "General pool"),
}
ANONYMOUS_AR = "فاعل خير"


def external_url(endpoint: str, **values) -> str:
    """An absolute URL, also outside a request (CLI reconciliation, scheduled renewals send receipts too)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8000"
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def verify_url(donation: Donation) -> str:
    return external_url("donations.verify", reference=donation.reference)


def qr_png(url: str, mask_pattern: int | None = None) -> bytes:
    """`mask_pattern` (0 to 7) skips trying all eight masks for the most readable one: any mask is a valid code, and
    trying them is two thirds of the receipt mail's CPU (about 3.5 of 5 ms)."""
    code = qrcode.QRCode(border=2, mask_pattern=mask_pattern)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # modules, border included
    size = len(matrix)
    # The same pixels as qrcode's own PIL drawing (6 px a module), in one resize instead of a rectangle per module.
    modules = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    image = modules.resize((size * 6, size * 6), Image.Resampling.NEAREST).convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode()


def destination(line, language: str) -> str:
    if line.case is not None:
        return isolate(line.case.code, "ltr")
    ar, en = POOL_NAMES[line.pool]
    return ar if language == "ar" else en


class _Pdf(FPDF):
    """A4 with Noto Sans Arabic (HarfBuzz shaping, bidi); each face falls back on the other, so that Latin text in an
    Arabic line and an Arabic name in an English line are both drawn (never left blank)."""

    def __init__(self) -> None:
        super().__init__(format="A4")
        self.set_margins(18, 18, 18)
        self.add_font("NotoArabic", "", str(FONTS / "NotoSansArabic-Regular.ttf"))
        self.add_font("NotoArabic", "B", str(FONTS / "NotoSansArabic-Bold.ttf"))
        self.add_font("NotoLatin", "", str(FONTS / "NotoSans-Regular.ttf"))
        self.add_font("NotoLatin", "B", str(FONTS / "NotoSans-Bold.ttf"))
        self.set_fallback_fonts(["NotoLatin", "NotoArabic"], exact_match=False)
        self.set_text_shaping(True)
        self.set_title("Jood")
        self.add_page()

    def fact(self, arabic: str, english: str = "", *, size: int = 12, bold: bool = False) -> None:
        """One fact in both languages: the Arabic right-aligned, the English under it, left-aligned."""
        self.set_font("NotoArabic", "B" if bold else "", size)
        self.cell(0, size * 0.6, arabic, align="R", new_x="LMARGIN", new_y="NEXT")
        if english:
            self.set_font("NotoLatin", "B" if bold else "", size - 2)
            self.cell(0, size * 0.55, english, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def keep_together(self, height: float) -> None:
        """Start a new page unless `height` mm still fit, so a label is never left at the foot of a page without
        what it introduces."""
        if self.will_page_break(height):
            self.add_page()

    def qr(self, url: str) -> None:
        self.image(io.BytesIO(qr_png(url)), x=self.w - 18 - 40, w=40)
        self.set_font("NotoLatin", "", 9)
        self.cell(0, 5, url, align="R", new_x="LMARGIN", new_y="NEXT")


def _money(halalas: int, language: str) -> str:
    """The amount isolated in its language's direction, so that 'ر.س' never comes loose from its number."""
    return isolate(format_money(halalas, language), text_direction(language))


def _code(value: str) -> str:
    return isolate(value, "ltr")


def receipt_pdf(donation: Donation) -> bytes:
    pdf = _Pdf()
    paid = to_riyadh(donation.paid_at or donation.created_at)
    pdf.fact("إيصال تبرع — جود للإسكان", "Donation receipt — Jood Housing", size=18, bold=True)
    pdf.ln(3)
    pdf.fact(f"رقم الإيصال: {_code(donation.reference)}", f"Receipt number: {donation.reference}", bold=True)
    pdf.fact(f"التاريخ: {_code(f'{paid:%Y-%m-%d}')} م — {isolate(hijri_date(paid.date(), 'ar'))}",
             f"Date: {paid:%Y-%m-%d} ({hijri_date(paid.date(), 'en')})")
    pdf.fact(f"المبلغ: {_money(donation.amount, 'ar')}", f"Amount: {_money(donation.amount, 'en')}", bold=True)
    pdf.fact("نوع التبرع: زكاة" if donation.zakat else "نوع التبرع: صدقة",
             "Type: zakat" if donation.zakat else "Type: sadaqah (general charity)")
    pdf.fact(f"الحالة: {STATUS_AR.get(donation.status, donation.status)}",
             f"Status: {STATUS_EN.get(donation.status, donation.status)}")
    if donation.status == "paid" and donation.payment.refunded_amount:
        pdf.fact(f"رُدّ إلى المتبرع: {_money(donation.payment.refunded_amount, 'ar')}",
                 f"Refunded to the donor: {_money(donation.payment.refunded_amount, 'en')}")
    pdf.ln(2)
    for line in donation.lines:
        if not line.surplus or line.to_case:
            amount = line.to_case if line.surplus else line.amount
            pdf.fact(f"إلى: {destination(line, 'ar')} — {_money(amount, 'ar')}",
                     f"To: {destination(line, 'en')} — {_money(amount, 'en')}")
        if line.surplus:
            pool_ar, pool_en = POOL_NAMES[line.case.track]
            pdf.fact(f"إلى: {pool_ar} — {_money(line.surplus, 'ar')}", f"To: {pool_en} — {_money(line.surplus, 'en')}")
            pdf.fact(f"اكتمل احتياج الحالة، فذهب {_money(line.surplus, 'ar')} إلى صندوق مسارها.",
                     f"The case's need was met, so {_money(line.surplus, 'en')} went to its track's pool.")
    if donation.fee_amount:
        pdf.fact(f"حصة التشغيل المقتطعة: {_money(donation.fee_amount, 'ar')}",
                 f"Operating share deducted: {_money(donation.fee_amount, 'en')}")
    else:
        pdf.fact("لم تُقتطع أي تكاليف تشغيل من هذا التبرع.", "No operating cost was deducted from this gift.")
    pdf.ln(3)
    pdf.keep_together(60)
    pdf.fact("تحقق من هذا الإيصال:", "Verify this receipt:")
    pdf.qr(verify_url(donation))
    return bytes(pdf.output())


def gift_card_pdf(donation: Donation) -> bytes:
    pdf = _Pdf()
    recipient = isolate(donation.gift_recipient)
    giver = isolate(donation.public_name) if donation.public_name else ""
    pdf.fact("إهداء", "A gift in your name", size=22, bold=True)
    pdf.ln(2)
    pdf.fact(f"إلى: {recipient}", f"To: {recipient}", size=14)
    pdf.fact(f"من: {giver or ANONYMOUS_AR}", f"From: {giver or 'A doer of good'}", size=14)
    if donation.gift_message:
        pdf.fact(donation.gift_message, size=13)
    pdf.fact("تبرّع باسمك لمساعدة أسرة محتاجة على السكن عبر منصة جود.",
             "A gift was made in your name to help a family in need of a home, through Jood.")
    places_ar = "، ".join(destination(line, "ar") for line in donation.lines)
    places_en = ", ".join(destination(line, "en") for line in donation.lines)
    pdf.fact(f"لصالح: {places_ar}", f"For: {places_en}")
    if donation.gift_show_amount:
        pdf.fact(f"المبلغ: {_money(donation.amount, 'ar')}", f"Amount: {_money(donation.amount, 'en')}")
    pdf.qr(verify_url(donation))
    return bytes(pdf.output())


STATUS_EN = {"paid": "paid", "refunded": "refunded", "pending": "awaiting payment", "created": "awaiting payment",
             "failed": "payment failed", "expired": "expired", "cancelled": "cancelled"}
STATUS_AR = {"paid": "مدفوع", "refunded": "مسترد", "pending": "قيد الدفع", "created": "قيد الدفع",
             "failed": "فشل الدفع", "expired": "منتهي", "cancelled": "ملغى"}


class Mail(NamedTuple):
    """One message: its plain text, and optionally an HTML alternative with its inline images (name, type, bytes)
    that the HTML refers to as `cid:<name>`."""

    to: str
    subject: str
    body: str
    attachments: Sequence[tuple[str, str, bytes]] = ()
    html: str | None = None
    inline: Sequence[tuple[str, str, bytes]] = ()


def receipt_mail(donation: Donation) -> Mail:
    """The receipt e-mail, in the donor's language: the facts, the receipt page and its PDF's links, the public
    verification link and its QR code. The PDF is not attached: it costs ~130 ms of CPU to lay out and subset four
    fonts, against a few ms for this mail, so it is rendered when the donor downloads it, then cached
    (`cached_receipt_pdf`). docs/benchmarks.md, run of 2026-12-01, has the measurements."""
    language = donation.language or "ar"
    verify = verify_url(donation)
    page = external_url("donations.receipt", token=donation.receipt_token)
    pdf = external_url("donations.receipt_pdf", token=donation.receipt_token)
    with force_locale(language):
        subject = _("Your Jood donation receipt %(reference)s", reference=donation.reference)
        facts = [
            _("Thank you for your gift."),
            _("Receipt: %(reference)s", reference=_code(donation.reference)),
            _("Amount: %(amount)s", amount=_money(donation.amount, language)),
            *([_("The case's need was already met, so %(amount)s went to its track's pool.",
                 amount=_money(donation.surplus_amount, language))] if donation.surplus_amount else []),
        ]
        body = "\n".join([
            *facts,
            _("Receipt page: %(url)s", url=page),
            _("PDF receipt: %(url)s", url=pdf),
            _("Anyone can verify it at %(url)s", url=verify),
        ])
        html = render_template("donations/receipt_mail.html", subject=subject, facts=facts, page=page, pdf=pdf,
                               verify=verify, reference=donation.reference, language=language,
                               direction=text_direction(language))
    current_app.logger.info("Receipt %s queued for e-mail", donation.reference)
    return Mail(donation.email, subject, body, (), html, [("qr", "image/png", qr_png(verify, mask_pattern=2))])


def receipt_pdf_key(donation: Donation) -> str:
    """What the PDF shows that can change after it is paid (a refund): part of its cache key, so that a changed
    receipt is a new entry and no invalidation is needed."""
    payment = donation.payment
    return f"receipt-pdf:{donation.receipt_token}:{donation.status}:{payment.refunded_amount if payment else 0}"


# A donor opens a receipt again in the hours after giving. A PDF is ~45 kB: 100,000 downloads a day keep ~4.5 GB
# in Redis for a day at most; after that a download renders again (~150 ms).
RECEIPT_PDF_TTL = 24 * 3600


def cached_receipt_pdf(donation: Donation) -> bytes:
    """The receipt's PDF, rendered on its first download and kept in the cache (Redis in production), so that a
    donor opening it again, or a tax office checking it, costs a cache read. A cache outage only costs a render."""
    from jood.cache import store

    key = receipt_pdf_key(donation)
    try:
        pdf = store().get(key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never a failure
        current_app.logger.warning("receipt cache unavailable", exc_info=True)
        pdf = None
    if pdf is None:
        pdf = receipt_pdf(donation)
        try:
            store().set(key, pdf, RECEIPT_PDF_TTL)
        except Exception:  # noqa: BLE001
            current_app.logger.warning("receipt cache unavailable", exc_info=True)
    return pdf


def gift_recipient_email(donation: Donation) -> str | None:
    """The recipient's e-mail address when the donor gave one as the gift's contact (a mobile number gets no mail:
    the donor shares the card's link instead)."""
    contact = (donation.gift_contact or "").strip()
    if not donation.gift_token or "@" not in contact:
        return None
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(contact, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def gift_mail(donation: Donation) -> Mail:
    """Tells the recipient of a gift, in Arabic (the donor's language is not necessarily theirs; Arabic first), with
    the gift card's link and PDF. Never the amount unless the donor chose to show it (the card decides that)."""
    with force_locale("ar"):
        giver = donation.public_name or _("A doer of good")
        subject = _("%(name)s made a gift in your name through Jood", name=giver)
        body = "\n".join([
            _("Peace be upon you, %(name)s.", name=donation.gift_recipient),
            _("%(giver)s gave to a family in need of housing, in your name.", giver=giver),
            *([donation.gift_message] if donation.gift_message else []),
            _("Your gift card: %(url)s", url=external_url("donations.gift_card", token=donation.gift_token)),
        ])
    return Mail(gift_recipient_email(donation), subject, body, [("jood-gift.pdf", "application/pdf",
                                                                 gift_card_pdf(donation))])


def paid_mails(donation: Donation) -> list[tuple[str, Mail]]:
    """Every mail a paid donation sends, with its stable message id: the donor's receipt, the gift's recipient."""
    mails = []
    if donation.email:
        mails.append((f"receipt-{donation.reference}", receipt_mail(donation)))
    if gift_recipient_email(donation):
        mails.append((f"gift-{donation.reference}", gift_mail(donation)))
    return mails


def cancellation_mail(donation: Donation, case) -> tuple[str, str, str]:
    with force_locale(donation.language or "ar"):
        subject = _("Case %(code)s was withdrawn", code=case.code)
        body = "\n".join([
            _("The case you gave to (%(code)s) was withdrawn before it was completed.", code=case.code),
            _("As the published rules say, the money it held has moved to its track's pool and will help the next "
              "family in need, in priority order."),
            _("Receipt: %(reference)s", reference=donation.reference),
        ])
    return donation.email, subject, body

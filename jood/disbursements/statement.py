"""The donor's annual statement: a bilingual PDF built with the receipt's own PDF class and helpers."""

from __future__ import annotations

from flask_babel import force_locale, ngettext

from jood.donations.receipts import _code, _money, _Pdf, destination
from jood.i18n import isolate, to_riyadh


def _count_ar(n: int) -> str:
    with force_locale("ar"):
        return ngettext("%(num)s donation", "%(num)s donations", n)


def statement_pdf(user, year: int, donations: list) -> bytes:
    pdf = _Pdf()
    pdf.fact(f"كشف التبرعات السنوي {isolate(str(year), 'ltr')} — جود للإسكان",
             f"Annual giving statement {year} — Jood Housing", size=17, bold=True)
    donor = isolate(user.display_name)
    pdf.fact(f"المتبرع: {donor}", f"Donor: {donor}")
    total = sum(d.amount for d in donations)
    zakat = sum(d.amount for d in donations if d.zakat)
    with force_locale("en"):
        count_en = ngettext("%(num)s donation", "%(num)s donations", len(donations))
    pdf.fact(f"مجموع التبرعات: {_money(total, 'ar')} ({_count_ar(len(donations))})",
             f"Total given: {_money(total, 'en')} in {count_en}", bold=True)
    pdf.fact(f"منها زكاة: {_money(zakat, 'ar')} — صدقة: {_money(total - zakat, 'ar')}",
             f"Of which zakat: {_money(zakat, 'en')} — sadaqah: {_money(total - zakat, 'en')}")
    pdf.ln(2)
    for donation in donations:
        day = to_riyadh(donation.paid_at)
        places_ar = "، ".join(destination(line, "ar") for line in donation.lines)
        places_en = ", ".join(destination(line, "en") for line in donation.lines)
        day_ar = isolate(f"{day:%Y-%m-%d}", "ltr")
        pdf.fact(f"{day_ar} — {_code(donation.reference)} — {_money(donation.amount, 'ar')} — {places_ar}",
                 f"{day:%Y-%m-%d} — {donation.reference} — {_money(donation.amount, 'en')} — {places_en}", size=10)
    if not donations:
        pdf.fact("لا توجد تبرعات مدفوعة في هذه السنة.", "No paid donations in this year.")
    return bytes(pdf.output())

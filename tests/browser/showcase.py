"""A small, coherent set of public data for the layout, direction and accessibility tests: titled cases in both
tracks (one with English texts, one only in Arabic), paid gifts through the real services, a gift card."""

from __future__ import annotations

from dataclasses import dataclass

from jood.cases.models import CaseStatus, Track
from jood.donations import services as giving
from jood.extensions import db
from jood.ledger import services as ledger
from jood.payments import services as payments
from jood.payments.states import PaymentEvent

TITLES = [
    ("أسرة من سبعة أفراد في صبيا تحتاج إيجار سنة", "A family of seven in Sabya needs a year's rent", "صبيا", "jazan"),
    ("أم وأربعة أبناء في جدة يواجهون الإخلاء", "", "جدة", "makkah"),
    ("أسرة من خمسة أفراد في بريدة تسعى إلى تملك مسكن", "A family of five in Buraydah hoping to own a home",
     "بريدة", "qassim"),
    ("أسرة من ثلاثة أفراد في الدمام تحتاج إيجار سنة", "A family of three in Dammam needs a year's rent", "الدمام",
     "eastern"),
]
SUMMARY = ("أسرة تقيم في شقة مستأجرة ضيقة، وتعجز عن سداد الإيجار السنوي بعد انقطاع دخل العائل، "
           "وتحتاج إلى سداد عقد السنة.")
SUMMARY_EN = "The family rents a small flat and can no longer pay the yearly rent since the father lost his income."


@dataclass
class Showcase:
    cases: list
    donation: object  # paid, with a gift card
    charity: object


def pay(case, amount: int, *, name: str = "", gift: giving.Gift | None = None):
    donor = giving.Donor(display_name=name, anonymous=not name, email=None)
    donation = giving.create_donation([giving.LineRequest(amount, case=case)], donor, zakat=False, gateway="sandbox",
                                      gift=gift)
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
    ledger.commit()
    return donation


def build(make_charity, make_case) -> Showcase:
    charity = make_charity(name_ar="جمعية البر بالرياض", name_en="Al-Birr Society, Riyadh")
    cases = []
    for index, (title, title_en, city, region) in enumerate(TITLES):
        track = Track.OWNERSHIP if index == 2 else Track.RENT
        cases.append(make_case(CaseStatus.PUBLISHED, track=track, charity=charity, city=city, region=region,
                               family_size=7 - index, target_amount=(250_000_00 if index == 2 else 25_500_00),
                               priority_total=30 - index, public_title=title, public_title_en=title_en,
                               public_summary=SUMMARY, public_summary_en=SUMMARY_EN if title_en else ""))
    donation = pay(cases[0], 1_250_00, name="محسن",
                   gift=giving.Gift(recipient="سارة", message="رمضان كريم", show_amount=True))
    pay(cases[1], 9_000_00)
    pay(cases[3], 100_00)
    db.session.commit()
    return Showcase(cases=cases, donation=donation, charity=charity)

"""Demo cases: about sixty families across the 13 regions, both tracks and every status a case reaches before the
money moves (funded, disbursed and closed come from the donations and disbursements demo data, through the ledger).

Every case walks the real workflow (intake, members, documents, field visit, electronic verification, registry
attestations, review), so the demo shows true verification records. Safe to run again: a family whose national
ID already has a case is skipped.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from jood.auth import services as accounts
from jood.cases import identity, services
from jood.cases.models import REGISTRIES, CaseApplicant, CaseStatus
from jood.charities.models import Charity
from jood.core.db import utcnow
from jood.extensions import db

S = CaseStatus
# Which charity serves which regions, and their cities.
SERVICE_AREAS = {
    "birr-riyadh": {"riyadh": ["الرياض", "الخرج", "الدوادمي"], "qassim": ["بريدة", "عنيزة"], "hail": ["حائل"]},
    "sakan-makkah": {"makkah": ["جدة", "مكة المكرمة", "الطائف"], "madinah": ["المدينة المنورة", "ينبع"],
                     "baha": ["الباحة", "بلجرشي"], "tabuk": ["تبوك", "أملج"]},
    "ethar-eastern": {"eastern": ["الدمام", "الأحساء", "القطيف"], "northern_borders": ["عرعر", "رفحاء"],
                      "jouf": ["سكاكا", "دومة الجندل"]},
    "wafa-asir": {"asir": ["أبها", "خميس مشيط"], "jazan": ["جازان", "صبيا"], "najran": ["نجران", "شرورة"]},
}
RESEARCHERS = {"birr-riyadh": "researcher@birr.jood.local", "sakan-makkah": "researcher@sakan.jood.local",
               "ethar-eastern": "researcher@ethar.jood.local", "wafa-asir": "researcher@wafa.jood.local"}
REVIEWER = "reviewer@jood.local"

# 60 statuses, most of them published so the catalog has plenty to show.
PLAN = ([S.PUBLISHED] * 38 + [S.DRAFT] * 5 + [S.SUBMITTED] * 4 + [S.UNDER_REVIEW] * 4 + [S.RETURNED] * 3
        + [S.REJECTED] * 2 + [S.SUSPENDED] * 2 + [S.CANCELLED] * 2)

MEN = ["محمد", "عبدالله", "خالد", "فهد", "سعد", "تركي", "بندر", "ماجد", "ناصر", "عبدالرحمن", "يوسف", "إبراهيم"]
WOMEN = ["فاطمة", "نورة", "هيفاء", "منيرة", "لطيفة", "حصة", "عائشة", "مريم", "جواهر", "سلمى", "هند", "شيخة"]
FAMILIES = ["العتيبي", "الشهري", "القحطاني", "الغامدي", "الزهراني", "الحربي", "المطيري", "الدوسري", "العنزي",
            "الشمري", "الأحمري", "اليامي", "الجهني", "البلوي", "السبيعي"]
SITUATIONS = [
    "تقيم في شقة مستأجرة ضيقة لا تتسع لأفرادها، وتعجز عن سداد الإيجار السنوي بعد انقطاع دخل العائل",
    "تسكن في مسكن قديم متهالك، وتحتاج إلى مسكن ملائم بعد أن أثبتت الزيارة الميدانية خطورة البقاء فيه",
    "تعتمد على معاش الضمان الاجتماعي وحده، وتراكمت عليها أقساط الإيجار منذ أشهر",
    "يعاني أحد أفرادها مرضًا مزمنًا يستنزف دخلها المحدود، ولم تعد قادرة على دفع الإيجار",
    "فقدت عائلها، وتعيلها الأم بدخل بسيط لا يكفي لسداد الإيجار ومصاريف الدراسة",
    "صدر بحقها حكم إخلاء لتأخر الإيجار، وتحتاج إلى سداد عقد السنة القادمة لتبقى في مسكنها",
    "تسكن مع أقاربها في منزل مكتظ، وتحتاج إلى مسكن مستقل يحفظ خصوصيتها واستقرار أبنائها",
]
OWNERSHIP_NEEDS = ["وتسعى إلى تملك وحدة سكنية صغيرة بدل الإيجار المتكرر",
                   "ولديها عرض سعر لشقة مناسبة قريبة من مدارس الأبناء"]
DISTRICTS = ["النسيم", "الروضة", "الفيصلية", "العزيزية", "الشفا"]
RENT_NEEDS = ["وتحتاج إلى سداد إيجار سنة كاملة", "ويغطي المبلغ المطلوب عقد الإيجار السنوي الموثق"]
FINDINGS = [
    "زار الباحث المسكن ووجده بحاجة ماسة، والأثاث بسيط، والأسرة متعاونة وقدمت المستندات كاملة.",
    "المسكن ضيق ورطب، وتأكد الباحث من عقد الإيجار ومن دخل الأسرة عبر كشف الحساب.",
    "الحالة مطابقة لما ورد في الطلب، والأسرة تستحق الدعم وفق الزيارة والمستندات.",
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def demo_national_id(index: int) -> str:
    body = f"1{index + 71_000_000:08d}"
    for check in range(10):
        digits = body + str(check)
        total = sum((v * 2 - 9 if v * 2 > 9 else v * 2) if i % 2 == 0 else v for i, v in enumerate(map(int, digits)))
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def _pdf(name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(PDF), filename=name)


def _family(rng: random.Random, index: int, today: date) -> tuple[dict, list[dict]]:
    role = rng.choice(["father", "father", "husband", "husband", "mother", "widowed_woman", "divorced_woman",
                       "siblings", "disability"])
    woman = role in ("mother", "widowed_woman", "divorced_woman", "wife")
    surname = FAMILIES[index % len(FAMILIES)]
    first = (WOMEN if woman else MEN)[index % 12]
    age = rng.randint(27, 62)
    children = rng.randint(1 if role in ("widowed_woman", "divorced_woman") else 0, 6)
    members = []
    if role in ("father", "husband"):
        members.append({"relation": "spouse", "full_name": f"{WOMEN[(index + 3) % 12]} {surname}",
                        "age": max(20, age - rng.randint(2, 8)), "marital_status": "married", "has_condition": False})
    for n in range(children):
        son = rng.random() < 0.5
        members.append({"relation": "son" if son else "daughter",
                        "full_name": f"{(MEN if son else WOMEN)[(index + n + 5) % 12]} {surname}",
                        "age": rng.randint(1, 19), "marital_status": "single",
                        "has_condition": rng.random() < 0.08})
    completed = today - timedelta(days=rng.randint(200, 11 * 365))
    suspended = []
    if rng.random() < 0.2:
        began = completed + timedelta(days=60)
        suspended = [[began.isoformat(), (began + timedelta(days=rng.randint(30, 300))).isoformat()]]
    applicant = {
        "full_name": f"{first} {MEN[(index + 7) % 12]} {surname}", "national_id": demo_national_id(index),
        "phone": f"05{rng.randint(0, 99_999_999):08d}", "address": f"حي {rng.choice(DISTRICTS)}",
        "applicant_role": role, "nationality": "SA", "birth_date": date(today.year - age, rng.randint(1, 12), 1),
        "divorce_date": date(today.year - rng.randint(2, 9), 3, 1) if role == "divorced_woman" else None,
        "monthly_income": rng.choice([1_800, 2_400, 2_900, 3_300, 3_800, 4_200, 4_900, 5_600]) * 100,
        "assets_value": rng.choice([0, 0, 5_000, 20_000, 60_000]) * 100,
        "domestic_workers": rng.choice([0] * 9 + [1]),
        "owns_suitable_home": False, "prior_housing_support": False, "resides_in_ksa": True,
        "incurable_condition": rng.random() < 0.15, "development_centre": rng.random() < 0.1,
        "prior_land_grant_application": rng.random() < 0.25,
        "application_completed_on": completed, "suspended_periods": suspended,
    }
    return applicant, members


# "A family of N" in words, with the noun Arabic grammar gives each number (no digit runs in public texts).
FAMILY_AR = {1: "فرد واحد", 2: "أسرة من فردين", 3: "أسرة من ثلاثة أفراد", 4: "أسرة من أربعة أفراد",
             5: "أسرة من خمسة أفراد", 6: "أسرة من ستة أفراد", 7: "أسرة من سبعة أفراد", 8: "أسرة من ثمانية أفراد",
             9: "أسرة من تسعة أفراد", 10: "أسرة من عشرة أفراد"}
FAMILY_EN = {1: "A person alone", 2: "A family of two", 3: "A family of three", 4: "A family of four",
             5: "A family of five", 6: "A family of six", 7: "A family of seven", 8: "A family of eight",
             9: "A family of nine", 10: "A family of ten"}


def _family_words(size: int) -> tuple[str, str]:
    size = min(max(size, 1), 10)
    return FAMILY_AR[size], FAMILY_EN[size]


def _titles(track: str, size: int, city: str) -> dict[str, str]:
    """The charity's short public title, in Arabic and English, as a demo charity would write it."""
    from jood.regions import CITY_NAMES_EN

    family_ar, family_en = _family_words(size)
    city_en = CITY_NAMES_EN.get(city, city)
    if track == "ownership":
        return {"public_title": f"{family_ar} في {city} تسعى إلى تملك مسكن",
                "public_title_en": f"{family_en} in {city_en} hoping to own a home"}
    return {"public_title": f"{family_ar} في {city} تحتاج إيجار سنة",
            "public_title_en": f"{family_en} in {city_en} needs a year's rent"}


def _need(rng: random.Random, track: str, size: int) -> tuple[str, int, str, str]:
    situation = rng.choice(SITUATIONS)
    family = _family_words(size)[0]
    if track == "ownership":
        amount = rng.randrange(250_000, 750_000, 5_000) * 100
        return "quote", amount, "عرض سعر وحدة سكنية من مكتب عقاري معتمد", (
            f"{family} {situation}، {rng.choice(OWNERSHIP_NEEDS)}.")
    amount = rng.randrange(12_000, 45_000, 500) * 100
    return "lease", amount, "عقد إيجار سنوي موثق في منصة إيجار", (
        f"{family} {situation}، {rng.choice(RENT_NEEDS)}.")


def _users() -> tuple[dict, object] | None:
    researchers = {slug: accounts.find_user_by_email(email) for slug, email in RESEARCHERS.items()}
    reviewer = accounts.find_user_by_email(REVIEWER)
    if reviewer is None or None in researchers.values():
        return None
    return researchers, reviewer


def seed() -> dict[str, int]:
    users = _users()
    if users is None:
        return {"cases_created": 0}
    researchers, reviewer = users
    charities = {c.slug: c for c in db.session.scalars(select(Charity).where(Charity.slug.in_(list(SERVICE_AREAS))))}
    existing = set(db.session.scalars(select(CaseApplicant.national_id_hash)))
    rng = random.Random(1448)  # noqa: S311 - reproducible demo data, not a secret
    today = services.riyadh_today()
    areas = [(slug, region, cities) for slug, regions in SERVICE_AREAS.items() for region, cities in regions.items()]
    created = 0
    for index, status in enumerate(PLAN):
        slug, region, cities = areas[index % len(areas)]
        applicant, members = _family(rng, index, today)
        track = "ownership" if index % 4 == 3 else "rent"
        basis, amount, basis_note, summary = _need(rng, track, 1 + len(members))
        if identity.national_id_hash(applicant["national_id"]) in existing or slug not in charities:
            continue
        city = cities[index % len(cities)]
        _walk(charities[slug], researchers[slug], reviewer, status, rng, today, index, {
            **applicant, "region": region, "city": city, "track": track,
            "target_amount": amount, "amount_basis": basis, "amount_basis_note": basis_note,
            "public_summary": summary, "zakat_eligible": rng.random() < 0.8, "public_summary_en": "",
            **_titles(track, 1 + len(members), city),
        }, members)
        created += 1
    db.session.flush()
    return {"cases_created": created}


def _walk(charity, researcher, reviewer, status, rng, today, index, data, members) -> None:
    """Take one demo family through the real workflow up to `status`."""
    case = services.create_case(charity, researcher, data)
    for member in members:
        services.add_member(case, researcher, member)
    if status == S.DRAFT:
        return
    services.add_document(case, researcher, _pdf("national-id.pdf"), "national_id")
    services.add_document(case, researcher, _pdf("basis.pdf"), "lease" if data["amount_basis"] == "lease"
                          else "price_quote")
    visited = today - timedelta(days=rng.randint(20, 120))
    services.record_visit(case, researcher, visited_on=visited, findings=rng.choice(FINDINGS),
                          recommendation="support")
    services.submit_case(case, researcher)
    if status == S.SUBMITTED:
        return
    services.take_for_review(case, reviewer)
    if status == S.UNDER_REVIEW:
        return
    if status == S.RETURNED:
        services.change_status(case, reviewer, S.RETURNED, "نرجو إرفاق عقد إيجار موثق وتحديث كشف الدخل.")
        return
    if status == S.REJECTED:
        services.change_status(case, reviewer, S.REJECTED, "تبيّن من السجلات حصول الأسرة على دعم سكني سابق.")
        return
    services.record_registry_checks(case, reviewer, {
        registry: {"outcome": "clear", "evidence": "اطلع المراجع على السجل الإلكتروني ولا يوجد قيد على الأسرة."}
        for registry in REGISTRIES})
    services.publish_case(case, reviewer, confirmed_no_private_data=True)
    # Published after the field visit and the review, never before (the visit was 20 to 120 days ago).
    published_days = rng.randint(1, min(90, (today - visited).days - 3))
    case.published_at = utcnow() - timedelta(days=published_days)
    case.situation_updated_at = case.published_at
    case.electronic_verified_at = case.published_at - timedelta(days=1)
    case.submitted_at = case.published_at - timedelta(days=2)
    if status == S.SUSPENDED:
        services.change_status(case, reviewer, S.SUSPENDED, "بلاغ عن تغير وضع الأسرة قيد التحقق.")
    elif status == S.CANCELLED:
        services.change_status(case, reviewer, S.CANCELLED, "انتقلت الأسرة إلى مسكن وفرته جهة حكومية.")

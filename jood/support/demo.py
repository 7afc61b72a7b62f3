"""Demo data: a realistic month of support requests in Arabic, the grievance committee and its votes. Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, select

from jood.auth.models import User
from jood.core.db import utcnow
from jood.extensions import db
from jood.support import rules, services
from jood.support.models import CommitteeMember, SupportRequest
from jood.support.periods import riyadh_today

DEMO_DOMAIN = "demo.jood.local"
COMMITTEE = ("reviewer@jood.local", "reviewer2@jood.local", "finance@jood.local")

# (kind, name, message)
MESSAGES = [
    ("inquiry", "عبدالرحمن الشهري", "كيف أتأكد أن تبرعي وصل إلى الأسرة نفسها؟ وهل يظهر في السجل العام؟"),
    ("inquiry", "نوف القحطاني", "هل يمكن إخراج الزكاة لحالات دعم الإيجار؟ وكيف أعرف أن الحالة مستحقة للزكاة؟"),
    ("inquiry", "سلمان العتيبي", "أريد التبرع باسم والدتي رحمها الله، هل يمكن كتابة اسمها في الإيصال؟"),
    ("inquiry", "هيا الدوسري", "ما المدة المعتادة بين اكتمال تمويل الحالة وصرف الإيجار للمؤجر؟"),
    ("inquiry", "فيصل الزهراني", "هل تقبلون التبرع عن طريق التحويل البنكي المباشر؟"),
    ("inquiry", "أمل الغامدي", "كيف تتحقق الجمعية من أن الأسرة لا تملك مسكنًا مناسبًا؟"),
    ("inquiry", "ماجد الحربي", "هل يمكنني متابعة الحالة بعد الصرف ومعرفة إن كانت الأسرة ما زالت في المسكن؟"),
    ("inquiry", "ريم المطيري", "أرغب في تحديث رقم جوالي المرتبط بحسابي، كيف أفعل ذلك؟"),
    ("inquiry", "خالد السبيعي", "هل الإيصال الصادر من المنصة معتمد لأغراض المحاسبة في الشركة؟"),
    ("inquiry", "منى العنزي", "كم نسبة التشغيل التي تُقتطع من التبرعات غير الزكوية؟"),
    ("inquiry", "تركي البقمي", "هل يمكن التبرع لحالة في منطقة جازان تحديدًا؟"),
    ("inquiry", "لطيفة الشمري", "ما الفرق بين مسار دعم الإيجار ومسار التمليك؟"),
    ("complaint", "سعد القرني", "دفعت التبرع ولم يصلني الإيصال على البريد الإلكتروني حتى الآن."),
    ("complaint", "نورة الرشيدي", "صفحة الحالة لم تُحدَّث منذ أكثر من أسبوعين رغم اكتمال التمويل."),
    ("complaint", "عبدالله المالكي", "خُصم المبلغ مرتين من بطاقتي لتبرع واحد، أرجو المعالجة."),
    ("complaint", "أسماء الجهني", "تأخر الرد على استفساري السابق أكثر من أسبوع."),
    ("complaint", "بدر العمري", "رابط التحقق من الإيصال لا يعمل عند فتحه من الجوال."),
    ("complaint", "جواهر السهلي", "الجمعية لم تتواصل معنا بعد الزيارة الميدانية رغم مرور شهر."),
    ("complaint", "راشد الخالدي", "ظهر مبلغ التبرع في السجل العام بقيمة مختلفة عن الإيصال."),
    ("complaint", "هند البلوي", "لا أستطيع تنزيل كشف التبرعات السنوي من صفحة حسابي."),
    ("suggestion", "مشاري الدخيل", "أقترح إضافة خيار التبرع الشهري المتكرر لحالات الإيجار."),
    ("suggestion", "العنود الفيفي", "أتمنى إضافة خريطة تبين الحالات القريبة من مدينتي."),
    ("suggestion", "يوسف الأحمدي", "اقتراح: إشعار بالبريد عند صرف الإيجار للأسرة التي تبرعت لها."),
    ("suggestion", "شهد الحازمي", "يفضل عرض مدة الانتظار المتوقعة لكل حالة في صفحة الفهرس."),
]
GRIEVANCES = [
    ("محمد الشهراني", "رفض طلب أسرتي لأن الدخل الشهري أعلى من الحد، والدخل المحتسب يشمل مكافأة انتهت.",
     "قرار الجمعية برفض طلب الدعم السكني", 12, ("upheld", "upheld", "dismissed")),
    ("فاطمة الزهراني", "أُعيدت الحالة للاستكمال ثلاث مرات بسبب نفس المستند رغم رفعه.",
     "قرار المراجع بإعادة الحالة للاستكمال", 20, ("dismissed", "dismissed", "dismissed")),
    ("إبراهيم العسيري", "تم تعليق الحالة دون توضيح السبب بعد اكتمال نصف المبلغ.",
     "قرار تعليق نشر الحالة", 30, ("more_study", "more_study", "upheld")),
    ("حصة القحطاني", "لم تُحتسب نقاط الإعاقة لابني رغم إرفاق التقرير الطبي المعتمد.",
     "قرار احتساب نقاط الأولوية", 8, ("upheld",)),
]
STAFF_REPLIES = [
    "شكرًا لتواصلك. راجعنا طلبك، وتجد التفاصيل في صفحة الحالة والسجل العام.",
    "نعتذر عن التأخير. تمت معالجة الملاحظة وإبلاغ الجمعية المعنية.",
    "شكرًا لمقترحك القيّم، أُحيل إلى فريق تطوير المنصة لدراسته.",
    "تم التحقق من العملية وإعادة إرسال الإيصال إلى بريدك الإلكتروني.",
]


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def seed() -> dict[str, int]:
    existing = db.session.scalar(
        select(func.count()).select_from(SupportRequest).where(SupportRequest.email.like(f"%@{DEMO_DOMAIN}"))
    )
    if existing:
        return {"support_requests": 0}
    staff = _user("reviewer@jood.local")
    if staff is None:
        return {"support_requests": 0}
    members = [user for user in (_user(email) for email in COMMITTEE) if user is not None]
    for member in members:
        if not services.is_member(member):
            services.add_member(member, actor=_user("admin@jood.local") or staff)

    rng = random.Random(1448)  # noqa: S311 - reproducible demo data, not security
    now = utcnow()
    start = now - timedelta(days=40)
    created = 0
    for index, (kind, name, message) in enumerate(MESSAGES):
        filed = start + timedelta(days=index * 30 / len(MESSAGES), hours=rng.randint(7, 20))
        request = services.file_request(kind=kind, name=name, message=message, email=f"user{index}@{DEMO_DOMAIN}",
                                        now=filed)
        created += 1
        if index % 6 == 5:
            continue  # still waiting: some open and past their deadline, as in real life
        services.assign(request, staff, actor=staff)
        answered = filed + timedelta(hours=rng.randint(2, 96))
        services.reply(request, STAFF_REPLIES[index % len(STAFF_REPLIES)], actor=staff, now=answered)
        if index % 4 != 3:
            services.resolve(request, actor=staff, now=answered + timedelta(hours=rng.randint(1, 48)))
            if index % 3 != 2:
                services.rate(request, rng.choice([5, 5, 4, 4, 4, 3, 2]), now=answered + timedelta(days=2))

    for offset, (name, message, decision, notified_days, votes) in enumerate(GRIEVANCES):
        filed = start + timedelta(days=5 + offset * 8)
        request = services.file_request(
            kind=rules.Kind.GRIEVANCE, name=name, message=message, email=f"grievance{offset}@{DEMO_DOMAIN}",
            contested_decision=decision, notified_on=riyadh_today(filed) - timedelta(days=notified_days), now=filed,
        )
        created += 1
        for member, vote in zip(members, votes, strict=False):
            services.vote(request, member, vote, now=filed + timedelta(days=3))
        if services.decision_blocker(request) is None:
            services.decide(request, actor=staff, now=filed + timedelta(days=6))
    db.session.flush()
    return {"support_requests": created, "committee_members": db.session.scalar(
        select(func.count()).select_from(CommitteeMember))}

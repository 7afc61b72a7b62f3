"""`flask seed-demo`: realistic Arabic demo content. Safe to run again: it only adds what is missing."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from jood.auth import services as accounts
from jood.auth.roles import Role
from jood.charities.models import Charity, CharityStatus
from jood.core.db import utcnow
from jood.core.unit import unit_of_work
from jood.extensions import db

DEMO_PASSWORD = "jood-demo-2026"  # noqa: S105 - printed in the README; demo databases only

CHARITIES = [
    # slug, Arabic name, English name, licence, region, city, status
    ("birr-riyadh", "جمعية البر السكنية بالرياض", "Al-Birr Housing Society, Riyadh", "1101", "riyadh", "الرياض",
     "approved"),
    ("sakan-makkah", "جمعية سكن الخيرية بمكة المكرمة", "Sakan Charity, Makkah", "1245", "makkah", "جدة", "approved"),
    ("ethar-eastern", "جمعية إيثار للإسكان بالشرقية", "Ethar Housing Society, Eastern Province", "1389", "eastern",
     "الدمام", "approved"),
    ("wafa-asir", "جمعية وفاء الأهلية بعسير", "Wafa Community Society, Asir", "1452", "asir", "أبها", "approved"),
    ("amal-jazan", "جمعية أمل للتنمية بجازان", "Amal Development Society, Jazan", "1507", "jazan", "جازان", "pending"),
]

# email, display name, role, charity slug
USERS = [
    ("admin@jood.local", "مدير المنصة", Role.ADMIN, None),
    ("reviewer@jood.local", "سارة المراجعة", Role.REVIEWER, None),
    ("reviewer2@jood.local", "خالد المراجع", Role.REVIEWER, None),
    ("finance@jood.local", "نورة المالية", Role.FINANCE, None),
    ("finance2@jood.local", "فهد المالي", Role.FINANCE, None),
    ("auditor@jood.local", "عبدالله المدقق", Role.AUDITOR, None),
    ("donor@jood.local", "محسن تجريبي", Role.DONOR, None),
    ("manager@birr.jood.local", "منيرة مديرة الجمعية", Role.CHARITY_MANAGER, "birr-riyadh"),
    ("researcher@birr.jood.local", "أحمد الباحث الاجتماعي", Role.RESEARCHER, "birr-riyadh"),
    ("manager@sakan.jood.local", "ماجد مدير الجمعية", Role.CHARITY_MANAGER, "sakan-makkah"),
    ("researcher@sakan.jood.local", "هند الباحثة الاجتماعية", Role.RESEARCHER, "sakan-makkah"),
    ("manager@ethar.jood.local", "تركي مدير الجمعية", Role.CHARITY_MANAGER, "ethar-eastern"),
    ("researcher@ethar.jood.local", "ريم الباحثة الاجتماعية", Role.RESEARCHER, "ethar-eastern"),
    ("researcher@wafa.jood.local", "سعد الباحث الاجتماعي", Role.RESEARCHER, "wafa-asir"),
]


def seed_charities() -> dict[str, Charity]:
    existing = {charity.slug: charity for charity in db.session.scalars(select(Charity))}
    for slug, name_ar, name_en, licence, region, city, status in CHARITIES:
        if slug in existing:
            continue
        charity = Charity(
            slug=slug,
            name_ar=name_ar,
            name_en=name_en,
            licence_number=licence,
            region=region,
            city=city,
            contact_email=f"info@{slug}.jood.local",
            contact_phone="920000000",
            status=status,
            approved_at=utcnow() if status == CharityStatus.APPROVED else None,
        )
        db.session.add(charity)
        existing[slug] = charity
    db.session.flush()
    return existing


def seed_users(charities: dict[str, Charity]) -> int:
    created = 0
    for email, name, role, charity_slug in USERS:
        if accounts.find_user_by_email(email) is not None:
            continue
        accounts.create_user(email, DEMO_PASSWORD, name, role=role, charity=charities.get(charity_slug))
        created += 1
    return created


def seed_demo() -> dict[str, int]:
    from jood import FEATURES, _feature_module

    charities = seed_charities()
    users = seed_users(charities)
    result = {"charities": len(charities), "users_created": users}
    for feature in FEATURES:
        demo = _feature_module(feature, "demo")
        if demo is not None:
            db.session.flush()
            result.update(demo.seed())
    return result


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Load demo charities, staff and donors (idempotent)."""
    with unit_of_work():
        result = seed_demo()
    click.echo(f"Demo data ready: {result['charities']} charities, {result['users_created']} new users.")
    extra = {key: value for key, value in result.items() if key not in ("charities", "users_created")}
    if extra:
        click.echo("Also: " + ", ".join(f"{key}={value}" for key, value in extra.items()))
    click.echo(f"Demo password for every demo account: {DEMO_PASSWORD}")

"""Factories for the cases tests: valid national IDs, intake data, and cases walked through the real services."""

from __future__ import annotations

import io
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage

from jood.auth.roles import Role
from jood.cases import services
from jood.extensions import db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _tiny_png() -> bytes:
    """A real 2 x 2 PNG: uploads are decoded, so bytes that merely start like a PNG are refused."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (30, 120, 90)).save(out, "PNG")
    return out.getvalue()


PNG = _tiny_png()
SUMMARY = "أسرة من ستة أفراد تسكن في شقة صغيرة وتحتاج إلى سداد إيجار السنة القادمة."


def national_id(seed: int, prefix: str = "1") -> str:
    """A valid ten-digit ID (Luhn as Saudi IDs use it) that differs per seed."""
    body = prefix + f"{seed:08d}"
    for check in range(10):
        digits = body + str(check)
        total = 0
        for index, char in enumerate(digits):
            value = int(char) * (2 if index % 2 == 0 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def upload(content: bytes = PDF, name: str = "lease.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name, content_type="application/octet-stream")


def intake(seed: int = 1, **overrides) -> dict:
    data = {
        "full_name": "محمد عبدالله القحطاني", "national_id": national_id(seed), "phone": "0551234567",
        "address": "حي النسيم، شارع 12", "applicant_role": "father", "nationality": "SA",
        "birth_date": date(1980, 5, 1), "divorce_date": None, "monthly_income": 2_500_00, "assets_value": 0,
        "domestic_workers": 0, "owns_suitable_home": False, "prior_housing_support": False, "resides_in_ksa": True,
        "incurable_condition": False, "development_centre": False, "prior_land_grant_application": False,
        "application_completed_on": date(2020, 1, 1), "suspended_periods": [], "amount_basis_note": "عقد إيجار",
        "track": "rent", "region": "riyadh", "city": "الرياض", "target_amount": 18_000_00, "amount_basis": "lease",
        "public_summary": SUMMARY, "zakat_eligible": True,
        "public_title": "أسرة من خمسة أفراد في الرياض تحتاج إيجار سنة",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff(make_charity, make_user):
    """A charity with a researcher and a manager."""

    class Staff:
        charity = make_charity()
        researcher = make_user(Role.RESEARCHER, charity=charity)
        manager = make_user(Role.CHARITY_MANAGER, charity=charity)

    return Staff


@pytest.fixture
def new_case():
    """`new_case(charity, researcher, stage="draft"|"submitted"|"under_review"|"published", seed=..., **intake)`."""
    counter = iter(range(100, 100_000))

    def factory(charity, researcher, stage: str = "draft", reviewer=None, members: int = 2, **overrides):
        case = services.create_case(charity, researcher, intake(overrides.pop("seed", next(counter)), **overrides))
        for n in range(members):
            services.add_member(case, researcher, {"relation": "son", "full_name": f"ابن {n}", "age": 5 + n,
                                                   "marital_status": "single", "has_condition": False})
        if stage != "draft":
            services.add_document(case, researcher, upload(), "lease")
            services.record_visit(case, researcher, visited_on=date(2026, 1, 5), findings="الأسرة تسكن في شقة "
                                  "صغيرة متهالكة والإيجار متأخر.", recommendation="support")
            services.submit_case(case, researcher)
        if stage in ("under_review", "published"):
            services.take_for_review(case, reviewer)
        if stage == "published":
            services.record_registry_checks(case, reviewer, {
                name: {"outcome": "clear", "evidence": "لا يوجد سجل في النظام بتاريخ اليوم"}
                for name in ("social_security", "property_ownership", "housing_support")})
            services.publish_case(case, reviewer, confirmed_no_private_data=True)
        db.session.commit()
        return case

    return factory



"""/api/v1: the public catalog and case pages as JSON, the priority calculator, and the OpenAPI document.

Read-only except POST /priority, which stores nothing: it is exempt from CSRF (a JSON API with no cookie-based
side effect) and rate-limited like every route here.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from jood.api import openapi as openapi_spec
from jood.auth.access import public
from jood.cache import cached_page
from jood.cases import catalog
from jood.cases.access import case_by_code
from jood.extensions import csrf, limiter
from jood.money import format_sar
from jood.priority import POLICIES, Applicant, check_eligibility, score
from jood.settings.services import active_policy

bp = Blueprint("api", __name__, url_prefix="/api/v1")

READ_LIMIT = "300 per minute"
CALC_LIMIT = "60 per minute"

FIELD_MESSAGES = {
    "required": _l("This field is required."),
    "not_an_integer": _l("Give a whole number."),
    "out_of_range": _l("The number is out of range."),
    "not_a_boolean": _l("Give true or false."),
    "not_a_string": _l("Give a text value."),
    "invalid_choice": _l("This value is not one of the allowed choices."),
    "invalid_format": _l("The value has the wrong format."),
    "unknown_field": _l("This field is not known."),
    "not_an_object": _l("Send a JSON object."),
    "invalid_amount": _l("Give an amount in SAR, for example 18000.00."),
}


def _iso(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def case_json(case) -> dict:
    """The public face of a case. Add nothing here that is not on the public case page."""
    return {
        "code": case.code,
        "url": url_for("cases.case_page", code=case.code, _external=True),
        "track": case.track,
        "status": case.status,
        "region": case.region,
        "city": case.city,
        "family_size": case.family_size,
        "need_level": case.need_level,
        "summary": case.public_summary,
        "target_amount": format_sar(case.target_amount),
        "raised_amount": format_sar(case.raised_amount),
        "remaining_amount": format_sar(case.remaining_amount),
        "donor_count": case.donor_count,
        "zakat_eligible": case.zakat_eligible,
        "amount_basis": case.amount_basis,
        # The total only: the breakdown would tell the public about a family's health and circumstances.
        "priority": {"policy": case.priority_policy, "total": case.priority_total},
        "charity": {"slug": case.charity.slug, "name_ar": case.charity.name_ar, "name_en": case.charity.name_en},
        "published_at": _iso(case.published_at),
        "field_verified_at": _iso(case.field_verified_at),
        "electronic_verified_at": _iso(case.electronic_verified_at),
        "last_updated_at": _iso(case.situation_updated_at),
    }


def field_errors(errors: dict[str, list[str] | str]):
    items = []
    for field, codes in errors.items():
        for code in [codes] if isinstance(codes, str) else codes:
            items.append({"field": field, "code": code, "message": str(FIELD_MESSAGES.get(code, code))})
    return jsonify(errors=items), 400


@bp.route("/cases")
@limiter.limit(READ_LIMIT)
@cached_page("catalog")
@public
def cases():
    query = catalog.CatalogQuery.from_args(request.args)
    if query.errors:
        return field_errors(query.errors)
    page = catalog.run(query)
    return jsonify(items=[case_json(case) for case in page.items], page=page.page, per_page=page.per_page,
                   total=page.total, pages=page.pages)


@bp.route("/cases/<code>")
@limiter.limit(READ_LIMIT)
@cached_page("case:{code}")
@public
def case(code: str):
    found = case_by_code(code)
    if not found.is_public:
        return jsonify(error=_("Page not found")), 404
    return jsonify(case_json(found))


@bp.route("/priority", methods=["POST"])
@csrf.exempt
@limiter.limit(CALC_LIMIT)
@public
def priority():
    """Score the posted family under `policy` (default: the policy that scores new cases); say which one scored."""
    data = request.get_json(silent=True)
    errors: dict[str, list[str]] = {}
    policy = active_policy()
    if isinstance(data, dict):
        data = dict(data)
        chosen = data.pop("policy", None)
        if chosen is not None:
            if not isinstance(chosen, str):
                errors["policy"] = ["not_a_string"]
            elif chosen not in POLICIES:
                errors["policy"] = ["invalid_choice"]
            else:
                policy = chosen
    applicant, applicant_errors = Applicant.from_mapping(data)
    errors = {**applicant_errors, **errors}
    if errors:
        return field_errors(errors)
    points = score(applicant, policy)
    reasons = check_eligibility(applicant, policy)
    return jsonify(eligible=not reasons, reasons=reasons,
                   points={"total": points.total, "breakdown": points.breakdown}, policy=points.policy)


@bp.route("/openapi.json")
@limiter.limit(READ_LIMIT)
@public
def openapi():
    return jsonify(openapi_spec.spec(url_for("api.cases", _external=True).rsplit("/cases", 1)[0]))

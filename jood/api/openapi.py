"""The OpenAPI 3.1 description of /api/v1, built as plain dicts.

``PATHS`` and ``SCHEMAS`` here describe the cases and priority endpoints; the transparency feature describes its
own (stats, ledger) in ``jood/transparency/openapi.py``, and ``spec()`` merges both into the document served at
``/api/v1/openapi.json``. The tests validate real API answers against these schemas, so the document cannot drift
from the code.
"""

from __future__ import annotations

from copy import deepcopy

from jood.cases.catalog import MAX_PER_PAGE, NEED_LEVELS, SORTS
from jood.cases.models import CaseStatus, Track
from jood.eligibility import APPLICANT_ROLES, REASON_CODES
from jood.ledger.core import MAX_AMOUNT_SAR
from jood.priority import BREAKDOWN_KEYS, DEFAULT_POLICY, HOUSING_TYPES, INT_RANGES, POLICY_NAMES
from jood.regions import REGIONS

SAR = {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$", "description": "Amount in SAR as a decimal string."}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
# What a query parameter may carry: every request holding a control character (NUL, line breaks, DEL) in its URL is
# refused with 400 before any view reads it (jood/security.py), so the document admits none.
TEXT = {"type": "string", "pattern": r"^[^\x00-\x1f\x7f]*$"}
# An amount filter as the catalog reads it: more than zero, at most MAX_AMOUNT_SAR, two decimals.
AMOUNT_FILTER = {"type": "string",
                 "pattern": rf"^(([1-9][0-9]{{0,{len(str(MAX_AMOUNT_SAR)) - 2}}}|0)\.[0-9]{{2}}|{MAX_AMOUNT_SAR}\.00)$",
                 "not": {"pattern": r"^0\.00$"}, "description": f"SAR with two decimals, up to {MAX_AMOUNT_SAR:,}"}



def _integer(field: str, description: str | None = None) -> dict:
    low, high = INT_RANGES[field]
    return {"type": "integer", "minimum": low, "maximum": high, **({"description": description} if description else {})}


SCHEMAS: dict[str, dict] = {
    "Case": {
        "type": "object",
        "description": "A published case: public fields only, never a name, ID, phone, address or photo.",
        "additionalProperties": False,
        "required": ["code", "url", "track", "status", "region", "city", "family_size", "need_level", "summary",
                     "target_amount", "raised_amount", "remaining_amount", "donor_count", "zakat_eligible",
                     "amount_basis", "priority", "charity", "published_at", "field_verified_at",
                     "electronic_verified_at", "last_updated_at"],
        "properties": {
            "code": {"type": "string", "pattern": r"^JE-[0-9]{4}-[0-9]{5}$"},
            "url": {"type": "string", "format": "uri"},
            "track": {"enum": [t.value for t in Track]},
            "status": {"enum": [s.value for s in CaseStatus]},
            "region": {"enum": list(REGIONS)},
            "city": {"type": "string"},
            "family_size": {"type": "integer", "minimum": 1},
            "need_level": {"enum": list(NEED_LEVELS)},
            "summary": {"type": "string"},
            "target_amount": SAR,
            "raised_amount": SAR,
            "remaining_amount": SAR,
            "donor_count": {"type": "integer", "minimum": 0},
            "zakat_eligible": {"type": "boolean"},
            "amount_basis": {"enum": ["lease", "quote"]},
            "priority": {"$ref": "#/components/schemas/CasePoints"},
            "charity": {
                "type": "object", "additionalProperties": False, "required": ["slug", "name_ar", "name_en"],
                "properties": {"slug": {"type": "string"}, "name_ar": {"type": "string"},
                               "name_en": {"type": "string"}},
            },
            "published_at": DATETIME,
            "field_verified_at": DATETIME,
            "electronic_verified_at": DATETIME,
            "last_updated_at": DATETIME,
        },
    },
    "CasePoints": {
        "description": "A published case's points: the total and the policy only. The breakdown (illness, "
                       "disability, the applicant's category) stays with the charity and the platform's reviewers.",
        "type": "object", "additionalProperties": False, "required": ["policy", "total"],
        "properties": {"policy": {"type": "string"}, "total": {"type": "integer"}},
    },
    "Points": {
        "type": "object", "additionalProperties": False, "required": ["policy", "total", "breakdown"],
        "properties": {
            "policy": {"enum": list(POLICY_NAMES)},
            "total": {"type": "integer"},
            "breakdown": {"type": "object", "required": list(BREAKDOWN_KEYS), "additionalProperties": False,
                          "properties": {key: {"type": "integer"} for key in BREAKDOWN_KEYS}},
        },
    },
    "CaseList": {
        "type": "object", "additionalProperties": False, "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        },
    },
    "PriorityRequest": {
        "type": "object", "additionalProperties": False,
        "required": ["applicant_role", "nationality", "age", "family_size", "monthly_income", "domestic_workers",
                     "precedence_years", "prior_land_grant_application", "owns_suitable_home",
                     "prior_housing_support", "assets_value", "resides_in_ksa", "incurable_condition",
                     "development_centre"],
        "properties": {
            "policy": {"enum": list(POLICY_NAMES), "default": DEFAULT_POLICY,
                       "description": "The points and eligibility policy to score under. Left out: the policy the "
                                      "platform's administrator chose for new cases (the default shown here is the "
                                      "code's, until a choice is made)."},
            "housing_type": {"enum": list(HOUSING_TYPES), "default": HOUSING_TYPES[0],
                             "description": "The kind of housing sought; moh-regulation-2 scores low incomes by it."},
            "years_since_home_owned": {"type": ["integer", "null"], "minimum": 0, "maximum": 130,
                                       "description": "Full years since someone in the family last owned a "
                                                      "suitable home; null or left out when nobody did."},
            "applicant_role": {"enum": list(APPLICANT_ROLES)},
            "nationality": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2"},
            "age": _integer("age"),
            "family_size": _integer("family_size"),
            "monthly_income": _integer("monthly_income", "Whole SAR."),
            "domestic_workers": _integer("domestic_workers"),
            "precedence_years": _integer("precedence_years"),
            "prior_land_grant_application": {"type": "boolean"},
            "owns_suitable_home": {"type": "boolean", "description": "Someone in the family owns one now."},
            "prior_housing_support": {"type": "boolean"},
            "assets_value": _integer("assets_value", "Whole SAR, market value, personal cars and small "
                                                     "residential plots left out."),
            "resides_in_ksa": {"type": "boolean"},
            "incurable_condition": {"type": "boolean"},
            "development_centre": {"type": "boolean"},
            "years_since_divorce": {**_integer("years_since_divorce"), "type": ["integer", "null"]},
        },
    },
    "PriorityResponse": {
        "type": "object", "additionalProperties": False, "required": ["eligible", "reasons", "points", "policy"],
        "properties": {
            "eligible": {"type": "boolean"},
            "reasons": {"type": "array", "items": {"enum": list(REASON_CODES)}},
            "points": {
                "type": "object", "additionalProperties": False, "required": ["total", "breakdown"],
                "properties": {"total": {"type": "integer"},
                               "breakdown": {"$ref": "#/components/schemas/Points/properties/breakdown"}},
            },
            "policy": {"enum": list(POLICY_NAMES), "description": "The policy that scored."},
        },
    },
    "FieldErrors": {
        "type": "object", "additionalProperties": False, "required": ["errors"],
        "properties": {"errors": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["field", "code", "message"],
            "properties": {"field": {"type": "string"}, "code": {"type": "string"}, "message": {"type": "string"}},
        }}},
    },
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    },
    "BadRequest": {
        "description": "FieldErrors for the fields this operation reads; Error when the request holds a control "
                       "character, refused before any field is read.",
        "anyOf": [{"$ref": "#/components/schemas/FieldErrors"}, {"$ref": "#/components/schemas/Error"}],
    },
}


def _json(ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _query(name: str, schema: dict, description: str) -> dict:
    """A catalog filter: as in the catalog's own form, an empty value (``?sort=``) means the filter is not set."""
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description,
            "allowEmptyValue": True}


_LIMITED = {"description": "Too many requests from this address (rate-limited)"}
_NOT_MODIFIED = {"description": "Not modified (If-None-Match matched the ETag)"}


PATHS: dict[str, dict] = {
    "/cases": {"get": {
        "operationId": "listCases",
        "summary": "Published cases, neediest first by default",
        "parameters": [
            _query("q", TEXT, "Arabic search ignoring diacritics and letter forms"),
            _query("track", {"enum": [t.value for t in Track]}, "Track"),
            _query("region", {"enum": list(REGIONS)}, "Region code"),
            _query("city", TEXT, "City, exactly as shown"),
            _query("need", {"enum": list(NEED_LEVELS)}, "Need level"),
            _query("min_amount", AMOUNT_FILTER, "Smallest amount needed, SAR"),
            _query("max_amount", AMOUNT_FILTER, "Largest amount needed, SAR"),
            _query("nearly_funded", {"enum": ["1"]}, "Only cases at least 75% funded"),
            _query("sort", {"enum": list(SORTS)}, "Order (default neediest)"),
            _query("page", {"type": "integer", "minimum": 1}, "Page number"),
            _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "Page size"),
        ],
        "responses": {"200": _json("CaseList", "A page of cases"), "304": _NOT_MODIFIED,
                      "400": _json("BadRequest", "Unknown filter values"), "429": _LIMITED},
    }},
    "/cases/{code}": {"get": {
        "operationId": "getCase",
        "summary": "One published case",
        "parameters": [{"name": "code", "in": "path", "required": True,
                        "schema": SCHEMAS["Case"]["properties"]["code"]}],
        "responses": {"200": _json("Case", "The case"), "304": _NOT_MODIFIED,
                      "404": _json("Error", "No published case with this code"), "429": _LIMITED},
    }},
    "/priority": {"post": {
        "operationId": "scorePriority",
        "summary": "Eligibility and priority points under a policy (nothing is stored)",
        "description": "Scores under `policy` (one of " + ", ".join(POLICY_NAMES) + "; by default the policy that "
                       "scores new cases) for the `housing_type` given, and names the policy in the answer.",
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/PriorityRequest"}}}},
        "responses": {"200": _json("PriorityResponse", "Eligibility and points"),
                      "400": _json("BadRequest", "Malformed input, one entry per field"), "429": _LIMITED},
    }},
}


def _feature_paths() -> tuple[dict, dict]:
    """Paths and schemas other features describe next to their own endpoints (full /api/v1/... paths there)."""
    from jood.campaigns import openapi as campaigns
    from jood.transparency.openapi import OPENAPI_PATHS, OPENAPI_SCHEMAS

    paths = {path.removeprefix("/api/v1"): item for path, item in {**OPENAPI_PATHS, **campaigns.OPENAPI_PATHS}.items()}
    return paths, {**OPENAPI_SCHEMAS, **campaigns.OPENAPI_SCHEMAS}


def spec(server_url: str = "/api/v1") -> dict:
    extra_paths, extra_schemas = _feature_paths()
    return {
        "openapi": "3.1.0",
        "info": {"title": "Jood open data API", "version": "1.0.0",
                 "description": "Published housing cases, the priority-points calculator, impact statistics and "
                                "the public ledger. Case amounts are SAR decimal strings, ledger amounts integer "
                                "halalas; no private data is ever returned.",
                 "license": {"name": "Open data"}},
        "servers": [{"url": server_url}],
        "paths": deepcopy({**PATHS, **extra_paths}),
        "components": {"schemas": deepcopy({**SCHEMAS, **extra_schemas})},
    }

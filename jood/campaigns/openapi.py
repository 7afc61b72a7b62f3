"""OpenAPI 3.1 description of the campaign endpoints, merged into /api/v1/openapi.json by jood/api/openapi.py."""

from __future__ import annotations

from jood.campaigns.models import KINDS, SCOPES, TEAM_KINDS
from jood.campaigns.states import CampaignStatus
from jood.regions import REGIONS

_REF = "#/components/schemas/"
_SAR = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "SAR with two decimals, e.g. 1250.00"}
_SAR_OR_NULL = {"type": ["string", "null"], "pattern": r"^[0-9]+\.[0-9]{2}$"}
_COUNT = {"type": "integer", "minimum": 0}
_FIGURES = {"raised_amount": _SAR, "gifts": _COUNT, "families_funded": _COUNT}
_SLUG = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$"}


def _object(properties: dict, description: str | None = None) -> dict:
    schema = {"type": "object", "additionalProperties": False, "required": list(properties),
              "properties": properties}
    return {**schema, "description": description} if description else schema


_CAMPAIGN = {
    "slug": _SLUG,
    "url": {"type": "string", "format": "uri"},
    "status": {"enum": [s.value for s in CampaignStatus if s != CampaignStatus.DRAFT]},
    "kind": {"enum": list(KINDS)},
    "title_ar": {"type": "string"},
    "title_en": {"type": "string"},
    "hashtag": {"type": "string", "description": "Without the '#'"},
    "period": _object({"start": {"type": ["string", "null"], "format": "date"},
                       "end": {"type": ["string", "null"], "format": "date"},
                       "time_zone": {"const": "Asia/Riyadh"}}, "Riyadh calendar days, both included"),
    "goal": _object({"amount": _SAR_OR_NULL, "families": {"type": ["integer", "null"], "minimum": 1}}),
    "scope": _object({"kind": {"enum": list(SCOPES)}, "region": {"enum": [*REGIONS, None]},
                      "track": {"enum": ["rent", "ownership", None]}}),
    **_FIGURES,
    "donors": _COUNT,
}

OPENAPI_SCHEMAS: dict = {
    "Campaign": _object(_CAMPAIGN, "A public campaign and its maintained figures (gifts through it, refunds "
                                   "taken out); never a donor or a proposer."),
    "CampaignList": _object({"items": {"type": "array", "items": {"$ref": _REF + "Campaign"}}}),
    "CampaignTeam": _object({"id": {"type": "integer"}, "rank": {"type": "integer", "minimum": 1},
                             "kind": {"enum": list(TEAM_KINDS)}, "name_ar": {"type": "string"},
                             "name_en": {"type": "string"}, **_FIGURES}),
    "CampaignRegion": _object({"region": {"enum": [*REGIONS, ""]}, "target_amount": _SAR_OR_NULL,
                               "target_families": {"type": ["integer", "null"], "minimum": 1}, **_FIGURES}),
    "CampaignDetail": {
        "type": "object", "additionalProperties": False,
        "required": list(_CAMPAIGN),
        "properties": {**_CAMPAIGN,
                       "teams": {"type": "array", "items": {"$ref": _REF + "CampaignTeam"}},
                       "regions": {"type": "array", "items": {"$ref": _REF + "CampaignRegion"}}},
        "description": "A campaign with its breakdown: the league table (a league) or its regions (otherwise).",
    },
}


def _json(ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": _REF + ref}}}}


OPENAPI_PATHS: dict = {
    "/api/v1/campaigns": {"get": {
        "operationId": "listCampaigns",
        "summary": "Public campaigns (live, coming and past) with their figures",
        "parameters": [{"name": "status", "in": "query", "required": False, "allowEmptyValue": True,
                        "schema": {"enum": ["live", "scheduled", "ended", ""]},
                        "description": "Only the campaigns in this state (empty: all)"}],
        "responses": {"200": _json("CampaignList", "The campaigns"),
                      "400": _json("BadRequest", "Unknown status"),
                      "304": {"description": "Not modified (If-None-Match matched the ETag)"},
                      "429": {"description": "Too many requests from this address (rate-limited)"}},
    }},
    "/api/v1/campaigns/{slug}": {"get": {
        "operationId": "getCampaign",
        "summary": "One public campaign with its region or team breakdown",
        "parameters": [{"name": "slug", "in": "path", "required": True, "schema": _SLUG}],
        "responses": {"200": _json("CampaignDetail", "The campaign"),
                      "304": {"description": "Not modified (If-None-Match matched the ETag)"},
                      "404": _json("Error", "No public campaign with this address"),
                      "429": {"description": "Too many requests from this address (rate-limited)"}},
    }},
}

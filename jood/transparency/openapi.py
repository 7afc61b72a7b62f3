"""OpenAPI 3.1 description of the transparency endpoints; ``jood.api.openapi.spec()`` merges these into
/api/v1/openapi.json.

Schemas are JSON Schema 2020-12 (as OpenAPI 3.1 uses), so tests validate live answers against them directly.
"""

from __future__ import annotations

from jood.transparency.stats import AMOUNTS, GROUPS, MAX_DAYS, METRICS

_REF = "#/components/schemas/"
_SAR = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "SAR with two decimals, e.g. 1250.00"}

_FIGURES = {metric: (_SAR if metric in AMOUNTS else {"type": "integer"}) for metric in METRICS}
_LABELS = {"key": {"type": "string"}, "label_ar": {"type": "string"}, "label_en": {"type": "string"}}

OPENAPI_SCHEMAS: dict = {
    "Posting": {
        "type": "object",
        "required": ["account", "amount"],
        "additionalProperties": False,
        "properties": {
            "account": {"type": "string", "description": "case:<code>[:zakat], pool:<track>[:zakat], "
                        "disbursed:<code>[:zakat], clearing:<gateway>, refunded or fees:operating; never a person"},
            "amount": {"type": "integer", "description": "halalas; positive = money in, negative = money out"},
        },
    },
    "LedgerTransaction": {
        "type": "object",
        "required": ["seq", "kind", "created_at", "postings", "prev_hash", "hash"],
        "additionalProperties": False,
        "properties": {
            "seq": {"type": "integer", "minimum": 1},
            "kind": {"type": "string", "enum": ["payment", "allocation", "refund", "disbursement", "surplus",
                                                "cancellation", "fee"]},
            "created_at": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"},
            "postings": {"type": "array", "minItems": 2, "items": {"$ref": _REF + "Posting"}},
            "prev_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$",
                     "description": "SHA-256 of the canonical form (see /ledger/verify)"},
        },
    },
    "LedgerPage": {
        "type": "object",
        "required": ["items", "next_page"],
        "additionalProperties": False,
        "properties": {
            "items": {"type": "array", "items": {"$ref": _REF + "LedgerTransaction"}},
            "next_page": {"type": ["integer", "null"], "minimum": 2},
        },
    },
    "ImpactFigures": {
        "type": "object",
        "required": list(METRICS),
        "additionalProperties": False,
        "properties": _FIGURES,
    },
    "StatsRow": {
        "type": "object",
        "required": ["key", "label_ar", "label_en", *METRICS],
        "additionalProperties": False,
        "properties": {**_LABELS, **_FIGURES},
    },
    "Stats": {
        "type": "object",
        "required": ["from", "to", "group", "currency", "totals", "zakat", "sadaqah", "visitors", "rows"],
        "additionalProperties": False,
        "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "group": {"type": "string", "enum": list(GROUPS)},
            "currency": {"const": "SAR"},
            "totals": {"$ref": _REF + "ImpactFigures"},
            "zakat": {"$ref": _REF + "ImpactFigures"},
            "sadaqah": {"$ref": _REF + "ImpactFigures"},
            "visitors": {
                "oneOf": [
                    {"type": "null", "description": "visitor figures not available"},
                    {"type": "object", "required": ["unique_visitors", "page_views"],
                     "properties": {"unique_visitors": {"type": "integer"}, "page_views": {"type": "integer"}}},
                ]
            },
            "rows": {"type": "array", "items": {"$ref": _REF + "StatsRow"}},
        },
    },
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
}

_CSV = {"text/csv": {"schema": {"type": "string"}}}
_HEADERS = {
    "ETag": {"schema": {"type": "string"}, "description": "send it back in If-None-Match to get 304"},
    "Cache-Control": {"schema": {"type": "string"}},
}
_LIMITED = {"description": "Too many requests (rate-limited per address)"}
_BAD = {"description": "Bad parameters", "content": {"application/json": {"schema": {"$ref": _REF + "Error"}}}}
_PAGE = {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10**9 - 1, "default": 1}}
# ?format=csv on the JSON path answers the CSV form; an empty format (``?format=``) is the JSON default.
_FORMAT = {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]},
           "allowEmptyValue": True}
_NO_PAGE = {"description": "No such page (past the last)",
            "content": {"application/json": {"schema": {"$ref": _REF + "Error"}}}}
_STATS_PARAMS = [
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}, "allowEmptyValue": True,
     "description": "first day (Riyadh calendar), default (also when empty) 29 days before today; a period is at "
                    f"most {MAX_DAYS:,} days and `to` is not before `from`, or the answer is 400"},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}, "allowEmptyValue": True,
     "description": "last day, default (also when empty) today"},
    {"name": "group", "in": "query", "schema": {"type": "string", "enum": list(GROUPS), "default": "month"}},
]


def _ledger(csv: bool) -> dict:
    content = _CSV if csv else {"application/json": {"schema": {"$ref": _REF + "LedgerPage"}}, **_CSV}
    return {"get": {
        "tags": ["transparency"],
        "summary": "The public ledger" + (" as CSV (one row per posting)" if csv else ", oldest first"),
        "description": "Every transaction with its postings and hash chain; `tools/verify_ledger.py` recomputes it.",
        "operationId": "ledgerCsv" if csv else "ledger",
        "parameters": [_PAGE] + ([] if csv else [_FORMAT]),
        "responses": {"200": {"description": "One page", "headers": _HEADERS, "content": content},
                      "304": {"description": "Not modified"}, "400": _BAD, "404": _NO_PAGE, "429": _LIMITED},
    }}


def _stats(csv: bool) -> dict:
    content = _CSV if csv else {"application/json": {"schema": {"$ref": _REF + "Stats"}}, **_CSV}
    return {"get": {
        "tags": ["transparency"],
        "summary": "Impact figures for a period" + (" as CSV" if csv else ""),
        "description": "Donations, donors, families helped, beneficiaries, amounts paid out, operating share, "
                       "zakat and sadaqah, grouped by time (Gregorian or Hijri), track, region or charity.",
        "operationId": "statsCsv" if csv else "stats",
        "parameters": _STATS_PARAMS + ([] if csv else [_FORMAT]),
        "responses": {"200": {"description": "The figures", "headers": _HEADERS, "content": content},
                      "304": {"description": "Not modified"}, "400": _BAD, "429": _LIMITED},
    }}


OPENAPI_PATHS: dict = {
    "/api/v1/ledger": _ledger(False),
    "/api/v1/ledger.csv": _ledger(True),
    "/api/v1/stats": _stats(False),
    "/api/v1/stats.csv": _stats(True),
}

"""The public ledger and the open-data API: shapes that match the OpenAPI file, CSV, caching, and the standalone
verifier run against the live app."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import jsonschema
from referencing import Registry, Resource

from jood.ledger import services as ledger
from jood.transparency.openapi import OPENAPI_PATHS, OPENAPI_SCHEMAS
from tests.transparency.conftest import count_queries

ROOT = Path(__file__).resolve().parents[2]


def _validator(name: str):
    document = {"components": {"schemas": OPENAPI_SCHEMAS}}
    registry = Registry().with_resource("urn:jood", Resource.from_contents(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}))
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$ref": f"urn:jood#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=registry,
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _schema_of(path: str) -> str:
    ref = OPENAPI_PATHS[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def test_the_openapi_part_is_3_1_shaped_and_self_consistent():
    jsonschema.Draft202012Validator.check_schema({"$defs": OPENAPI_SCHEMAS})
    for path, item in OPENAPI_PATHS.items():
        assert path.startswith("/api/v1/") and "200" in item["get"]["responses"]


def test_stats_answers_validate_against_the_openapi_schema(client, make_case, donate):
    case = make_case(target_amount=1000_00, region="jazan")
    donate(case, "100", email="d@example.org")
    validator = _validator(_schema_of("/api/v1/stats"))
    for group in ("day", "week", "month", "hijri_month", "track", "region", "charity"):
        response = client.get(f"/api/v1/stats?group={group}")
        assert response.status_code == 200, response.get_data(as_text=True)
        document = response.get_json()
        validator.validate(document)
        assert document["totals"]["donations_amount"] == "100.00"
        assert document["visitors"] == {"unique_visitors": 0, "page_views": 0}
    regions = client.get("/api/v1/stats?group=region").get_json()["rows"]
    assert [(row["key"], row["donations"]) for row in regions] == [("jazan", 1)]


def test_bad_stats_parameters_get_a_clear_400(client):
    for query in ("group=year", "from=2026-02-30", "from=2026-03-02&to=2026-03-01"):
        response = client.get(f"/api/v1/stats?{query}")
        assert response.status_code == 400 and response.get_json()["error"]


def test_stats_csv_and_conditional_requests(client, make_case, donate):
    donate(make_case(target_amount=1000_00), "100")
    response = client.get("/api/v1/stats.csv?group=track")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["key"] == "rent" and rows[0]["donations_amount"] == "100.00"
    assert client.get("/api/v1/stats?group=track&format=csv").data == response.data
    etag = client.get("/api/v1/stats").headers["ETag"]
    again = client.get("/api/v1/stats", headers={"If-None-Match": etag})
    assert again.status_code == 304 and "max-age" in again.headers["Cache-Control"]


def test_the_ledger_api_pages_by_seq_and_validates(client, make_case, donate, monkeypatch):
    from jood.transparency import api

    monkeypatch.setattr(api, "LEDGER_PER_PAGE", 2)
    case = make_case(target_amount=1000_00)
    for amount in ("10", "20", "30"):
        donate(case, amount)
    validator = _validator(_schema_of("/api/v1/ledger"))
    first = client.get("/api/v1/ledger?page=1").get_json()
    validator.validate(first)
    assert [tx["seq"] for tx in first["items"]] == [1, 2] and first["next_page"] == 2
    second = client.get("/api/v1/ledger?page=2")
    assert [tx["seq"] for tx in second.get_json()["items"]] == [3] and second.get_json()["next_page"] is None
    assert "max-age=86400" in client.get("/api/v1/ledger?page=1").headers["Cache-Control"]
    assert "max-age=15" in second.headers["Cache-Control"]
    assert client.get("/api/v1/ledger?page=9").status_code == 404
    assert client.get("/api/v1/ledger?page=x").status_code == 400
    assert first["items"][0]["postings"][0]["amount"] in (-10_00, 10_00)  # integer halalas
    text = client.get("/api/v1/ledger.csv?page=1").get_data(as_text=True)
    assert "seq,kind,created_at,account,amount_halalas,prev_hash,hash" in text and "case:" + case.code in text


def test_the_ledger_page_costs_the_same_whatever_the_length(client, make_case, donate):
    case = make_case(target_amount=5000_00)
    donate(case, "10")
    client.get("/ledger")
    with count_queries() as short:
        client.get("/api/v1/ledger")
    for _ in range(5):
        donate(case, "10")
    with count_queries() as longer:
        html = client.get("/ledger").get_data(as_text=True)
    assert len(longer) == len(short) <= 6
    assert case.code in html and ledger.public_head()["hash"] in html
    assert "clearing:" not in html and "صندوق" in html or "الحالة" in html  # accounts by name, not by code


def test_the_verify_and_rules_pages_explain_the_chain(client):
    html = client.get("/ledger/verify").get_data(as_text=True)
    assert "3e028b202ccb5da0e613b7a33cb65a148a3a25d2ed0662eef30b9fb548cb09a2" in html
    assert "tools/verify_ledger.py" in html
    rules = client.get("/rules").get_data(as_text=True)
    assert "الزكاة" in rules and 'data-testid="rules"' in rules


def test_the_standalone_verifier_checks_the_live_app(live_server, make_case, donate, monkeypatch):
    from jood.transparency import api

    monkeypatch.setattr(api, "LEDGER_PER_PAGE", 2)  # several pages, as a real ledger has
    case = make_case(target_amount=100_00)
    for amount in ("30", "30", "40"):  # the last gift funds the case
        donate(case, amount)
    head = ledger.public_head()
    assert head["seq"] == 3
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "verify_ledger.py"), live_server],  # noqa: S603
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"OK: {head['seq']} transactions, head {head['hash']}"

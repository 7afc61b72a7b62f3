"""Contract tests of the open-data API: Schemathesis reads /api/v1/openapi.json from the app itself and calls every
operation through WSGI with generated requests, a fixed number per operation, derandomised (the same requests on
every run). Every answer must be no server error and conform to the document: a status code it lists, its content
type, its response schema and headers. Valid requests (positive) and invalid ones (negative, which must be refused
with a documented 4xx) both.

Schemathesis's own pytest loader (``schemathesis.pytest.from_fixture``) reads a private attribute pytest 9 no longer
has, so each operation is a parametrised test that draws its cases from the operation's Hypothesis strategy."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jood.api.openapi import spec
from jood.extensions import db
from jood.priority import INT_RANGES
from tests.api.test_api import VALID

EXAMPLES = 25
OPERATIONS = [(path, method.upper()) for path, item in spec()["paths"].items() for method in item]
# What the issue asks of every answer. Schemathesis's positive_data_acceptance and negative_data_rejection are left
# out: they would demand that the document express rules JSON Schema cannot (a /stats period is at most MAX_DAYS and
# `to` is not before `from`); what they found that it can express is now in the document.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.fixture
def api_schema(app, make_case, donate):
    """The document the app serves, over an API with something to show: published cases, a ledger with a page."""
    funded = make_case(target_amount=100_00, region="jazan", code="JE-1448-00001")
    make_case(target_amount=5_000_00, code="JE-1448-00002")
    donate(funded, "100", email="contract@example.org")
    db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize("mode", MODES, ids=str)
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_every_answer_conforms_to_the_openapi_document(api_schema, path, method, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def conforms(case):
        case.call_and_validate(checks=CHECKS)

    conforms()


# --- what the contract tests found, one regression test each -------------------------------------------------------


def _schema(document: dict, schema: dict) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": document["components"]})


def test_a_whole_number_written_with_a_decimal_point_is_that_number(client):
    """JSON Schema counts 42.0 as an integer, so the document admits it: the calculator now reads it as 42."""
    whole = client.post("/api/v1/priority", json={**VALID, "family_size": 5.0, "age": 45.0})
    assert whole.status_code == 200, whole.get_json()
    assert whole.get_json() == client.post("/api/v1/priority", json=VALID).get_json()
    half = client.post("/api/v1/priority", json={**VALID, "family_size": 4.5})
    assert half.status_code == 400
    assert half.get_json()["errors"][0]["code"] == "not_an_integer"


def test_the_documented_priority_ranges_are_the_calculators(client):
    request = spec()["components"]["schemas"]["PriorityRequest"]["properties"]
    for field, (low, high) in INT_RANGES.items():
        assert (request[field]["minimum"], request[field]["maximum"]) == (low, high), field
    assert client.post("/api/v1/priority", json={**VALID, "age": request["age"]["maximum"]}).status_code == 200
    assert client.post("/api/v1/priority", json={**VALID, "age": request["age"]["maximum"] + 1}).status_code == 400


def test_a_control_character_gets_a_documented_400_and_the_document_admits_none(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/cases"]["get"]
    city = next(p for p in operation["parameters"] if p["name"] == "city")
    assert not _schema(document, city["schema"]).is_valid("الرياض\x0c")
    assert _schema(document, city["schema"]).is_valid("الرياض")
    for path, query in (("/api/v1/cases", "city=%0C"), ("/api/v1/priority", None)):
        response = (client.get(f"{path}?{query}") if query else
                    client.post(path, json={**VALID, "nationality": "S\x01"}))
        assert response.status_code == 400 and response.mimetype == "application/json"
        method = "get" if query else "post"
        declared = document["paths"][path.removeprefix("/api/v1")][method]["responses"]["400"]
        _schema(document, declared["content"]["application/json"]["schema"]).validate(response.get_json())


def test_format_csv_on_the_json_paths_is_documented(client, make_case, donate):
    donate(make_case(target_amount=100_00), "50")
    document = spec()
    for path in ("/ledger", "/stats"):
        response = client.get(f"/api/v1{path}?format=csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert set(document["paths"][path]["get"]["responses"]["200"]["content"]) == {"application/json", "text/csv"}
        assert client.get(f"/api/v1{path}?format=").mimetype == "application/json"  # empty: the default


def test_the_ledger_page_limit_is_documented(client, make_case, donate):
    donate(make_case(target_amount=100_00), "50")
    highest = spec()["paths"]["/ledger"]["get"]["parameters"][0]["schema"]["maximum"]
    assert client.get(f"/api/v1/ledger?page={highest}").status_code == 404  # past the last page, as documented
    assert client.get(f"/api/v1/ledger?page={highest + 1}").status_code == 400


def test_the_amount_filters_document_what_the_catalog_reads(client):
    """In their canonical form: the catalog also reads "12.5" or Arabic digits, which the document leaves out."""
    document = spec()
    schema = next(p for p in document["paths"]["/cases"]["get"]["parameters"] if p["name"] == "max_amount")["schema"]
    check = _schema(document, schema)
    for amount in ("0.01", "7.50", "9999999.99", "10000000.00"):  # the largest filter the catalog takes
        assert check.is_valid(amount) and client.get(f"/api/v1/cases?max_amount={amount}").status_code == 200
    for amount in ("0.00", "10000000.01", "100000000.00"):
        assert not check.is_valid(amount) and client.get(f"/api/v1/cases?max_amount={amount}").status_code == 400


def test_empty_filters_are_documented_as_not_set(client):
    parameters = spec()["paths"]["/cases"]["get"]["parameters"]
    assert all(parameter["allowEmptyValue"] for parameter in parameters)
    assert client.get("/api/v1/cases?sort=&max_amount=&page=").status_code == 200


def test_every_operation_documents_429_as_every_route_is_rate_limited():
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            assert "429" in operation["responses"], (method, path)

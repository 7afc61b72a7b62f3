import json

import pytest
from jsonschema import Draft202012Validator

from jood.api.openapi import spec
from jood.auth.roles import Role
from jood.cases.models import Track
from jood.priority import Applicant, score
from tests.cases.conftest import national_id


def validator(name: str) -> Draft202012Validator:
    document = spec()
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": document["components"]})


def assert_valid(name: str, data) -> None:
    errors = sorted(validator(name).iter_errors(data), key=str)
    assert errors == [], [error.message for error in errors]


VALID = {
    "applicant_role": "father", "nationality": "SA", "age": 45, "family_size": 5, "monthly_income": 3500,
    "domestic_workers": 4, "precedence_years": 12, "prior_land_grant_application": True,
    "owns_suitable_home": False, "prior_housing_support": False, "assets_value": 100000, "resides_in_ksa": True,
    "incurable_condition": True, "development_centre": False,
}


def test_the_openapi_document_is_served_and_its_references_resolve(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"] == "3.1.0" and set(document["paths"]) >= {"/cases", "/cases/{code}", "/priority"}
    text = json.dumps(document)
    for name in document["components"]["schemas"]:
        Draft202012Validator.check_schema(document["components"]["schemas"][name])
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        node = document
        for key in ref.removeprefix("#/").split("/"):
            node = node[key]  # a KeyError here is a dangling reference


def test_priority_matches_the_points_module_and_the_schema(client):
    response = client.post("/api/v1/priority", json=VALID)
    assert response.status_code == 200
    body = response.get_json()
    assert_valid("PriorityResponse", body)
    expected = score(Applicant(**VALID))
    assert body["points"] == {"total": expected.total, "breakdown": expected.breakdown}
    # 15 family + 2 income - 3 workers + 11 age + 10 precedence (capped) + 5 health
    assert body["points"]["total"] == 40 and body["eligible"] is True and body["policy"] == "moh-points-v1"


def test_priority_reports_ineligibility_reasons(client):
    body = client.post("/api/v1/priority", json={**VALID, "nationality": "EG", "assets_value": 5_000_000}).get_json()
    assert body["eligible"] is False and body["reasons"] == ["nationality", "assets"]


@pytest.mark.parametrize(("payload", "expected"), [
    ({**VALID, "age": "45"}, [("age", "not_an_integer")]),
    ({**VALID, "resides_in_ksa": 1}, [("resides_in_ksa", "not_a_boolean")]),
    ({**VALID, "applicant_role": "uncle", "extra": 1}, [("applicant_role", "invalid_choice"),
                                                        ("extra", "unknown_field")]),
    ({k: v for k, v in VALID.items() if k != "family_size"}, [("family_size", "required")]),
    ([1, 2], [("_schema", "not_an_object")]),
])
def test_malformed_priority_input_gets_400_with_field_errors(client, payload, expected):
    response = client.post("/api/v1/priority", json=payload)
    assert response.status_code == 400
    body = response.get_json()
    assert_valid("FieldErrors", body)
    assert sorted((e["field"], e["code"]) for e in body["errors"]) == sorted(expected)


def test_priority_without_json_is_a_400_not_a_csrf_error(client):
    response = client.post("/api/v1/priority", data="age=4", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and response.get_json()["errors"][0]["code"] == "not_an_object"


def test_case_list_and_detail_are_public_fields_only(client, staff, new_case, make_user):
    reviewer = make_user(Role.REVIEWER)
    published = new_case(staff.charity, staff.researcher, stage="published", reviewer=reviewer, seed=5)
    draft = new_case(staff.charity, staff.researcher, seed=6)
    response = client.get("/api/v1/cases")
    assert response.status_code == 200
    body = response.get_json()
    assert_valid("CaseList", body)
    assert [item["code"] for item in body["items"]] == [published.code] and body["total"] == 1
    assert body["items"][0]["target_amount"] == "18000.00" and body["items"][0]["remaining_amount"] == "18000.00"
    detail = client.get(f"/api/v1/cases/{published.code}")
    assert_valid("Case", detail.get_json())
    text = detail.get_data(as_text=True) + response.get_data(as_text=True)
    for private in ("القحطاني", national_id(5), "0551234567", "حي النسيم", "birth", "national"):
        assert private not in text
    assert client.get(f"/api/v1/cases/{draft.code}").status_code == 404
    assert client.get("/api/v1/cases/JE-0000-00000").get_json()["error"]


def test_case_list_filters_and_rejects_unknown_values(client, make_case):
    rent = make_case()
    make_case(track=Track.OWNERSHIP)
    body = client.get("/api/v1/cases?track=rent&per_page=1").get_json()
    assert [item["code"] for item in body["items"]] == [rent.code] and body["per_page"] == 1
    response = client.get("/api/v1/cases?track=boat&min_amount=abc")
    assert response.status_code == 400
    assert_valid("FieldErrors", response.get_json())
    assert {e["field"] for e in response.get_json()["errors"]} == {"track", "min_amount"}


def test_the_api_is_rate_limited(client):
    statuses = [client.post("/api/v1/priority", json=VALID).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429


@pytest.mark.parametrize(("extra", "policy", "income_points"), [
    ({}, "moh-points-v1", 3),
    ({"policy": "moh-points-v1", "housing_type": "housing_complex"}, "moh-points-v1", 3),
    ({"policy": "moh-regulation-2"}, "moh-regulation-2", 20),
    ({"policy": "moh-regulation-2", "housing_type": "ordinary_unit"}, "moh-regulation-2", 20),
    ({"policy": "moh-regulation-2", "housing_type": "housing_complex"}, "moh-regulation-2", 10),
])
def test_priority_scores_under_the_requested_policy_and_housing(client, extra, policy, income_points):
    family = {**VALID, "monthly_income": 2500}
    response = client.post("/api/v1/priority", json={**family, **extra})
    assert response.status_code == 200
    body = response.get_json()
    assert_valid("PriorityResponse", body)
    assert body["policy"] == policy and body["points"]["breakdown"]["income"] == income_points
    expected = score(Applicant(**{**family, "housing_type": extra.get("housing_type", "ordinary_unit")}), policy)
    assert body["points"]["total"] == expected.total


def test_priority_defaults_to_the_policy_the_admin_chose(client, make_user):
    from jood.extensions import db
    from jood.settings import services as settings

    settings.set_active_policy("moh-regulation-2", actor=make_user(Role.ADMIN), reason="بدء العمل باللائحة")
    db.session.commit()
    body = client.post("/api/v1/priority", json=VALID).get_json()
    assert_valid("PriorityResponse", body)
    assert body["policy"] == "moh-regulation-2"


@pytest.mark.parametrize(("extra", "expected"), [
    ({"policy": "moh-points-v9"}, [("policy", "invalid_choice")]),
    ({"policy": 2}, [("policy", "not_a_string")]),
    ({"housing_type": "villa"}, [("housing_type", "invalid_choice")]),
    ({"policy": "x", "age": "45"}, [("age", "not_an_integer"), ("policy", "invalid_choice")]),
    ({"years_since_home_owned": -1}, [("years_since_home_owned", "out_of_range")]),
])
def test_bad_policy_or_housing_type_is_a_400(client, extra, expected):
    response = client.post("/api/v1/priority", json={**VALID, **extra})
    assert response.status_code == 400
    body = response.get_json()
    assert_valid("FieldErrors", body)
    assert sorted((e["field"], e["code"]) for e in body["errors"]) == sorted(expected)


@pytest.mark.parametrize(("years", "v1_eligible", "reg_eligible"), [(0, False, False), (1, False, True),
                                                                     (5, True, True)])
def test_priority_applies_each_policys_home_ownership_window(client, years, v1_eligible, reg_eligible):
    for policy, eligible in (("moh-points-v1", v1_eligible), ("moh-regulation-2", reg_eligible)):
        body = client.post("/api/v1/priority", json={**VALID, "policy": policy,
                                                     "years_since_home_owned": years}).get_json()
        assert body["eligible"] is eligible and (body["reasons"] == []) is eligible


def test_the_openapi_document_lists_policy_and_housing_type(client):
    document = client.get("/api/v1/openapi.json").get_json()
    request = document["components"]["schemas"]["PriorityRequest"]["properties"]
    assert request["policy"]["enum"] == ["moh-points-v1", "moh-regulation-2"]
    assert request["housing_type"]["enum"] == ["ordinary_unit", "housing_complex"]
    assert document["components"]["schemas"]["PriorityResponse"]["properties"]["policy"]["enum"] == [
        "moh-points-v1", "moh-regulation-2"]
    assert validator("PriorityRequest").is_valid({**VALID, "policy": "moh-regulation-2",
                                                  "housing_type": "housing_complex", "years_since_home_owned": 2})
    assert not validator("PriorityRequest").is_valid({**VALID, "policy": "moh-points-v9"})

"""The calculator takes the policy and the housing type and says which policy scored; the rules page explains both
policies, in Arabic and in English."""

from __future__ import annotations

import pytest

from jood.auth.roles import Role
from jood.extensions import db
from jood.settings import services as settings

EN = {"Accept-Language": "en"}
FAMILY = ("/priority?applicant_role=father&nationality=SA&age=41&family_size=4&monthly_income=2500"
          "&domestic_workers=0&precedence_years=0&assets_value=0&resides_in_ksa=y")


def test_the_calculator_defaults_to_the_active_policy(client, make_user):
    page = client.get(FAMILY, headers=EN).get_data(as_text=True)
    # 10 family + 3 income + 7 age under v1
    assert "Points: 20" in page and "<bdi>moh-points-v1</bdi>" in page
    settings.set_active_policy("moh-regulation-2", actor=make_user(Role.ADMIN), reason="بدء العمل باللائحة")
    db.session.commit()
    page = client.get(FAMILY, headers=EN).get_data(as_text=True)
    assert "Points: 37" in page and 'data-testid="scored-policy"' in page and "<bdi>moh-regulation-2</bdi>" in page


@pytest.mark.parametrize(("query", "total", "policy"), [
    ("&policy=moh-points-v1", 20, "moh-points-v1"),
    ("&policy=moh-regulation-2", 37, "moh-regulation-2"),
    ("&policy=moh-regulation-2&housing_type=ordinary_unit", 37, "moh-regulation-2"),
    ("&policy=moh-regulation-2&housing_type=housing_complex", 27, "moh-regulation-2"),
    ("&policy=moh-points-v1&housing_type=housing_complex", 20, "moh-points-v1"),
])
def test_the_calculator_scores_under_the_chosen_policy_and_housing(client, query, total, policy):
    page = client.get(FAMILY + query, headers=EN).get_data(as_text=True)
    assert f"Points: {total}" in page
    assert 'data-testid="scored-policy">Scored under' in page and f"<bdi>{policy}</bdi>" in page


@pytest.mark.parametrize("query", ["&policy=moh-points-v9", "&housing_type=villa"])
def test_unknown_choices_are_form_errors_without_a_result(client, query):
    page = client.get(FAMILY + query, headers=EN).get_data(as_text=True)
    assert "field__error" in page and "Points:" not in page


@pytest.mark.parametrize(("years", "v1_eligible", "reg_eligible"),
                         [(0, False, False), (2, False, True), (5, True, True)])
def test_the_calculator_applies_each_policys_home_ownership_window(client, years, v1_eligible, reg_eligible):
    for policy, eligible in (("moh-points-v1", v1_eligible), ("moh-regulation-2", reg_eligible)):
        page = client.get(f"{FAMILY}&policy={policy}&years_since_home_owned={years}", headers=EN).get_data(
            as_text=True)
        assert ("Not eligible" not in page) is eligible, (policy, years)


def test_the_rules_page_explains_both_policies_in_english(client):
    page = client.get("/priority/rules", headers=EN).get_data(as_text=True)
    for name in ("moh-points-v1", "moh-regulation-2"):
        assert f'data-testid="policy-{name}"' in page
        assert f'data-testid="points-rules-{name}"' in page and f'data-testid="eligibility-rules-{name}"' in page
    v1, reg = page.split('data-testid="policy-moh-regulation-2"')
    assert "up to 2,999 SAR → 20 points" in reg and "up to 2,999 SAR → 10 points" in reg
    assert "2,999" not in v1 and "up to 3,000 SAR → 3 points" in v1
    assert "during the 5 years before the application" in v1
    assert "during the year before the application" in reg
    assert "Assets below 5,000,000 SAR (personal cars and small residential plots are not counted)" in reg
    assert "What the executive regulation changes" in page


def test_the_rules_page_is_in_arabic_by_default(client):
    page = client.get("/priority/rules").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "قواعد النقاط والاستحقاق" in page and "ما الذي تغيّره اللائحة التنفيذية" in page
    assert "دليل نقاط وزارة الإسكان (السياسة الأولى)" in page
    assert "اللائحة التنفيذية لتنظيم الدعم السكني (السياسة الثانية)" in page
    assert "ولم يملكه خلال السنة السابقة لتقديم الطلب" in page


def test_the_calculator_links_to_the_rules_page(client):
    assert "/priority/rules" in client.get("/priority").get_data(as_text=True)


def test_the_rules_arrows_point_the_way_each_language_reads(client):
    arabic = client.get("/priority/rules").get_data(as_text=True).split('data-testid="policy-moh-points-v1"')[1]
    english = client.get("/priority/rules", headers=EN).get_data(as_text=True).split(
        'data-testid="policy-moh-points-v1"')[1]
    assert "←" in arabic and "→" not in arabic
    assert "→" in english and "←" not in english

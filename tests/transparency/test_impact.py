"""The impact figures: maintained in the same transaction as the money, read in a fixed number of queries."""

from datetime import date, timedelta

from sqlalchemy import func, select

from jood.extensions import db
from jood.transparency import stats
from jood.transparency.views import bar_chart, region_map, region_shapes
from tests.transparency.conftest import count_queries


def _today_totals():
    return stats.impact(stats.Period(stats.today(), stats.today()))


def test_a_paid_donation_is_counted_with_its_region_charity_track_and_donor(make_case, donate):
    case = make_case(target_amount=1000_00, region="makkah")
    donate(case, "100", email="Someone@Example.org")
    donate(case, "50", email="someone@example.org")  # the same donor: not new again
    donate(case, "25", zakat="y")  # a guest without e-mail counts as a donor of their own
    figures = _today_totals()
    totals = figures["totals"]
    assert (totals["donations"], totals["donations_amount"], totals["new_donors"]) == (3, 175_00, 2)
    assert figures["zakat"]["donations_amount"] == 25_00 and figures["sadaqah"]["donations_amount"] == 150_00
    assert [(row["key"], row["donations_amount"]) for row in figures["by_region"]] == [("makkah", 175_00)]
    assert [row["key"] for row in figures["by_charity"]] == [case.charity_id]
    assert [row["key"] for row in figures["by_track"]] == ["rent"]


def test_failed_payments_are_not_counted_and_refunds_are(app, make_case, donate, make_user):
    from jood.auth.roles import Role
    from jood.donations import services

    case = make_case(target_amount=1000_00)
    donation = donate(case, "100")
    client = app.test_client()
    from tests.conftest import sandbox_pay, start_case_gift

    sandbox_pay(client, start_case_gift(client, case, "70"), "failure")
    services.refund_donation(donation, actor=make_user(Role.FINANCE), reason="asked by the donor")
    db.session.commit()
    totals = _today_totals()["totals"]
    assert (totals["donations"], totals["donations_amount"], totals["refunded_amount"]) == (1, 100_00, 100_00)


def test_the_operating_share_actually_deducted_is_counted_and_never_from_zakat(app, make_case, donate):
    app.config["OPERATING_SHARE_BP"] = 500
    try:
        case = make_case(target_amount=1000_00)
        donate(case, "100")
        donate(case, "100", zakat="y")
    finally:
        app.config["OPERATING_SHARE_BP"] = 0
    figures = _today_totals()
    assert figures["sadaqah"]["operating_share"] == 5_00 and figures["zakat"]["operating_share"] == 0


def _bulk_rows(count: int, start: date) -> None:
    rows = [{"day": start - timedelta(days=n % 25), "track": ("rent", "ownership")[n % 2],
             "region": ("riyadh", "makkah", "asir")[n % 3], "charity_id": 0, "zakat": bool(n % 2),
             "donations": 3, "donations_amount": 300_00, "new_donors": 1} for n in range(count)]
    stats.add(rows)
    db.session.commit()


def test_the_impact_page_costs_the_same_few_queries_whatever_the_data(client, make_case, donate):
    case = make_case(target_amount=1000_00)
    donate(case, "100")
    client.get("/impact")  # warm-up: first-request work is not what is measured
    with count_queries() as small:
        assert client.get("/impact").status_code == 200
    _bulk_rows(400, stats.today())
    with count_queries() as large:
        page = client.get("/impact")
    assert page.status_code == 200
    assert len(large) == len(small) <= 6, large
    assert all("donations" not in q.split("FROM", 1)[-1].split()[0] for q in large if "FROM" in q)
    assert db.session.scalar(select(func.sum(stats.ImpactDaily.donations))) == 1 + 400 * 3


def test_the_impact_page_shows_the_figures_the_map_and_data_tables(client, make_case, donate):
    case = make_case(target_amount=1000_00, region="asir")
    donate(case, "100")
    html = client.get("/impact?preset=this_month").get_data(as_text=True)
    assert 'data-testid="donations-amount"><bdi class="money" dir="rtl">100\u00a0ر.س</bdi>' in html
    assert 'data-testid="visitors">0<' in html  # the cookieless counts: none recorded in this test
    assert 'id="asir"' in html and "region--level-4" in html and "<table" in html
    assert 'style="' not in html
    english = client.get("/impact", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Given, by region" in english and 'dir="ltr"' in english


def test_ramadan_1447_is_one_click_with_hijri_bounds():
    period = dict(stats.presets(date(2026, 11, 25)))["ramadan_1447"]
    assert (period.start, period.end) == (date(2026, 2, 18), date(2026, 3, 19))


def test_daily_rows_fold_into_weeks_months_and_hijri_months():
    rows = [{"key": date(2026, 2, 17), **dict.fromkeys(stats.METRICS, 0), "donations": 1},
            {"key": date(2026, 2, 18), **dict.fromkeys(stats.METRICS, 0), "donations": 2},
            {"key": date(2026, 3, 19), **dict.fromkeys(stats.METRICS, 0), "donations": 4},
            {"key": date(2026, 3, 20), **dict.fromkeys(stats.METRICS, 0), "donations": 8}]
    hijri = stats.timeline(rows, "hijri_month")
    assert [(row["key"], row["donations"]) for row in hijri] == [((1447, 8), 1), ((1447, 9), 6), ((1447, 10), 8)]
    months = stats.timeline(rows, "month")
    assert [(row["key"], row["donations"]) for row in months] == [((2026, 2), 3), ((2026, 3), 12)]
    weeks = stats.timeline(rows, "week")
    assert weeks[0]["key"] == (date(2026, 2, 15),)  # a Sunday
    assert stats.bucket_label((1447, 9), "hijri_month", "ar") == "رمضان 1447 هـ"


def test_bad_periods_are_refused():
    for start, end in (("2026-13-01", None), ("2026-03-02", "2026-03-01"), ("2020-01-01", "2026-01-01")):
        try:
            stats.parse_period(start, end)
        except stats.PeriodError:
            continue
        raise AssertionError((start, end))


def test_bars_grow_from_the_right_in_arabic_and_from_the_left_in_english():
    rtl = bar_chart([("أ", 100, "100"), ("ب", 50, "50")], "rtl")["bars"]
    ltr = bar_chart([("a", 100, "100"), ("b", 50, "50")], "ltr")["bars"]
    assert rtl[0]["bar_x"] + rtl[0]["length"] == rtl[1]["bar_x"] + rtl[1]["length"]  # a common right edge
    assert ltr[0]["bar_x"] == ltr[1]["bar_x"] and rtl[1]["length"] * 2 == rtl[0]["length"]


def test_the_map_has_the_thirteen_regions():
    from jood.regions import REGIONS

    assert sorted(code for code, _ in region_shapes()) == sorted(REGIONS)
    levels = {r["code"]: r["level"] for r in region_map([{"key": "riyadh", "donations_amount": 10}], "donations_amount",
                                                        "ar")}
    assert levels["riyadh"] == 4 and levels["jazan"] == 0


def test_the_cookieless_visitor_counts_reach_the_impact_page_and_the_api(client):
    from jood.extensions import db
    from jood.transparency.models import VisitorDay
    from jood.transparency.stats import today

    db.session.add(VisitorDay(day=today(), unique_visitors=1234, page_views=5678))
    db.session.commit()
    html = client.get("/impact").get_data(as_text=True)
    assert 'data-testid="visitors">1,234<' in html  # Latin digits and comma, like the amounts
    document = client.get("/api/v1/stats").get_json()
    assert document["visitors"] == {"unique_visitors": 1234, "page_views": 5678}

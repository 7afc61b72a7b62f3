"""`flask bench-data` writes valid data fast: the ledger verifies, counters and aggregates agree with the rows."""

from sqlalchemy import func, select

from jood.cases.models import Case
from jood.donations.models import Donation
from jood.extensions import db
from jood.ledger import services as ledger
from jood.transparency import stats


def test_bench_data_keeps_the_ledger_valid_and_the_aggregates_exact(app, make_case, donate):
    donate(make_case(target_amount=100_00), "40")  # a live transaction first: the bench data chains after it
    runner = app.test_cli_runner()
    result = runner.invoke(args=["bench-data", "--cases", "50", "--donations", "500", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "OK: 3 charities, 50 cases, 500 donations, 500 ledger transactions" in result.output
    verify = runner.invoke(args=["ledger", "verify"])
    assert verify.exit_code == 0, verify.output
    assert verify.output.strip().endswith(f"OK: 501 transactions, head {ledger.public_head()['hash']}")
    assert ledger.verify() == []

    given = db.session.scalar(select(func.sum(Donation.amount)))
    figures = stats.impact(stats.Period(stats.today() - stats.timedelta(days=400), stats.today()))
    assert figures["totals"]["donations_amount"] == given
    assert figures["totals"]["donations"] == 501
    assert sum(row["donations"] for row in figures["by_region"]) == 501
    funded = db.session.scalar(select(func.count()).select_from(Case).where(Case.status == "funded"))
    assert funded == db.session.scalar(select(func.count()).select_from(Case).where(
        Case.raised_amount == Case.target_amount))

    again = runner.invoke(args=["bench-data", "--cases", "5", "--donations", "50"])
    assert again.exit_code == 0, again.output
    assert ledger.verify() == []


def test_impact_and_ledger_pages_after_bench_data(app, client):
    app.test_cli_runner().invoke(args=["bench-data", "--cases", "20", "--donations", "200", "--seed", "4"])
    assert client.get("/impact?preset=last_year").status_code == 200
    assert client.get("/ledger?page=2").status_code == 200
    start = (stats.today() - stats.timedelta(days=366)).isoformat()
    assert client.get(f"/api/v1/stats?group=charity&from={start}").get_json()["totals"]["donations"] == 200

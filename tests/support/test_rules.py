"""The support rules without Flask: tracking numbers, contacts, the 60-day window, deadlines, majority, the report."""

from datetime import UTC, date, datetime, timedelta

import pytest

from jood.support import rules
from jood.support.periods import OutsideTheData, gregorian_month, hijri_month, parse_month
from jood.support.rules import Decision, Kind, RequestFacts


def test_tracking_number_carries_the_hijri_year_of_filing():
    assert rules.tracking_number(date(2026, 7, 1), 123) == "JS-1448-000123"
    assert rules.tracking_number(date(2026, 2, 18), 7) == "JS-1447-000007"  # 1 Ramadan 1447
    assert rules.TRACKING_RE.match(rules.normalise_tracking(" js-١٤٤٨-٠٠٠١٢٣ "))


@pytest.mark.parametrize("spelling", ["0551234567", "+966551234567", "00966 55 123 4567", "٠٥٥١٢٣٤٥٦٧", "551234567"])
def test_mobile_spellings_match(spelling):
    assert rules.normalise_mobile(spelling) == "0551234567"
    assert rules.contact_matches(spelling, None, "0551234567")


def test_contact_must_match_exactly_the_request():
    assert rules.contact_matches(" Huda@Example.ORG ", "huda@example.org", None)
    assert not rules.contact_matches("other@example.org", "huda@example.org", "0551234567")
    assert not rules.contact_matches("0559999999", "huda@example.org", "0551234567")
    assert not rules.contact_matches("0551234567", "huda@example.org", None)  # no mobile on file
    assert not rules.contact_matches("", "huda@example.org", None)
    assert not rules.is_valid_mobile("12345")


@pytest.mark.parametrize(
    ("notified", "expected"),
    [(date(2026, 5, 2), None), (date(2026, 5, 1), "late"), (date(2026, 7, 1), None), (date(2026, 7, 2), "future")],
)
def test_grievance_must_be_filed_within_sixty_days_of_notification(notified, expected):
    # 1 July 2026 is 60 days after 2 May and 61 after 1 May.
    assert rules.grievance_window_error(notified, date(2026, 7, 1)) == expected


def test_deadlines_come_from_one_table_and_flag_overdue():
    filed = datetime(2026, 7, 1, 9, tzinfo=UTC)
    due = rules.due_at(Kind.GRIEVANCE, filed)
    assert due == filed + timedelta(days=rules.RESPONSE_DEADLINE_DAYS[Kind.GRIEVANCE]) == filed + timedelta(days=30)
    assert rules.due_at(Kind.INQUIRY, filed, {"inquiry": 2}) == filed + timedelta(days=2)
    assert rules.days_left(due, filed) == 30
    assert rules.days_left(due, due + timedelta(days=3, hours=1)) == -3
    assert rules.days_left(due, due - timedelta(days=2, hours=23)) == 2
    assert rules.is_overdue(due, due + timedelta(seconds=1), resolved=False)
    assert not rules.is_overdue(due, due + timedelta(days=9), resolved=True)
    assert not rules.is_overdue(due, due - timedelta(seconds=1), resolved=False)


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        ([], None),
        (["upheld", "upheld"], None),  # two votes are no quorum, even unanimous
        (["upheld", "upheld", "dismissed"], "upheld"),
        (["upheld", "dismissed", "more_study"], None),  # no majority
        (["dismissed", "dismissed", "upheld", "upheld"], None),  # a tie is no majority
        (["more_study", "more_study", "more_study", "upheld", "dismissed"], "more_study"),
    ],
)
def test_a_decision_follows_the_majority_of_at_least_three_votes(votes, expected):
    assert rules.majority(votes) == expected


def _facts(kind="inquiry", hours=None, resolved=False, rating=None, decision=None):
    created = datetime(2026, 7, 5, 8, tzinfo=UTC)
    return RequestFacts(kind, created, created + timedelta(hours=hours) if hours is not None else None,
                        created + timedelta(days=2) if resolved else None, rating, decision)


def test_an_empty_month_reports_zeros_and_no_invented_rates():
    report = rules.service_report([])
    assert report.total == 0 and set(report.received.values()) == {0}
    assert report.median_response_hours is None and report.resolution_rate is None
    assert report.satisfaction_rate is None and report.referred == 0
    assert report.decisions == {"upheld": 0, "dismissed": 0, "more_study": 0}


def test_service_report_arithmetic():
    report = rules.service_report([
        _facts("complaint", hours=2, resolved=True, rating=5),
        _facts("complaint", hours=10, resolved=True, rating=2),
        _facts("inquiry", hours=4, resolved=True, rating=4),
        _facts("suggestion"),
        _facts("grievance", hours=100, resolved=True, decision=Decision.UPHELD),
        _facts("grievance", decision=Decision.MORE_STUDY),
        _facts("grievance"),
    ])
    assert report.received == {"inquiry": 1, "complaint": 2, "suggestion": 1, "grievance": 3}
    assert report.total == 7 and report.responded == 4
    assert report.median_response_hours == 7  # median of 2, 4, 10, 100
    assert report.mean_response_hours == 29
    assert report.resolved == 4 and report.resolution_rate == pytest.approx(4 / 7)
    assert report.ratings == 3 and report.satisfied == 2 and report.satisfaction_rate == pytest.approx(2 / 3)
    assert report.referred == 3 and report.pending_decisions == 1
    assert report.decisions == {"upheld": 1, "dismissed": 0, "more_study": 1}


def test_report_months_are_riyadh_days():
    july = gregorian_month(2026, 7)
    assert july.start_utc == datetime(2026, 6, 30, 21, tzinfo=UTC)  # midnight in Riyadh is 21:00 UTC
    assert july.end_utc == datetime(2026, 7, 31, 21, tzinfo=UTC)
    assert gregorian_month(2026, 12).next().key == "2027-01" and gregorian_month(2026, 1).previous().key == "2025-12"
    ramadan = hijri_month(1447, 9)
    assert ramadan.first_day == date(2026, 2, 18)
    assert (ramadan.end_day - ramadan.first_day).days in (29, 30)
    assert ramadan.next().key == "1447-10" and hijri_month(1448, 1).previous().key == "1447-12"
    first, last = july.hijri_span()
    assert (first.year, first.month) == (1448, 1)


def test_unreadable_months_fall_back_to_the_current_one():
    today = date(2026, 7, 15)
    assert parse_month("garbage", "gregorian", today).key == "2026-07"
    assert parse_month("2026-13", "gregorian", today).key == "2026-07"
    assert parse_month("2026-03", "gregorian", today).key == "2026-03"


@pytest.mark.parametrize(("key", "calendar"), [("9999-01", "hijri"), ("2077-11", "gregorian"), ("1924-07", "gregorian"),
                                               ("2026-08", "gregorian"), ("1500-01", "hijri")])
def test_readable_months_outside_the_data_or_the_table_are_refused(key, calendar):
    with pytest.raises(OutsideTheData):
        parse_month(key, calendar, date(2026, 7, 15), earliest=date(2025, 3, 2))


def test_the_first_and_last_months_of_the_data_have_no_link_beyond():
    earliest, today = date(2025, 3, 2), date(2026, 7, 15)
    first = parse_month("2025-03", "gregorian", today, earliest)
    last = parse_month("2026-07", "gregorian", today, earliest)
    assert not first.has_previous(earliest) and first.has_next(today)
    assert last.has_previous(earliest) and not last.has_next(today)
    with pytest.raises(OutsideTheData):
        parse_month("2025-02", "gregorian", today, earliest)

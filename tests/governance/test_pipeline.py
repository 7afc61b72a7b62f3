"""Pipeline arithmetic without Flask."""

from datetime import UTC, datetime, timedelta

from jood.governance import pipeline
from jood.governance.pipeline import CaseTimes

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def _case(charity=1, status="disbursed", submitted=0, published=None, funded=None, disbursed=None):
    def at(days):
        return None if days is None else NOW - timedelta(days=100) + timedelta(days=days)

    return CaseTimes(charity, status, at(submitted), at(published), at(funded), at(disbursed))


def test_stage_medians_and_counts():
    cases = [
        _case(published=2, funded=10, disbursed=12),
        _case(published=4, funded=20, disbursed=30),
        _case(published=6, funded=40, disbursed=45),
        _case(status="published", published=8),
        _case(status="submitted"),
    ]
    figures = pipeline.figures(cases, returned=1, now=NOW)
    assert figures.status_counts == {"disbursed": 3, "published": 1, "submitted": 1}
    assert figures.medians == {"submitted_to_published": 5, "published_to_funded": 16, "funded_to_disbursed": 5}
    assert figures.submitted == 5 and figures.return_rate == 0.2
    assert not figures.stands_out


def test_slow_disbursement_and_high_returns_stand_out():
    slow = pipeline.figures([_case(published=1, funded=2, disbursed=2 + pipeline.SLOW_DISBURSEMENT_DAYS + 1)], 0, NOW)
    assert slow.slow_disbursement and slow.stands_out
    waiting = pipeline.figures([_case(status="funded", published=1, funded=50)], 0, NOW)  # funded 50 days ago
    assert waiting.waiting_too_long == 1 and waiting.slow_disbursement
    returns = pipeline.figures([_case(status="submitted") for _ in range(3)], 1, NOW)
    assert returns.high_returns  # 1 of 3 >= 30 %
    too_few = pipeline.figures([_case(status="submitted") for _ in range(2)], 1, NOW)
    assert not too_few.high_returns  # 50 %, but only two cases


def test_no_data_gives_no_medians():
    figures = pipeline.figures([], 0, NOW)
    assert figures.medians["funded_to_disbursed"] is None and figures.return_rate is None
    groups = pipeline.by_charity([_case(charity=1), _case(charity=2), _case(charity=2)], {2: 2}, NOW)
    assert groups[2].returned == 2 and groups[2].submitted == 2 and groups[1].returned == 0

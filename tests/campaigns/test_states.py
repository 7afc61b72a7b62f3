"""The campaign state machine as a table, and the guards: no schedule or launch without a period and a goal."""

from datetime import timedelta

import pytest

from jood.campaigns import services
from jood.campaigns.states import CampaignEvent as E
from jood.campaigns.states import CampaignStatus as S
from jood.campaigns.states import TransitionRefused, events_from, next_state
from jood.transparency.stats import today


@pytest.mark.parametrize(("state", "event", "expected"), [
    (S.DRAFT, E.SCHEDULE, S.SCHEDULED),
    (S.SCHEDULED, E.UNSCHEDULE, S.DRAFT),
    (S.SCHEDULED, E.LAUNCH, S.LIVE),
    (S.LIVE, E.END, S.ENDED),
    (S.DRAFT, E.LAUNCH, None),
    (S.DRAFT, E.END, None),
    (S.LIVE, E.SCHEDULE, None),
    (S.LIVE, E.UNSCHEDULE, None),
    (S.ENDED, E.LAUNCH, None),
    (S.ENDED, E.SCHEDULE, None),
    (S.SCHEDULED, E.END, None),
])
def test_transition_table(state, event, expected):
    if expected is None:
        with pytest.raises(TransitionRefused):
            next_state(state, event)
    else:
        assert next_state(state, event) == expected


def test_buttons_follow_the_table():
    assert events_from("draft") == [E.SCHEDULE]
    assert set(events_from("scheduled")) == {E.UNSCHEDULE, E.LAUNCH}
    assert events_from("ended") == []


def test_no_schedule_without_a_period_or_a_goal(make_campaign):
    no_goal = make_campaign(status="draft", goal_amount=None, goal_families=None)
    with pytest.raises(services.CampaignError) as error:
        services.transition(no_goal, E.SCHEDULE)
    assert error.value.code == "no_goal"
    no_period = make_campaign(status="draft", start_date=None, end_date=None)
    with pytest.raises(services.CampaignError) as error:
        services.transition(no_period, E.SCHEDULE)
    assert error.value.code == "no_period"
    families_only = make_campaign(status="draft", goal_amount=None, goal_families=3)
    services.transition(families_only, E.SCHEDULE)
    assert families_only.status == "scheduled"


def test_goes_live_only_within_its_period_and_the_calendar_moves_it(make_campaign):
    later = make_campaign(status="scheduled", start_date=today() + timedelta(days=2),
                          end_date=today() + timedelta(days=9))
    with pytest.raises(services.CampaignError) as error:
        services.transition(later, E.LAUNCH)
    assert error.value.code == "outside_period"
    assert services.run_calendar(today() + timedelta(days=2)) == {"launched": 1, "ended": 0}
    assert later.status == "live"
    assert services.run_calendar(today() + timedelta(days=10)) == {"launched": 0, "ended": 1}
    assert later.status == "ended"


def test_ending_early_ends_the_period_today(make_campaign):
    campaign = make_campaign()
    services.transition(campaign, E.END)
    assert campaign.status == "ended" and campaign.end_date == today()

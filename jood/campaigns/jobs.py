"""The campaigns' calendar: scheduled campaigns go live on their first day, live ones end after their last (Riyadh)."""

from __future__ import annotations

from jood.campaigns import services
from jood.jobs import job


@job("campaigns-calendar", every=10 * 60)
def campaigns_calendar() -> str:
    """Run in its own unit of work by jood.jobs (which commits)."""
    done = services.run_calendar()
    return f"{done['launched']} launched, {done['ended']} ended"

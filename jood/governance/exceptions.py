"""Exceptions that must be zero: a small registry of checks, each returning the rows that break a rule.

Any feature adds a check without touching the governance view, from a module the app imports (its services or
views), e.g.:

    from jood.governance.exceptions import ExceptionRow, register_check

    @register_check("donation_not_in_ledger", _l("Donations paid at the gateway but not in the ledger"))
    def donations_missing_from_ledger(now):
        return [ExceptionRow(label=d.reference, detail=..., endpoint="donations.staff_view", values={"ref": ...})
                for d in ...]

A row links to `endpoint` (with `values`) when that endpoint exists, and shows its label as plain text otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ExceptionRow:
    label: str  # what it is, e.g. a case code
    detail: str = ""  # why it is listed, already translated or plain figures
    endpoint: str | None = None
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ExceptionCheck:
    key: str
    title: object  # a lazy translated string
    run: Callable[[datetime], list[ExceptionRow]]


_CHECKS: dict[str, ExceptionCheck] = {}


def register_check(key: str, title):
    """Decorator: register `run(now) -> list[ExceptionRow]` under `key` (registering a key again replaces it)."""

    def decorator(run):
        _CHECKS[key] = ExceptionCheck(key, title, run)
        return run

    return decorator


def registered_checks() -> list[ExceptionCheck]:
    return list(_CHECKS.values())


def run_checks(now: datetime) -> list[tuple[ExceptionCheck, list[ExceptionRow]]]:
    return [(check, check.run(now)) for check in registered_checks()]

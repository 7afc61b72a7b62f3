"""One unit of work, written once: commit once, roll back on any error, then run what waits for the commit.

Services only ``flush()``. A view, CLI command or job wraps its writes in ``unit_of_work()``, as Indico's
``RH.process`` does:

    try:
        with unit_of_work():
            services.publish_case(case, current_user)
    except CaseError as error:
        show(error)

On leaving the block the session is committed through ``jood.ledger.services.commit()``, which also seals the
ledger transactions the work queued; on any exception it is rolled back and the exception goes on (a
``DomainError`` to the view's ``except``, anything else to Flask, which logs it and answers 500). Work that must
happen only once the data is kept (e-mails) is queued with ``after_commit``: it runs after a commit and is dropped
by a rollback, so a mail never announces money the database did not keep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from jood.extensions import db

log = logging.getLogger(__name__)
_AFTER_COMMIT = "jood_after_commit"


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current unit of work has committed (dropped on rollback)."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block wrote (sealing its queued ledger transactions), or roll all of it back."""
    from jood.ledger.services import commit

    try:
        yield
        commit()
    except BaseException:
        db.session.rollback()
        raise


# Any commit of the session runs the queued callbacks, any rollback drops them: the unit of work above commits, and
# so do the ledger writer and the tests' own commits.
@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        try:
            callback()
        except Exception:  # noqa: BLE001 - a mail server being down must not undo a committed payment
            (current_app.logger if has_app_context() else log).exception("after-commit task failed")


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)

"""The read replica: whether it answers, how far behind the primary it is, and falling back when it is away.

Views marked `reads_from_replica` (the open-data API, the governance dashboards) read it when it answers and read
the primary when it does not, so a stopped replica costs those pages some load, never an error. The answer is
checked at most every HEALTH_SECONDS per process. A page about to be stored in the page cache is not stored when
the replica is behind the primary: the cache keys entries by the primary's tag versions, and an entry built from
older data would claim to be newer than it is.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from jood.extensions import REPLICA_BIND, db

log = logging.getLogger(__name__)
HEALTH_SECONDS = 5.0
_health: dict[str, float | bool] = {"checked_at": 0.0, "up": True}


@dataclass(frozen=True)
class ReplicaLag:
    replaying: bool  # the replica is a standby in recovery (False: it is not a streaming replica at all)
    bytes_behind: int  # WAL the replica has not replayed yet
    seconds_behind: float  # 0 when caught up; else the age of the last transaction it replayed
    replayed_at: datetime | None


def _answers(engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def configured() -> bool:
    return db.engines.get(REPLICA_BIND) is not None


def usable(now: float | None = None) -> bool:
    """True when a replica is configured and answered its last check (checked again every HEALTH_SECONDS)."""
    engine = db.engines.get(REPLICA_BIND)
    if engine is None:
        return False
    now = time.monotonic() if now is None else now
    if now - float(_health["checked_at"]) >= HEALTH_SECONDS:
        _health["checked_at"] = now
        was_up = bool(_health["up"])
        _health["up"] = _answers(engine)
        if was_up != _health["up"]:
            state = "back: reading it again" if _health["up"] else "away: reading the primary"
            log.warning("read replica is %s", state)
    return bool(_health["up"])


def failed(error: Exception) -> bool:
    """After a query of a replica-reading view failed: was it the replica? If so, read the primary for a while."""
    engine = db.engines.get(REPLICA_BIND)
    if engine is None or _answers(engine):
        return False  # no replica, or it answers: the error was something else
    _health.update(checked_at=time.monotonic(), up=False)
    log.warning("read replica failed a query (%s): reading the primary", type(error).__name__)
    return True


def forget_health() -> None:
    _health.update(checked_at=0.0, up=True)


def lag() -> ReplicaLag | None:
    """How far the replica is behind the primary (PostgreSQL streaming replication), or None when there is no
    replica, it does not answer, or either side is not PostgreSQL."""
    engine = db.engines.get(REPLICA_BIND)
    if engine is None or engine.dialect.name != "postgresql" or db.engine.dialect.name != "postgresql":
        return None
    try:
        with engine.connect() as connection:
            replaying, replay_lsn, replayed_at = connection.execute(text(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn(), pg_last_xact_replay_timestamp()")).one()
        if not replaying or replay_lsn is None:
            return ReplicaLag(False, 0, 0.0, None)
        with db.engine.connect() as connection:
            behind, seconds = connection.execute(text(
                "SELECT GREATEST(pg_wal_lsn_diff(pg_current_wal_lsn(), CAST(:lsn AS pg_lsn)), 0), "
                "EXTRACT(EPOCH FROM (now() - CAST(:at AS timestamptz)))"), {"lsn": str(replay_lsn), "at": replayed_at}
            ).one()
    except SQLAlchemyError:
        return None
    behind = int(behind or 0)
    return ReplicaLag(True, behind, float(seconds or 0.0) if behind else 0.0, replayed_at)


def behind_primary() -> bool:
    found = lag()
    return bool(found and found.replaying and found.bytes_behind > 0)

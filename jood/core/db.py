"""Column types and helpers shared by every feature's models."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from sqlalchemy import DateTime, TextClause, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import TypeDecorator


def sql_list(values) -> str:
    """The quoted list inside a CHECK constraint's ``IN (...)``: our own enum values, never user input."""
    return ", ".join(f"'{value}'" for value in values)


def upsert_insert(dialect: str, target):
    """An INSERT that knows ON CONFLICT (PostgreSQL's and SQLite's share the same API); `dialect` is the dialect's
    name, `target` a model or a table."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return (pg_insert if dialect == "postgresql" else sqlite_insert)(target)


@functools.cache
def upsert_adding(table: str, columns: tuple[str, ...], keys: tuple[str, ...], adding: tuple[str, ...],
                  returning: str | None = None) -> TextClause:
    """``INSERT … ON CONFLICT (keys) DO UPDATE SET c = table.c + excluded.c`` for each of `adding`: a counter row
    created, or added to, atomically in the database.

    Written as text, built once: SQLAlchemy gives its ON CONFLICT constructs no cache key, so they were compiled again
    on every execution (a third of a confirmation's statement cost). PostgreSQL and SQLite read the same SQL.
    """
    # Table and column names come from our models, never from input.
    additions = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in adding)
    return _typed(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)}) "  # noqa: S608
                       f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {additions}"
                       + (f" RETURNING {returning}" if returning else "")), table, columns)


@functools.cache
def insert_new(table: str, columns: tuple[str, ...], keys: tuple[str, ...], returning: str) -> TextClause:
    """``INSERT … ON CONFLICT (keys) DO NOTHING RETURNING returning``: a row is returned only when this statement
    created it (a claim). As text, built once, for the reason given in ``upsert_adding``."""
    return _typed(text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)}) "  # noqa: S608
                       f"ON CONFLICT ({', '.join(keys)}) DO NOTHING RETURNING {returning}"), table, columns)


def _typed(statement: TextClause, table: str, columns: tuple[str, ...]) -> TextClause:
    """Bind each parameter with its column's type (UTCDateTime stores aware datetimes as naive UTC)."""
    from sqlalchemy import bindparam

    from jood.extensions import db

    types = db.metadata.tables[table].c
    return statement.bindparams(*(bindparam(column, type_=types[column].type) for column in columns))


def utcnow() -> datetime:
    return datetime.now(UTC)


# --- writing a loaded row now, without the unit of work ----------------------------------------------------------
# For the paid path, where the ORM's flush cost more than the statements it sends (docs/benchmarks.md, 2026-12-01).


def write_now(obj, **values) -> None:
    """Write `values`, and whatever else of the loaded `obj` changed since it was read, to its row now: one UPDATE
    by primary key. The session is told these are the stored values, so its flush has nothing left to write for it.
    Columns with ``onupdate`` (``updated_at``) are stamped, as a flush would."""
    from sqlalchemy import inspect
    from sqlalchemy.orm.attributes import set_committed_value

    state = inspect(obj)
    if state.identity is None:
        raise ValueError(f"write_now needs a row already in the database, not a new {type(obj).__name__}")
    columns = state.mapper.columns
    changed = {key: getattr(obj, key) for key in state.committed_state if key in columns and key not in values}
    values = {**changed, **values}
    if not values:
        return
    table = state.mapper.local_table
    for key in _stamped_on_update(table):
        values.setdefault(key, utcnow())
    (primary_key,) = state.identity
    primary_connection().execute(_update_by_id(table, tuple(sorted(values))),
                                 {"id_": primary_key, **{f"v_{key}": value for key, value in values.items()}})
    for key, value in values.items():
        set_committed_value(obj, key, value)
    if not state.committed_state:  # nothing else pending: mark it clean, as the end of a flush does (the ORM's own
        state._commit_all(state.dict, state.session.identity_map)  # step; tests/perf/test_write_now.py checks it)


def insert_now(model, **values) -> None:
    """INSERT one row of `model` now (its Python-side defaults filled in by SQLAlchemy Core), without creating an
    object for the session to flush: for rows the request only writes (an audit entry, a queued receipt)."""
    primary_connection().execute(_insert(model.__table__), values)


def primary_connection():
    """The unit of work's connection to the primary: a write inside a view that reads from the replica must not
    follow its reads there (``jood.extensions.Session.get_bind`` sends only flushes to the primary)."""
    from jood.extensions import db

    return db.session.connection(bind_arguments={"bind": db.engine})


@functools.cache
def _stamped_on_update(table) -> tuple[str, ...]:
    return tuple(column.key for column in table.columns if column.onupdate is not None)


@functools.cache
def _update_by_id(table, keys: tuple[str, ...]):
    from sqlalchemy import bindparam

    # Bind names differ from the column names: SQLAlchemy keeps those for its own SET parameters.
    return (table.update().where(table.c.id == bindparam("id_"))
            .values({table.c[key]: bindparam(f"v_{key}") for key in keys}))


@functools.cache
def _insert(table):
    return table.insert()


class UTCDateTime(TypeDecorator):
    """Store naive UTC (SQLite has no time zones), always hand back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use jood.core.db.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def reads_from_replica(view):
    """Run a read-only view's queries on the read replica, when DATABASE_REPLICA_URL configures one.

    For the heavy readers that tolerate a second of lag: the open-data API and the governance dashboards. Put it
    under the access decorator (the signed-in user is loaded from the primary). Never on a view that moves money,
    nor on a page kept in the page cache without a short timeout: a lagging replica would store an old page under a
    new tag versions (`/api/v1/stats` is kept 30 s at most, which bounds that).
    """
    from flask import g

    from jood.core import replica
    from jood.extensions import READ_REPLICA, db

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not replica.usable():  # away: read the primary rather than fail (jood/core/replica.py)
            return view(*args, **kwargs)
        db.session.info[READ_REPLICA] = True
        try:
            response = view(*args, **kwargs)
        except DBAPIError as error:
            if not replica.failed(error):
                raise
            db.session.info.pop(READ_REPLICA, None)
            db.session.rollback()
            return view(*args, **kwargs)  # a read-only view: read the primary instead, this time and for a while
        finally:
            db.session.info.pop(READ_REPLICA, None)
        if "page_cache_fill" in g and replica.behind_primary():
            g.pop("page_cache_fill")  # built from older data than its tag versions say: serve it, keep it not
        return response

    return wrapper

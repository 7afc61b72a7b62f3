from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text

from jood.auth.models import User
from jood.charities.models import Charity
from jood.config import load_secret_key, normalise_database_url
from jood.extensions import db


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_secret_key(str(tmp_path))
    assert len(first) == 64
    assert load_secret_key(str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert load_secret_key(str(tmp_path)) == "from-env"


def test_database_urls_get_the_psycopg_driver():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_migrations_match_the_models():
    """The schema built by the migrations is exactly what the models declare (no forgotten migration)."""
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys():
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_seed_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = (db.session.scalar(select(func.count()).select_from(Charity)),
              db.session.scalar(select(func.count()).select_from(User)))
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "0 new users" in result.output
    assert counts == (db.session.scalar(select(func.count()).select_from(Charity)),
                      db.session.scalar(select(func.count()).select_from(User)))
    regions = set(db.session.scalars(select(Charity.region)))
    assert len(regions) >= 4

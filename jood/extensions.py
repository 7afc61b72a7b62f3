"""Flask extensions, created unbound here and initialised in the app factory."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# One naming convention, so Alembic migrations name constraints the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


REPLICA_BIND = "replica"  # SQLALCHEMY_BINDS key of the read replica (DATABASE_REPLICA_URL)
READ_REPLICA = "jood_read_replica"  # session.info flag set by jood.core.db.reads_from_replica


class Session(FlaskSQLAlchemySession):
    """``db.session``. Inside a view marked ``reads_from_replica``, and only when a replica is configured, queries
    go to the replica; a flush (any ORM write) still goes to the primary, which is the only place money moves."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.info.get(READ_REPLICA) and not self._flushing:
            replica = self._db.engines.get(REPLICA_BIND)
            if replica is not None:
                return replica
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

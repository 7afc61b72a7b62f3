"""Jood: an open platform for housing charity."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent

# Feature packages, in dependency order. Each may have models.py, views.py (a blueprint named `bp`), cli.py (a list
# `commands`), demo.py (`seed()`, called by `flask seed-demo` in this order) and jobs.py (periodic jobs registered
# with jood.jobs.job); the factory picks up whichever of these a package has.
FEATURES = (
    "main",
    "auth",
    "charities",
    "cases",
    "ledger",
    "payments",
    "donations",
    "disbursements",
    "transparency",
    "campaigns",
    "support",
    "governance",
    "settings",
    "api",
    "ops",
    "kiosk",
    "bench",
)


def create_app(overrides: dict | None = None) -> Flask:
    from jood import cache as page_cache
    from jood.config import build_config
    from jood.extensions import babel, csrf, db, limiter, login_manager, migrate
    from jood.i18n import register_filters, select_locale

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_mapping(build_config(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    if overrides:
        app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    from jood.core import timezone

    timezone.configure(app.config.get("DISPLAY_TIMEZONE"))
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # PDF font subsetting logs every glyph at INFO

    _import_models()
    from jood.payments import builtin  # noqa: F401 - the gateways add themselves to the registry
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    _configure_login(login_manager)
    register_filters(app)
    page_cache.init_app(app)
    _register_blueprints(app)
    count_view = None
    if app.config.get("VISITOR_COUNTING", True):
        from jood.transparency import visitors

        visitors.init_app(app)
        count_view = visitors.environ_counter(app)
    _register_cli(app)

    from jood.core.wtforms_i18n import provide_wtforms_catalog
    from jood.errors import register_error_handlers
    from jood.security import add_security_headers, refuse_control_characters

    register_error_handlers(app)
    # First of all before_request hooks: nothing (sign-in lookup, rate limits, views) reads a request carrying NUL.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)
    app.before_request(provide_wtforms_catalog)
    # Flask runs after_request hooks in reverse order: the page cache stores a page once its headers are final.
    app.after_request(page_cache.store_filled_page)
    app.after_request(add_security_headers)
    app.wsgi_app = page_cache.FastPath(app.wsgi_app, app, count_view)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Outermost layer: behind TRUSTED_PROXY_HOPS proxies, REMOTE_ADDR, the scheme and the host become the client's.

    gunicorn's forwarded_allow_ips does not rewrite REMOTE_ADDR, so without this every donor behind the load
    balancer would share its address: one rate-limit bucket, one card-testing lockout, one unique visitor.
    """
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def _feature_module(feature: str, name: str):
    from importlib import import_module
    from importlib.util import find_spec

    module = f"jood.{feature}.{name}"
    return import_module(module) if find_spec(module) else None


def _import_models() -> None:
    """Import every feature's models so the metadata (and Alembic's autogenerate) sees all tables."""
    import jood.audit.models  # noqa: F401

    for feature in FEATURES:
        _feature_module(feature, "models")


def _configure_login(login_manager) -> None:
    from flask_babel import lazy_gettext as _l

    from jood.auth.models import User
    from jood.extensions import db

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        # "<id>:<session version>": a cookie issued before the version changed (sign-out, new password, new role,
        # suspension) names an old version and signs nobody in.
        uid, _, version = user_id.partition(":")
        if not (uid.isdigit() and version.isdigit()):
            return None
        user = db.session.get(User, int(uid))
        if user is None or user.session_version != int(version):
            return None
        return user


def _register_blueprints(app: Flask) -> None:
    for feature in FEATURES:
        views = _feature_module(feature, "views")
        if views is not None:
            app.register_blueprint(views.bp)

    @app.context_processor
    def endpoint_helpers():
        # Lets shared templates (navigation, footer) link to a feature's page only when that page exists.
        return {"has_endpoint": lambda endpoint: endpoint in app.view_functions}


def _register_cli(app: Flask) -> None:
    from jood.demo import seed_demo_command
    from jood.jobs import jobs_cli

    for feature in FEATURES:
        cli = _feature_module(feature, "cli")
        for command in getattr(cli, "commands", []):
            app.cli.add_command(command)
        _feature_module(feature, "jobs")  # registers the feature's periodic jobs, if it has any
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(jobs_cli)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: WAL for concurrent readers beside one writer, and enforce foreign keys (off by default)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

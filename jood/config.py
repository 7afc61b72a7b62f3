"""Settings from the environment, with safe defaults for the embedded (SQLite, sandbox) mode."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def parse_list(value: str | None) -> tuple[str, ...]:
    """`"moyasar, stripe"` -> `("moyasar", "stripe")`; empty or unset -> `()`."""
    return tuple(item.strip().lower() for item in (value or "").split(",") if item.strip())


def load_secret_key(instance_path: str) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept in the instance folder.

    Several gunicorn workers may start at once: the file is created with O_EXCL so exactly one of them
    writes it and every worker reads the same key.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if not key:  # another worker is between create and write: wait for it
        import time

        for _ in range(50):
            time.sleep(0.02)
            key = path.read_text().strip()
            if key:
                break
    return key


def normalise_database_url(url: str) -> str:
    """Let operators paste the common `postgres://` form; SQLAlchemy wants an explicit driver (psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def build_config(instance_path: str) -> dict:
    production = os.environ.get("JOOD_ENV", "embedded") == "production"
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'jood.sqlite3'}"
    redis_url = os.environ.get("REDIS_URL") or None
    return {
        "JOOD_ENV": "production" if production else "embedded",
        "SECRET_KEY": load_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # A streaming replica for the heavy read-only pages (docs/deployment.md); without it they read the primary.
        "SQLALCHEMY_BINDS": ({"replica": normalise_database_url(os.environ["DATABASE_REPLICA_URL"])}
                             if os.environ.get("DATABASE_REPLICA_URL") else {}),
        "REDIS_URL": redis_url,
        # How many proxies in front of the app append to X-Forwarded-For (1 behind the documented load balancer).
        # 0, the embedded mode, ignores a client-sent X-Forwarded-For: the client is the socket's peer.
        "TRUSTED_PROXY_HOPS": int(os.environ.get("TRUSTED_PROXY_HOPS", "0")),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # When Redis is away, limits fall back to each process's memory (still limits, per process) rather than
        # failing requests: a cache outage must not stop giving. Short timeouts, so an outage costs no waiting.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5} if redis_url else {},
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY") or None,
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET") or None,
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE") or None,
        # Which gateways take payments, the first being the default (docs/payments.md), e.g. "moyasar,stripe".
        # Unset: Stripe when its key is set, else the sandbox.
        "PAYMENT_GATEWAYS": parse_list(os.environ.get("PAYMENT_GATEWAYS")),
        "MOYASAR_SECRET_KEY": os.environ.get("MOYASAR_SECRET_KEY") or None,
        "MOYASAR_PUBLISHABLE_KEY": os.environ.get("MOYASAR_PUBLISHABLE_KEY") or None,
        "MOYASAR_WEBHOOK_SECRET": os.environ.get("MOYASAR_WEBHOOK_SECRET") or None,
        "MOYASAR_API_BASE": os.environ.get("MOYASAR_API_BASE") or "https://api.moyasar.com/v1",
        "MOYASAR_TIMEOUT": float(os.environ.get("MOYASAR_TIMEOUT", "10")),
        # Where Moyasar's hosted invoice pages live (the CSP lets the checkout form be redirected there).
        "MOYASAR_CHECKOUT_ORIGIN": os.environ.get("MOYASAR_CHECKOUT_ORIGIN") or "https://checkout.moyasar.com",
        # The file Moyasar's dashboard gives for Apple Pay on the web (served at /.well-known/...; docs/payments.md).
        "APPLE_PAY_DOMAIN_ASSOCIATION": os.environ.get("APPLE_PAY_DOMAIN_ASSOCIATION") or None,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env_bool("MAIL_USE_TLS", True),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@jood.local"),
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX") or str(Path(instance_path) / "outbox"),
        # Receipts (a PDF each, ~0.1 s of CPU) are rendered and sent by the jobs runner from a queue written in the
        # payment's own transaction, not by the request that confirms the payment. The embedded mode, which runs
        # no jobs process, sends them right after the commit instead.
        "RECEIPT_QUEUE": env_bool("RECEIPT_QUEUE", production),
        # A confirmed payment's ledger transactions are queued in its own transaction; by default the confirming
        # request then seals the queue onto the chain itself. With a writer process running (`flask ledger write`),
        # set this off: requests only queue, and the writer seals everything queued every fraction of a second,
        # in batches (docs/ledger.md).
        "LEDGER_SEAL_IN_REQUEST": env_bool("LEDGER_SEAL_IN_REQUEST", True),
        # Where links in mail built outside a request (the jobs runner's receipts, the CLI) point.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL") or None,
        "NATIONAL_ID_KEY": os.environ.get("NATIONAL_ID_KEY") or None,
        # Private documents (IDs, leases, visit photos) live outside static/ and are served only after a check.
        "UPLOAD_FOLDER": os.environ.get("UPLOAD_FOLDER") or str(Path(instance_path) / "uploads"),
        # Share cards drawn once per state of their figures (jood/sharecards/cases.py).
        "SHARECARD_CACHE_DIR": os.environ.get("SHARECARD_CACHE_DIR") or str(Path(instance_path) / "sharecards"),
        "MAX_UPLOAD_BYTES": int(os.environ.get("MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))),
        # Operating-cost share deducted from non-zakat gifts, in basis points (0 by default; admin-changeable).
        "OPERATING_SHARE_BP": int(os.environ.get("OPERATING_SHARE_BP", "0")),
        # Cookies: Secure in production (HTTPS behind the load balancer); the embedded mode serves plain
        # http://127.0.0.1, where a Secure cookie would not come back in every browser.
        "SESSION_COOKIE_SECURE": env_bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SECURE": env_bool("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PASSWORD_RESET_MAX_AGE": 3600,
        "BABEL_DEFAULT_LOCALE": "ar",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "DISPLAY_TIMEZONE": "Asia/Riyadh",
        "LANGUAGES": ("ar", "en"),
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
    }

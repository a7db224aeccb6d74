"""Configuration: typed defaults → ``instance/config.py`` → ``LMS_*`` environment → overrides.

Every setting is declared once here with its type, so an environment variable is parsed the same
way wherever it is read. ``load_config`` returns a plain dict that Flask's ``app.config`` takes.
"""

from __future__ import annotations

import dataclasses
import os
import runpy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

#: Keys that a production deployment must not leave at a development value.
WEAK_SECRET_KEYS = {"", "dev", "change-me", "secret", "development"}
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """Raised when the configuration would make the deployment unsafe or unusable."""


@dataclass
class Settings:
    # Environment: "development", "production" or "testing".
    ENV: str = "development"
    DEBUG: bool = False
    TESTING: bool = False
    SECRET_KEY: str = ""
    INSTANCE_PATH: str = ""
    # Empty means the embedded SQLite database under the instance folder.
    DATABASE_URL: str = ""
    # Empty means Celery tasks run in-process right after the transaction commits.
    BROKER_URL: str = ""
    RESULT_BACKEND: str = ""
    # Rate limits: empty storage means memory (embedded); "redis://…" shares counters across workers.
    RATELIMIT_STORAGE_URL: str = ""
    LOGIN_RATE_LIMIT_PER_ACCOUNT: str = "10 per minute"
    LOGIN_RATE_LIMIT_PER_ADDRESS: str = "300 per minute"
    # Mail: empty SMTP URL writes .eml files to instance/outbox/.
    SMTP_URL: str = ""
    MAIL_FROM: str = "AI Certification Network <no-reply@lms.local>"
    # Public base URL, used in e-mails, certificates and credentials (no trailing slash).
    BASE_URL: str = "http://127.0.0.1:5000"
    PREFERRED_URL_SCHEME: str = "http"
    # Storage for uploads and generated files: "local" (instance/files) or "s3".
    STORAGE_BACKEND: str = "local"
    S3_BUCKET: str = ""
    S3_ENDPOINT_URL: str = ""
    S3_REGION: str = ""
    MAX_CONTENT_LENGTH: int = 64 * 1024 * 1024
    # Sessions: long enough for the longest exam; every request renews it.
    SESSION_LIFETIME_HOURS: int = 12
    # CSRF tokens live as long as the session (an exam longer than an hour must still submit).
    CSRF_TIME_LIMIT_HOURS: int = 12
    # argon2id cost: ~19 MiB and two passes keep a check near 20 ms on our machines.
    PASSWORD_MEMORY_KIB: int = 19456
    PASSWORD_TIME_COST: int = 2
    PASSWORD_PARALLELISM: int = 1
    # Partner API: requests per API key (or signed-in learner), and per address for anonymous calls.
    API_RATE_LIMIT: str = "600 per minute"
    API_PUBLIC_RATE_LIMIT: str = "120 per minute"
    # Webhooks: production refuses plain http and private/loopback targets; this allows private targets.
    WEBHOOK_ALLOW_PRIVATE_URLS: bool = False
    EMAIL_TOKEN_MAX_AGE_HOURS: int = 48
    PASSWORD_RESET_MAX_AGE_HOURS: int = 2
    DEFAULT_LOCALE: str = "en"
    DEFAULT_TIMEZONE: str = "UTC"
    # Run periodic tasks in a thread of the embedded server when there is no beat process.
    EMBEDDED_BEAT: bool = True
    # Without a broker, run tasks on a background thread of the process (false: inline after commit).
    BACKGROUND_TASKS: bool = True
    DEMO_PASSWORD: str = ""
    # Partner network: how long checkout holds seats, invoice terms, waiting-list offers, refund window.
    SEAT_HOLD_MINUTES: int = 15
    INVOICE_DUE_DAYS: int = 14
    WAITLIST_OFFER_HOURS: int = 24
    REFUND_WINDOW_DAYS: int = 14
    # Optional large-language-model endpoint for the AI mentor (OpenAI-compatible).
    MENTOR_URL: str = ""
    MENTOR_MODEL: str = ""
    MENTOR_API_KEY: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _parse(value: str, kind: Any) -> Any:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind is int:
        return int(value)
    return value


def load_config(
    instance_path: Path, overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
) -> dict[str, Any]:
    """Merge the four layers and derive the Flask/extension settings from them."""
    environ = dict(os.environ if environ is None else environ)
    settings = Settings()
    hints = get_type_hints(Settings)
    names = [f.name for f in dataclasses.fields(Settings) if f.name != "extra"]

    instance_file = instance_path / "config.py"
    if instance_file.exists():
        values = runpy.run_path(str(instance_file))
        for name in names:
            if name in values:
                setattr(settings, name, values[name])

    for name in names:
        env_value = environ.get(f"LMS_{name}")
        if env_value is not None:
            setattr(settings, name, _parse(env_value, hints[name]))

    extra: dict[str, Any] = {}
    for key, value in (overrides or {}).items():
        if key in names:
            setattr(settings, key, value)
        else:
            extra[key] = value

    config = _derive(settings, instance_path)
    config.update(extra)
    validate(config)
    return config


def _derive(settings: Settings, instance_path: Path) -> dict[str, Any]:
    config = {name: getattr(settings, name) for name in (f.name for f in dataclasses.fields(Settings))}
    config.pop("extra")
    config["INSTANCE_PATH"] = str(instance_path)
    if settings.ENV == "testing":
        config["TESTING"] = True
    database_url = settings.DATABASE_URL or f"sqlite:///{instance_path / 'lms.sqlite3'}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    config["DATABASE_URL"] = database_url
    config["SQLALCHEMY_DATABASE_URI"] = database_url
    config["SQLALCHEMY_ENGINE_OPTIONS"] = (
        {"connect_args": {"timeout": 30, "check_same_thread": False}}
        if database_url.startswith("sqlite")
        else {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}
    )
    config["PERMANENT_SESSION_LIFETIME"] = settings.SESSION_LIFETIME_HOURS * 3600
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    config["SESSION_COOKIE_SECURE"] = settings.ENV == "production"
    config["SESSION_REFRESH_EACH_REQUEST"] = True
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["WTF_CSRF_TIME_LIMIT"] = settings.CSRF_TIME_LIMIT_HOURS * 3600
    config["WTF_CSRF_SSL_STRICT"] = settings.ENV == "production"
    config["BABEL_DEFAULT_LOCALE"] = settings.DEFAULT_LOCALE
    config["BABEL_DEFAULT_TIMEZONE"] = settings.DEFAULT_TIMEZONE
    # Counters shared by every worker when Redis is around; per-process memory in the embedded mode.
    broker_redis = settings.BROKER_URL if settings.BROKER_URL.startswith(("redis://", "rediss://")) else ""
    config["RATELIMIT_STORAGE_URI"] = settings.RATELIMIT_STORAGE_URL or broker_redis or "memory://"
    config["RATELIMIT_HEADERS_ENABLED"] = True
    config["RATELIMIT_ENABLED"] = True
    config["MAIL_OUTBOX"] = str(instance_path / "outbox")
    config["FILES_PATH"] = str(instance_path / "files")
    return config


def validate(config: dict[str, Any]) -> None:
    """Refuse a production start with a weak secret or debug on; give development a throwaway key."""
    if config["ENV"] == "production":
        secret = config.get("SECRET_KEY") or ""
        if secret in WEAK_SECRET_KEYS or len(secret) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                "LMS_SECRET_KEY is missing or weak: production needs a random key of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters (python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if config.get("DEBUG"):
            raise ConfigError("Debug mode must be off in production (unset LMS_DEBUG).")
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _development_secret(Path(config["INSTANCE_PATH"]))


def _development_secret(instance_path: Path) -> str:
    """A per-instance random key kept in the instance folder, so development sessions survive restarts."""
    import secrets

    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key

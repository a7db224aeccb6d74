"""Test fixtures: one app per test session, each test inside a transaction rolled back at its end.

* ``LMS_TEST_DATABASE_URL`` unset: SQLite files in a temporary folder. Set (PostgreSQL): one
  database per pytest-xdist worker, created on demand.
* ``committing_app`` gives tests that need real commits (races, workers) a database of their own.
* Outside CI a missing service skips with a reason; with ``CI=true`` it fails.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import flask.globals as flask_globals
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import scoped_session, sessionmaker

from lms.app import create_app
from lms.core.db import configure_engine_events, write_transactions
from lms.extensions import db

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEST_DATABASE_URL = os.environ.get("LMS_TEST_DATABASE_URL", "")
TEST_BROKER_URL = os.environ.get("LMS_TEST_BROKER_URL", "")
#: Cheap password hashing for tests; tests/accounts/test_passwords.py checks the real parameters.
FAST_PASSWORDS = {"PASSWORD_MEMORY_KIB": 1024, "PASSWORD_TIME_COST": 1}
DEFAULT_PASSWORD = "correct horse battery"


def service_missing(reason: str) -> None:
    """Skip outside CI, fail inside it: CI must run every test."""
    if IN_CI:
        pytest.fail(f"CI=true but a required service is missing: {reason}")
    pytest.skip(reason)


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _postgres_database(base_url: str, suffix: str) -> str:
    """Create (if needed) and return the URL of a database named ``<base>_<suffix>``."""
    parts = urlsplit(base_url)
    base_name = parts.path.lstrip("/") or "test"
    name = re.sub(r"[^a-z0-9_]", "_", f"{base_name}_{suffix}".lower())
    # Administer from the maintenance database, so the base database need not exist.
    admin = sa.create_engine(parts._replace(path="/postgres").geturl(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        service_missing(f"PostgreSQL at {parts.hostname}:{parts.port} is not answering ({exc.__class__.__name__})")
    finally:
        admin.dispose()
    return parts._replace(path=f"/{name}").geturl()


def database_url_for(kind: str, tmp_dir: Path) -> str:
    if TEST_DATABASE_URL:
        return _postgres_database(TEST_DATABASE_URL, f"{kind}_{worker_id()}")
    return f"sqlite:///{tmp_dir / f'{kind}.sqlite3'}"


def make_app(database_url: str, instance_path: Path, **overrides: Any) -> Flask:
    config = {
        "ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-anything",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance_path),
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        "RATELIMIT_STORAGE_URL": "memory://",
        **FAST_PASSWORDS,
        **overrides,
    }
    return create_app(config)


def reset_schema(app: Flask) -> None:
    with app.app_context():
        db.drop_all()
        db.create_all()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_dir = tmp_path_factory.mktemp("lms")
    application = make_app(database_url_for("rollback", tmp_dir), tmp_dir / "instance")
    reset_schema(application)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run the test inside one outer transaction that is rolled back; commits become savepoints."""
    if "committing_app" in request.fixturenames or request.node.get_closest_marker("no_db"):
        yield
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        connection = db.engine.connect()
        with write_transactions():
            outer = connection.begin()
        original_session = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_app_ctx_id
        )
        application.extensions.pop("lms_storage", None)
        try:
            with application.app_context():
                yield
        finally:
            db.session.remove()
            db.session = original_session
            outer.rollback()
            connection.close()
            _reset_rate_limits(application)


def _reset_rate_limits(application: Flask) -> None:
    from lms.extensions import limiter

    with application.app_context(), contextlib.suppress(NotImplementedError):
        limiter.reset()


@pytest.fixture
def committing_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own database where commits are real (for races, workers and live servers)."""
    database_url = database_url_for("commit", tmp_path)
    application = make_app(database_url, tmp_path / "instance")
    reset_schema(application)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


class Client(FlaskClient):
    """A test client that fetches a CSRF token and sends it with form and JSON posts.

    Each request runs in a fresh application context (its own ``g`` and database session), as in
    production, even though the test itself holds one; afterwards the test's session is expired so
    it sees what the request committed.
    """

    _csrf: str | None = None

    def open(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        def in_fresh_context() -> Any:
            flask_globals._cv_app.set(None)  # type: ignore[attr-defined]
            return FlaskClient.open(self, *args, **kwargs)

        response = contextvars.copy_context().run(in_fresh_context)
        if flask_globals._cv_app.get(None) is not None:  # type: ignore[attr-defined]
            db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        if self._csrf is None:
            page = self.get("/").get_data(as_text=True)
            match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
            assert match, "the home page carries no CSRF token"
            self._csrf = match.group(1)
        return self._csrf

    def forget_csrf(self) -> None:
        self._csrf = None

    def post(self, *args: Any, csrf: bool = True, **kwargs: Any) -> Any:  # type: ignore[override]
        if csrf:
            if "json" in kwargs:
                headers = dict(kwargs.pop("headers", None) or {})
                headers.setdefault("X-CSRFToken", self.csrf_token())
                kwargs["headers"] = headers
            else:
                data = dict(kwargs.pop("data", None) or {})
                data.setdefault("csrf_token", self.csrf_token())
                kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def make_client(app: Flask):
    """Another browser: ``make_client()`` returns a fresh client with its own cookies."""

    def factory() -> Client:
        app.test_client_class = Client
        return app.test_client()  # type: ignore[return-value]

    return factory


# --- factories ---------------------------------------------------------------------------------

_counter = iter(range(1, 10**9))


@pytest.fixture
def create_user():
    """``create_user(roles=[(org, Role.X)], **fields)`` → a verified user with DEFAULT_PASSWORD."""
    from lms.accounts import services
    from lms.core.time import utcnow

    def factory(email: str | None = None, roles: list | None = None, password: str = DEFAULT_PASSWORD, **fields: Any):
        n = next(_counter)
        user = services.register_user(
            email=email or f"user{n}@example.com",
            password=password,
            display_name=fields.pop("display_name", f"User {n}"),
            legal_name=fields.pop("legal_name", f"Test User {n}"),
            send_verification=False,
            **fields,
        )
        user.email_verified_at = utcnow()
        for organisation, role in roles or []:
            services.grant_role(user, organisation, role, actor_id=None)
        db.session.flush()
        return user

    return factory


@pytest.fixture
def create_organisation():
    from lms.accounts import services
    from lms.accounts.models import OrganisationKind

    def factory(kind: OrganisationKind = OrganisationKind.TRAINING_PARTNER, name: str | None = None, **fields: Any):
        n = next(_counter)
        return services.create_organisation(kind=kind, name=name or f"Organisation {n}", slug=f"org-{n}", **fields)

    return factory


@pytest.fixture
def staff_user(create_user, create_organisation):
    from lms.accounts.models import OrganisationKind
    from lms.core.security import Role

    body = create_organisation(OrganisationKind.CERTIFICATION_BODY, name="Certification Body")
    return create_user(roles=[(body, Role.STAFF)], display_name="Staff Member")


@pytest.fixture
def login():
    """``login(client, user)`` signs the user in through the real form and returns the response."""

    def do_login(client: Client, user: Any, password: str = DEFAULT_PASSWORD) -> Any:
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.forget_csrf()  # sign-in starts a fresh session
        return response

    return do_login


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests run last: they are the slowest and need a built catalog.
    items.sort(key=lambda item: 1 if item.get_closest_marker("browser") else 0)


__all__ = ["DEFAULT_PASSWORD", "configure_engine_events", "free_port", "service_missing"]

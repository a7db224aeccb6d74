"""The application factory: ``create_app(config_overrides)`` assembles the app in ``configure_*`` steps."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from lms.config import load_config

REPO_ROOT = Path(__file__).resolve().parent.parent
#: Domain packages, in dependency order. Each may have views (``bp``), tasks, panels and demo data.
DOMAINS = ("accounts", "courses", "exams", "partners", "certificates", "affiliates", "api")


def create_app(config_overrides: dict[str, Any] | None = None) -> Flask:
    overrides = dict(config_overrides or {})
    instance_path = Path(
        overrides.pop("INSTANCE_PATH", None) or os.environ.get("LMS_INSTANCE_PATH") or REPO_ROOT / "instance"
    ).resolve()
    app = Flask(
        "lms",
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(REPO_ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(load_config(instance_path, overrides))
    configure_instance_folder(app)
    configure_logging(app)
    configure_database(app)
    configure_extensions(app)
    configure_celery(app)
    configure_i18n(app)
    configure_security(app)
    configure_domains(app)
    configure_templates(app)
    configure_cli(app)
    return app


def configure_instance_folder(app: Flask) -> None:
    for folder in ("", "outbox", "files"):
        (Path(app.instance_path) / folder).mkdir(parents=True, exist_ok=True)


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("alembic.runtime.plugins", "weasyprint", "fontTools", "celery.app.trace"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def configure_database(app: Flask) -> None:
    from sqlalchemy.orm import Session

    from lms.core import db as core_db
    from lms.core import tasks
    from lms.extensions import db, migrate

    importlib.import_module("lms.core.audit")  # its table belongs to every schema
    db.init_app(app)
    with app.app_context():
        core_db.configure_engine_events(db.engine)
    migrate.init_app(app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    # Session-class events apply to every session, including the ones tests build.
    if not getattr(Session, "_lms_events_installed", False):
        core_db.install_session_events(Session)
        tasks.install(Session)
        Session._lms_events_installed = True  # type: ignore[attr-defined]

    @app.before_request
    def _reset_write_intent() -> None:
        core_db._begin_immediate.set(False)


def configure_extensions(app: Flask) -> None:
    from lms.extensions import csrf, limiter, login_manager

    csrf.init_app(app)
    limiter.init_app(app)
    # Every limit here is a decorator on its view, which checks it itself; the app-wide check that
    # Flask-Limiter adds before every request only serves default and blueprint limits (we have none).
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # the per-user session version does this job

    @login_manager.user_loader
    def _load_user(user_id: str) -> Any:
        from sqlalchemy.orm import joinedload

        from lms.accounts.models import Membership, User
        from lms.extensions import db

        ident, _, version = user_id.partition(".")
        if not ident.isdigit() or not version.isdigit():
            return None
        # One query for the user, their memberships and organisations (roles are read on every page).
        user = db.session.get(
            User, int(ident), options=[joinedload(User.memberships).joinedload(Membership.organisation)]
        )
        if user is None or not user.is_active or user.session_version != int(version):
            return None
        return user


def configure_celery(app: Flask) -> None:
    from lms.celery_app import celery_init_app

    celery_init_app(app)
    importlib.import_module("lms.core.mail")


def configure_i18n(app: Flask) -> None:
    from lms.core import i18n
    from lms.core.i18n_catalogs import translation_directories
    from lms.extensions import babel

    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories())
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.init_app(app)


def configure_security(app: Flask) -> None:
    from lms.core import errors, security

    security.enforce_access(app)
    security.apply_security_headers(app)
    errors.register_error_handlers(app)


def configure_domains(app: Flask) -> None:
    from lms.core import views as site_views

    app.register_blueprint(site_views.bp)
    for domain in DOMAINS:
        for module_name in ("models", "tasks", "panels", "signals_receivers"):
            _import_if_present(f"lms.{domain}.{module_name}")
        views = _import_if_present(f"lms.{domain}.views")
        if views is not None:
            app.register_blueprint(views.bp)
        for extra in ("admin_views", "partner_views", "staff_views"):
            module = _import_if_present(f"lms.{domain}.{extra}")
            if module is not None:
                app.register_blueprint(module.bp)
        setup = getattr(_import_if_present(f"lms.{domain}"), "init_app", None)
        if setup is not None:
            setup(app)


def _import_if_present(name: str) -> Any:
    try:
        if importlib.util.find_spec(name) is None:
            return None
    except ModuleNotFoundError:  # the domain package itself is not there yet
        return None
    return importlib.import_module(name)


def configure_templates(app: Flask) -> None:
    from flask_login import current_user

    from lms.accounts.models import KIND_LABELS, STATUS_LABELS
    from lms.core.navigation import visible_nav_items
    from lms.core.security import ROLE_LABELS

    # Each domain may add static/css/<domain>.css; every page links them after the base sheet.
    css_folder = Path(app.static_folder or "") / "css"
    domain_stylesheets = sorted(p.name for p in css_folder.glob("*.css") if p.name != "app.css")
    app.jinja_env.globals.update(
        domain_stylesheets=domain_stylesheets,
        nav_items=visible_nav_items,
        ROLE_LABELS=ROLE_LABELS,
        KIND_LABELS=KIND_LABELS,
        STATUS_LABELS=STATUS_LABELS,
    )

    @app.context_processor
    def _user_context() -> dict[str, Any]:
        return {"current_user": current_user}


def configure_cli(app: Flask) -> None:
    from lms.cli import register_commands

    register_commands(app)

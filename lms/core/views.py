"""Site-wide pages that belong to no domain: the home page and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, jsonify, render_template
from flask_babel import lazy_gettext as _l

from lms.core.navigation import register_nav
from lms.core.security import public

bp = Blueprint("site", __name__)

register_nav("site.home", _l("Home"), order=0, anonymous_only=True)


@bp.route("/")
@public
def home() -> str:
    return render_template("home.html")


def _database_ok() -> tuple[bool, str]:
    from lms.extensions import db

    try:
        db.session.execute(sa.text("SELECT 1"))
        return True, db.engine.dialect.name
    except Exception as exc:  # reported, not raised: this is the health check
        return False, type(exc).__name__
    finally:
        db.session.rollback()


def _broker_ok() -> tuple[bool, str]:
    url = current_app.config.get("BROKER_URL")
    if not url:
        return True, "in-process"
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        return True, connection.transport_cls if isinstance(connection.transport_cls, str) else "broker"
    except Exception as exc:
        return False, type(exc).__name__


@bp.route("/livez")
@public
def livez() -> Response:
    """Liveness: the process answers (no database or broker call). Also the benchmarks' baseline."""
    return Response("ok\n", mimetype="text/plain")


@bp.route("/healthz")
@public
def healthz() -> tuple[Response, int]:
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    healthy = db_ok and broker_ok
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return jsonify(body), 200 if healthy else 503

"""Catalog (certification tracks, courses, versions), courseware, enrolment, progress, AI mentor."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.core.time import utcnow
    from lms.courses.labels import template_globals

    app.jinja_env.globals.update(template_globals())
    app.jinja_env.globals.setdefault("now_utc", utcnow)

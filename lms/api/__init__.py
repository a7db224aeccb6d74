"""The versioned partner API (``/api/v1``), its OpenAPI description, API keys and signed webhooks.

Layout: ``framework`` (the smorest Api, :func:`~lms.api.framework.api_view`), ``auth``, ``errors``,
``pagination``, ``idempotency``, ``schemas``, ``scopes``; ``resources/<resource>.py`` (one module
per resource, listed in ``resources.RESOURCES``); ``events``, ``signing``, ``webhook_http``,
``signals_receivers`` and ``tasks`` for webhooks; ``services/`` for the rules; ``views`` (the
OpenAPI document and the docs page) and ``partner_views`` (keys and webhooks for partner admins).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from lms.api import cli, resources
    from lms.api.errors import render_error
    from lms.api.framework import create_api
    from lms.core.errors import register_error_renderer

    create_api(app, resources.blueprints())
    register_error_renderer(app, "/api/", render_error)
    app.cli.add_command(cli.api_group)

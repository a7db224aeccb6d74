"""The API's resources: one module per resource, each defining ``blp`` (a ``ResourceBlueprint``).

To add a resource: write ``lms/api/resources/<name>.py`` with ``blp = ResourceBlueprint(...)`` and
views declared ``@blp.route(...)`` + ``@api_view(...)`` + smorest's ``@blp.arguments`` /
``@blp.response``, then add ``<name>`` to :data:`RESOURCES`. The OpenAPI document, the docs page,
the error objects, authentication, scoping, rate limits, idempotency and the route-guard test pick
it up from there.
"""

from __future__ import annotations

import importlib

from lms.api.framework import ResourceBlueprint

#: In the order the documentation shows them.
RESOURCES = (
    "catalog",
    "schedule",
    "classes",
    "seats",
    "resale",
    "enrolments",
    "learners",
    "results",
    "certificates",
    "ledger",
    "me",
    "events",
)


def blueprints() -> list[ResourceBlueprint]:
    return [importlib.import_module(f"lms.api.resources.{name}").blp for name in RESOURCES]

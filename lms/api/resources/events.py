"""The webhook events catalogue (public): what a partner can subscribe to and what each event carries."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from lms.api.events import EVENTS
from lms.api.framework import ResourceBlueprint, api_view

blp = ResourceBlueprint(
    "events",
    __name__,
    tag="Webhook events",
    description="Events your webhook endpoints can receive, signed with HMAC-SHA256 (see the guide).",
)


class EventTypeSchema(ma.Schema):
    name = ma.fields.String(required=True, metadata={"example": "enrolment.created"})
    description = ma.fields.String(required=True)
    data = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        metadata={"description": "The fields of the event's `data` object and their types."},
    )


class EventCatalogueSchema(ma.Schema):
    data = ma.fields.List(ma.fields.Nested(EventTypeSchema), required=True)


@blp.route("/events")
@api_view(auth="public")
@blp.response(200, EventCatalogueSchema)
def list_events() -> dict[str, Any]:
    """List webhook event types"""
    return {"data": [{"name": e.name, "description": e.description, "data": dict(e.data)} for e in EVENTS.values()]}

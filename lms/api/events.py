"""The webhook events catalogue: every event a partner can subscribe to, and what its data holds.

Each event is emitted by a receiver in :mod:`lms.api.signals_receivers` from a domain signal. The
body sent to an endpoint is ``{"id", "type", "created_at", "partner_id", "data"}``; ``data`` holds
plain ids and public values (described here, shown on the docs page and at ``GET /api/v1/events``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class EventType:
    name: str
    label: Any  # translated, for the partner's page
    description: str  # the API reference is in English
    signal: str
    data: dict[str, str]


EVENTS: dict[str, EventType] = {
    event.name: event
    for event in (
        EventType(
            "enrolment.created",
            _l("A learner was enrolled"),
            "A learner was enrolled in a course your organisation delivers or sold.",
            "enrolment_created",
            {
                "enrolment_id": "integer",
                "learner_id": "integer",
                "course_id": "integer",
                "course_version_id": "integer",
                "status": "string: pending, active, …",
                "source": "string: purchase, voucher, partner, cohort, staff",
                "partner_id": "integer or null: the delivering partner",
                "reseller_id": "integer or null: the partner that sold the seat",
                "class_id": "integer or null",
                "reference": "string or null: what created it (your reference for API enrolments)",
            },
        ),
        EventType(
            "seat.confirmed",
            _l("A seat was confirmed in one of your classes or in a class you resell"),
            "A seat was confirmed (paid, voucher or allotment) in one of your classes, or a seat you resell in "
            "another partner's class.",
            "seat_confirmed",
            {"seat_id": "integer", "class_id": "integer", "learner_id": "integer or null"},
        ),
        EventType(
            "seat.released",
            _l("A seat was released in one of your classes or in a class you resell"),
            "A confirmed seat was released (cancelled) in one of your classes, or a seat you resell in another "
            "partner's class.",
            "seat_released",
            {"seat_id": "integer", "class_id": "integer"},
        ),
        EventType(
            "exam.passed",
            _l("A learner you trained passed the exam"),
            "A learner your organisation trained passed a certification exam.",
            "exam_passed",
            {
                "attempt_id": "integer",
                "learner_id": "integer",
                "track_id": "integer",
                "decided_at": "string (ISO 8601, UTC) or null",
            },
        ),
        EventType(
            "certificate.issued",
            _l("A certificate was issued to a learner you trained"),
            "A certificate naming your organisation as training partner was issued.",
            "certificate_issued",
            {"certificate_id": "integer", "learner_id": "integer"},
        ),
        EventType(
            "certificate.revoked",
            _l("A certificate was revoked"),
            "The certification body revoked a certificate naming your organisation.",
            "certificate_status_changed",
            {"certificate_id": "integer", "reason": "string or null"},
        ),
        EventType(
            "commission.approved",
            _l("A commission was approved"),
            "A commission in your organisation's affiliate programme was approved.",
            "commission_approved",
            {"commission_id": "integer", "affiliate_id": "integer"},
        ),
    )
}

#: Sent by "Send a test event" on the partner's page, whatever the endpoint subscribes to.
PING = "ping"


def event_names() -> list[str]:
    return list(EVENTS)

"""Webhook endpoints and deliveries: register, emit events, attempt with backoff, replay.

Deliveries are rows written in the same transaction as the event that caused them (a rolled-back
action sends nothing). With a broker each delivery is queued as a task right after the commit and
retried by Celery with a countdown; in the embedded mode the periodic task
:func:`lms.api.tasks.send_due_webhooks` sends them (so a slow receiver never holds up a request).
Either way :func:`attempt_delivery` is the one place that claims, sends and records an attempt.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.api import webhook_http
from lms.api.events import EVENTS, PING
from lms.api.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from lms.api.signing import SIGNATURE_HEADER, decrypt_secret, encrypt_secret, new_endpoint_secret, signature_header
from lms.core import audit
from lms.core.db import lock_row
from lms.core.errors import DomainError
from lms.core.security import scoped
from lms.core.tasks import enqueue
from lms.core.time import utcnow
from lms.extensions import db

log = logging.getLogger(__name__)

#: Seconds to wait after attempt n (1-based) before attempt n+1: 8 attempts over about 20 hours.
BACKOFF_SECONDS = (30, 120, 600, 1800, 7200, 21600, 43200)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
#: While an attempt is in flight its delivery is not due, so no other worker sends it too.
CLAIM_LEASE = timedelta(minutes=5)
MAX_ENDPOINTS = 20
USER_AGENT = "lms-webhooks/1"


def backoff(attempt_number: int) -> timedelta:
    return timedelta(seconds=BACKOFF_SECONDS[min(attempt_number, len(BACKOFF_SECONDS)) - 1])


def _checked_events(events: list[str]) -> list[str]:
    unknown = set(events) - set(EVENTS)
    if unknown:
        raise DomainError(_("Choose events from the list."), field="events")
    if not events:
        raise DomainError(_("Choose at least one event."), field="events")
    return [name for name in EVENTS if name in events]


# --- endpoints -----------------------------------------------------------------------------------


def create_endpoint(
    *,
    partner_id: int,
    url: str,
    events: list[str],
    description: str = "",
    actor_id: int | None,
    secret: str | None = None,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its signing secret (shown once; given only by the demo)."""
    url = webhook_http.check_url(url)
    chosen = _checked_events(events)
    count = db.session.execute(
        sa.select(sa.func.count()).select_from(scoped(WebhookEndpoint, partner_id).subquery())
    ).scalar_one()
    if count >= MAX_ENDPOINTS:
        raise DomainError(_("You can register at most %(count)d endpoints.", count=MAX_ENDPOINTS))
    secret = secret or new_endpoint_secret()
    endpoint = WebhookEndpoint(
        partner_id=partner_id,
        url=url,
        events=chosen,
        description=(description or "").strip()[:200],
        secret_encrypted=encrypt_secret(secret),
        created_by_id=actor_id,
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record("webhook.created", actor_id=actor_id, subject=endpoint, partner_id=partner_id, details={"url": url})
    return endpoint, secret


def update_endpoint(
    endpoint: WebhookEndpoint, *, url: str, events: list[str], description: str, is_active: bool, actor_id: int | None
) -> None:
    endpoint.url = webhook_http.check_url(url)
    endpoint.events = _checked_events(events)
    endpoint.description = (description or "").strip()[:200]
    endpoint.is_active = is_active
    audit.record(
        "webhook.updated",
        actor_id=actor_id,
        subject=endpoint,
        partner_id=endpoint.partner_id,
        details={"url": endpoint.url, "events": endpoint.events, "active": is_active},
    )


def roll_secret(endpoint: WebhookEndpoint, *, actor_id: int | None) -> str:
    secret = new_endpoint_secret()
    endpoint.secret_encrypted = encrypt_secret(secret)
    audit.record("webhook.secret_rolled", actor_id=actor_id, subject=endpoint, partner_id=endpoint.partner_id)
    return secret


def delete_endpoint(endpoint: WebhookEndpoint, *, actor_id: int | None) -> None:
    audit.record(
        "webhook.deleted",
        actor_id=actor_id,
        subject=endpoint,
        partner_id=endpoint.partner_id,
        details={"url": endpoint.url},
    )
    db.session.delete(endpoint)
    db.session.flush()


def endpoints_of(partner_id: int) -> list[WebhookEndpoint]:
    return list(db.session.execute(scoped(WebhookEndpoint, partner_id).order_by(WebhookEndpoint.id)).scalars())


# --- events and deliveries -----------------------------------------------------------------------


def _iso(value: datetime) -> str:
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def emit(partner_id: int, event_type: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """Queue ``event_type`` for every active endpoint of ``partner_id`` that subscribes to it."""
    endpoints = [
        e
        for e in db.session.execute(
            scoped(WebhookEndpoint, partner_id).where(WebhookEndpoint.is_active.is_(True))
        ).scalars()
        if event_type in (e.events or [])
    ]
    if not endpoints:
        return []
    payload = {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "created_at": _iso(utcnow()),
        "partner_id": partner_id,
        "data": json.loads(json.dumps(data, default=str)),
    }
    return [_new_delivery(endpoint, payload) for endpoint in endpoints]


def _new_delivery(
    endpoint: WebhookEndpoint, payload: dict[str, Any], replay_of_id: int | None = None
) -> WebhookDelivery:
    delivery = WebhookDelivery(
        partner_id=endpoint.partner_id,
        endpoint_id=endpoint.id,
        event_id=payload["id"],
        event_type=payload["type"],
        payload=payload,
        next_attempt_at=utcnow(),
        replay_of_id=replay_of_id,
    )
    db.session.add(delivery)
    db.session.flush()
    if current_app.config.get("BROKER_URL"):
        from lms.api.tasks import deliver_webhook

        enqueue(deliver_webhook, delivery.id)
    return delivery


def send_test_event(endpoint: WebhookEndpoint, *, actor_id: int | None) -> WebhookDelivery:
    payload = {
        "id": str(uuid.uuid4()),
        "type": PING,
        "created_at": _iso(utcnow()),
        "partner_id": endpoint.partner_id,
        "data": {"endpoint_id": endpoint.id, "message": "This is a test event."},
    }
    return _new_delivery(endpoint, payload)


def replay(delivery: WebhookDelivery, *, actor_id: int | None) -> WebhookDelivery:
    """Send a delivery's event again (same event id, fresh signature), whatever became of the first."""
    copy = _new_delivery(delivery.endpoint, dict(delivery.payload), replay_of_id=delivery.id)
    audit.record(
        "webhook.replayed",
        actor_id=actor_id,
        subject=delivery,
        partner_id=delivery.partner_id,
        details={"event_id": delivery.event_id, "new_delivery_id": copy.id},
    )
    return copy


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()


def attempt_delivery(delivery_id: int) -> float | None:
    """Make the next attempt of a due delivery; returns seconds until the following one, else None.

    Claims the delivery under a row lock (so two workers never send it together), commits, sends
    without holding any lock, then records the outcome and schedules the next attempt.
    """
    delivery = lock_row(WebhookDelivery, delivery_id)
    now = utcnow()
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return None
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return None
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
        return None
    number = delivery.attempts + 1
    delivery.next_attempt_at = now + CLAIM_LEASE
    url, secret, body = endpoint.url, decrypt_secret(endpoint.secret_encrypted), body_of(delivery.payload)
    event_type, event_id = delivery.event_type, delivery.event_id
    db.session.commit()

    attempted_at = utcnow()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "LMS-Event": event_type,
        "LMS-Event-Id": event_id,
        "LMS-Delivery": str(delivery_id),
        "LMS-Delivery-Attempt": str(number),
        SIGNATURE_HEADER: signature_header(secret, int(attempted_at.timestamp()), body),
    }
    result = webhook_http.post(url, body, headers)

    delivery = lock_row(WebhookDelivery, delivery_id)
    if delivery is None:  # the endpoint was deleted meanwhile
        return None
    delivery.attempts = number
    delivery.last_attempt_at = attempted_at
    delivery.last_status_code = result.status_code
    if result.ok:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = utcnow()
        delivery.next_attempt_at = None
    elif number >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = attempted_at + backoff(number)
    db.session.add(
        WebhookAttempt(
            delivery_id=delivery_id,
            number=number,
            attempted_at=attempted_at,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
            error=result.error,
            response_excerpt=result.excerpt,
            next_attempt_at=delivery.next_attempt_at,
        )
    )
    db.session.flush()
    if delivery.next_attempt_at is None:
        return None
    return max((delivery.next_attempt_at - utcnow()).total_seconds(), 0.0)


def due_deliveries(*, grace: timedelta = timedelta(0), limit: int = 50) -> list[int]:
    """Ids of pending deliveries whose next attempt is due (``grace`` earlier than now)."""
    return list(
        db.session.execute(
            sa.select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.next_attempt_at <= utcnow() - grace,
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        ).scalars()
    )


def deliveries_of(endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    return list(
        db.session.execute(
            scoped(WebhookDelivery, endpoint.partner_id)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        ).scalars()
    )


def purge_old_deliveries(older_than: timedelta = timedelta(days=30)) -> int:
    result = db.session.execute(
        sa.delete(WebhookDelivery).where(
            WebhookDelivery.status != DeliveryStatus.PENDING, WebhookDelivery.created_at < utcnow() - older_than
        )
    )
    return result.rowcount or 0


def log_failure(context: str) -> None:
    log.exception("webhook event %s could not be queued", context)

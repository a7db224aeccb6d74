"""Webhook delivery and housekeeping tasks."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import current_app

from lms.api import idempotency
from lms.api.services import webhooks
from lms.core.tasks import periodic, task
from lms.extensions import db

#: How long one run of the periodic sender may keep sending before leaving the rest to the next run.
SEND_BUDGET_SECONDS = 50.0


@task(name="api.deliver_webhook", bind=True, max_retries=None)
def deliver_webhook(self: Any, delivery_id: int) -> None:
    """One attempt; with a broker, Celery retries at the backoff's countdown."""
    delay = webhooks.attempt_delivery(delivery_id)
    if delay is not None and current_app.config.get("BROKER_URL"):
        db.session.commit()  # keep the attempt's record: retry() raises
        raise self.retry(countdown=delay)


@periodic(10)
@task(name="api.send_due_webhooks")
def send_due_webhooks() -> int:
    """Send every delivery that is due: all of them in the embedded mode, lost ones with a broker."""
    grace = timedelta(minutes=1) if current_app.config.get("BROKER_URL") else timedelta(0)
    started = time.monotonic()
    sent = 0
    for delivery_id in webhooks.due_deliveries(grace=grace):
        webhooks.attempt_delivery(delivery_id)
        db.session.commit()
        sent += 1
        if time.monotonic() - started > SEND_BUDGET_SECONDS:
            break
    return sent


@periodic(3600)
@task(name="api.purge_records")
def purge_records() -> dict[str, int]:
    """Forget idempotency records after 24 hours and finished deliveries after 30 days."""
    return {
        "idempotency_records": idempotency.purge_expired(),
        "deliveries": webhooks.purge_old_deliveries(),
    }

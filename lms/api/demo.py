"""Demo: an API key and a webhook endpoint for Gulf AI Academy, derived from the demo password.

The key and the webhook secret are HMACs of the demo password, so ``flask --app lms api demo-key``
prints the same key as seed-demo did, and docs/api.md's examples work on any demo install.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from lms.api.auth import format_key, hash_secret
from lms.api.events import event_names
from lms.api.models import ApiKey, WebhookEndpoint
from lms.api.scopes import Scope
from lms.api.services import keys, webhooks
from lms.api.signing import SECRET_PREFIX, encrypt_secret
from lms.core.demo import DemoContext
from lms.extensions import db

DEMO_KEY_ID = "gulfacademy1"
DEMO_WEBHOOK_URL = "http://127.0.0.1:8765/webhooks"
DEMO_PASSWORD_FILE = "demo-password.txt"  # noqa: S105 (a file name, not a secret)


@dataclass(frozen=True)
class DemoCredentials:
    api_key: str
    secret: str
    webhook_secret: str


def _derive(password: str, purpose: str) -> str:
    digest = hmac.new(password.encode(), purpose.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def credentials_for(password: str) -> DemoCredentials:
    secret = _derive(password, "lms demo api key: gulf-ai-academy")
    return DemoCredentials(
        api_key=format_key(DEMO_KEY_ID, secret),
        secret=secret,
        webhook_secret=SECRET_PREFIX + _derive(password, "lms demo webhook secret: gulf-ai-academy"),
    )


def _stored_password() -> str | None:
    path = Path(current_app.instance_path) / DEMO_PASSWORD_FILE
    return path.read_text().strip() if path.exists() else None


def demo_credentials() -> DemoCredentials | None:
    password = os.environ.get("LMS_DEMO_PASSWORD") or current_app.config.get("DEMO_PASSWORD") or _stored_password()
    return credentials_for(password) if password else None


def seed(context: DemoContext) -> None:
    # The password the demo accounts really have: the one just set, else the one saved earlier.
    fresh = context.reset_passwords or context.new_accounts
    password = context.password if fresh else (_stored_password() or context.password)
    credentials = credentials_for(password)
    partner = context.organisations["atp_gulf"]
    admin = context.accounts.get("partner@demo.lms")
    api_key = db.session.execute(sa.select(ApiKey).where(ApiKey.key_id == DEMO_KEY_ID)).scalar_one_or_none()
    if api_key is None:
        api_key = keys.create_api_key(
            partner_id=partner.id,
            name="Demo integration (HR system)",
            scopes=[scope.value for scope in Scope],
            actor_id=admin.id if admin else None,
            key_id=DEMO_KEY_ID,
            secret=credentials.secret,
        ).api_key
    api_key.secret_hash = hash_secret(credentials.secret)
    endpoint = db.session.execute(
        sa.select(WebhookEndpoint).where(
            WebhookEndpoint.partner_id == partner.id, WebhookEndpoint.url == DEMO_WEBHOOK_URL
        )
    ).scalar_one_or_none()
    if endpoint is None:
        endpoint, _secret = webhooks.create_endpoint(
            partner_id=partner.id,
            url=DEMO_WEBHOOK_URL,
            events=event_names(),
            description="Local receiver: python docs/examples/webhook_receiver.py",
            actor_id=admin.id if admin else None,
            secret=credentials.webhook_secret,
        )
    endpoint.secret_encrypted = encrypt_secret(credentials.webhook_secret)
    context.objects["api_key"] = api_key
    context.objects["webhook_endpoint"] = endpoint
    db.session.flush()
    click.echo(f"Demo API key of Gulf AI Academy: {credentials.api_key}")

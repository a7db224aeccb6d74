"""The demo has a working API key and webhook endpoint for Gulf AI Academy (used by docs/api.md)."""

import sqlalchemy as sa

from lms.api.demo import DEMO_KEY_ID, DEMO_WEBHOOK_URL
from lms.api.models import ApiKey, WebhookEndpoint
from lms.api.signing import decrypt_secret
from lms.extensions import db
from tests.api.conftest import bearer


def test_seed_demo_prints_a_key_that_works_and_keeps_it_on_a_second_run(app, client, monkeypatch):
    monkeypatch.setenv("LMS_DEMO_PASSWORD", "demo password 123")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    printed = runner.invoke(args=["api", "demo-key"])
    assert printed.exit_code == 0
    token = printed.output.strip()
    assert f"Demo API key of Gulf AI Academy: {token}" in first.output
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.execute(sa.select(sa.func.count()).select_from(ApiKey)).scalar_one() == 1
    key = db.session.execute(sa.select(ApiKey).where(ApiKey.key_id == DEMO_KEY_ID)).scalar_one()
    response = client.get("/api/v1/enrolments", headers=bearer(token))
    assert response.status_code == 200
    endpoint = db.session.execute(
        sa.select(WebhookEndpoint).where(WebhookEndpoint.url == DEMO_WEBHOOK_URL)
    ).scalar_one()
    secret = runner.invoke(args=["api", "demo-webhook-secret"]).output.strip()
    assert decrypt_secret(endpoint.secret_encrypted) == secret
    assert endpoint.partner_id == key.partner_id

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


def test_the_guides_phase_two_examples_work_on_the_demo(app, client, monkeypatch):
    """docs/api.md §9–12 against the seeded demo: schedule, a resale hold confirmed, certificates, ledger."""
    monkeypatch.setenv("LMS_DEMO_PASSWORD", "demo password 123")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    headers = bearer(runner.invoke(args=["api", "demo-key"]).output.strip())
    resale = client.get("/api/v1/schedule?resale=true&available=true&q=Berlin", headers=headers).get_json()["data"]
    assert resale and all(c["partner"]["name"] != "Gulf AI Academy" for c in resale)
    hold = client.post(f"/api/v1/classes/{resale[0]['id']}/holds", json={"quantity": 2}, headers=headers)
    assert hold.status_code == 201, hold.get_json()
    confirmed = client.post(
        f"/api/v1/holds/{hold.get_json()['id']}/confirm", json={"payment_method": "test"}, headers=headers
    )
    assert confirmed.get_json()["status"] == "confirmed" and len(confirmed.get_json()["seats"]) == 2
    own = client.get("/api/v1/classes?status=published", headers=headers).get_json()["data"]
    assert own and all(c["city"] == "Dubai" for c in own)
    certificates = client.get("/api/v1/certificates?status=active", headers=headers).get_json()["data"]
    number = certificates[0]["number"]
    assert client.get(f"/api/v1/certificates/lookup?number={number}&surname=Hassan").status_code == 200
    balances = client.get("/api/v1/ledger/balances", headers=headers).get_json()["data"]
    assert {b["currency"] for b in balances} >= {"USD", resale[0]["prices"][0]["currency"]}
    assert client.get("/api/v1/ledger/statements", headers=headers).get_json()["data"]

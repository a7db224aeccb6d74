"""The partner admin's “API & webhooks” pages: keys shown once, revocation, endpoints, access rules."""

import re

import pytest
import sqlalchemy as sa

from lms.api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from lms.api.services import webhooks
from lms.core.security import Role
from lms.extensions import db
from tests.a11y import assert_accessible
from tests.api.conftest import bearer


def _token_on(page: str) -> str:
    match = re.search(r'value="(lms_[a-z0-9]{12}_[A-Za-z0-9_-]+)"', page)
    assert match, "no key on the page"
    return match.group(1)


def test_an_admin_creates_a_key_that_is_shown_once_and_works(client, login, partner_admin):
    login(client, partner_admin)
    overview = client.get("/partner/api")
    assert overview.status_code == 200
    assert overview.content_type.startswith("text/html")
    assert_accessible(overview.get_data(as_text=True))
    created = client.post(
        "/partner/api/keys",
        data={"key-name": "HR system", "key-scopes": ["enrolments:read", "catalog:read"], "key-expires_on": ""},
    )
    assert created.status_code == 200
    assert created.headers["Cache-Control"] == "no-store"
    assert created.content_type.startswith("text/html")
    page = created.get_data(as_text=True)
    assert_accessible(page)
    token = _token_on(page)
    assert client.get("/api/v1/enrolments", headers=bearer(token)).status_code == 200
    assert client.post("/api/v1/enrolments/bulk", json={"rows": []}, headers=bearer(token)).status_code == 403
    listing = client.get("/partner/api").get_data(as_text=True)
    assert token not in listing
    key = db.session.execute(sa.select(ApiKey)).scalar_one()
    assert f"lms_{key.key_id}_" in listing
    assert token.split("_", 2)[2] not in key.secret_hash


def test_key_form_errors_are_shown_on_the_page(client, login, partner_admin):
    login(client, partner_admin)
    response = client.post("/partner/api/keys", data={"key-name": "", "key-scopes": []})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose at least one scope." in page or "This field is required." in page
    response = client.post("/partner/api/keys", data={"key-name": "x", "key-scopes": []})
    assert "Choose at least one scope." in response.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count()).select_from(ApiKey)).scalar_one() == 0


def test_revoking_a_key_stops_it_at_once(client, login, partner_admin, make_key, partner):
    api_key, token = make_key(partner)
    login(client, partner_admin)
    assert client.post(f"/partner/api/keys/{api_key.id}/revoke").status_code == 302
    response = client.get("/api/v1/enrolments", headers=bearer(token))
    assert response.get_json()["error"]["code"] == "api_key_revoked"


def test_another_partners_keys_endpoints_and_deliveries_are_not_found(
    client, login, partner_admin, make_key, other_partner
):
    their_key, their_token = make_key(other_partner)
    endpoint, _secret = webhooks.create_endpoint(
        partner_id=other_partner.id, url="https://hooks.example.com/x", events=["seat.confirmed"], actor_id=None
    )
    delivery = webhooks.send_test_event(endpoint, actor_id=None)
    db.session.flush()
    login(client, partner_admin)
    assert client.post(f"/partner/api/keys/{their_key.id}/revoke").status_code == 404
    assert client.get(f"/partner/api/webhooks/{endpoint.id}").status_code == 404
    assert client.post(f"/partner/api/webhooks/{endpoint.id}/test").status_code == 404
    assert client.post(f"/partner/api/webhooks/{endpoint.id}/secret").status_code == 404
    assert client.post(f"/partner/api/webhooks/{endpoint.id}/delete").status_code == 404
    assert client.post(f"/partner/api/deliveries/{delivery.id}/replay").status_code == 404
    assert client.get("/api/v1/enrolments", headers=bearer(their_token)).status_code == 200  # untouched


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.PROCTOR, Role.PARTNER_MANAGER])
def test_only_partner_admins_manage_keys(client, login, create_user, partner, role):
    login(client, create_user(roles=[(partner, role)]))
    assert client.get("/partner/api").status_code == 403
    assert client.post("/partner/api/keys", data={"key-name": "x", "key-scopes": ["catalog:read"]}).status_code == 403


def test_an_admin_registers_tests_and_removes_an_endpoint(client, login, partner_admin, partner):
    login(client, partner_admin)
    refused = client.post("/partner/api/webhooks", data={"hook-url": "not a url", "hook-events": ["seat.confirmed"]})
    assert refused.status_code == 422
    created = client.post(
        "/partner/api/webhooks",
        data={"hook-url": "https://crm.example.com/hooks", "hook-events": ["seat.confirmed", "exam.passed"]},
    )
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(whsec_[A-Za-z0-9_-]+)"', created.get_data(as_text=True)).group(1)
    endpoint = db.session.execute(sa.select(WebhookEndpoint)).scalar_one()
    assert endpoint.events == ["seat.confirmed", "exam.passed"]
    assert secret not in endpoint.secret_encrypted
    detail = client.get(f"/partner/api/webhooks/{endpoint.id}")
    assert_accessible(detail.get_data(as_text=True))
    assert secret not in detail.get_data(as_text=True)
    assert client.post(f"/partner/api/webhooks/{endpoint.id}/test").status_code == 302
    ping = db.session.execute(sa.select(WebhookDelivery)).scalar_one()
    assert ping.event_type == "ping"
    rolled = client.post(f"/partner/api/webhooks/{endpoint.id}/secret")
    new_secret = re.search(r'value="(whsec_[A-Za-z0-9_-]+)"', rolled.get_data(as_text=True)).group(1)
    assert new_secret != secret
    saved = client.post(
        f"/partner/api/webhooks/{endpoint.id}",
        data={"hook-url": "https://crm.example.com/v2", "hook-events": ["certificate.issued"], "hook-is_active": ""},
    )
    assert saved.status_code == 302
    db.session.expire_all()
    endpoint = db.session.get(WebhookEndpoint, endpoint.id)
    assert endpoint.url == "https://crm.example.com/v2" and endpoint.is_active is False
    assert client.post(f"/partner/api/webhooks/{endpoint.id}/delete").status_code == 302
    assert db.session.execute(sa.select(sa.func.count()).select_from(WebhookEndpoint)).scalar_one() == 0


def test_the_partner_pages_speak_arabic(client, login, create_user, partner):
    admin = create_user(roles=[(partner, Role.PARTNER_ADMIN)], locale="ar")
    login(client, admin)
    page = client.get("/partner/api").get_data(as_text=True)
    assert 'dir="rtl"' in page and "مفاتيح API" in page

"""Allotments and vouchers through the API: reserve, use, release; generate and revoke codes; scoped."""

from datetime import timedelta

import pytest

from lms.core.time import utcnow
from lms.partners.services import seats
from tests.api.conftest import bearer


@pytest.fixture
def headers(network):
    return bearer(network["token"])


def _day(days):
    return (utcnow() + timedelta(days=days)).date().isoformat()


def test_an_allotment_is_reserved_used_and_released(client, network, headers, make_class):
    theirs = make_class(network["other"], capacity=10, days=10, resale_allowed=True)
    created = client.post(
        f"/api/v1/classes/{theirs.id}/allotments", json={"quantity": 4, "release_on": _day(3)}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    allotment = created.get_json()
    assert allotment["remaining"] == 4 and allotment["status"] == "active"
    assert allotment["release_at"] == f"{_day(3)}T23:59:59Z"
    assert seats.availability(theirs.id).available == 6

    hold = client.post(
        f"/api/v1/classes/{theirs.id}/holds", json={"quantity": 3, "allotment_id": allotment["id"]}, headers=headers
    ).get_json()
    client.post(f"/api/v1/holds/{hold['id']}/confirm", json={"payment_method": "test"}, headers=headers)
    assert client.get(f"/api/v1/allotments/{allotment['id']}", headers=headers).get_json()["remaining"] == 1

    released = client.post(f"/api/v1/allotments/{allotment['id']}/release", headers=headers)
    assert released.status_code == 200 and released.get_json()["status"] == "released"
    assert seats.availability(theirs.id).available == 7
    assert client.post(f"/api/v1/allotments/{allotment['id']}/release", headers=headers).status_code == 409


def test_allotments_follow_the_resale_rules(client, network, headers, make_class):
    closed = make_class(network["other"], resale_allowed=False)
    mine = make_class(network["partner"], resale_allowed=True)
    theirs = make_class(network["other"], days=5, resale_allowed=True)
    body = {"quantity": 2, "release_on": _day(2)}
    assert client.post(f"/api/v1/classes/{closed.id}/allotments", json=body, headers=headers).status_code == 404
    assert client.post(f"/api/v1/classes/{mine.id}/allotments", json=body, headers=headers).status_code == 404
    late = client.post(
        f"/api/v1/classes/{theirs.id}/allotments", json={"quantity": 2, "release_on": _day(30)}, headers=headers
    )
    assert late.status_code == 422 and list(late.get_json()["error"]["fields"]) == ["release_on"]
    too_many = client.post(
        f"/api/v1/classes/{theirs.id}/allotments", json={"quantity": 11, "release_on": _day(2)}, headers=headers
    )
    assert too_many.status_code == 409


def test_another_partners_allotments_are_not_found(client, network, headers, make_class, make_version):
    theirs = make_class(network["partner"], resale_allowed=True)
    other = bearer(network["other_token"])
    allotment = client.post(
        f"/api/v1/classes/{theirs.id}/allotments", json={"quantity": 1, "release_on": _day(2)}, headers=other
    ).get_json()
    assert client.get(f"/api/v1/allotments/{allotment['id']}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/allotments/{allotment['id']}/release", headers=headers).status_code == 404
    assert client.get("/api/v1/allotments", headers=headers).get_json()["data"] == []
    assert [a["id"] for a in client.get("/api/v1/allotments", headers=other).get_json()["data"]] == [allotment["id"]]


def test_voucher_codes_are_generated_listed_and_revoked(client, network, headers, make_class):
    mine = make_class(network["partner"])
    created = client.post(
        "/api/v1/voucher-batches",
        json={
            "name": "Acme June",
            "kind": "seat",
            "class_id": mine.id,
            "discount_bp": 5000,
            "assigned_emails": ["a@acme.example", "b@acme.example"],
            "expires_on": _day(30),
        },
        headers={**headers, "Idempotency-Key": "acme-june"},
    )
    assert created.status_code == 201, created.get_json()
    batch = created.get_json()
    assert [v["assigned_email"] for v in batch["vouchers"]] == ["a@acme.example", "b@acme.example"]
    assert all(v["status"] == "valid" and v["max_uses"] == 1 for v in batch["vouchers"])
    replay = client.post(
        "/api/v1/voucher-batches",
        json={
            "name": "Acme June",
            "kind": "seat",
            "class_id": mine.id,
            "discount_bp": 5000,
            "assigned_emails": ["a@acme.example", "b@acme.example"],
            "expires_on": _day(30),
        },
        headers={**headers, "Idempotency-Key": "acme-june"},
    )
    assert replay.get_json() == batch
    assert len(client.get("/api/v1/voucher-batches", headers=headers).get_json()["data"]) == 1

    voucher_id = batch["vouchers"][0]["id"]
    revoked = client.post(f"/api/v1/vouchers/{voucher_id}/revoke", headers=headers)
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    assert (
        client.post(f"/api/v1/vouchers/{voucher_id}/revoke", headers=bearer(network["other_token"])).status_code == 404
    )
    got = client.get(f"/api/v1/voucher-batches/{batch['id']}", headers=headers).get_json()
    assert [v["status"] for v in got["vouchers"]] == ["revoked", "valid"]
    assert (
        client.get(f"/api/v1/voucher-batches/{batch['id']}", headers=bearer(network["other_token"])).status_code == 404
    )


def test_voucher_rules_are_the_services(client, network, headers, make_class):
    theirs = make_class(network["other"])
    response = client.post(
        "/api/v1/voucher-batches", json={"name": "Nope", "kind": "seat", "class_id": theirs.id}, headers=headers
    )
    assert response.status_code == 422
    assert list(response.get_json()["error"]["fields"]) == ["class_id"]


def test_allotments_and_vouchers_need_seats_write(client, network, make_key):
    _key, token = make_key(network["partner"], scopes=["schedule:read"])
    for url in ("/api/v1/allotments", "/api/v1/voucher-batches"):
        assert client.get(url, headers=bearer(token)).status_code == 403
        assert client.get(url).status_code == 401

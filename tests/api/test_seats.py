"""Seat holds through the API: hold, confirm (seats and the ledger split), release, assign; idempotent, scoped."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import AccountKind, Seat, SeatHold
from lms.partners.services import ledger, resale, seats
from tests.api.conftest import bearer


@pytest.fixture
def headers(network):
    return bearer(network["token"])


def _hold(client, headers, class_id, **body):
    return client.post(f"/api/v1/classes/{class_id}/holds", json={"quantity": 2, **body}, headers=headers)


def test_seats_in_a_resold_class_are_held_confirmed_and_split_three_ways(client, network, headers, make_class, body):
    theirs = make_class(
        network["other"], capacity=10, price=100000, academic=None, association=None, resale_allowed=True
    )
    held = _hold(client, headers, theirs.id, quantity=3)
    assert held.status_code == 201, held.get_json()
    hold = held.get_json()
    assert hold["status"] == "held" and hold["resold"] is True and hold["quantity"] == 3
    assert hold["total"] == {"amount": 300000, "currency": "USD"}
    assert hold["expires_at"].endswith("Z") and hold["seats"] == []
    assert seats.availability(theirs.id).available == 7

    confirmed = client.post(f"/api/v1/holds/{hold['id']}/confirm", json={"payment_method": "test"}, headers=headers)
    assert confirmed.status_code == 200, confirmed.get_json()
    data = confirmed.get_json()
    assert data["status"] == "confirmed" and data["confirmed_at"] and data["expires_at"] is None
    assert [s["learner_id"] for s in data["seats"]] == [None, None, None]
    # 3 × 1000.00 at the standard 60/20/20 resale split, as when bought on the web.
    assert sum(b.total for b in ledger.balances(AccountKind.PARTNER, network["other"].id)) == 180000
    assert sum(b.total for b in ledger.balances(AccountKind.PARTNER, network["partner"].id)) == 60000
    assert sum(b.total for b in ledger.balances(AccountKind.BODY, body.id)) == 60000

    seat_id = data["seats"][0]["id"]
    assigned = client.post(
        f"/api/v1/seats/{seat_id}/assign", json={"email": "hana@example.com", "display_name": "Hana"}, headers=headers
    )
    assert assigned.status_code == 200, assigned.get_json()
    assert assigned.get_json()["learner_id"] is not None and assigned.get_json()["enrolment_id"] is not None
    again = client.post(f"/api/v1/seats/{seat_id}/assign", json={"email": "other@example.com"}, headers=headers)
    assert again.status_code == 409


def test_an_own_class_hold_is_released_and_its_seats_return(client, network, headers, make_class):
    mine = make_class(network["partner"], capacity=5)
    hold = _hold(client, headers, mine.id).get_json()
    assert hold["resold"] is False
    assert seats.availability(mine.id).available == 3
    released = client.post(f"/api/v1/holds/{hold['id']}/release", headers=headers)
    assert released.status_code == 200
    assert released.get_json()["status"] == "released"
    assert seats.availability(mine.id).available == 5
    assert client.post(f"/api/v1/holds/{hold['id']}/release", headers=headers).status_code == 409


def test_an_invoice_keeps_the_seats_held_until_paid(client, network, headers, make_class):
    mine = make_class(network["partner"], capacity=5)
    hold = _hold(client, headers, mine.id).get_json()
    missing_po = client.post(f"/api/v1/holds/{hold['id']}/confirm", json={"payment_method": "invoice"}, headers=headers)
    assert missing_po.status_code == 422
    assert missing_po.get_json()["error"]["fields"].keys() == {"po_number"}
    invoiced = client.post(
        f"/api/v1/holds/{hold['id']}/confirm", json={"payment_method": "invoice", "po_number": "PO-7"}, headers=headers
    )
    assert invoiced.get_json()["status"] == "awaiting_payment"
    assert invoiced.get_json()["expires_at"] > hold["expires_at"]
    assert seats.availability(mine.id).available == 3


def test_a_retried_hold_with_the_same_idempotency_key_holds_once(client, network, headers, make_class):
    mine = make_class(network["partner"], capacity=5)
    keyed = {**headers, "Idempotency-Key": "hold-7f3c"}
    first = _hold(client, keyed, mine.id)
    again = _hold(client, keyed, mine.id)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert db.session.execute(sa.select(sa.func.count()).select_from(SeatHold)).scalar_one() == 1
    assert seats.availability(mine.id).available == 3
    confirm = {**headers, "Idempotency-Key": "confirm-7f3c"}
    url = f"/api/v1/holds/{first.get_json()['id']}/confirm"
    one = client.post(url, json={"payment_method": "test"}, headers=confirm)
    two = client.post(url, json={"payment_method": "test"}, headers=confirm)
    assert one.get_json() == two.get_json()
    assert db.session.execute(sa.select(sa.func.count()).select_from(Seat)).scalar_one() == 2


def test_a_full_class_answers_sold_out(client, network, headers, make_class):
    mine = make_class(network["partner"], capacity=1)
    response = _hold(client, headers, mine.id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "sold_out"


def test_seats_come_from_your_allotment(client, network, headers, make_class):
    theirs = make_class(network["other"], capacity=10, resale_allowed=True)
    allotment = resale.reserve_allotment(
        network["partner"], theirs, quantity=2, release_at=utcnow() + timedelta(days=3), actor_id=None
    )
    too_many = _hold(client, headers, theirs.id, quantity=3, allotment_id=allotment.id)
    assert too_many.status_code == 409
    ok = _hold(client, headers, theirs.id, quantity=2, allotment_id=allotment.id)
    assert ok.status_code == 201 and ok.get_json()["allotment_id"] == allotment.id


def test_classes_not_open_to_you_and_others_holds_and_seats_are_not_found(client, network, headers, make_class):
    closed = make_class(network["other"], resale_allowed=False)
    assert _hold(client, headers, closed.id).status_code == 404
    theirs = make_class(network["other"], capacity=5)
    their_hold = _hold(client, bearer(network["other_token"]), theirs.id).get_json()
    for method, url in (
        ("GET", f"/api/v1/holds/{their_hold['id']}"),
        ("POST", f"/api/v1/holds/{their_hold['id']}/confirm"),
        ("POST", f"/api/v1/holds/{their_hold['id']}/release"),
    ):
        response = client.open(url, method=method, json={"payment_method": "test"}, headers=headers)
        assert response.status_code == 404, url
    client.post(
        f"/api/v1/holds/{their_hold['id']}/confirm",
        json={"payment_method": "test"},
        headers=bearer(network["other_token"]),
    )
    their_seat = db.session.execute(sa.select(Seat.id)).scalars().first()
    response = client.post(f"/api/v1/seats/{their_seat}/assign", json={"email": "x@example.com"}, headers=headers)
    assert response.status_code == 404
    listed = client.get("/api/v1/holds", headers=headers).get_json()["data"]
    assert listed == []


def test_holds_need_seats_write(client, network, make_key, make_class):
    mine = make_class(network["partner"])
    _key, reader = make_key(network["partner"], scopes=["schedule:read"])
    response = _hold(client, bearer(reader), mine.id)
    assert response.status_code == 403
    assert client.get("/api/v1/holds", headers=bearer(reader)).status_code == 403
    assert _hold(client, {}, mine.id).status_code == 401


def test_holds_are_listed_by_status(client, network, headers, make_class):
    mine = make_class(network["partner"], capacity=9)
    first = _hold(client, headers, mine.id).get_json()
    second = _hold(client, headers, mine.id).get_json()
    client.post(f"/api/v1/holds/{first['id']}/release", headers=headers)
    held = client.get("/api/v1/holds?status=held", headers=headers).get_json()["data"]
    assert [h["id"] for h in held] == [second["id"]]
    everything = client.get(f"/api/v1/holds?class_id={mine.id}", headers=headers).get_json()["data"]
    assert [h["id"] for h in everything] == [first["id"], second["id"]]

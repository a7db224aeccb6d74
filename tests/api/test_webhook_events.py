"""Webhook events end to end: real domain actions reach the right partners' endpoints, signed."""

# ruff: noqa: F811 (the receiver fixture is imported from the webhook tests)

import json

import pytest

from lms.api.services import webhooks
from lms.certificates.services.status import StatusAction, change_status
from lms.exams.models import EndReason
from lms.exams.services import grading
from lms.extensions import db
from tests.api.conftest import bearer
from tests.api.test_webhooks import load_example, receiver, send_due  # noqa: F401 (the receiver fixture)
from tests.exams.conftest import correct_response


@pytest.fixture
def subscribe(receiver):
    """``subscribe(partner, events)`` → the endpoint's secret; deliveries land in ``receiver``."""

    def factory(partner, events):
        _endpoint, secret = webhooks.create_endpoint(
            partner_id=partner.id, url=receiver.url, events=events, actor_id=None
        )
        db.session.flush()
        return secret

    return factory


def received(receiver, event_type=None):
    return [e for e in receiver.events() if event_type is None or e["type"] == event_type]


def test_seats_bought_through_the_api_notify_the_delivering_and_the_reselling_partner(
    client,
    network,
    make_class,
    subscribe,
    receiver,
):
    secret = subscribe(network["partner"], ["seat.confirmed", "seat.released"])
    subscribe(network["other"], ["seat.confirmed"])
    theirs = make_class(network["other"], resale_allowed=True)
    headers = bearer(network["token"])
    hold = client.post(f"/api/v1/classes/{theirs.id}/holds", json={"quantity": 2}, headers=headers).get_json()
    confirmed = client.post(f"/api/v1/holds/{hold['id']}/confirm", json={"payment_method": "test"}, headers=headers)
    seat_ids = sorted(s["id"] for s in confirmed.get_json()["seats"])
    send_due()
    events = received(receiver, "seat.confirmed")
    assert sorted((e["partner_id"], e["data"]["seat_id"]) for e in events) == sorted(
        [(network["partner"].id, s) for s in seat_ids] + [(network["other"].id, s) for s in seat_ids]
    )
    ours = [(h, b) for h, b in receiver.requests if json.loads(b)["partner_id"] == network["partner"].id]
    for request_headers, body in ours:  # signed with our endpoint's secret
        assert load_example().verify_signature(secret, request_headers["LMS-Signature"], body)

    # The delivering partner cancels its class: the reseller hears its seats were released.
    client.post(
        f"/api/v1/classes/{theirs.id}/cancel", json={"reason": "Venue closed"}, headers=bearer(network["other_token"])
    )
    send_due()
    released = received(receiver, "seat.released")
    assert sorted(e["data"]["seat_id"] for e in released) == seat_ids
    assert {e["partner_id"] for e in released} == {network["partner"].id}


def test_a_pass_a_certificate_and_its_revocation_reach_the_training_partner(
    client,
    network,
    make_exam,
    make_candidate,
    start_attempt,
    subscribe,
    receiver,
    pass_exam,
    make_track,
    staff_user,
):
    subscribe(network["partner"], ["exam.passed", "certificate.issued", "certificate.revoked"])
    subscribe(network["other"], ["exam.passed", "certificate.issued", "certificate.revoked"])
    setup = make_exam()
    learner = make_candidate(setup, partner=network["partner"])
    attempt = start_attempt(learner, setup)
    for item in attempt.items:
        item.response = correct_response(item.version)
    db.session.flush()
    grading.finish_attempt(attempt.id, EndReason.SUBMITTED)
    send_due()
    [passed] = received(receiver, "exam.passed")
    assert passed["partner_id"] == network["partner"].id
    assert passed["data"]["attempt_id"] == attempt.id and passed["data"]["learner_id"] == learner.id

    certificate = pass_exam(learner, make_track("DEV"), network["partner"])
    send_due()
    issued = [e for e in received(receiver, "certificate.issued") if e["data"]["certificate_id"] == certificate.id]
    assert [e["partner_id"] for e in issued] == [network["partner"].id]

    change_status(certificate.id, StatusAction.REVOKE, reason="Identity fraud", actor_id=staff_user.id)
    send_due()
    [revoked] = received(receiver, "certificate.revoked")
    assert revoked["partner_id"] == network["partner"].id
    assert revoked["data"] == {"certificate_id": certificate.id, "reason": "Identity fraud"}

"""Webhooks: events reach the right partner's endpoints, signed; failures retry with backoff; replay."""

from __future__ import annotations

import importlib.util
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from celery.exceptions import Retry

from lms.api import signing, tasks, webhook_http
from lms.api.models import DeliveryStatus, WebhookDelivery
from lms.api.services import webhooks
from lms.core import signals
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.extensions import db
from tests.api.conftest import bearer
from tests.conftest import free_port
from tests.signals import only_receivers_from

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "webhook_receiver.py"


def load_example():
    spec = importlib.util.spec_from_file_location("webhook_receiver_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Receiver:
    """A small HTTP server in a thread that records requests and answers with scripted statuses."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers.items()), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def events(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.requests]


@pytest.fixture
def receiver():
    r = Receiver()
    r.thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def endpoint(partner, receiver):
    endpoint, secret = webhooks.create_endpoint(
        partner_id=partner.id, url=receiver.url, events=["enrolment.created", "seat.confirmed"], actor_id=None
    )
    db.session.flush()
    endpoint.plain_secret = secret
    return endpoint


def send_due() -> int:
    return tasks.send_due_webhooks.apply().get()


def deliveries(*where):
    return list(db.session.execute(sa.select(WebhookDelivery).where(*where).order_by(WebhookDelivery.id)).scalars())


def test_an_enrolment_through_the_api_reaches_the_partners_endpoint_signed(client, token, course, endpoint, receiver):
    response = client.post(
        "/api/v1/enrolments/bulk",
        json={"rows": [{"email": "hooked@example.com", "course_id": course.id, "legal_name": "Hooked"}]},
        headers=bearer(token),
    )
    enrolment = response.get_json()["results"][0]["enrolment"]
    assert send_due() == 1
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert load_example().verify_signature(endpoint.plain_secret, headers["LMS-Signature"], body)
    assert not load_example().verify_signature("whsec_wrong", headers["LMS-Signature"], body)
    assert not load_example().verify_signature(endpoint.plain_secret, headers["LMS-Signature"], body + b" ")
    event = json.loads(body)
    assert headers["LMS-Event"] == event["type"] == "enrolment.created"
    assert headers["LMS-Event-Id"] == event["id"]
    assert event["partner_id"] == endpoint.partner_id
    assert event["created_at"].endswith("Z")
    assert event["data"]["enrolment_id"] == enrolment["id"]
    assert event["data"]["learner_id"] == enrolment["learner"]["id"]
    delivery = deliveries()[0]
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1
    assert delivery.attempt_log[0].status_code == 200 and delivery.attempt_log[0].duration_ms >= 0
    assert send_due() == 0  # nothing sent twice


def test_signatures_expire_and_bind_the_body():
    body = b'{"id":"1"}'
    header = signing.signature_header("whsec_x", 1_700_000_000, body)
    assert signing.verify("whsec_x", header, body, now=1_700_000_100)
    assert not signing.verify("whsec_x", header, body, now=1_700_000_000 + signing.TOLERANCE_SECONDS + 1)
    assert not signing.verify("whsec_x", header, b'{"id":"2"}', now=1_700_000_100)
    assert not signing.verify("whsec_x", "t=abc,v1=00", body)


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(partner, endpoint, receiver):
    receiver.statuses = [500, 503]
    signals.seat_confirmed.send(seat_id=7, class_id=3, partner_id=partner.id, user_id=11)
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        assert send_due() == 1
        delivery = deliveries()[0]
        assert delivery.status == DeliveryStatus.PENDING
        assert delivery.next_attempt_at == start + timedelta(seconds=webhooks.BACKOFF_SECONDS[0])
        assert send_due() == 0  # not due yet
        clock.shift(webhooks.BACKOFF_SECONDS[0] + 1)
        assert send_due() == 1
        clock.shift(webhooks.BACKOFF_SECONDS[1] + 1)
        assert send_due() == 1
    db.session.expire_all()
    delivery = deliveries()[0]
    assert delivery.status == DeliveryStatus.SUCCEEDED
    log = delivery.attempt_log
    assert [a.status_code for a in log] == [500, 503, 200]
    gaps = [(a.next_attempt_at - a.attempted_at).total_seconds() if a.next_attempt_at else None for a in log]
    assert gaps == [webhooks.BACKOFF_SECONDS[0], webhooks.BACKOFF_SECONDS[1], None]
    # Every attempt carried the same event id and a fresh, valid signature.
    events = receiver.events()
    assert len({e["id"] for e in events}) == 1
    assert [h["LMS-Delivery-Attempt"] for h, _ in receiver.requests] == ["1", "2", "3"]


def test_a_receiver_that_never_answers_gives_up_after_the_last_attempt(partner, endpoint, receiver):
    receiver.statuses = [500] * webhooks.MAX_ATTEMPTS
    signals.seat_confirmed.send(seat_id=1, class_id=1, partner_id=partner.id)
    with time_machine.travel(utcnow(), tick=False) as clock:
        for delay in (0, *webhooks.BACKOFF_SECONDS):
            clock.shift(delay + 1)
            assert send_due() == 1
        clock.shift(10**6)
        assert send_due() == 0
    delivery = deliveries()[0]
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == webhooks.MAX_ATTEMPTS == len(receiver.requests)


def test_a_delivery_is_replayed_from_the_partners_page(client, login, partner_admin, endpoint, receiver, partner):
    receiver.statuses = [500]
    signals.seat_confirmed.send(seat_id=5, class_id=2, partner_id=partner.id, user_id=None)
    send_due()
    first = deliveries()[0]
    login(client, partner_admin)
    response = client.post(f"/partner/api/deliveries/{first.id}/replay")
    assert response.status_code == 302
    replay = deliveries(WebhookDelivery.replay_of_id == first.id)[0]
    assert replay.event_id == first.event_id
    send_due()
    assert [e["id"] for e in receiver.events()] == [first.event_id, first.event_id]
    db.session.expire_all()
    assert deliveries(WebhookDelivery.id == replay.id)[0].status == DeliveryStatus.SUCCEEDED
    page = client.get(f"/partner/api/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "HTTP 500" in page and "HTTP 200" in page


def test_with_a_broker_the_task_asks_celery_to_retry_at_the_backoff(app, monkeypatch, partner, endpoint, receiver):
    receiver.statuses = [500]
    signals.seat_confirmed.send(seat_id=5, class_id=2, partner_id=partner.id)
    delivery = deliveries()[0]
    monkeypatch.setitem(app.config, "BROKER_URL", "memory://")
    countdowns = []

    def fake_retry(*args, countdown=None, **kwargs):
        countdowns.append(countdown)
        return Retry("retry", when=countdown)

    monkeypatch.setattr(tasks.deliver_webhook, "retry", fake_retry)
    with pytest.raises(Retry):
        tasks.deliver_webhook.run(delivery.id)
    assert countdowns and abs(countdowns[0] - webhooks.BACKOFF_SECONDS[0]) < 2
    assert deliveries()[0].attempts == 1  # the attempt was kept although the task "failed" to retry


@pytest.fixture
def only_api_receivers():
    """These tests send signals with made-up ids: keep other domains' receivers out of it."""
    with only_receivers_from(
        "lms.api",
        signals.seat_confirmed,
        signals.seat_released,
        signals.exam_passed,
        signals.certificate_issued,
        signals.certificate_status_changed,
        signals.commission_approved,
    ):
        yield


@pytest.mark.parametrize(
    ("send", "event_type", "data"),
    [
        (
            lambda p: signals.seat_confirmed.send(seat_id=1, class_id=2, partner_id=p, user_id=3),
            "seat.confirmed",
            {"seat_id": 1, "class_id": 2, "learner_id": 3},
        ),
        (
            lambda p: signals.seat_released.send(seat_id=1, class_id=2, partner_id=p),
            "seat.released",
            {"seat_id": 1, "class_id": 2},
        ),
        (
            lambda p: signals.exam_passed.send(attempt_id=4, user_id=3, track_id=2, partner_id=p, decided_at=None),
            "exam.passed",
            {"attempt_id": 4, "learner_id": 3, "track_id": 2, "decided_at": None},
        ),
        (
            lambda p: signals.certificate_issued.send(certificate_id=9, user_id=3, partner_id=p),
            "certificate.issued",
            {"certificate_id": 9, "learner_id": 3},
        ),
        (
            lambda p: signals.certificate_status_changed.send(
                certificate_id=9, status="revoked", reason="fraud", partner_id=p
            ),
            "certificate.revoked",
            {"certificate_id": 9, "reason": "fraud"},
        ),
        (
            lambda p: signals.commission_approved.send(commission_id=8, affiliate_id=6, partner_id=p),
            "commission.approved",
            {"commission_id": 8, "affiliate_id": 6},
        ),
    ],
)
def test_each_domain_signal_becomes_its_event_for_the_partner_it_names(
    partner, other_partner, receiver, send, event_type, data, only_api_receivers
):
    mine, _secret = webhooks.create_endpoint(
        partner_id=partner.id, url=receiver.url, events=[event_type], actor_id=None
    )
    _theirs, _secret = webhooks.create_endpoint(
        partner_id=other_partner.id, url=receiver.url, events=[event_type], actor_id=None
    )
    _not_subscribed, _secret = webhooks.create_endpoint(
        partner_id=partner.id, url=receiver.url, events=["enrolment.created"], actor_id=None
    )
    send(partner.id)
    created = deliveries()
    assert [(d.endpoint_id, d.event_type) for d in created] == [(mine.id, event_type)]
    assert created[0].payload["data"] == data
    assert created[0].payload["partner_id"] == partner.id


def test_events_without_a_partner_and_other_statuses_send_nothing(partner, endpoint, only_api_receivers):
    signals.certificate_status_changed.send(certificate_id=1, status="suspended", reason="x", partner_id=partner.id)
    signals.exam_passed.send(attempt_id=1, user_id=1, track_id=1, partner_id=None, decided_at=None)
    signals.commission_approved.send(commission_id=1, affiliate_id=1)
    assert deliveries() == []


def test_paused_endpoints_receive_nothing_and_rollbacks_send_nothing(partner, endpoint):
    with db.session.begin_nested() as savepoint:
        signals.seat_confirmed.send(seat_id=1, class_id=1, partner_id=partner.id)
        savepoint.rollback()
    assert deliveries() == []
    endpoint.is_active = False
    db.session.flush()
    signals.seat_confirmed.send(seat_id=1, class_id=1, partner_id=partner.id)
    assert deliveries() == []


def test_endpoint_secrets_are_stored_encrypted(endpoint):
    assert endpoint.plain_secret not in endpoint.secret_encrypted
    assert signing.decrypt_secret(endpoint.secret_encrypted) == endpoint.plain_secret


# --- where webhooks may point --------------------------------------------------------------------

PRODUCTION = webhook_http.Policy(require_https=True, allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",  # not https
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://user:pass@93.184.216.34/hook",
        "ftp://93.184.216.34/hook",
        "https:///nohost",
    ],
)
def test_production_refuses_plain_http_and_private_addresses(url):
    with pytest.raises(DomainError):
        webhook_http.check_url(url, PRODUCTION)


def test_production_accepts_public_https_and_private_ones_when_allowed():
    assert webhook_http.check_url("https://93.184.216.34/hook", PRODUCTION)
    allowed = webhook_http.Policy(require_https=True, allow_private=True)
    assert webhook_http.check_url("https://10.1.2.3/hook", allowed)


def test_deliveries_recheck_the_address_and_never_connect_to_a_private_one(receiver):
    result = webhook_http.post(receiver.url.replace("http:", "https:"), b"{}", {}, PRODUCTION)
    assert result.status_code is None and result.error
    assert receiver.requests == []


def test_the_app_applies_the_production_policy(app, monkeypatch, partner):
    monkeypatch.setitem(app.config, "ENV", "production")
    with pytest.raises(DomainError):
        webhooks.create_endpoint(
            partner_id=partner.id, url="http://127.0.0.1:9/x", events=["seat.confirmed"], actor_id=None
        )
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE_URLS", True)
    with pytest.raises(DomainError):  # https is still required
        webhooks.create_endpoint(
            partner_id=partner.id, url="http://127.0.0.1:9/x", events=["seat.confirmed"], actor_id=None
        )
    assert webhooks.create_endpoint(
        partner_id=partner.id, url="https://127.0.0.1:9/x", events=["seat.confirmed"], actor_id=None
    )

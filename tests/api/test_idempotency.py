"""Idempotency-Key on POST: a retry replays the first answer; concurrent duplicates act once."""

import threading

import sqlalchemy as sa

from lms.accounts.models import OrganisationKind, User
from lms.api.models import IdempotencyRecord
from lms.courses.models import Enrolment
from lms.extensions import db
from tests.api.conftest import bearer


def _body(course, email="new.learner@example.com"):
    return {"rows": [{"email": email, "course_id": course.id, "legal_name": "New Learner"}]}


def _count(model, *where):
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def test_a_retry_with_the_same_key_replays_the_first_answer(client, token, course, app):
    headers = {**bearer(token), "Idempotency-Key": "order-42"}
    first = client.post("/api/v1/enrolments/bulk", json=_body(course), headers=headers)
    again = client.post("/api/v1/enrolments/bulk", json=_body(course), headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    assert first.get_json()["summary"]["created"] == 1
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count(User, User.email == "new.learner@example.com") == 1
    assert _count(Enrolment) == 1


def test_without_a_key_a_retry_acts_again(client, token, course):
    first = client.post("/api/v1/enrolments/bulk", json=_body(course), headers=bearer(token))
    again = client.post("/api/v1/enrolments/bulk", json=_body(course), headers=bearer(token))
    assert first.get_json()["summary"]["created"] == 1
    assert again.get_json()["summary"] == {"created": 0, "existing": 1, "failed": 0}


def test_the_same_key_with_another_body_is_refused(client, token, course):
    headers = {**bearer(token), "Idempotency-Key": "batch-1"}
    assert client.post("/api/v1/enrolments/bulk", json=_body(course), headers=headers).status_code == 200
    other = client.post("/api/v1/enrolments/bulk", json=_body(course, "someone.else@example.com"), headers=headers)
    assert other.status_code == 409
    error = other.get_json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in error["fields"]
    assert _count(User, User.email == "someone.else@example.com") == 0


def test_keys_belong_to_their_caller(client, make_key, partner, create_organisation, course):
    _mine, token = make_key(partner)
    other = create_organisation(OrganisationKind.TRAINING_PARTNER)
    _theirs, other_token = make_key(other)
    first = client.post(
        "/api/v1/enrolments/bulk", json=_body(course), headers={**bearer(token), "Idempotency-Key": "k"}
    )
    second = client.post(
        "/api/v1/enrolments/bulk", json=_body(course), headers={**bearer(other_token), "Idempotency-Key": "k"}
    )
    assert "Idempotent-Replayed" not in second.headers
    assert first.get_json()["results"][0]["status"] == "created"
    assert second.get_json()["results"][0]["error"]["code"] == "enrolled_elsewhere"


def test_failed_requests_are_not_stored(client, token, course):
    headers = {**bearer(token), "Idempotency-Key": "bad-then-good"}
    assert client.post("/api/v1/enrolments/bulk", json={"rows": []}, headers=headers).status_code == 422
    assert _count(IdempotencyRecord) == 0


def test_malformed_keys_are_refused(client, token, course):
    headers = {**bearer(token), "Idempotency-Key": "x" * 256}
    response = client.post("/api/v1/enrolments/bulk", json=_body(course), headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_idempotency_key"


def test_concurrent_duplicates_enrol_once(committing_app):
    from lms.accounts import services as accounts
    from lms.api.services import keys
    from lms.core.time import utcnow
    from lms.courses.models import CertificationTrack, Course, CourseVersion, CourseVersionStatus

    with committing_app.app_context():
        partner = accounts.create_organisation(kind=OrganisationKind.TRAINING_PARTNER, name="P", slug="p-concurrent")
        token = keys.create_api_key(partner_id=partner.id, name="k", scopes=["enrolments:write"], actor_id=None).token
        track = CertificationTrack(code="CC", slug="cc", names={"en": "CC"})
        db.session.add(track)
        db.session.flush()
        course = Course(track_id=track.id, code="CC-1", slug="cc-1")
        db.session.add(course)
        db.session.flush()
        db.session.add(
            CourseVersion(
                course_id=course.id,
                status=CourseVersionStatus.PUBLISHED,
                titles={"en": "CC"},
                delivery_modes=["elearning"],
                published_at=utcnow(),
            )
        )
        db.session.commit()
        body = _body(course)

    barrier = threading.Barrier(6)
    responses = []

    def send():
        client = committing_app.test_client()
        barrier.wait()
        responses.append(
            client.post(
                "/api/v1/enrolments/bulk", json=body, headers={**bearer(token), "Idempotency-Key": "same-everywhere"}
            )
        )

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r.status_code for r in responses] == [200] * 6
    bodies = [r.get_json() for r in responses]
    assert all(b == bodies[0] for b in bodies)
    assert sum("Idempotent-Replayed" in r.headers for r in responses) == 5
    with committing_app.app_context():
        assert _count(User, User.email == "new.learner@example.com") == 1
        assert _count(Enrolment) == 1
        assert _count(IdempotencyRecord) == 1

"""Your own classes through the API: create, schedule, price, staff, publish, update, cancel; others' are 404."""

from datetime import timedelta

import pytest

from lms.core.security import Role
from lms.core.time import utcnow
from lms.courses.models import EnrolmentSource
from lms.partners.models import ClassStatus, SeatStatus
from lms.partners.services import seats
from tests.api.conftest import bearer


@pytest.fixture
def headers(network):
    return bearer(network["token"])


def _create(client, headers, version, **fields):
    body = {"course_version_id": version.id, "language": "en", "timezone": "Asia/Dubai", "capacity": 12, **fields}
    return client.post("/api/v1/classes", json=body, headers=headers)


def test_a_class_is_created_scheduled_priced_staffed_and_published(client, network, headers, make_version, create_user):
    version = make_version()
    created = _create(client, headers, version, meeting_url="https://meet.example.com/x")
    assert created.status_code == 201, created.get_json()
    data = created.get_json()
    class_id = data["id"]
    assert data["status"] == "draft" and data["city"] == "Dubai" and data["country"] == "AE"
    assert len(data["publication_problems"]) == 3  # meetings, a price, an instructor

    refused = client.post(f"/api/v1/classes/{class_id}/publish", headers=headers)
    assert refused.status_code == 422
    assert "meeting" in refused.get_json()["error"]["message"]

    day = (utcnow() + timedelta(days=14)).date().isoformat()
    meeting = client.post(
        f"/api/v1/classes/{class_id}/meetings", json={"day": day, "start": "09:00", "end": "13:00"}, headers=headers
    )
    assert meeting.status_code == 201, meeting.get_json()
    # 09:00 in Dubai is 05:00 UTC.
    assert meeting.get_json()["starts_at"] == f"{day}T05:00:00Z"
    price = client.post(
        f"/api/v1/classes/{class_id}/prices", json={"currency": "EUR", "list_amount": 90000}, headers=headers
    )
    assert price.get_json()["prices"][0]["list_price"] == {"amount": 90000, "currency": "EUR"}
    teacher = create_user(roles=[(network["partner"], Role.INSTRUCTOR)], display_name="Teacher")
    staffed = client.post(
        f"/api/v1/classes/{class_id}/staff", json={"email": teacher.email, "role": "instructor"}, headers=headers
    )
    assert staffed.status_code == 200, staffed.get_json()
    assert staffed.get_json()["staff"] == [{"user_id": teacher.id, "display_name": "Teacher", "role": "instructor"}]

    published = client.post(f"/api/v1/classes/{class_id}/publish", headers=headers)
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["status"] == "published"
    assert published.get_json()["publication_problems"] == []
    schedule = client.get("/api/v1/schedule", headers=headers).get_json()["data"]
    assert [c["id"] for c in schedule] == [class_id]


def test_someone_outside_the_team_cannot_be_named_instructor(client, network, headers, make_class, create_user):
    training_class = make_class(network["partner"], publish=False)
    outsider = create_user(roles=[(network["other"], Role.INSTRUCTOR)])
    response = client.post(
        f"/api/v1/classes/{training_class.id}/staff",
        json={"email": outsider.email, "role": "instructor"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"email": [response.get_json()["error"]["message"]]}


def test_the_domain_rules_answer_as_field_errors_in_the_callers_language(client, headers, make_version):
    version = make_version()
    response = _create(client, {**headers, "Accept-Language": "fr"}, version, timezone="Mars/Olympus")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert list(error["fields"]) == ["timezone"]
    assert error["message"] != "Choose a time zone from the list."


def test_capacity_cannot_drop_below_the_seats_taken(client, network, headers, make_class, create_user):
    training_class = make_class(network["partner"], capacity=5)
    for _ in range(3):
        learner = create_user()
        seats.take_free_seat(training_class.id, user_id=learner.id, source=EnrolmentSource.PARTNER, actor_id=None)
    response = client.patch(f"/api/v1/classes/{training_class.id}", json={"capacity": 2}, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["error"]["fields"].keys() == {"capacity"}
    ok = client.patch(
        f"/api/v1/classes/{training_class.id}", json={"capacity": 4, "city": "Abu Dhabi"}, headers=headers
    )
    assert ok.status_code == 200
    assert ok.get_json()["capacity"] == 4 and ok.get_json()["city"] == "Abu Dhabi"
    assert ok.get_json()["availability"] == {"capacity": 4, "confirmed": 3, "held": 0, "allotted": 0, "available": 1}


def test_cancelling_a_class_cancels_its_seats(client, network, headers, make_class, create_user):
    training_class = make_class(network["partner"])
    learner = create_user()
    seat = seats.take_free_seat(training_class.id, user_id=learner.id, source=EnrolmentSource.PARTNER, actor_id=None)
    assert client.post(f"/api/v1/classes/{training_class.id}/cancel", json={}, headers=headers).status_code == 422
    response = client.post(
        f"/api/v1/classes/{training_class.id}/cancel", json={"reason": "Trainer ill"}, headers=headers
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    assert seat.status == SeatStatus.CANCELLED
    again = client.post(f"/api/v1/classes/{training_class.id}/cancel", json={"reason": "Again"}, headers=headers)
    assert again.status_code == 409


def test_a_meeting_can_be_removed_and_others_meetings_are_not_found(client, network, headers, make_class):
    mine = make_class(network["partner"], publish=False, meetings=2)
    theirs = make_class(network["other"], publish=False, meetings=1)
    their_meeting = theirs.meetings[0].id
    assert client.delete(f"/api/v1/classes/{mine.id}/meetings/{their_meeting}", headers=headers).status_code == 404
    response = client.delete(f"/api/v1/classes/{mine.id}/meetings/{mine.meetings[0].id}", headers=headers)
    assert response.status_code == 200
    assert len(response.get_json()["meetings"]) == 1


def test_listing_shows_only_your_classes_filtered_by_status(client, network, headers, make_class):
    published = make_class(network["partner"])
    draft = make_class(network["partner"], publish=False)
    make_class(network["other"])
    everything = client.get("/api/v1/classes", headers=headers).get_json()["data"]
    assert [c["id"] for c in everything] == [published.id, draft.id]
    drafts = client.get("/api/v1/classes?status=draft", headers=headers).get_json()["data"]
    assert [c["id"] for c in drafts] == [draft.id]


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"capacity": 3}),
        ("POST", "/meetings", {"day": "2030-01-01", "start": "09:00", "end": "10:00"}),
        ("POST", "/prices", {"currency": "EUR", "list_amount": 1}),
        ("POST", "/staff", {"email": "x@example.com", "role": "instructor"}),
        ("POST", "/publish", None),
        ("POST", "/cancel", {"reason": "mine now"}),
    ],
)
def test_another_partners_class_is_not_found(client, network, headers, make_class, method, suffix, body):
    theirs = make_class(network["other"], publish=suffix != "/publish")
    response = client.open(f"/api/v1/classes/{theirs.id}{suffix}", method=method, json=body, headers=headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
    assert theirs.status in (ClassStatus.PUBLISHED, ClassStatus.DRAFT)


def test_writes_need_classes_write_and_reads_schedule_read(client, network, make_key, make_class, make_version):
    mine = make_class(network["partner"])
    _key, reader = make_key(network["partner"], scopes=["schedule:read"])
    assert client.get(f"/api/v1/classes/{mine.id}", headers=bearer(reader)).status_code == 200
    refused = client.post(f"/api/v1/classes/{mine.id}/cancel", json={"reason": "x"}, headers=bearer(reader))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "insufficient_scope"
    _key, writer = make_key(network["partner"], scopes=["classes:write"])
    assert client.get("/api/v1/classes", headers=bearer(writer)).status_code == 403
    assert client.get("/api/v1/classes").status_code == 401


def test_creating_a_class_with_an_idempotency_key_creates_it_once(client, network, headers, make_version):
    version = make_version()
    keyed = {**headers, "Idempotency-Key": "class-2030-dubai"}
    first = _create(client, keyed, version)
    again = _create(client, keyed, version)
    assert first.status_code == again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    listed = client.get("/api/v1/classes", headers=headers).get_json()["data"]
    assert len(listed) == 1

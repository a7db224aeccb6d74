from datetime import date, timedelta

import pytest

from lms.core.errors import DomainError
from lms.exams.models import Accommodation, AccommodationScope, AccommodationStatus
from lms.exams.services import accommodations
from lms.extensions import db
from tests.exams.test_delivery import START_FORM


def _request(user, **overrides):
    values = {
        "user_id": user.id,
        "track_id": None,
        "extra_minutes": 0,
        "time_percent": 150,
        "other_adjustments": "",
        "reason": "Dyslexia; report from my doctor attached to my e-mail",
        "scope": AccommodationScope.ONE_EXAM,
        "valid_until": None,
    }
    values.update(overrides)
    return accommodations.request_accommodation(**values)


def test_requests_need_a_reason_and_something_to_adjust(app, candidate):
    with app.test_request_context():
        with pytest.raises(DomainError):
            _request(candidate, reason="")
        with pytest.raises(DomainError):
            _request(candidate, time_percent=100, extra_minutes=0)
        with pytest.raises(DomainError):
            _request(candidate, scope=AccommodationScope.UNTIL_DATE, valid_until=date(2000, 1, 1))


def test_the_candidate_sees_90_minutes_extended_from_60(client, login, exam, candidate, staff_user):
    login(client, candidate)
    response = client.post(
        "/exams/accommodations",
        data={
            "track_id": exam.track.id,
            "extra_minutes": "0",
            "time_percent": "150",
            "reason": "Dyslexia",
            "scope": "one_exam",
        },
    )
    assert response.status_code == 302
    request = db.session.execute(db.select(Accommodation)).scalar_one()
    assert request.status == AccommodationStatus.REQUESTED
    page = client.get(f"/exams/{exam.track.code}").get_data(as_text=True)
    assert "60 minutes" in page and "extended" not in page
    accommodations.decide(request, True, "", actor_id=staff_user.id)
    page = client.get(f"/exams/{exam.track.code}").get_data(as_text=True)
    assert "90 minutes (extended from 60)" in page
    start = client.post(f"/exams/{exam.track.code}/start", data=START_FORM)
    attempt_page = client.get(start.headers["Location"]).get_data(as_text=True)
    assert "90 minutes (extended from 60)" in attempt_page
    state = client.get(start.headers["Location"] + "/state").get_json()
    assert state["minutes_allowed"] == 90 and state["minutes_standard"] == 60
    assert db.session.get(Accommodation, request.id).status == AccommodationStatus.USED


def test_an_accommodation_until_a_date_serves_every_exam_until_then(app, exam, candidate, staff_user):
    with app.test_request_context():
        request = _request(
            candidate,
            extra_minutes=20,
            time_percent=100,
            scope=AccommodationScope.UNTIL_DATE,
            valid_until=date.today() + timedelta(days=30),
        )
        accommodations.decide(request, True, "approved", actor_id=staff_user.id)
        assert accommodations.applicable(candidate.id, exam.track.id).id == request.id
        assert request.extended_seconds(3600) == 20 * 60
        accommodations.consume(request)
        assert request.status == AccommodationStatus.APPROVED


def test_declining_needs_a_note_and_tells_the_candidate(app, candidate, staff_user):
    with app.test_request_context():
        request = _request(candidate)
        with pytest.raises(DomainError):
            accommodations.decide(request, False, "", actor_id=staff_user.id)
        accommodations.decide(request, False, "Please send the medical report first", actor_id=staff_user.id)
        assert request.status == AccommodationStatus.REJECTED
        with pytest.raises(DomainError):
            accommodations.decide(request, True, "", actor_id=staff_user.id)


def test_staff_decide_from_their_queue(client, login, candidate, staff_user, app):
    with app.test_request_context():
        request = _request(candidate)
    login(client, staff_user)
    page = client.get("/staff/exams/accommodations").get_data(as_text=True)
    assert "Dyslexia" in page
    client.post(f"/staff/exams/accommodations/{request.id}/approve", data={"note": ""})
    assert db.session.get(Accommodation, request.id).status == AccommodationStatus.APPROVED
    assert client.post(f"/staff/exams/accommodations/{request.id}/approve", data={}).status_code == 302


def test_learners_cannot_decide(client, login, candidate, app):
    with app.test_request_context():
        request = _request(candidate)
    login(client, candidate)
    assert client.post(f"/staff/exams/accommodations/{request.id}/approve", data={}).status_code == 403

"""A learner's progress through the API: enrolments with course progress and class attendance."""

from datetime import timedelta

import time_machine

from lms.courses.models import EnrolmentSource
from lms.partners.services import classes, seats
from tests.api.conftest import bearer


def test_progress_shows_class_attendance_as_the_instructor_recorded_it(client, network, make_class, create_user):
    training_class = make_class(network["partner"], meetings=2)
    learner = create_user(display_name="Omar")
    seats.take_free_seat(training_class.id, user_id=learner.id, source=EnrolmentSource.PARTNER, actor_id=None)
    headers = bearer(network["token"])
    before = client.get(f"/api/v1/learners/{learner.id}/progress", headers=headers).get_json()
    [progress] = before["progress"]
    assert progress["enrolment_id"] == before["enrolments"][0]["id"]
    assert progress["attendance_required"] is True  # a class seat: 80 % of the meetings by default
    assert progress["attendance_met"] is False and progress["complete"] is False
    assert not progress["attendance_percent"]
    first, second = training_class.meetings
    with time_machine.travel(second.starts_at + timedelta(hours=1)):
        classes.record_attendance(training_class, first, present_user_ids={learner.id}, actor_id=network["admin"].id)
        classes.record_attendance(training_class, second, present_user_ids=set(), actor_id=network["admin"].id)
        after = client.get(f"/api/v1/learners/{learner.id}/progress", headers=headers).get_json()
    [progress] = after["progress"]
    assert progress["attendance_percent"] == 50
    assert progress["attendance_met"] is False
    assert progress["required_lessons"] == progress["required_lessons_done"] == 0

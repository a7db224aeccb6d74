"""The rule layer through the real HTTP endpoints: sequence numbers, the clock and its grace, pauses,
one device at a time, integrity signals, and a three-hour exam that still submits."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from lms.core.time import utcnow
from lms.exams.models import AttemptEvent, AttemptStatus, EndReason, EventKind, ExamAttempt, ResultStatus
from lms.exams.services import proctoring
from lms.exams.tasks import finish_overdue_attempts
from lms.extensions import db
from tests.exams.conftest import DOMAINS, correct_response, reload

START_FORM = {
    "identity_confirmed": "y",
    "rules_accepted": "y",
    "confidentiality_accepted": "y",
    "language": "en",
}


def http_start(client, setup) -> ExamAttempt:
    response = client.post(f"/exams/{setup.track.code}/start", data=START_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    attempt_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    return db.session.get(ExamAttempt, attempt_id)


def save(client, attempt, position, response, seq, flagged=False):
    return client.post(
        f"/exams/attempts/{attempt.id}/save",
        json={"position": position, "response": response, "flagged": flagged, "seq": seq},
    )


@pytest.fixture
def exam(make_exam):
    """Three single-choice questions (one per domain), so answers can be written as option ids."""
    return make_exam(per_domain=1, domain_counts=dict.fromkeys(DOMAINS, 1))


@pytest.fixture
def signed_in(client, login, candidate):
    login(client, candidate)
    return client


def first_single_choice(attempt):
    return next(i for i in attempt.items if i.version.type == "single_choice")


def test_check_in_starts_the_clock_and_opens_the_exam(signed_in, exam):
    page = signed_in.get(f"/exams/{exam.track.code}").get_data(as_text=True)
    assert "Check in" in page and "I am Test User" in page
    attempt = http_start(signed_in, exam)
    assert attempt.status == AttemptStatus.IN_PROGRESS and attempt.device_hash
    page = signed_in.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert "Question 1 of 3" in page and 'data-save-url="/exams/attempts/' in page


def test_check_in_without_the_attestations_is_refused(signed_in, exam):
    response = signed_in.post(f"/exams/{exam.track.code}/start", data={"language": "en"})
    assert response.status_code == 400
    assert db.session.execute(sa.select(ExamAttempt)).first() is None


def test_sequence_numbers_make_saves_idempotent_and_refuse_stale_ones(signed_in, exam):
    attempt = http_start(signed_in, exam)
    item = first_single_choice(attempt)
    assert save(signed_in, attempt, item.position, "a", 1).status_code == 200
    again = save(signed_in, attempt, item.position, "a", 1)
    assert again.status_code == 200 and again.get_json()["seq"] == 1  # a retry is acknowledged again
    conflict = save(signed_in, attempt, item.position, "c", 1)
    assert conflict.status_code == 409
    assert save(signed_in, attempt, item.position, "b", 5).status_code == 200
    stale = save(signed_in, attempt, item.position, "c", 4)
    assert stale.status_code == 409
    assert stale.get_json()["current"] == {"position": item.position, "response": "b", "flagged": False, "seq": 5}
    db.session.refresh(item)
    assert (item.response, item.response_seq) == ("b", 5)


def test_bad_answers_get_a_clear_message(signed_in, exam):
    attempt = http_start(signed_in, exam)
    item = first_single_choice(attempt)
    assert save(signed_in, attempt, item.position, "zz", 1).status_code == 400
    assert save(signed_in, attempt, 99, "a", 1).status_code == 400
    assert save(signed_in, attempt, item.position, "a", "one").status_code == 400
    response = signed_in.post(f"/exams/attempts/{attempt.id}/save", data={"x": "1"})
    assert response.status_code in (400,)
    assert "message" in save(signed_in, attempt, item.position, "zz", 2).get_json()["error"]


def test_another_candidates_attempt_is_a_404(signed_in, exam, make_candidate, make_client, login):
    attempt = http_start(signed_in, exam)
    other = make_client()
    login(other, make_candidate(exam))
    assert other.get(f"/exams/attempts/{attempt.id}").status_code == 404
    assert save(other, attempt, 1, "a", 1).status_code == 404
    assert other.get(f"/exams/attempts/{attempt.id}/state").status_code == 404


def test_answers_within_the_grace_count_and_the_deadline_ends_the_attempt(signed_in, exam):
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        attempt = http_start(signed_in, exam)
        item = first_single_choice(attempt)
        clock.shift(timedelta(minutes=60, seconds=10))  # after the deadline, inside the 30 s grace
        late = save(signed_in, attempt, item.position, correct_response(item.version), 1)
        assert late.status_code == 200
        assert signed_in.get(f"/exams/attempts/{attempt.id}/state").get_json()["remaining_seconds"] == 0
        clock.shift(timedelta(seconds=25))  # now past the grace
        too_late = save(signed_in, attempt, item.position, "a", 2)
        assert too_late.status_code == 410
    attempt = reload(attempt)
    assert attempt.status == AttemptStatus.COMPLETED and attempt.end_reason == EndReason.DEADLINE
    assert next(i for i in attempt.items if i.id == item.id).response == correct_response(item.version)
    assert attempt.raw_points == 1


def test_any_request_after_the_deadline_submits_the_attempt(signed_in, exam):
    with time_machine.travel(utcnow(), tick=False) as clock:
        attempt = http_start(signed_in, exam)
        clock.shift(timedelta(minutes=61))
        state = signed_in.get(f"/exams/attempts/{attempt.id}/state").get_json()
        assert state["status"] == "completed"
        assert signed_in.get(f"/exams/attempts/{attempt.id}").status_code == 302
    assert reload(attempt).end_reason == EndReason.DEADLINE


def test_the_periodic_task_submits_attempts_whose_browser_went_quiet(app, exam, candidate, start_attempt):
    attempt = start_attempt(candidate, exam)
    with time_machine.travel(utcnow() + timedelta(minutes=60, seconds=20), tick=False):
        finish_overdue_attempts.apply()
        assert reload(attempt).status == AttemptStatus.IN_PROGRESS  # still inside the grace
    with time_machine.travel(utcnow() + timedelta(minutes=61), tick=False):
        finish_overdue_attempts.apply()
    attempt = reload(attempt)
    assert attempt.status == AttemptStatus.COMPLETED and attempt.end_reason == EndReason.DEADLINE
    kinds = [e.kind for e in proctoring.timeline(attempt.id)]
    assert kinds.count(EventKind.DEADLINE_REACHED) == 1


def test_a_paused_clock_refuses_answers_and_gives_the_time_back(signed_in, exam, staff_user):
    start = utcnow()
    with time_machine.travel(start, tick=False) as clock:
        attempt = http_start(signed_in, exam)
        item = first_single_choice(attempt)
        clock.shift(timedelta(minutes=10))
        proctoring.pause(staff_user, attempt.id, "Fire alarm in the building")
        clock.shift(timedelta(minutes=20))
        assert signed_in.get(f"/exams/attempts/{attempt.id}/state").get_json()["status"] == "paused"
        assert signed_in.get(f"/exams/attempts/{attempt.id}/state").get_json()["remaining_seconds"] == 50 * 60
        assert save(signed_in, attempt, item.position, "a", 1).status_code == 423
        proctoring.resume(staff_user, attempt.id, "All clear")
        state = signed_in.get(f"/exams/attempts/{attempt.id}/state").get_json()
        assert state["status"] == "in_progress" and state["remaining_seconds"] == 50 * 60
        assert save(signed_in, attempt, item.position, "a", 1).status_code == 200
        clock.shift(timedelta(minutes=45))  # past the original deadline, not the extended one
        assert save(signed_in, attempt, item.position, "b", 2).status_code == 200


def test_a_second_device_is_blocked_until_a_proctor_approves_the_move(
    signed_in, exam, candidate, make_client, login, staff_user
):
    attempt = http_start(signed_in, exam)
    item = first_single_choice(attempt)
    laptop_two = make_client()
    login(laptop_two, candidate)
    page = laptop_two.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert "open on another device" in page
    assert save(laptop_two, attempt, item.position, "a", 1).status_code == 423
    assert laptop_two.get(f"/exams/attempts/{attempt.id}/state").get_json()["status"] == "blocked"
    assert save(signed_in, attempt, item.position, "a", 1).status_code == 200  # the first device goes on
    events = [e.kind for e in proctoring.timeline(attempt.id)]
    assert events.count(EventKind.SECOND_SESSION) == 1
    proctoring.approve_move(staff_user, attempt.id, "Laptop battery died, candidate moved to a desktop")
    assert save(laptop_two, attempt, item.position, "b", 2).status_code == 200
    assert save(signed_in, attempt, item.position, "c", 3).status_code == 423
    assert laptop_two.get(f"/exams/attempts/{attempt.id}").status_code == 200


def test_a_new_network_address_is_recorded(signed_in, exam):
    attempt = http_start(signed_in, exam)
    signed_in.get(f"/exams/attempts/{attempt.id}/state", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    events = [e for e in proctoring.timeline(attempt.id) if e.kind == EventKind.IP_CHANGE]
    assert len(events) == 1 and events[0].details["to"] == "203.0.113.9"


def test_integrity_signals_are_recorded_and_flag_the_attempt_for_review_not_failure(signed_in, exam):
    attempt = http_start(signed_in, exam)
    for item in attempt.items:
        save(signed_in, attempt, item.position, correct_response(item.version), item.position)
    batch = [{"kind": "focus_lost", "at": 1_700_000_000_000}, {"kind": "focus_regained"}, {"kind": "nonsense"}]
    response = signed_in.post(f"/exams/attempts/{attempt.id}/events", json={"events": batch * 4})
    assert response.status_code == 200 and response.get_json()["recorded"] == 8
    attempt = reload(attempt)
    assert attempt.integrity_count == 4 and not attempt.flagged
    signed_in.post(f"/exams/attempts/{attempt.id}/events", json={"events": [{"kind": "paste"}] * 4})
    assert reload(attempt).flagged
    signed_in.post(f"/exams/attempts/{attempt.id}/submit", data={})
    attempt = reload(attempt)
    assert attempt.passed and attempt.result_status == ResultStatus.HELD
    stored = (
        db.session.execute(sa.select(AttemptEvent).where(AttemptEvent.kind == EventKind.FOCUS_LOST)).scalars().first()
    )
    assert stored.client_at is not None


def test_too_many_events_at_once_are_refused(signed_in, exam):
    attempt = http_start(signed_in, exam)
    response = signed_in.post(f"/exams/attempts/{attempt.id}/events", json={"events": [{"kind": "copy"}] * 51})
    assert response.status_code == 400


def test_a_three_hour_exam_still_saves_and_submits(client, login, make_exam, make_candidate):
    setup = make_exam(per_domain=1, domain_counts=dict.fromkeys(DOMAINS, 1), time_limit_minutes=180)
    user = make_candidate(setup)
    with time_machine.travel(utcnow(), tick=False) as clock:
        login(client, user)
        attempt = http_start(client, setup)
        token = client.csrf_token()
        client.get(f"/exams/attempts/{attempt.id}")
        clock.shift(timedelta(hours=2, minutes=59))
        item = first_single_choice(attempt)
        response = client.post(
            f"/exams/attempts/{attempt.id}/save",
            json={"position": item.position, "response": "b", "flagged": False, "seq": 1},
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 200
        submitted = client.post(f"/exams/attempts/{attempt.id}/submit", data={"csrf_token": token})
        assert submitted.status_code == 302 and submitted.headers["Location"].endswith("/result")
    assert reload(attempt).end_reason == EndReason.SUBMITTED


def test_the_page_without_script_saves_the_whole_form(signed_in, exam):
    attempt = http_start(signed_in, exam)
    item = first_single_choice(attempt)
    response = signed_in.post(
        f"/exams/attempts/{attempt.id}/answers", data={f"q{item.position}": "c", f"flag{item.position}": "1"}
    )
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.response == "c" and item.flagged and item.response_seq == 1


def test_submitting_twice_gives_one_result(signed_in, exam):
    attempt = http_start(signed_in, exam)
    assert signed_in.post(f"/exams/attempts/{attempt.id}/submit", data={}).status_code == 302
    assert signed_in.post(f"/exams/attempts/{attempt.id}/submit", data={}).status_code == 302
    kinds = [e.kind for e in proctoring.timeline(attempt.id)]
    assert kinds.count(EventKind.SUBMITTED) == 1
    assert save(signed_in, attempt, 1, "a", 9).status_code == 410


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_webcam_snapshots_are_stored_where_the_exam_asks_for_them(
    client, login, make_exam, make_candidate, make_client, staff_user
):
    import io

    from lms.core.storage import get_storage

    setup = make_exam(per_domain=1, domain_counts=dict.fromkeys(DOMAINS, 1), webcam_snapshot_seconds=60)
    login(client, make_candidate(setup))
    refused = client.post(f"/exams/{setup.track.code}/start", data=START_FORM)
    assert refused.status_code == 400 and "webcam" in refused.get_data(as_text=True)
    response = client.post(f"/exams/{setup.track.code}/start", data=dict(START_FORM, webcam_consent="y"))
    attempt = db.session.get(ExamAttempt, int(response.headers["Location"].rsplit("/", 1)[-1]))
    url = f"/exams/attempts/{attempt.id}/snapshot"
    ok = client.post(url, data={"image": (io.BytesIO(_png()), "shot.png")}, content_type="multipart/form-data")
    assert ok.status_code == 200
    event = next(e for e in proctoring.timeline(attempt.id) if e.kind == EventKind.SNAPSHOT)
    assert get_storage().load(event.details["key"])[:3] == b"\xff\xd8\xff"  # re-encoded as JPEG
    bad = client.post(url, data={"image": (io.BytesIO(b"not an image"), "x.png")}, content_type="multipart/form-data")
    assert bad.status_code == 400
    staff = make_client()
    login(staff, staff_user)
    image = staff.get(f"/proctor/attempts/{attempt.id}/snapshots/{event.id}")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert "Webcam snapshots" in staff.get(f"/proctor/attempts/{attempt.id}").get_data(as_text=True)
    assert client.get(f"/proctor/attempts/{attempt.id}/snapshots/{event.id}").status_code == 403


def test_exams_without_a_webcam_refuse_snapshots(signed_in, exam):
    import io

    attempt = http_start(signed_in, exam)
    response = signed_in.post(
        f"/exams/attempts/{attempt.id}/snapshot",
        data={"image": (io.BytesIO(_png()), "shot.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400

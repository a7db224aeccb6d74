import sqlalchemy as sa

from lms.accounts.models import OrganisationKind
from lms.core.audit import AuditEvent
from lms.core.security import Role
from lms.exams.models import AttemptStatus, EventKind, ResultStatus
from lms.exams.services import proctoring
from lms.extensions import db
from lms.partners.models import ClassStaff, ClassStaffRole, TrainingClass
from tests.exams.conftest import reload


def _class(setup, partner):
    training_class = TrainingClass(partner_id=partner.id, course_version_id=setup.version.id)
    db.session.add(training_class)
    db.session.flush()
    return training_class


def test_a_class_proctor_sees_only_their_classes(
    client, login, exam, make_candidate, start_attempt, create_user, create_organisation
):
    gulf = create_organisation(OrganisationKind.TRAINING_PARTNER, name="Gulf")
    euro = create_organisation(OrganisationKind.TRAINING_PARTNER, name="Euro")
    mine, theirs = _class(exam, gulf), _class(exam, euro)
    # A freelance proctor: no partner role that would widen the scope, one class assigned.
    proctor = create_user(roles=[(euro, Role.INSTRUCTOR)])
    proctor_role_org = create_organisation(OrganisationKind.CERTIFICATION_BODY, name="Body")
    from lms.accounts import services as accounts

    accounts.grant_role(proctor, proctor_role_org, Role.PROCTOR, actor_id=None)
    db.session.add(ClassStaff(class_id=mine.id, user_id=proctor.id, role=ClassStaffRole.PROCTOR))
    visible = start_attempt(make_candidate(exam, partner=gulf, class_id=mine.id), exam)
    hidden = start_attempt(make_candidate(exam, partner=euro, class_id=theirs.id), exam)
    db.session.flush()
    login(client, proctor)
    rows = client.get("/proctor/live.json").get_json()["attempts"]
    assert [r["id"] for r in rows] == [visible.id]
    assert client.get(f"/proctor/attempts/{hidden.id}").status_code == 404
    assert client.post(f"/proctor/attempts/{hidden.id}/pause", data={"reason": "x"}).status_code == 404
    assert client.get(f"/proctor/attempts/{visible.id}").status_code == 200


def test_partner_proctors_see_what_their_partner_delivered(
    client, login, exam, make_candidate, start_attempt, create_user, create_organisation
):
    gulf = create_organisation(OrganisationKind.TRAINING_PARTNER, name="Gulf")
    euro = create_organisation(OrganisationKind.TRAINING_PARTNER, name="Euro")
    proctor = create_user(roles=[(gulf, Role.PROCTOR)])
    ours = start_attempt(make_candidate(exam, partner=gulf), exam)
    other = start_attempt(make_candidate(exam, partner=euro), exam)
    login(client, proctor)
    ids = [r["id"] for r in client.get("/proctor/live.json").get_json()["attempts"]]
    assert ours.id in ids and other.id not in ids
    assert client.get(f"/proctor/attempts/{other.id}").status_code == 404


def test_partner_staff_never_see_items_or_keys(
    make_client, login, exam, make_candidate, start_attempt, create_user, create_organisation
):
    gulf = create_organisation(OrganisationKind.TRAINING_PARTNER, name="Gulf")
    attempt = start_attempt(make_candidate(exam, partner=gulf), exam)
    for role in (Role.PROCTOR, Role.PARTNER_ADMIN, Role.INSTRUCTOR):
        user = create_user(roles=[(gulf, role)])
        client = make_client()
        login(client, user)
        pages = [
            client.get(f"/proctor/attempts/{attempt.id}"),
            client.get("/proctor/live.json"),
            client.get("/dashboard"),
        ]
        for item in attempt.items:
            for response in pages:
                assert item.version.content["en"]["stem"] not in response.get_data(as_text=True)
        assert client.get(f"/staff/exams/{exam.track.code}/items").status_code == 403
        assert client.get(f"/staff/exams/items/{exam.items[0].id}").status_code == 403
        assert client.get(f"/staff/exams/{exam.track.code}/export.csv").status_code == 403


def test_actions_need_a_reason_and_land_in_the_timeline_and_the_audit_log(
    client, login, exam, make_candidate, start_attempt, create_user, create_organisation
):
    gulf = create_organisation(OrganisationKind.TRAINING_PARTNER, name="Gulf")
    proctor = create_user(roles=[(gulf, Role.PROCTOR)])
    attempt = start_attempt(make_candidate(exam, partner=gulf), exam)
    login(client, proctor)
    base = f"/proctor/attempts/{attempt.id}"
    client.post(f"{base}/pause", data={"reason": ""})
    assert reload(attempt).status == AttemptStatus.IN_PROGRESS
    client.post(f"{base}/pause", data={"reason": "Candidate's internet dropped"})
    assert reload(attempt).status == AttemptStatus.PAUSED
    client.post(f"{base}/resume", data={"reason": "Back online"})
    client.post(f"{base}/add-time", data={"minutes": "15", "reason": "Lost time to the outage"})
    client.post(f"{base}/add-time", data={"minutes": "999", "reason": "too much"})
    client.post(f"{base}/note", data={"reason": "Candidate showed ID on camera"})
    client.post(f"{base}/flag", data={"reason": "Someone else in the room for a minute"})
    attempt = reload(attempt)
    assert attempt.added_seconds == 15 * 60 and attempt.flagged
    kinds = [e.kind for e in proctoring.timeline(attempt.id)]
    assert kinds == [
        EventKind.CHECKED_IN,
        EventKind.PAUSED,
        EventKind.RESUMED,
        EventKind.TIME_ADDED,
        EventKind.NOTE,
        EventKind.FLAGGED,
    ]
    events = proctoring.timeline(attempt.id)
    assert all(e.actor_id == proctor.id and e.source == "proctor" for e in events[1:])
    assert events[1].details["reason"] == "Candidate's internet dropped"
    audited = (
        db.session.execute(
            sa.select(AuditEvent.action).where(
                AuditEvent.subject_type == "ExamAttempt", AuditEvent.actor_id == proctor.id
            )
        )
        .scalars()
        .all()
    )
    assert {"exams.proctor_paused", "exams.proctor_resumed", "exams.proctor_time_added", "exams.proctor_note",
            "exams.proctor_flagged"} <= set(audited)  # fmt: skip
    page = client.get(base).get_data(as_text=True)
    assert "Lost time to the outage" in page and "Time added" in page
    client.post(f"{base}/end", data={"reason": "Candidate used a phone"})
    attempt = reload(attempt)
    assert attempt.status == AttemptStatus.COMPLETED and attempt.result_status == ResultStatus.HELD


def test_the_console_lists_live_attempts_with_time_left_and_events(
    client, login, exam, candidate, start_attempt, staff_user
):
    attempt = start_attempt(candidate, exam)
    login(client, staff_user)
    rows = client.get("/proctor/live.json").get_json()["attempts"]
    row = next(r for r in rows if r["id"] == attempt.id)
    assert row["status"] == "in_progress" and 3590 <= row["remaining_seconds"] <= 3600
    assert row["events"][0]["label"] == "Checked in"
    assert "Live exams" in client.get("/proctor/").get_data(as_text=True)


def test_learners_cannot_open_the_console(client, login, candidate):
    login(client, candidate)
    assert client.get("/proctor/").status_code == 403
    assert client.get("/proctor/live.json").status_code == 403

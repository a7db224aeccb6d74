"""The demo: five live banks (40+ items, 4+ domains, Arabic for AI+ Essentials), open blueprints,
and the demo learner sitting the ESS exam end to end."""

from collections import Counter

import sqlalchemy as sa

from lms.accounts import demo as accounts_demo
from lms.core.demo import DemoContext
from lms.courses import demo as courses_demo
from lms.courses.models import Course, CourseVersion, CourseVersionStatus, EnrolmentSource, EnrolmentStatus
from lms.exams import demo
from lms.exams.models import ExamAttempt, Item, ItemStatus, ResultStatus
from lms.exams.question_types import question_type
from lms.exams.services import bank, blueprints, vouchers
from lms.extensions import db
from tests.exams.test_delivery import START_FORM


def _seed() -> DemoContext:
    context = DemoContext(password="demo-password-123", reset_passwords=True)
    for seeder in (accounts_demo.seed, courses_demo.seed, demo.seed):
        seeder(context)
    return context


def test_every_certification_has_a_live_bank_and_an_open_blueprint(app):
    context = _seed()
    for code in ("ESS", "DEV", "EXE", "HLT", "EDU"):
        track = context.objects["tracks"][code]
        items = bank.items_of(track.id)
        assert len(items) >= 40 and all(i.status == ItemStatus.LIVE for i in items)
        assert len({i.domain_id for i in items}) >= 4
        assert set(Counter(i.latest.type for i in items)) == {
            "single_choice", "multiple_response", "true_false", "ordering", "matching"
        }  # fmt: skip
        for item in items:
            for variant in item.latest.content.values():
                question_type(item.latest.type).validate(variant, item.latest.key)
        blueprint = blueprints.active_blueprint(track.id)
        with app.test_request_context():
            assert blueprint is not None and not blueprints.readiness_problems(blueprint)
    ess = bank.items_of(context.objects["tracks"]["ESS"].id)
    assert all(set(i.latest.content) == {"en", "ar"} for i in ess)


def test_seeding_twice_changes_nothing(app):
    _seed()
    counts = (db.session.execute(sa.select(sa.func.count(Item.id))).scalar(),
              db.session.execute(sa.select(sa.func.count(ExamAttempt.id))).scalar())  # fmt: skip
    _seed()
    assert counts == (db.session.execute(sa.select(sa.func.count(Item.id))).scalar(),
                      db.session.execute(sa.select(sa.func.count(ExamAttempt.id))).scalar())  # fmt: skip


def test_the_history_feeds_statistics_and_the_review_queue(app):
    context = _seed()
    from lms.exams.services import statistics

    _stats, forms = statistics.item_statistics(context.objects["tracks"]["ESS"].id)
    assert forms and forms[0].attempts >= 25 and forms[0].kr20 is not None
    held = db.session.execute(sa.select(ExamAttempt).where(ExamAttempt.result_status == ResultStatus.HELD)).scalars()
    assert len(list(held)) == 1


def test_the_demo_learner_sits_the_ess_exam_end_to_end_in_arabic(client, login):
    from lms.courses import services as courses

    context = _seed()
    learner = context.accounts["learner@demo.lms"]
    track = context.objects["tracks"]["ESS"]
    gulf = context.organisations["atp_gulf"]
    assert any(v.usable(v.created_at) and v.partner_id == gulf.id for v in vouchers.vouchers_of(learner.id, track.id))
    # What the courses seed does on the merged branch: the learner completed AI+ Essentials.
    course = Course(track_id=track.id, code="ESS-101", slug="ess-101")
    version = CourseVersion(course=course, number=1, status=CourseVersionStatus.PUBLISHED, delivery_modes=["elearning"])
    db.session.add_all([course, version])
    db.session.flush()
    enrolment = courses.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.STAFF)
    enrolment.status = EnrolmentStatus.COMPLETED
    db.session.flush()

    login(client, learner, password="demo-password-123")
    response = client.post(f"/exams/{track.code}/start", data=dict(START_FORM, language="ar"))
    assert response.status_code == 302
    attempt = db.session.execute(sa.select(ExamAttempt).where(ExamAttempt.user_id == learner.id)).scalar_one()
    assert attempt.partner_id == gulf.id and len(attempt.items) == 24 and attempt.language == "ar"
    page = client.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert attempt.items[0].version.content["ar"]["stem"] in page
    from tests.exams.conftest import correct_response

    for item in attempt.items:
        answer = {"position": item.position, "response": correct_response(item.version), "flagged": False}
        client.post(f"/exams/attempts/{attempt.id}/save", json=dict(answer, seq=item.position))
    client.post(f"/exams/attempts/{attempt.id}/submit", data={})
    db.session.refresh(attempt)
    assert attempt.passed and attempt.scaled_score == 1000 and attempt.result_status == ResultStatus.RELEASED
    proctor = context.accounts["proctor@demo.lms"]
    from lms.exams.services.proctoring import scope_for

    assert db.session.execute(sa.select(ExamAttempt.id).where(scope_for(proctor).condition())).scalars().all() == [
        attempt.id
    ]

import pytest
from werkzeug.datastructures import MultiDict

from lms.core import signals
from lms.core.errors import DomainError, NotAllowed
from lms.core.security import Role
from lms.core.time import utcnow
from lms.courses import services
from lms.courses.models import EnrolmentSource, EnrolmentStatus, LabStatus, LessonProgress, MoveOn
from lms.courses.services import labs, quizzes
from lms.courses.services.progress import Verb, course_progress, is_satisfied
from tests.courses.conftest import lesson_of


@pytest.mark.parametrize(
    ("move_on", "verbs", "expected"),
    [
        (MoveOn.VIEWED, {"viewed_at"}, True),
        (MoveOn.COMPLETED, {"viewed_at"}, False),
        (MoveOn.COMPLETED, {"completed_at"}, True),
        (MoveOn.PASSED, {"completed_at"}, False),
        (MoveOn.PASSED, {"passed_at"}, True),
        (MoveOn.COMPLETED_OR_PASSED, {"completed_at"}, True),
        (MoveOn.COMPLETED_OR_PASSED, {"passed_at"}, True),
        (MoveOn.COMPLETED_OR_PASSED, {"viewed_at"}, False),
        (MoveOn.NOT_APPLICABLE, set(), True),
    ],
)
def test_move_on_rules(move_on, verbs, expected):
    row = LessonProgress(**{name: utcnow() for name in verbs})
    assert is_satisfied(move_on, row) is expected


def _enrol(course, user, **kw):
    return services.enrol(
        user_id=user.id, course_version_id=course.current_version.id, source=EnrolmentSource.PURCHASE, **kw
    )


def test_course_completes_when_every_required_lesson_is_satisfied(make_course, learner):
    course = make_course(kinds=("video", "ebook", "quiz", "mentor"))
    enrolment = _enrol(course, learner)
    completed = []
    with signals.course_completed.connected_to(lambda sender=None, **kw: completed.append(kw)):
        progress = course_progress(enrolment)
        assert progress.required_total == 3  # the mentor lesson is not required
        assert progress.percent == 0
        assert progress.next_lesson.id == lesson_of(course, "video").id

        services.record(enrolment, lesson_of(course, "video"), Verb.VIEWED)
        assert course_progress(enrolment).percent == 0  # a video counts when completed
        services.record(enrolment, lesson_of(course, "video"), Verb.COMPLETED)
        services.record(enrolment, lesson_of(course, "ebook"), Verb.COMPLETED)
        progress = course_progress(enrolment)
        assert progress.percent == 66
        assert progress.next_lesson.id == lesson_of(course, "quiz").id
        quizzes.submit(enrolment, lesson_of(course, "quiz"), MultiDict(), "en")  # all wrong: still completed
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert completed == [{"user_id": learner.id, "enrolment_id": enrolment.id, "course_id": course.id}]


def test_class_seat_needs_attendance_threshold(make_course, learner):
    course = make_course(kinds=("ebook",), attendance_threshold=80)
    enrolment = _enrol(course, learner)
    enrolment.class_id = None
    # Simulate a class seat: partners' classes are not built here, so attach the attendance directly.
    from lms.extensions import db
    from lms.partners.models import TrainingClass

    training_class = TrainingClass(course_version_id=course.current_version.id, partner_id=_partner(), capacity=10)
    db.session.add(training_class)
    db.session.flush()
    enrolment.class_id = training_class.id
    services.record(enrolment, lesson_of(course, "ebook"), Verb.COMPLETED)
    assert enrolment.status == EnrolmentStatus.ACTIVE  # lessons done, attendance missing
    signals.attendance_recorded.send(class_id=training_class.id, user_id=learner.id, attended=3, total=4)
    assert enrolment.meetings_attended == 3
    assert enrolment.status == EnrolmentStatus.ACTIVE  # 75 % < 80 %
    signals.attendance_recorded.send(class_id=training_class.id, user_id=learner.id, attended=4, total=5)
    assert enrolment.status == EnrolmentStatus.COMPLETED


_partner_counter = iter(range(1, 1000))


def _partner():
    from lms.accounts import services as accounts
    from lms.accounts.models import OrganisationKind

    n = next(_partner_counter)
    return accounts.create_organisation(kind=OrganisationKind.TRAINING_PARTNER, name=f"P{n}", slug=f"p-att-{n}").id


def test_quiz_scores_with_the_exam_question_types(make_course, learner):
    course = make_course(kinds=("quiz",))
    lesson = lesson_of(course, "quiz")
    enrolment = _enrol(course, learner)
    first, second = lesson.questions
    result = quizzes.submit(enrolment, lesson, MultiDict({f"q{first.id}": "a", f"q{second.id}": "false"}), "en")
    assert result.score_percent == 50 and result.passed  # pass mark 50
    assert [f.correct for f in result.feedback] == [True, False]
    assert result.feedback[1].explanation == "That is a hallucination."
    # An unknown option is treated as unanswered, not as an error page.
    result = quizzes.submit(enrolment, lesson, MultiDict({f"q{first.id}": "zzz"}), "en")
    assert result.score_percent == 0 and not result.feedback[0].answered


def test_lab_submission_grading_and_resubmission(make_course, learner, create_user, create_organisation):
    partner = create_organisation(name="Gulf Academy")
    other_partner = create_organisation(name="Elsewhere")
    instructor = create_user(roles=[(partner, Role.INSTRUCTOR)])
    outsider = create_user(roles=[(other_partner, Role.INSTRUCTOR)])
    course = make_course(kinds=("case_lab",))
    lesson = lesson_of(course, "case_lab")
    enrolment = _enrol(course, learner, partner_id=partner.id)

    with pytest.raises(DomainError):
        labs.submit(enrolment, lesson, text="   ", uploads=[], actor_id=learner.id)
    with pytest.raises(DomainError):
        labs.submit(
            enrolment, lesson, text="See file", uploads=[("policy.pdf", b"MZ\x90\x00 not a pdf")], actor_id=learner.id
        )
    first = labs.submit(
        enrolment, lesson, text="Our clinic policy…", uploads=[("notes.txt", b"plain notes")], actor_id=learner.id
    )
    assert first.files[0].content_type == "text/plain"
    with pytest.raises(DomainError):  # waiting for grading
        labs.submit(enrolment, lesson, text="again", uploads=[], actor_id=learner.id)

    with pytest.raises(NotAllowed):
        labs.grade(first.id, grader=outsider, scores={"c1": 5, "c2": 5}, comments={}, feedback="ok")
    with pytest.raises(DomainError):
        labs.grade(first.id, grader=instructor, scores={"c1": 9, "c2": 1}, comments={}, feedback="too many")
    labs.grade(first.id, grader=instructor, scores={"c1": 3, "c2": 2}, comments={"c1": "Thin"}, feedback="Revise")
    assert first.status == LabStatus.NEEDS_REVISION
    assert course_progress(enrolment).percent == 0

    second = labs.submit(enrolment, lesson, text="Better policy", uploads=[], actor_id=learner.id)
    assert second.number == 2
    labs.grade(second.id, grader=instructor, scores={"c1": 4, "c2": 3}, comments={}, feedback="Good")
    assert second.status == LabStatus.PASSED
    assert enrolment.status == EnrolmentStatus.COMPLETED
    with pytest.raises(DomainError):
        labs.submit(enrolment, lesson, text="third", uploads=[], actor_id=learner.id)

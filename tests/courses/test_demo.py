"""The demo catalog: five published courses with real content in two languages, and a learner mid-journey."""

import pytest
import sqlalchemy as sa

from lms.core.demo import DemoContext
from lms.courses import mentor
from lms.courses.models import Course, EnrolmentStatus, LessonKind, MediaRole
from lms.courses.services import exam_eligibility
from lms.extensions import db


@pytest.fixture
def demo():
    from lms.accounts import demo as accounts_demo
    from lms.courses import demo as courses_demo

    context = DemoContext(password="demo-password-123")
    accounts_demo.seed(context)
    courses_demo.seed(context)
    courses_demo.seed(context)  # idempotent
    return context


def test_every_track_has_a_published_course_with_every_lesson_kind(demo):
    courses = db.session.execute(sa.select(Course)).scalars().all()
    assert sorted(c.track.code for c in courses) == ["DEV", "EDU", "ESS", "EXE", "HLT"]
    for course in courses:
        version = course.current_version
        assert version is not None and version.number == 1
        assert len(version.modules) >= 3
        assert {lesson.kind for lesson in version.lessons} == set(LessonKind)
        assert len(version.languages) >= 2
        other = next(lang for lang in version.languages if lang != "en")
        for lesson in version.lessons:
            assert lesson.titles.get(other), (course.code, lesson.titles)
            if lesson.kind in (LessonKind.EBOOK, LessonKind.CASE_LAB):
                assert len(lesson.bodies["en"]) > 400 and lesson.bodies.get(other)
            if lesson.kind in (LessonKind.VIDEO, LessonKind.PODCAST):
                assert {m.language for m in lesson.media if m.role == MediaRole.CAPTIONS} == {"en", other}
        assert {p.currency for p in version.prices} == {"USD", "EUR", "AED"}
        assert all(p.academic_amount and p.association_amount for p in version.prices)
        assert set(version.delivery_modes) == {"elearning", "instructor_led"}
        assert version.attendance_threshold == 80


def test_developer_requires_essentials(demo):
    developer = db.session.execute(sa.select(Course).where(Course.code == "AIP-DEV-201")).scalar_one()
    assert [c.code for c in developer.prerequisites] == ["AIP-ESS-101"]


def test_demo_learner_completed_essentials_and_is_eligible(demo):
    learner = demo.accounts["learner@demo.lms"]
    enrolments = demo.objects["demo_enrolments"]
    essentials = enrolments["ESS"]
    assert essentials.course_version.course.code.startswith("AIP-ESS")
    assert essentials.status == EnrolmentStatus.COMPLETED
    assert exam_eligibility(learner.id, essentials.course_version.course.track_id).eligible
    assert enrolments["EXE"].status == EnrolmentStatus.ACTIVE
    from lms.courses.services.progress import course_progress

    assert 0 < course_progress(enrolments["EXE"]).percent < 100


@pytest.mark.parametrize(
    ("code", "question", "locale"),
    [
        ("AIP-ESS-101", "What is a hallucination?", "en"),
        ("AIP-ESS-101", "ما هي الهلوسة؟", "ar"),
        ("AIP-DEV-201", "How do I detect overfitting?", "en"),
        ("AIP-DEV-201", "Was ist Prompt-Injection?", "de"),
        ("AIP-EXE-301", "What does the EU AI Act consider high-risk?", "en"),
        ("AIP-HLT-201", "Why does prevalence change the positive predictive value?", "en"),
        ("AIP-HLT-201", "Qu'est-ce que la spécificité ?", "fr"),
        ("AIP-EDU-101", "Can I rely on AI detectors?", "en"),
        ("AIP-EDU-101", "¿Qué es la integridad académica?", "es"),
    ],
)
def test_mentor_answers_from_demo_content(demo, code, question, locale):
    course = db.session.execute(sa.select(Course).where(Course.code == code)).scalar_one()
    exchange = mentor.ask(
        user_id=demo.accounts["learner@demo.lms"].id, version=course.current_version, question=question, locale=locale
    )
    assert exchange.grounded, exchange.answer
    assert exchange.language == locale

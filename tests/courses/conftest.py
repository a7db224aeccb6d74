"""Course factories: a published course with one lesson of each kind in one line."""

from __future__ import annotations

from typing import Any

import pytest

from lms.core.time import utcnow
from lms.courses.content import sanitise_html
from lms.courses.mentor.index import index_version
from lms.courses.models import (
    DEFAULT_MOVE_ON,
    CertificationTrack,
    Course,
    CourseModule,
    CoursePrice,
    CourseVersion,
    CourseVersionStatus,
    Lesson,
    LessonKind,
    PracticeQuestion,
)
from lms.extensions import db

_n = iter(range(1, 10**6))

EBOOK_EN = """
<h2>What overfitting means</h2>
<p>A model overfits when it memorises the training examples instead of learning the general pattern.
An overfitted model scores very well on its training data and badly on new data.</p>
<h2>How to detect it</h2>
<p>Keep a validation set the model never trains on. When the training error keeps falling while the
validation error rises, the model is overfitting.</p>
<p>Regularisation, more data and simpler models all reduce overfitting.</p>
"""
EBOOK_AR = """
<h2>معنى الإفراط في التخصيص</h2>
<p>يحدث الإفراط في التخصيص عندما يحفظ النموذج أمثلة التدريب بدلا من تعلم النمط العام.
النموذج المفرط في التخصيص يحقق نتائج ممتازة على بيانات التدريب ونتائج ضعيفة على البيانات الجديدة.</p>
"""
TRANSCRIPT_EN = """Welcome. In this video we look at what a large language model does.

A large language model predicts the next token of text from the tokens before it. It has no database of facts.

Because it predicts plausible text, a model can produce a confident answer that is false.
This is called a hallucination."""


@pytest.fixture
def make_track():
    def factory(code: str | None = None) -> CertificationTrack:
        n = next(_n)
        track = CertificationTrack(
            code=code or f"T{n}",
            slug=f"track-{n}",
            names={"en": f"AI+ Track {n}", "ar": f"المسار {n}"},
            summaries={"en": "A certification."},
            validity_months=24,
        )
        db.session.add(track)
        db.session.flush()
        return track

    return factory


@pytest.fixture
def make_course(make_track):
    """``make_course(kinds=[...], published=True, delivery_modes=[...], track=…)`` → Course."""

    def factory(
        kinds: tuple[str, ...] = ("video", "ebook", "podcast", "case_lab", "quiz", "mentor"),
        *,
        published: bool = True,
        track: CertificationTrack | None = None,
        code: str | None = None,
        delivery_modes: tuple[str, ...] = ("elearning", "instructor_led"),
        access_days: int = 180,
        attendance_threshold: int = 80,
        title: str | None = None,
        languages: tuple[str, ...] = ("en", "ar"),
        **version_fields: Any,
    ) -> Course:
        n = next(_n)
        track = track or make_track()
        course = Course(track=track, code=code or f"AIP-C{n}", slug=f"course-{n}", primary_language="en")
        version = CourseVersion(
            number=1,
            status=CourseVersionStatus.PUBLISHED if published else CourseVersionStatus.DRAFT,
            published_at=utcnow() if published else None,
            titles={"en": title or f"Course {n}", "ar": f"الدورة {n}"},
            descriptions={"en": "Learn things that matter.", "ar": "تعلم أشياء مهمة."},
            languages=list(languages),
            delivery_modes=list(delivery_modes),
            access_days=access_days,
            attendance_threshold=attendance_threshold,
            duration_hours=6,
            **version_fields,
        )
        version.prices.append(
            CoursePrice(currency="USD", list_amount=49900, academic_amount=29900, association_amount=39900)
        )
        course.versions.append(version)
        module = CourseModule(position=1, titles={"en": "Module one", "ar": "الوحدة الأولى"})
        version.modules.append(module)
        for position, kind in enumerate(kinds, start=1):
            module.lessons.append(make_lesson(LessonKind(kind), position))
        db.session.add(course)
        db.session.flush()
        index_version(version)
        return course

    return factory


def make_lesson(kind: LessonKind, position: int = 1) -> Lesson:
    lesson = Lesson(
        kind=kind,
        position=position,
        move_on=DEFAULT_MOVE_ON[kind],
        titles={"en": f"{kind.value.title()} lesson", "ar": f"درس {position}"},
        bodies={},
        transcripts={},
        settings={},
    )
    if kind == LessonKind.EBOOK:
        lesson.bodies = {"en": sanitise_html(EBOOK_EN), "ar": sanitise_html(EBOOK_AR)}
    elif kind in (LessonKind.VIDEO, LessonKind.PODCAST):
        lesson.transcripts = {"en": TRANSCRIPT_EN}
        lesson.media_url = "https://media.example.org/llm.mp4" if kind == LessonKind.VIDEO else None
    elif kind == LessonKind.CASE_LAB:
        lesson.bodies = {"en": "<p>Write a one-page AI use policy for a small clinic.</p>"}
        lesson.settings = {
            "rubric": [
                {"id": "c1", "points": 5, "titles": {"en": "Covers data privacy"}},
                {"id": "c2", "points": 5, "titles": {"en": "Names who is accountable"}},
            ],
            "pass_points": 6,
        }
    elif kind == LessonKind.QUIZ:
        lesson.settings = {"pass_mark": 50}
        lesson.questions = [
            PracticeQuestion(
                position=1,
                qtype="single_choice",
                contents={
                    "en": {
                        "stem": "What does a language model predict?",
                        "options": [{"id": "a", "text": "The next token"}, {"id": "b", "text": "A database row"}],
                    }
                },
                key={"correct": "a"},
                explanations={"en": "It predicts the next token from the ones before it."},
            ),
            PracticeQuestion(
                position=2,
                qtype="true_false",
                contents={"en": {"stem": "A model can state false things confidently."}},
                key={"correct": True},
                explanations={"en": "That is a hallucination."},
            ),
        ]
    return lesson


@pytest.fixture
def learner(create_user):
    return create_user(display_name="Layla")


def lesson_of(course: Course, kind: str) -> Lesson:
    return next(lesson for lesson in course.current_version.lessons if lesson.kind == LessonKind(kind))

"""Courseware: a course version holds modules, a module holds lessons of several kinds."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.time import utcnow
from lms.courses.models.catalog import CourseVersion, text_in
from lms.extensions import db


class LessonKind(enum.StrEnum):
    VIDEO = "video"
    EBOOK = "ebook"
    PODCAST = "podcast"
    CASE_LAB = "case_lab"
    QUIZ = "quiz"
    MENTOR = "mentor"


class MoveOn(enum.StrEnum):
    """When a lesson counts as done, after cmi5's ``moveOn``."""

    VIEWED = "viewed"
    COMPLETED = "completed"
    PASSED = "passed"
    COMPLETED_OR_PASSED = "completed_or_passed"
    NOT_APPLICABLE = "not_applicable"


#: The rule a new lesson of each kind starts with (staff may change it).
DEFAULT_MOVE_ON = {
    LessonKind.VIDEO: MoveOn.COMPLETED,
    LessonKind.EBOOK: MoveOn.COMPLETED,
    LessonKind.PODCAST: MoveOn.COMPLETED,
    LessonKind.CASE_LAB: MoveOn.PASSED,
    LessonKind.QUIZ: MoveOn.COMPLETED_OR_PASSED,
    LessonKind.MENTOR: MoveOn.NOT_APPLICABLE,
}


class CourseModule(TimestampMixin, db.Model):
    __tablename__ = "course_modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    titles: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summaries: Mapped[dict[str, Any]] = mapped_column(default=dict)

    course_version: Mapped[CourseVersion] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan"
    )

    def title(self, locale: str = "en") -> str:
        return text_in(self.titles, locale, self.course_version.course.primary_language)

    def summary(self, locale: str = "en") -> str:
        return text_in(self.summaries, locale, self.course_version.course.primary_language)


class Lesson(TimestampMixin, db.Model):
    """One lesson. Its texts are kept per language; a missing language falls back to the course's primary one.

    ``bodies`` is sanitised HTML (the eBook chapter, a video's notes, a case lab's brief, a quiz's
    introduction); ``transcripts`` is plain text for video and podcast lessons. ``settings`` holds what a
    kind needs: ``pass_mark`` (percent) for quizzes, ``rubric`` and ``pass_points`` for case labs.
    """

    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_modules.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[LessonKind] = mapped_column(enum_column(LessonKind, 16))
    move_on: Mapped[MoveOn] = mapped_column(enum_column(MoveOn, 24), default=MoveOn.COMPLETED)
    duration_minutes: Mapped[int] = mapped_column(default=10)
    titles: Mapped[dict[str, Any]] = mapped_column(default=dict)
    bodies: Mapped[dict[str, Any]] = mapped_column(default=dict)
    transcripts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: A video hosted elsewhere (https URL) instead of an uploaded file.
    media_url: Mapped[str | None] = mapped_column(sa.String(500))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)

    module: Mapped[CourseModule] = relationship(back_populates="lessons")
    media: Mapped[list[LessonMedia]] = relationship(
        back_populates="lesson", cascade="all, delete-orphan", order_by="LessonMedia.id", lazy="selectin"
    )
    questions: Mapped[list[PracticeQuestion]] = relationship(
        back_populates="lesson", cascade="all, delete-orphan", order_by="PracticeQuestion.position"
    )

    @property
    def primary_language(self) -> str:
        return self.module.course_version.course.primary_language

    def title(self, locale: str = "en") -> str:
        return text_in(self.titles, locale, self.primary_language)

    def text_language(self, field: str, locale: str) -> str | None:
        """The language the learner actually gets for ``field`` (their own, else the primary one)."""
        texts = getattr(self, field) or {}
        if texts.get(locale):
            return locale
        if texts.get(self.primary_language):
            return self.primary_language
        return next((lang for lang, value in texts.items() if value), None)

    def body(self, locale: str = "en") -> str:
        return text_in(self.bodies, locale, self.primary_language)

    def transcript(self, locale: str = "en") -> str:
        return text_in(self.transcripts, locale, self.primary_language)

    @property
    def is_required(self) -> bool:
        return self.move_on != MoveOn.NOT_APPLICABLE

    def media_of(self, role: str, locale: str | None = None) -> LessonMedia | None:
        """The file for ``role`` in ``locale`` (else the primary language, else one without a language)."""
        candidates = [m for m in self.media if m.role == role]
        for language in (locale, self.primary_language, None):
            found = next((m for m in candidates if m.language == language), None)
            if found is not None:
                return found
        return candidates[0] if candidates else None

    def captions(self) -> list[LessonMedia]:
        return [m for m in self.media if m.role == MediaRole.CAPTIONS]


class MediaRole(enum.StrEnum):
    VIDEO = "video"
    AUDIO = "audio"
    PDF = "pdf"
    CAPTIONS = "captions"
    IMAGE = "image"
    ATTACHMENT = "attachment"  # a lab's starter file


class LessonMedia(db.Model):
    """An uploaded file of a lesson, stored through ``get_storage()`` and served only to those with access."""

    __tablename__ = "lesson_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    role: Mapped[MediaRole] = mapped_column(enum_column(MediaRole, 16))
    language: Mapped[str | None] = mapped_column(sa.String(8))
    storage_key: Mapped[str] = mapped_column(sa.String(255))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="media")


class PracticeQuestion(db.Model):
    """A practice-quiz question, scored by the exam question-type registry (``lms.exams.question_types``).

    ``contents`` maps a language to the item content the registry expects (stem, options…); option
    and prompt ids are the same in every language. ``key`` is the registry's key. ``explanations``
    is shown after the learner answers.
    """

    __tablename__ = "practice_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    qtype: Mapped[str] = mapped_column(sa.String(32))
    contents: Mapped[dict[str, Any]] = mapped_column(default=dict)
    key: Mapped[dict[str, Any]] = mapped_column(default=dict)
    explanations: Mapped[dict[str, Any]] = mapped_column(default=dict)

    lesson: Mapped[Lesson] = relationship(back_populates="questions")

    def content(self, locale: str) -> dict[str, Any]:
        primary = self.lesson.primary_language
        return self.contents.get(locale) or self.contents.get(primary) or next(iter(self.contents.values()), {})

    def explanation(self, locale: str) -> str:
        return text_in(self.explanations, locale, self.lesson.primary_language)

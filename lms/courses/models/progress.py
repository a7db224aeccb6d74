"""What a learner has done: lesson progress, practice-quiz attempts and case-lab submissions."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.time import utcnow
from lms.courses.models.catalog import Enrolment
from lms.courses.models.courseware import Lesson
from lms.extensions import db


class LessonProgress(TimestampMixin, db.Model):
    """One learner's state on one lesson of their enrolment (cmi5-like verbs, each kept with its time)."""

    __tablename__ = "lesson_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    viewed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    passed_at: Mapped[datetime | None]
    #: When the lesson's move-on rule was first met.
    satisfied_at: Mapped[datetime | None]
    #: Best practice-quiz score, percent.
    best_score: Mapped[int | None]

    lesson: Mapped[Lesson] = relationship()

    __table_args__ = (sa.UniqueConstraint("enrolment_id", "lesson_id"),)


class PracticeAttempt(db.Model):
    """One submission of a practice quiz: answers, per-question results and the score (never graded)."""

    __tablename__ = "practice_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: {question_id: true/false}
    results: Mapped[dict[str, Any]] = mapped_column(default=dict)
    score_percent: Mapped[int] = mapped_column(default=0)
    passed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LabStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    NEEDS_REVISION = "needs_revision"
    PASSED = "passed"


class LabSubmission(TimestampMixin, db.Model):
    """A learner's answer to a case lab; an instructor grades it against the lab's rubric.

    A submission that does not pass asks for a revision: the learner submits again (``number`` + 1)
    until one passes.
    """

    __tablename__ = "lab_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolments.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[LabStatus] = mapped_column(enum_column(LabStatus, 16), default=LabStatus.SUBMITTED)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    grader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    graded_at: Mapped[datetime | None]
    #: {criterion_id: points}
    scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: {criterion_id: comment}
    criterion_comments: Mapped[dict[str, Any]] = mapped_column(default=dict)
    feedback: Mapped[str | None] = mapped_column(sa.Text)

    enrolment: Mapped[Enrolment] = relationship()
    lesson: Mapped[Lesson] = relationship()
    files: Mapped[list[LabSubmissionFile]] = relationship(
        back_populates="submission", cascade="all, delete-orphan", order_by="LabSubmissionFile.id", lazy="selectin"
    )

    __table_args__ = (sa.UniqueConstraint("enrolment_id", "lesson_id", "number"),)

    @property
    def total_points(self) -> int:
        return sum(int(v) for v in (self.scores or {}).values())


class LabSubmissionFile(db.Model):
    __tablename__ = "lab_submission_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("lab_submissions.id", ondelete="CASCADE"), index=True)
    storage_key: Mapped[str] = mapped_column(sa.String(255))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))

    submission: Mapped[LabSubmission] = relationship(back_populates="files")

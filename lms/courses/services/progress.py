"""Progress and completion, after cmi5's moveOn: each lesson says which verb satisfies it, the course is
complete when every required lesson is satisfied and, for a class seat, the attendance threshold is met."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa

from lms.core import audit, signals
from lms.core.time import utcnow
from lms.courses.models import (
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonProgress,
    MoveOn,
)
from lms.courses.services.enrolment import can_progress, start_enrolment
from lms.extensions import db


class Verb(enum.StrEnum):
    VIEWED = "viewed"
    COMPLETED = "completed"
    PASSED = "passed"


def is_satisfied(move_on: MoveOn, progress: LessonProgress | None) -> bool:
    if move_on == MoveOn.NOT_APPLICABLE:
        return True
    if progress is None:
        return False
    if move_on == MoveOn.VIEWED:
        return bool(progress.viewed_at or progress.completed_at or progress.passed_at)
    if move_on == MoveOn.COMPLETED:
        return progress.completed_at is not None
    if move_on == MoveOn.PASSED:
        return progress.passed_at is not None
    return bool(progress.completed_at or progress.passed_at)


@dataclass
class LessonState:
    lesson: Lesson
    progress: LessonProgress | None
    satisfied: bool

    @property
    def started(self) -> bool:
        return self.progress is not None and self.progress.viewed_at is not None

    @property
    def status(self) -> str:
        if not self.lesson.is_required:
            return "optional"
        if self.satisfied:
            return "done"
        return "in_progress" if self.started else "not_started"


@dataclass
class CourseProgress:
    enrolment: Enrolment
    lessons: list[LessonState]
    required_total: int
    required_done: int
    #: None when the seat is not a class seat (no attendance rule).
    attendance_percent: int | None
    attendance_required: bool
    attendance_met: bool

    @property
    def percent(self) -> int:
        if not self.required_total:
            return 100 if self.attendance_met else 0
        return self.required_done * 100 // self.required_total

    @property
    def lessons_complete(self) -> bool:
        return self.required_done >= self.required_total

    @property
    def complete(self) -> bool:
        return self.lessons_complete and self.attendance_met

    @property
    def next_lesson(self) -> Lesson | None:
        """The first required lesson not yet satisfied, in course order (else the first not viewed)."""
        for state in self.lessons:
            if state.lesson.is_required and not state.satisfied:
                return state.lesson
        for state in self.lessons:
            if not state.started:
                return state.lesson
        return None

    def state_of(self, lesson_id: int) -> LessonState | None:
        return next((s for s in self.lessons if s.lesson.id == lesson_id), None)


def progress_rows(enrolment_id: int) -> dict[int, LessonProgress]:
    rows = db.session.execute(sa.select(LessonProgress).where(LessonProgress.enrolment_id == enrolment_id)).scalars()
    return {row.lesson_id: row for row in rows}


def course_progress(enrolment: Enrolment) -> CourseProgress:
    rows = progress_rows(enrolment.id)
    states = []
    for lesson in enrolment.course_version.lessons:
        progress = rows.get(lesson.id)
        states.append(LessonState(lesson, progress, is_satisfied(lesson.move_on, progress)))
    required = [s for s in states if s.lesson.is_required]
    threshold = enrolment.course_version.attendance_threshold
    attendance_required = enrolment.is_instructor_led and threshold > 0
    percent = enrolment.attendance_percent
    attendance_met = not attendance_required or (percent is not None and percent >= threshold)
    return CourseProgress(
        enrolment=enrolment,
        lessons=states,
        required_total=len(required),
        required_done=sum(1 for s in required if s.satisfied),
        attendance_percent=percent if enrolment.is_instructor_led else None,
        attendance_required=attendance_required,
        attendance_met=attendance_met,
    )


def _progress_row(enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    row = db.session.execute(
        sa.select(LessonProgress).where(
            LessonProgress.enrolment_id == enrolment.id, LessonProgress.lesson_id == lesson.id
        )
    ).scalar_one_or_none()
    if row is None:
        row = LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson.id)
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
        except sa.exc.IntegrityError:  # the same learner in two tabs: the other request made it
            row = db.session.execute(
                sa.select(LessonProgress).where(
                    LessonProgress.enrolment_id == enrolment.id, LessonProgress.lesson_id == lesson.id
                )
            ).scalar_one()
    return row


def record(enrolment: Enrolment, lesson: Lesson, verb: Verb, *, score: int | None = None) -> LessonProgress | None:
    """Record what the learner did on a lesson; satisfies it and completes the course when the rules say so.

    Nothing is recorded when the enrolment cannot progress (not active, expired, prerequisites missing)
    or the lesson is not part of the enrolment's course version. Safe to call again (times are kept).
    """
    if lesson.module.course_version_id != enrolment.course_version_id or not can_progress(enrolment):
        return None
    row = _progress_row(enrolment, lesson)
    now = utcnow()
    if row.viewed_at is None:
        row.viewed_at = now
    if verb == Verb.COMPLETED and row.completed_at is None:
        row.completed_at = now
    if verb == Verb.PASSED:
        row.completed_at = row.completed_at or now
        row.passed_at = row.passed_at or now
    if score is not None:
        row.best_score = max(score, row.best_score or 0)
    if row.satisfied_at is None and lesson.is_required and is_satisfied(lesson.move_on, row):
        row.satisfied_at = now
        db.session.flush()
        signals.lesson_completed.send(user_id=enrolment.user_id, lesson_id=lesson.id, enrolment_id=enrolment.id)
        evaluate_completion(enrolment)
    db.session.flush()
    return row


def evaluate_completion(enrolment: Enrolment) -> bool:
    """Complete the enrolment if every rule is met now; returns whether it is complete."""
    if enrolment.status == EnrolmentStatus.COMPLETED:
        return True
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    progress = course_progress(enrolment)
    if not progress.complete:
        return False
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = utcnow()
    db.session.flush()
    audit.record(
        "enrolment.completed",
        actor_id=None,
        subject=enrolment,
        partner_id=enrolment.partner_id,
        details={"course_version_id": enrolment.course_version_id},
    )
    signals.enrolment_changed.send(enrolment_id=enrolment.id, status=EnrolmentStatus.COMPLETED.value)
    signals.course_completed.send(
        user_id=enrolment.user_id, enrolment_id=enrolment.id, course_id=enrolment.course_version.course_id
    )
    return True


def record_attendance(*, class_id: int, user_id: int, attended: int, total: int) -> Enrolment | None:
    """Keep a class seat's attendance (sent by partners) and complete the course if that was the last rule."""
    enrolment = db.session.execute(
        sa.select(Enrolment)
        .where(
            Enrolment.class_id == class_id,
            Enrolment.user_id == user_id,
            Enrolment.status.in_((EnrolmentStatus.PENDING, EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)),
        )
        .order_by(Enrolment.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if enrolment is None:
        return None
    total = max(int(total), 0)
    if enrolment.status == EnrolmentStatus.PENDING and total > 0:
        # The class has begun: the seat starts with its first meeting.
        enrolment = start_enrolment(enrolment.id)
    enrolment.meetings_held = total
    enrolment.meetings_attended = min(max(int(attended), 0), total)
    db.session.flush()
    evaluate_completion(enrolment)
    return enrolment

"""Case labs: the learner submits text and files; an instructor grades against the rubric; resubmit until passed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Membership, User
from lms.core import audit
from lms.core.db import lock_row
from lms.core.errors import DomainError, NotAllowed
from lms.core.security import Role
from lms.core.time import utcnow
from lms.courses import media
from lms.courses.models import (
    Enrolment,
    LabStatus,
    LabSubmission,
    LabSubmissionFile,
    Lesson,
    LessonKind,
    text_in,
)
from lms.courses.services.enrolment import can_progress
from lms.courses.services.progress import Verb, record
from lms.extensions import db

MAX_TEXT = 20_000
MAX_FILES = 5
GRADER_ROLES = (Role.INSTRUCTOR, Role.PARTNER_ADMIN, Role.PARTNER_MANAGER)


def rubric(lesson: Lesson) -> list[dict[str, Any]]:
    return list((lesson.settings or {}).get("rubric") or [])


def pass_points(lesson: Lesson) -> int:
    settings = lesson.settings or {}
    if "pass_points" in settings:
        return int(settings["pass_points"])
    # Without an explicit mark, a lab passes at 60 % of the rubric's points.
    return (sum(int(c.get("points", 0)) for c in rubric(lesson)) * 6 + 9) // 10


def criterion_title(criterion: dict[str, Any], locale: str, fallback: str) -> str:
    return text_in(criterion.get("titles"), locale, fallback)


def submissions_of(enrolment_id: int, lesson_id: int) -> list[LabSubmission]:
    return list(
        db.session.execute(
            sa.select(LabSubmission)
            .where(LabSubmission.enrolment_id == enrolment_id, LabSubmission.lesson_id == lesson_id)
            .order_by(LabSubmission.number)
        ).scalars()
    )


def submit(
    enrolment: Enrolment, lesson: Lesson, *, text: str, uploads: list[tuple[str, bytes]], actor_id: int
) -> LabSubmission:
    """Hand in a lab answer. Refused while the previous one awaits grading or after a pass."""
    if lesson.kind != LessonKind.CASE_LAB or lesson.module.course_version_id != enrolment.course_version_id:
        raise DomainError(_("This lesson does not take submissions."))
    if not can_progress(enrolment):
        raise DomainError(_("Your enrolment does not allow submissions now."))
    text = (text or "").strip()
    uploads = [(name, data) for name, data in uploads if data]
    if not text and not uploads:
        raise DomainError(_("Write your answer or attach a file."), field="text")
    if len(text) > MAX_TEXT:
        raise DomainError(_("Your answer is longer than %(max)d characters.", max=MAX_TEXT), field="text")
    if len(uploads) > MAX_FILES:
        raise DomainError(_("Attach at most %(max)d files.", max=MAX_FILES), field="files")
    checked = [media.check_upload("lab", data, name) for name, data in uploads]
    lock_row(Enrolment, enrolment.id)  # one submission at a time per learner
    previous = submissions_of(enrolment.id, lesson.id)
    if previous and previous[-1].status == LabStatus.SUBMITTED:
        raise DomainError(_("Your previous submission is waiting to be graded."))
    if previous and previous[-1].status == LabStatus.PASSED:
        raise DomainError(_("You have already passed this lab."))
    submission = LabSubmission(
        enrolment_id=enrolment.id,
        lesson_id=lesson.id,
        number=len(previous) + 1,
        text=text,
        status=LabStatus.SUBMITTED,
        submitted_at=utcnow(),
    )
    for item in checked:
        key = media.store(f"labs/{enrolment.id}", item)
        submission.files.append(
            LabSubmissionFile(
                storage_key=key,
                filename=item.filename,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
            )
        )
    db.session.add(submission)
    db.session.flush()
    record(enrolment, lesson, Verb.COMPLETED)
    return submission


def partner_ids_for_grading(user: User) -> set[int]:
    """Partner organisations whose learners' labs this person grades."""
    return {m.organisation_id for m in user.partner_memberships() if Role(m.role) in GRADER_ROLES}


def can_grade(user: User, submission: LabSubmission) -> bool:
    if Role.STAFF in user.roles:
        return True
    partner_id = submission.enrolment.partner_id
    return partner_id is not None and partner_id in partner_ids_for_grading(user)


def grading_queue_query(
    user: User, partner_id: int | None, status: LabStatus | None = LabStatus.SUBMITTED
) -> sa.Select:
    """Submissions this grader may see: staff see all, a partner's graders only their partner's learners."""
    stmt = sa.select(LabSubmission).join(Enrolment, LabSubmission.enrolment_id == Enrolment.id)
    if Role.STAFF not in user.roles:
        if partner_id is None or partner_id not in partner_ids_for_grading(user):
            return stmt.where(sa.false())
        stmt = stmt.where(Enrolment.partner_id == partner_id)
    if status is not None:
        stmt = stmt.where(LabSubmission.status == status)
    return stmt.order_by(LabSubmission.submitted_at)


def grade(
    submission_id: int,
    *,
    grader: User,
    scores: dict[str, Any],
    comments: dict[str, str],
    feedback: str,
) -> LabSubmission:
    """Grade a submission against its lab's rubric: it passes at the lab's pass mark, else needs revision."""
    submission = lock_row(LabSubmission, submission_id)
    if submission is None:
        raise DomainError(_("This submission does not exist."))
    if not can_grade(grader, submission):
        raise NotAllowed(_("You do not grade this learner's work."))
    if submission.status != LabStatus.SUBMITTED:
        raise DomainError(_("This submission has already been graded."))
    lesson = submission.lesson
    criteria = rubric(lesson)
    clean_scores: dict[str, int] = {}
    for criterion in criteria:
        raw = scores.get(criterion["id"])
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            raise DomainError(_("Give points for every criterion."), field=f"score-{criterion['id']}") from None
        if not 0 <= value <= int(criterion.get("points", 0)):
            raise DomainError(
                _("Points must be between 0 and %(max)d.", max=int(criterion.get("points", 0))),
                field=f"score-{criterion['id']}",
            )
        clean_scores[criterion["id"]] = value
    feedback = (feedback or "").strip()
    if not feedback:
        raise DomainError(_("Write a comment for the learner."), field="feedback")
    submission.scores = clean_scores
    submission.criterion_comments = {
        c["id"]: (comments.get(c["id"]) or "").strip()[:2000] for c in criteria if (comments.get(c["id"]) or "").strip()
    }
    submission.feedback = feedback[:5000]
    submission.grader_id = grader.id
    submission.graded_at = utcnow()
    passed = sum(clean_scores.values()) >= pass_points(lesson)
    submission.status = LabStatus.PASSED if passed else LabStatus.NEEDS_REVISION
    db.session.flush()
    audit.record(
        "lab.graded",
        actor_id=grader.id,
        subject=submission,
        partner_id=submission.enrolment.partner_id,
        details={"scores": clean_scores, "status": submission.status.value},
    )
    if passed:
        record(submission.enrolment, lesson, Verb.PASSED)
    return submission


def grader_memberships(user: User) -> list[Membership]:
    return [m for m in user.partner_memberships() if Role(m.role) in GRADER_ROLES]

"""Enrolment rules. Every channel that gives a learner a seat (purchase, voucher, partner, cohort,
staff) calls :func:`enrol`; exams ask :func:`exam_eligibility`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.core import audit, signals
from lms.core.db import lock_row
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.courses.models import (
    LIVE_ENROLMENT_STATES,
    Course,
    CoursePrerequisite,
    CourseVersion,
    CourseVersionStatus,
    DeliveryMode,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    PrerequisiteOverride,
)
from lms.extensions import db


def live_enrolment(user_id: int, course_version_id: int) -> Enrolment | None:
    return db.session.execute(
        sa.select(Enrolment).where(
            Enrolment.user_id == user_id,
            Enrolment.course_version_id == course_version_id,
            Enrolment.status.in_(LIVE_ENROLMENT_STATES),
        )
    ).scalar_one_or_none()


def _access_expiry(version: CourseVersion, class_id: int | None, start: datetime) -> datetime | None:
    elearning = class_id is None and DeliveryMode.ELEARNING.value in (version.delivery_modes or [])
    return start + timedelta(days=version.access_days) if elearning else None


def enrol(
    *,
    user_id: int,
    course_version_id: int,
    source: EnrolmentSource,
    partner_id: int | None = None,
    reseller_id: int | None = None,
    class_id: int | None = None,
    origin_ref: str | None = None,
    actor_id: int | None = None,
    start: bool = True,
) -> Enrolment:
    """Give a learner a seat on a course version; returns the existing enrolment if there is one.

    eLearning access runs from the start for the version's ``access_days``; a class seat has no
    access expiry of its own. ``start=False`` keeps the enrolment pending (a class not begun yet).
    Prerequisites do not block a seat (it may have been paid for); they keep the content closed
    until they are met (see :func:`missing_prerequisites`).
    """
    existing = live_enrolment(user_id, course_version_id)
    if existing is not None:
        return existing
    version = db.session.get(CourseVersion, course_version_id)
    if version is None or version.status != CourseVersionStatus.PUBLISHED:
        raise DomainError(_("This course is not open for enrolment."))
    now = utcnow()
    enrolment = Enrolment(
        user_id=user_id,
        course_version_id=course_version_id,
        source=source,
        partner_id=partner_id,
        reseller_id=reseller_id,
        class_id=class_id,
        origin_ref=origin_ref,
        status=EnrolmentStatus.ACTIVE if start else EnrolmentStatus.PENDING,
        started_at=now if start else None,
        access_expires_at=_access_expiry(version, class_id, now) if start else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
            db.session.flush()
    except sa.exc.IntegrityError:
        # Two channels enrolled the same learner at once: the other one won; return its enrolment.
        existing = live_enrolment(user_id, course_version_id)
        if existing is None:
            raise
        return existing
    audit.record(
        "enrolment.created",
        actor_id=actor_id,
        subject=enrolment,
        partner_id=partner_id,
        details={"user_id": user_id, "course_version_id": course_version_id, "source": source.value},
    )
    signals.enrolment_created.send(enrolment_id=enrolment.id, user_id=user_id, course_version_id=course_version_id)
    return enrolment


def _change_status(enrolment: Enrolment, status: EnrolmentStatus, *, actor_id: int | None, **details: object) -> None:
    previous = enrolment.status
    enrolment.status = status
    db.session.flush()
    audit.record(
        f"enrolment.{status.value}",
        actor_id=actor_id,
        subject=enrolment,
        partner_id=enrolment.partner_id,
        details={"from": previous.value, **details},
    )
    signals.enrolment_changed.send(enrolment_id=enrolment.id, status=status.value)


def start_enrolment(enrolment_id: int, *, actor_id: int | None = None) -> Enrolment:
    """A pending seat begins (its class starts, or the learner starts it): access runs from now."""
    enrolment = _locked(enrolment_id)
    if enrolment.status != EnrolmentStatus.PENDING:
        return enrolment
    now = utcnow()
    enrolment.started_at = now
    enrolment.access_expires_at = _access_expiry(enrolment.course_version, enrolment.class_id, now)
    _change_status(enrolment, EnrolmentStatus.ACTIVE, actor_id=actor_id)
    return enrolment


def cancel_enrolment(enrolment_id: int, *, actor_id: int | None, reason: str = "") -> Enrolment:
    """End a seat (a refund, a mistake). A completed course stays completed: it may have led to an exam."""
    enrolment = _locked(enrolment_id)
    if enrolment.status == EnrolmentStatus.CANCELLED:
        return enrolment
    if enrolment.status not in (EnrolmentStatus.PENDING, EnrolmentStatus.ACTIVE, EnrolmentStatus.EXPIRED):
        raise DomainError(_("Only a pending, active or expired enrolment can be cancelled."))
    enrolment.ended_at = utcnow()
    _change_status(enrolment, EnrolmentStatus.CANCELLED, actor_id=actor_id, reason=reason)
    return enrolment


def transfer_enrolment(
    enrolment_id: int,
    *,
    actor_id: int | None,
    course_version_id: int | None = None,
    class_id: int | None = None,
    partner_id: int | None = None,
) -> Enrolment:
    """Move a seat to another class or course version: the old enrolment ends as *transferred*."""
    old = _locked(enrolment_id)
    if old.status not in (EnrolmentStatus.PENDING, EnrolmentStatus.ACTIVE):
        raise DomainError(_("Only a pending or active enrolment can be transferred."))
    target_version = course_version_id or old.course_version_id
    if target_version == old.course_version_id and class_id == old.class_id:
        raise DomainError(_("The enrolment is already there."))
    was_active = old.status == EnrolmentStatus.ACTIVE
    old.ended_at = utcnow()
    _change_status(old, EnrolmentStatus.TRANSFERRED, actor_id=actor_id, to_version=target_version, to_class=class_id)
    new = enrol(
        user_id=old.user_id,
        course_version_id=target_version,
        source=old.source,
        partner_id=partner_id if partner_id is not None else old.partner_id,
        reseller_id=old.reseller_id,
        class_id=class_id,
        origin_ref=f"transfer:{old.id}",
        actor_id=actor_id,
        start=was_active,
    )
    return new


def end_enrolment(
    enrolment_id: int, status: EnrolmentStatus, *, actor_id: int | None = None, reason: str = ""
) -> Enrolment | None:
    """End a pending or active enrolment because its seat was cancelled, refunded or passed to someone else.

    A no-op when it already ended, and a completed course stays completed (it may have led to an exam).
    """
    if status not in (EnrolmentStatus.CANCELLED, EnrolmentStatus.TRANSFERRED, EnrolmentStatus.EXPIRED):
        raise ValueError(f"not an ending status: {status}")
    enrolment = _locked(enrolment_id)
    if enrolment.status not in (EnrolmentStatus.PENDING, EnrolmentStatus.ACTIVE):
        return enrolment
    enrolment.ended_at = utcnow()
    _change_status(enrolment, status, actor_id=actor_id, reason=reason)
    return enrolment


def extend_access(enrolment_id: int, days: int, *, actor_id: int | None) -> Enrolment:
    """Give more days of eLearning access (an expired seat becomes active again)."""
    if days < 1 or days > 3650:
        raise DomainError(_("Give between 1 and 3650 days."), field="days")
    enrolment = _locked(enrolment_id)
    if enrolment.status in (EnrolmentStatus.CANCELLED, EnrolmentStatus.TRANSFERRED):
        raise DomainError(_("A cancelled or transferred enrolment cannot be extended."))
    base = max(enrolment.access_expires_at or utcnow(), utcnow())
    enrolment.access_expires_at = base + timedelta(days=days)
    audit.record(
        "enrolment.access_extended",
        actor_id=actor_id,
        subject=enrolment,
        partner_id=enrolment.partner_id,
        details={"days": days, "until": enrolment.access_expires_at.isoformat()},
    )
    if enrolment.status == EnrolmentStatus.EXPIRED:
        _change_status(enrolment, EnrolmentStatus.ACTIVE, actor_id=actor_id)
    return enrolment


def expire_enrolments(now: datetime | None = None) -> list[int]:
    """Active eLearning seats whose access period has ended become *expired*; returns their ids."""
    now = now or utcnow()
    ids = list(
        db.session.execute(
            sa.select(Enrolment.id).where(
                Enrolment.status == EnrolmentStatus.ACTIVE,
                Enrolment.access_expires_at.is_not(None),
                Enrolment.access_expires_at <= now,
            )
        ).scalars()
    )
    for enrolment_id in ids:
        enrolment = _locked(enrolment_id)
        if enrolment.status == EnrolmentStatus.ACTIVE and enrolment.access_expires_at <= now:
            enrolment.ended_at = enrolment.access_expires_at
            _change_status(enrolment, EnrolmentStatus.EXPIRED, actor_id=None)
    return ids


def _locked(enrolment_id: int) -> Enrolment:
    enrolment = lock_row(Enrolment, enrolment_id)
    if enrolment is None:
        raise DomainError(_("This enrolment does not exist."))
    return enrolment


# --- access ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    allowed: bool
    reason: str = ""
    #: Courses still to complete before this one opens.
    missing: tuple[Course, ...] = ()


def content_access(enrolment: Enrolment, now: datetime | None = None) -> Access:
    """May the learner open this enrolment's lessons now? (State, access period, prerequisites.)"""
    now = now or utcnow()
    if enrolment.status == EnrolmentStatus.PENDING:
        return Access(False, _("Your seat starts when your class begins."))
    if enrolment.status in (EnrolmentStatus.CANCELLED, EnrolmentStatus.TRANSFERRED):
        return Access(False, _("This enrolment has ended."))
    if enrolment.status == EnrolmentStatus.EXPIRED or (
        enrolment.access_expires_at is not None and enrolment.access_expires_at <= now
    ):
        return Access(False, _("Your access period for this course has ended."))
    missing = missing_prerequisites(enrolment.user_id, enrolment.course_version.course)
    if missing:
        return Access(False, _("Complete the required courses first."), tuple(missing))
    return Access(True)


def can_progress(enrolment: Enrolment) -> bool:
    return enrolment.status == EnrolmentStatus.ACTIVE and content_access(enrolment).allowed


# --- prerequisites -----------------------------------------------------------------------------


def has_completed_course(user_id: int, course_id: int) -> bool:
    return (
        db.session.execute(
            sa.select(Enrolment.id)
            .join(CourseVersion, Enrolment.course_version_id == CourseVersion.id)
            .where(
                Enrolment.user_id == user_id,
                CourseVersion.course_id == course_id,
                Enrolment.status == EnrolmentStatus.COMPLETED,
            )
            .limit(1)
        ).scalar_one_or_none()
        is not None
    )


def active_override(user_id: int, course_id: int) -> PrerequisiteOverride | None:
    return db.session.execute(
        sa.select(PrerequisiteOverride).where(
            PrerequisiteOverride.user_id == user_id,
            PrerequisiteOverride.course_id == course_id,
            PrerequisiteOverride.revoked_at.is_(None),
        )
    ).scalar_one_or_none()


def missing_prerequisites(user_id: int, course: Course) -> list[Course]:
    """Prerequisite courses this learner has not completed (empty when met or overridden by staff)."""
    if not course.prerequisites or active_override(user_id, course.id) is not None:
        return []
    return [required for required in course.prerequisites if not has_completed_course(user_id, required.id)]


def set_prerequisites(course: Course, required_ids: list[int], *, actor_id: int | None) -> None:
    """Replace a course's prerequisites, refusing itself and cycles (A needs B needs A)."""
    required_ids = sorted(set(required_ids))
    if course.id in required_ids:
        raise DomainError(_("A course cannot require itself."), field="prerequisites")
    for required_id in required_ids:
        if course.id in _all_required(required_id):
            raise DomainError(_("That would make the prerequisites go round in a circle."), field="prerequisites")
    db.session.execute(sa.delete(CoursePrerequisite).where(CoursePrerequisite.course_id == course.id))
    for required_id in required_ids:
        db.session.add(CoursePrerequisite(course_id=course.id, required_course_id=required_id))
    db.session.flush()
    db.session.expire(course, ["prerequisites"])
    audit.record("course.prerequisites_set", actor_id=actor_id, subject=course, details={"required": required_ids})


def _all_required(course_id: int) -> set[int]:
    seen: set[int] = set()
    frontier = [course_id]
    while frontier:
        rows = db.session.execute(
            sa.select(CoursePrerequisite.required_course_id).where(CoursePrerequisite.course_id.in_(frontier))
        ).scalars()
        frontier = [r for r in rows if r not in seen]
        seen.update(frontier)
    return seen


def grant_override(user_id: int, course_id: int, *, actor_id: int, reason: str) -> PrerequisiteOverride:
    """Staff let a learner into a course without its prerequisites; the reason is logged."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(_("Give a reason for the override (at least a few words)."), field="reason")
    existing = active_override(user_id, course_id)
    if existing is not None:
        return existing
    override = PrerequisiteOverride(user_id=user_id, course_id=course_id, granted_by_id=actor_id, reason=reason)
    db.session.add(override)
    db.session.flush()
    audit.record(
        "course.prerequisite_override",
        actor_id=actor_id,
        subject=override,
        details={"user_id": user_id, "course_id": course_id, "reason": reason},
    )
    return override


def revoke_override(override_id: int, *, actor_id: int) -> None:
    override = db.session.get(PrerequisiteOverride, override_id)
    if override is None or override.revoked_at is not None:
        return
    override.revoked_at = utcnow()
    audit.record(
        "course.prerequisite_override_revoked",
        actor_id=actor_id,
        subject=override,
        details={"user_id": override.user_id, "course_id": override.course_id},
    )


# --- exam eligibility --------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    #: The completed enrolment that makes the learner eligible (its partner delivered the training).
    enrolment_id: int | None = None
    reason: str = ""


def exam_eligibility(user_id: int, track_id: int) -> Eligibility:
    """May this learner sit the certification exam of ``track_id``? (A completed course of the track.)"""
    completed = db.session.execute(
        sa.select(Enrolment)
        .join(CourseVersion, Enrolment.course_version_id == CourseVersion.id)
        .join(Course, CourseVersion.course_id == Course.id)
        .where(
            Enrolment.user_id == user_id,
            Course.track_id == track_id,
            Enrolment.status == EnrolmentStatus.COMPLETED,
        )
        .order_by(Enrolment.completed_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if completed is None:
        return Eligibility(False, None, _("Complete a course of this certification to unlock the exam."))
    return Eligibility(True, completed.id)

"""The proctor's view of live attempts and the actions a proctor takes, each with a required reason.

Scope: staff see every attempt; a proctor sees the attempts of candidates whose class they proctor
and, partner-wide, the attempts delivered by a partner in which they hold the proctor or admin role.
Proctors never see items or keys: this module hands out times, statuses and the evidence timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.core import audit
from lms.core.db import lock_row
from lms.core.errors import DomainError
from lms.core.security import Role
from lms.core.time import utcnow
from lms.exams.models import (
    LIVE_ATTEMPT_STATES,
    AttemptEvent,
    AttemptStatus,
    EndReason,
    EventKind,
    ExamAttempt,
)
from lms.exams.services import grading
from lms.extensions import db
from lms.partners.models import ClassStaffRole
from lms.partners.services import classes_for_staff

MAX_ADDED_MINUTES = 240
PARTNER_PROCTOR_ROLES = frozenset({Role.PROCTOR, Role.PARTNER_ADMIN})


@dataclass(frozen=True)
class ProctorScope:
    everything: bool
    class_ids: frozenset[int]
    partner_ids: frozenset[int]

    def condition(self) -> Any:
        if self.everything:
            return sa.true()
        clauses = []
        if self.class_ids:
            clauses.append(ExamAttempt.class_id.in_(self.class_ids))
        if self.partner_ids:
            clauses.append(ExamAttempt.partner_id.in_(self.partner_ids))
        return sa.or_(*clauses) if clauses else sa.false()


def scope_for(user: User) -> ProctorScope:
    if Role.STAFF in user.roles:
        return ProctorScope(True, frozenset(), frozenset())
    partner_ids = frozenset(
        m.organisation_id for m in user.partner_memberships() if Role(m.role) in PARTNER_PROCTOR_ROLES
    )
    return ProctorScope(False, frozenset(classes_for_staff(user.id, ClassStaffRole.PROCTOR)), partner_ids)


def attempt_in_scope(user: User, attempt_id: int) -> ExamAttempt:
    """One attempt the user may proctor; any other is a 404, like a missing one."""
    attempt = db.session.execute(
        sa.select(ExamAttempt).where(ExamAttempt.id == attempt_id, scope_for(user).condition())
    ).scalar_one_or_none()
    if attempt is None:
        abort(404)
    return attempt


def live_attempts(user: User, *, recent_minutes: int = 60) -> list[ExamAttempt]:
    """Attempts under way, and those finished in the last ``recent_minutes`` (so an ending is seen)."""
    since = utcnow() - timedelta(minutes=recent_minutes)
    return list(
        db.session.execute(
            sa.select(ExamAttempt)
            .where(
                scope_for(user).condition(),
                sa.or_(ExamAttempt.status.in_(LIVE_ATTEMPT_STATES), ExamAttempt.finished_at >= since),
            )
            .order_by(ExamAttempt.status, ExamAttempt.deadline_at)
            .limit(500)
        ).scalars()
    )


def recent_events(attempt_ids: list[int], per_attempt: int = 5) -> dict[int, list[AttemptEvent]]:
    if not attempt_ids:
        return {}
    rows = db.session.execute(
        sa.select(AttemptEvent)
        .where(AttemptEvent.attempt_id.in_(attempt_ids))
        .order_by(AttemptEvent.occurred_at.desc(), AttemptEvent.id.desc())
        .limit(per_attempt * len(attempt_ids) * 4)
    ).scalars()
    out: dict[int, list[AttemptEvent]] = {}
    for event in rows:
        bucket = out.setdefault(event.attempt_id, [])
        if len(bucket) < per_attempt:
            bucket.append(event)
    return out


def timeline(attempt_id: int) -> list[AttemptEvent]:
    return list(
        db.session.execute(
            sa.select(AttemptEvent)
            .where(AttemptEvent.attempt_id == attempt_id)
            .order_by(AttemptEvent.occurred_at, AttemptEvent.id)
        ).scalars()
    )


# --- actions -------------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason; it goes into the attempt's evidence timeline."), field="reason")
    if len(reason) > 2000:
        raise DomainError(_("Keep the reason under 2,000 characters."), field="reason")
    return reason


def _record(attempt: ExamAttempt, actor: User, kind: EventKind, now: datetime, **details: Any) -> None:
    source = "staff" if Role.STAFF in actor.roles else "proctor"
    db.session.add(
        AttemptEvent(
            attempt_id=attempt.id, occurred_at=now, kind=kind, source=source, actor_id=actor.id, details=details
        )
    )
    db.session.flush()
    audit.record(
        f"exams.proctor_{kind.value}",
        actor_id=actor.id,
        subject=attempt,
        partner_id=attempt.partner_id,
        details=details,
    )


def _live(attempt_id: int) -> ExamAttempt:
    attempt = lock_row(ExamAttempt, attempt_id)
    if attempt is None or not attempt.is_live:
        raise DomainError(_("This attempt has already ended."))
    return attempt


def pause(actor: User, attempt_id: int, reason: str, now: datetime | None = None) -> ExamAttempt:
    now = now or utcnow()
    reason = _reason(reason)
    attempt = _live(attempt_id)
    if attempt.status == AttemptStatus.PAUSED:
        raise DomainError(_("The clock is already paused."))
    attempt.status = AttemptStatus.PAUSED
    attempt.paused_at = now
    _record(attempt, actor, EventKind.PAUSED, now, reason=reason)
    return attempt


def resume(actor: User, attempt_id: int, reason: str, now: datetime | None = None) -> ExamAttempt:
    now = now or utcnow()
    reason = _reason(reason)
    attempt = _live(attempt_id)
    if attempt.status != AttemptStatus.PAUSED or attempt.paused_at is None:
        raise DomainError(_("The clock is not paused."))
    paused_for = now - attempt.paused_at
    attempt.deadline_at += paused_for  # the candidate gets back exactly the time the pause took
    attempt.paused_at = None
    attempt.status = AttemptStatus.IN_PROGRESS
    _record(attempt, actor, EventKind.RESUMED, now, reason=reason, paused_seconds=int(paused_for.total_seconds()))
    return attempt


def add_time(actor: User, attempt_id: int, minutes: int, reason: str, now: datetime | None = None) -> ExamAttempt:
    now = now or utcnow()
    reason = _reason(reason)
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_ADDED_MINUTES:
        raise DomainError(_("Add between 1 and %(count)d minutes.", count=MAX_ADDED_MINUTES), field="minutes")
    attempt = _live(attempt_id)
    attempt.added_seconds += minutes * 60
    attempt.deadline_at += timedelta(minutes=minutes)
    _record(attempt, actor, EventKind.TIME_ADDED, now, reason=reason, minutes=minutes)
    return attempt


def end(actor: User, attempt_id: int, reason: str, now: datetime | None = None) -> ExamAttempt:
    """End the attempt now; its result is held for staff review (a signal for a human, not a verdict)."""
    now = now or utcnow()
    reason = _reason(reason)
    _live(attempt_id)
    source = "staff" if Role.STAFF in actor.roles else "proctor"
    attempt = grading.finish_attempt(
        attempt_id, EndReason.PROCTOR, now=now, actor_id=actor.id, source=source, note=reason
    )
    assert attempt is not None
    audit.record(
        "exams.proctor_ended",
        actor_id=actor.id,
        subject=attempt,
        partner_id=attempt.partner_id,
        details={"reason": reason},
    )
    return attempt


def add_note(actor: User, attempt_id: int, note: str, now: datetime | None = None) -> ExamAttempt:
    now = now or utcnow()
    note = _reason(note)
    attempt = lock_row(ExamAttempt, attempt_id)
    assert attempt is not None
    _record(attempt, actor, EventKind.NOTE, now, note=note)
    return attempt


def flag(actor: User, attempt_id: int, reason: str, now: datetime | None = None) -> ExamAttempt:
    """Ask for staff review of this attempt's result (held when the attempt ends)."""
    now = now or utcnow()
    reason = _reason(reason)
    attempt = _live(attempt_id)
    attempt.flagged = True
    _record(attempt, actor, EventKind.FLAGGED, now, reason=reason)
    return attempt


def approve_move(actor: User, attempt_id: int, reason: str, now: datetime | None = None) -> ExamAttempt:
    """Let the candidate continue on the device that asked; the old one is blocked from now on."""
    now = now or utcnow()
    reason = _reason(reason)
    attempt = _live(attempt_id)
    if not attempt.pending_device_hash:
        raise DomainError(_("No other device is waiting to continue this exam."))
    attempt.device_hash = attempt.pending_device_hash
    attempt.pending_device_hash = None
    attempt.move_requested_at = None
    _record(attempt, actor, EventKind.DEVICE_MOVED, now, reason=reason)
    return attempt

"""May this candidate start the exam now? Eligibility, a live attempt, retake waits, limits, vouchers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _

from lms.core.time import utcnow
from lms.courses.services import Eligibility, exam_eligibility
from lms.exams.models import AttemptStatus, ExamAttempt, ExamBlueprint, ExamVoucher, ResultStatus
from lms.exams.services.blueprints import active_blueprint
from lms.exams.services.vouchers import usable_voucher
from lms.extensions import db

YEAR = timedelta(days=365)


@dataclass
class StartDecision:
    allowed: bool
    #: Why not (translated), shown as it is to the candidate.
    reason: str = ""
    next_allowed_at: datetime | None = None
    blueprint: ExamBlueprint | None = None
    eligibility: Eligibility | None = None
    voucher: ExamVoucher | None = None
    live_attempt: ExamAttempt | None = None
    attempts: list[ExamAttempt] = field(default_factory=list)


def attempts_of(user_id: int, track_id: int) -> list[ExamAttempt]:
    return list(
        db.session.execute(
            sa.select(ExamAttempt)
            .where(ExamAttempt.user_id == user_id, ExamAttempt.track_id == track_id)
            .order_by(ExamAttempt.number)
        ).scalars()
    )


def next_retake_at(blueprint: ExamBlueprint, completed: list[ExamAttempt]) -> datetime | None:
    """When the next attempt opens under the wait schedule (``None``: no wait applies)."""
    if not completed or not blueprint.retake_wait_days:
        return None
    waits = blueprint.retake_wait_days
    retakes_so_far = len(completed) - 1
    wait_days = int(waits[min(retakes_so_far, len(waits) - 1)])
    last = completed[-1]
    return (last.finished_at or last.started_at) + timedelta(days=wait_days)


def start_decision(user_id: int, track_id: int, now: datetime | None = None) -> StartDecision:
    now = now or utcnow()
    blueprint = active_blueprint(track_id)
    if blueprint is None:
        return StartDecision(False, _("This exam is not open for candidates yet."))
    attempts = attempts_of(user_id, track_id)
    decision = StartDecision(False, blueprint=blueprint, attempts=attempts)
    live = next((a for a in attempts if a.status in (AttemptStatus.IN_PROGRESS, AttemptStatus.PAUSED)), None)
    if live is not None:
        decision.live_attempt = live
        decision.reason = _("Your exam is under way: resume it.")
        return decision
    eligibility = exam_eligibility(user_id, track_id)
    decision.eligibility = eligibility
    if not eligibility.eligible:
        decision.reason = eligibility.reason
        return decision
    if any(a.passed and a.result_status == ResultStatus.RELEASED for a in attempts):
        decision.reason = _("You passed this exam. No retake is needed.")
        return decision
    if any(a.result_status == ResultStatus.HELD for a in attempts):
        decision.reason = _("Your last result is being reviewed. You can plan a retake once it is released.")
        return decision
    completed = [a for a in attempts if a.status == AttemptStatus.COMPLETED]
    if blueprint.attempts_allowed and len(completed) >= blueprint.attempts_allowed:
        decision.reason = ngettext(
            "You have used the %(num)d attempt this exam allows.",
            "You have used all %(num)d attempts this exam allows.",
            blueprint.attempts_allowed,
        )
        return decision
    recent = [a for a in completed if a.started_at > now - YEAR]
    if len(recent) >= blueprint.max_attempts_per_year:
        decision.next_allowed_at = min(a.started_at for a in recent) + YEAR
        decision.reason = ngettext(
            "This exam allows %(num)d attempt in 12 months. Your next attempt opens on %(date)s.",
            "This exam allows %(num)d attempts in 12 months. Your next attempt opens on %(date)s.",
            blueprint.max_attempts_per_year,
            date=format_datetime(decision.next_allowed_at, "medium"),
        )
        return decision
    opens = next_retake_at(blueprint, completed)
    if opens is not None and now < opens:
        decision.next_allowed_at = opens
        decision.reason = _("You can retake the exam from %(date)s.", date=format_datetime(opens, "medium"))
        return decision
    if blueprint.voucher_required:
        decision.voucher = usable_voucher(user_id, track_id, now)
        if decision.voucher is None:
            decision.reason = _(
                "You need an exam voucher for this attempt. A course seat includes one; your training partner "
                "can also give you one."
            )
            return decision
    decision.allowed = True
    decision.reason = ""
    return decision

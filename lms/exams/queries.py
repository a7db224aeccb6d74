"""Reads for the exam pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from lms.accounts.models import User
from lms.core.time import utcnow
from lms.courses.models import LIVE_ENROLMENT_STATES, CertificationTrack, Course, CourseVersion, Enrolment
from lms.exams.models import (
    Accommodation,
    AccommodationStatus,
    AttemptItem,
    ExamAttempt,
    ExamBlueprint,
    ExamVoucher,
    Item,
    ItemStatus,
    ResultStatus,
    VoucherStatus,
)
from lms.exams.services import accommodations, policy
from lms.exams.services.policy import StartDecision
from lms.exams.services.vouchers import vouchers_of
from lms.extensions import db


def track_by_code(code: str) -> CertificationTrack | None:
    return db.session.execute(
        sa.select(CertificationTrack).where(CertificationTrack.code == code.upper())
    ).scalar_one_or_none()


def tracks() -> list[CertificationTrack]:
    return list(db.session.execute(sa.select(CertificationTrack).order_by(CertificationTrack.position)).scalars())


@dataclass
class ExamSummary:
    """One certification exam as its candidate sees it on the dashboard and "My exams"."""

    track: CertificationTrack
    blueprint: ExamBlueprint | None
    decision: StartDecision
    vouchers: list[ExamVoucher] = field(default_factory=list)
    attempts: list[ExamAttempt] = field(default_factory=list)
    minutes: int = 0
    standard_minutes: int = 0

    @property
    def usable_vouchers(self) -> list[ExamVoucher]:
        now = utcnow()
        return [v for v in self.vouchers if v.usable(now)]

    @property
    def latest(self) -> ExamAttempt | None:
        return self.attempts[-1] if self.attempts else None


def candidate_track_ids(user_id: int) -> list[int]:
    """Certifications this candidate has something to do with: a seat, a voucher or an attempt."""
    enrolled = (
        sa.select(Course.track_id)
        .join(CourseVersion, CourseVersion.course_id == Course.id)
        .join(Enrolment, Enrolment.course_version_id == CourseVersion.id)
        .where(Enrolment.user_id == user_id, Enrolment.status.in_(LIVE_ENROLMENT_STATES))
    )
    vouchered = sa.select(ExamVoucher.track_id).where(ExamVoucher.user_id == user_id)
    attempted = sa.select(ExamAttempt.track_id).where(ExamAttempt.user_id == user_id)
    ids = set(db.session.execute(sa.union(enrolled, vouchered, attempted)).scalars())
    return [t.id for t in tracks() if t.id in ids]


def exam_summary(user: User, track: CertificationTrack, now: datetime | None = None) -> ExamSummary:
    now = now or utcnow()
    decision = policy.start_decision(user.id, track.id, now)
    summary = ExamSummary(
        track=track,
        blueprint=decision.blueprint,
        decision=decision,
        vouchers=vouchers_of(user.id, track.id),
        attempts=decision.attempts or policy.attempts_of(user.id, track.id),
    )
    if decision.blueprint is not None:
        base = decision.blueprint.time_limit_minutes * 60
        accommodation = accommodations.applicable(user.id, track.id, now)
        extra = accommodation.extended_seconds(base) if accommodation is not None else 0
        summary.minutes, summary.standard_minutes = (base + extra) // 60, base // 60
    return summary


def candidate_exams(user: User) -> list[ExamSummary]:
    by_id = {t.id: t for t in tracks()}
    return [exam_summary(user, by_id[tid]) for tid in candidate_track_ids(user.id)]


def held_attempts() -> list[ExamAttempt]:
    return list(
        db.session.execute(
            sa.select(ExamAttempt)
            .where(ExamAttempt.result_status == ResultStatus.HELD)
            .order_by(ExamAttempt.finished_at)
        ).scalars()
    )


def recent_attempts(track_id: int | None = None, limit: int = 100) -> list[ExamAttempt]:
    stmt = sa.select(ExamAttempt).order_by(ExamAttempt.id.desc()).limit(limit)
    if track_id is not None:
        stmt = stmt.where(ExamAttempt.track_id == track_id)
    return list(db.session.execute(stmt).scalars())


def pending_accommodations() -> list[Accommodation]:
    return list(
        db.session.execute(
            sa.select(Accommodation)
            .where(Accommodation.status == AccommodationStatus.REQUESTED)
            .order_by(Accommodation.created_at)
        ).scalars()
    )


def users_by_id(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.execute(sa.select(User).where(User.id.in_(ids))).scalars()}


def bank_counts() -> dict[int, dict[str, int]]:
    """``{track_id: {status: items}}``"""
    rows = db.session.execute(
        sa.select(Item.track_id, Item.status, sa.func.count(Item.id)).group_by(Item.track_id, Item.status)
    ).all()
    out: dict[int, dict[str, int]] = {}
    for track_id, status, count in rows:
        out.setdefault(track_id, {})[ItemStatus(status).value] = count
    return out


def items_page(track_id: int, *, domain_id: int | None = None, status: str = "", query: str = "") -> list[Item]:
    stmt = sa.select(Item).where(Item.track_id == track_id).order_by(Item.code)
    if domain_id:
        stmt = stmt.where(Item.domain_id == domain_id)
    if status in {s.value for s in ItemStatus}:
        stmt = stmt.where(Item.status == ItemStatus(status))
    if query:
        stmt = stmt.where(sa.or_(Item.code.ilike(f"%{query}%"), Item.objective.ilike(f"%{query}%")))
    return list(db.session.execute(stmt).unique().scalars())


def voucher_counts(track_id: int) -> dict[str, int]:
    rows = db.session.execute(
        sa.select(ExamVoucher.status, sa.func.count(ExamVoucher.id))
        .where(ExamVoucher.track_id == track_id)
        .group_by(ExamVoucher.status)
    ).all()
    return {VoucherStatus(status).value: count for status, count in rows}


def item_by_code(track_id: int, code: str) -> Item | None:
    return db.session.execute(sa.select(Item).where(Item.track_id == track_id, Item.code == code)).scalar_one_or_none()


def items_by_id(ids: set[int]) -> dict[int, Item]:
    if not ids:
        return {}
    return {i.id: i for i in db.session.execute(sa.select(Item).where(Item.id.in_(ids))).unique().scalars()}


def times_served(version_ids: list[int]) -> dict[int, int]:
    """``{item_version_id: attempts that served it}``"""
    if not version_ids:
        return {}
    rows = db.session.execute(
        sa.select(AttemptItem.item_version_id, sa.func.count(AttemptItem.id))
        .where(AttemptItem.item_version_id.in_(version_ids))
        .group_by(AttemptItem.item_version_id)
    ).all()
    return dict(rows)


def partner_results(partner_id: int) -> sa.Select:
    """Completed attempts of the learners a partner trained (the attempt carries its partner)."""
    from lms.exams.models import AttemptStatus

    return sa.select(ExamAttempt).where(
        ExamAttempt.partner_id == partner_id, ExamAttempt.status == AttemptStatus.COMPLETED
    )

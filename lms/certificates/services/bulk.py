"""Bulk issue for a whole class: everyone who passed and has no certificate yet, in batches of tasks.

A job lists the decisions it covers (``BulkIssueItem``); batches of them are queued as tasks that
commit one certificate at a time. Progress is read from the decisions themselves, so a batch that
died half-way shows exactly what is left, and resuming (or running the whole thing again) issues
only what is missing: each decision can produce one certificate, enforced by a UNIQUE constraint.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.certificates.models import (
    BulkIssueItem,
    BulkIssueJob,
    DecisionState,
    JobStatus,
    PassingDecision,
)
from lms.core import audit
from lms.core.errors import DomainError
from lms.core.tasks import enqueue
from lms.core.time import utcnow
from lms.courses.models import LIVE_ENROLMENT_STATES, Course, CourseVersion, Enrolment
from lms.extensions import db
from lms.partners.models import TrainingClass

log = logging.getLogger(__name__)

BATCH_SIZE = 25
#: Decisions a bulk run picks up: not issued yet (waiting ones are checked again).
OPEN_STATES = (DecisionState.PENDING, DecisionState.WAITING_FOR_COURSE, DecisionState.FAILED)


def class_track_id(training_class: TrainingClass) -> int | None:
    return db.session.execute(
        sa.select(Course.track_id)
        .join(CourseVersion, CourseVersion.course_id == Course.id)
        .where(CourseVersion.id == training_class.course_version_id)
    ).scalar_one_or_none()


def _class_learners(training_class: TrainingClass) -> sa.Select:
    return sa.select(Enrolment.user_id).where(
        Enrolment.class_id == training_class.id, Enrolment.status.in_(LIVE_ENROLMENT_STATES)
    )


def qualifying_decisions(training_class: TrainingClass) -> list[int]:
    """Ids of the passing decisions of the class's learners (its certification) not issued yet."""
    track_id = class_track_id(training_class)
    if track_id is None:
        return []
    return list(
        db.session.execute(
            sa.select(PassingDecision.id)
            .where(
                PassingDecision.track_id == track_id,
                PassingDecision.certificate_id.is_(None),
                PassingDecision.state.in_(OPEN_STATES),
                PassingDecision.user_id.in_(_class_learners(training_class)),
            )
            .order_by(PassingDecision.id)
        ).scalars()
    )


@dataclass(frozen=True)
class ClassSummary:
    learners: int
    passed: int
    issued: int
    qualifying: int
    waiting_for_course: int


def class_summary(training_class: TrainingClass) -> ClassSummary:
    track_id = class_track_id(training_class)
    learners = db.session.execute(
        sa.select(sa.func.count(sa.distinct(Enrolment.user_id))).where(
            Enrolment.class_id == training_class.id, Enrolment.status.in_(LIVE_ENROLMENT_STATES)
        )
    ).scalar_one()
    rows = db.session.execute(
        sa.select(PassingDecision.state, sa.func.count())
        .where(PassingDecision.track_id == track_id, PassingDecision.user_id.in_(_class_learners(training_class)))
        .group_by(PassingDecision.state)
    ).all()
    counts = {DecisionState(state): count for state, count in rows}
    return ClassSummary(
        learners=learners,
        passed=sum(counts.values()),
        issued=counts.get(DecisionState.ISSUED, 0),
        qualifying=sum(counts.get(state, 0) for state in OPEN_STATES),
        waiting_for_course=counts.get(DecisionState.WAITING_FOR_COURSE, 0),
    )


def _batches(ids: list[int], size: int = BATCH_SIZE) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def start_bulk_issue(training_class: TrainingClass, *, partner_id: int | None, actor_id: int | None) -> BulkIssueJob:
    """Queue the issue of every qualifying certificate of a class (the caller checked access)."""
    from lms.certificates.tasks import issue_batch

    decision_ids = qualifying_decisions(training_class)
    if not decision_ids:
        raise DomainError(_("Nobody in this class is waiting for a certificate."))
    job = BulkIssueJob(
        partner_id=partner_id,
        class_id=training_class.id,
        requested_by_id=actor_id,
        total=len(decision_ids),
        status=JobStatus.RUNNING,
    )
    db.session.add(job)
    db.session.flush()
    db.session.execute(
        sa.insert(BulkIssueItem), [{"job_id": job.id, "decision_id": decision_id} for decision_id in decision_ids]
    )
    audit.record(
        "certificate.bulk_issue_started",
        actor_id=actor_id,
        subject=job,
        partner_id=training_class.partner_id,
        details={"class_id": training_class.id, "decisions": len(decision_ids)},
    )
    for batch in _batches(decision_ids):
        enqueue(issue_batch, job.id, batch)
    return job


def remaining_decisions(job: BulkIssueJob) -> list[int]:
    return list(
        db.session.execute(
            sa.select(PassingDecision.id)
            .join(BulkIssueItem, BulkIssueItem.decision_id == PassingDecision.id)
            .where(
                BulkIssueItem.job_id == job.id,
                PassingDecision.certificate_id.is_(None),
                PassingDecision.state.in_((DecisionState.PENDING, DecisionState.FAILED)),
            )
            .order_by(PassingDecision.id)
        ).scalars()
    )


def resume_job(job: BulkIssueJob, *, actor_id: int | None) -> int:
    """Queue again what a job has not issued yet (after a worker died, or failures were fixed)."""
    from lms.certificates.tasks import issue_batch

    remaining = remaining_decisions(job)
    if remaining:
        job.status = JobStatus.RUNNING
        job.finished_at = None
        audit.record(
            "certificate.bulk_issue_resumed",
            actor_id=actor_id,
            subject=job,
            partner_id=job.partner_id,
            details={"remaining": len(remaining)},
        )
        for batch in _batches(remaining):
            enqueue(issue_batch, job.id, batch)
    db.session.flush()
    return len(remaining)


@dataclass(frozen=True)
class JobProgress:
    total: int
    issued: int
    waiting_for_course: int
    failed: int
    pending: int

    @property
    def done(self) -> bool:
        return self.pending == 0

    @property
    def percent(self) -> int:
        finished = self.issued + self.waiting_for_course + self.failed
        return 100 if not self.total else int(100 * finished / self.total)


def job_progress(job: BulkIssueJob) -> JobProgress:
    rows = db.session.execute(
        sa.select(PassingDecision.state, sa.func.count())
        .join(BulkIssueItem, BulkIssueItem.decision_id == PassingDecision.id)
        .where(BulkIssueItem.job_id == job.id)
        .group_by(PassingDecision.state)
    ).all()
    counts = {DecisionState(state): count for state, count in rows}
    return JobProgress(
        total=job.total,
        issued=counts.get(DecisionState.ISSUED, 0),
        waiting_for_course=counts.get(DecisionState.WAITING_FOR_COURSE, 0),
        failed=counts.get(DecisionState.FAILED, 0),
        pending=counts.get(DecisionState.PENDING, 0),
    )


def finish_if_done(job_id: int) -> None:
    job = db.session.get(BulkIssueJob, job_id)
    if job is None or job.status == JobStatus.DONE:
        return
    if job_progress(job).done:
        job.status = JobStatus.DONE
        job.finished_at = utcnow()
        db.session.flush()


def mark_failed(decision_id: int, error: BaseException) -> None:
    decision = db.session.get(PassingDecision, decision_id)
    if decision is None or decision.certificate_id is not None:
        return
    decision.state = DecisionState.FAILED
    decision.attempts += 1
    decision.last_error = f"{type(error).__name__}: {error}"[:500]
    db.session.flush()

"""Bulk issue for a whole class: everyone who passed and has no certificate yet, in batches of tasks.

A job lists the decisions it covers (``BulkIssueItem``); batches of them are queued as tasks that
commit one certificate at a time. Progress is read from the decisions themselves, so a batch that
died half-way shows exactly what is left, and resuming (or running the whole thing again) issues
only what is missing: each decision can produce one certificate, enforced by a UNIQUE constraint.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import Organisation, User
from lms.certificates.credentials import active_key
from lms.certificates.models import (
    BulkIssueItem,
    BulkIssueJob,
    Certificate,
    CertificateDocument,
    CertificateTemplate,
    DecisionState,
    JobStatus,
    PassingDecision,
)
from lms.certificates.rendering import Parties, parties_for, template_for_track
from lms.certificates.services import issuing
from lms.core import audit
from lms.core.db import ensure_write_lock
from lms.core.errors import DomainError
from lms.core.storage import get_storage
from lms.core.tasks import enqueue
from lms.core.time import utcnow
from lms.courses.models import LIVE_ENROLMENT_STATES, CertificationTrack, Course, CourseVersion, Enrolment
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


# --- the batch pipeline: rows, then PDFs outside any lock, then one short write ------------------
#
# Rendering is nearly all of a certificate's cost. Done inside the issuing transaction it holds the
# decision's row lock — and on SQLite the database's only write lock — for the whole render, so two
# worker processes take turns. A batch therefore runs in three steps, and the task commits between
# them: (1) one short transaction creates the certificate rows of the batch (ids → numbers, signed
# credentials); (2) the PDFs are rendered and stored with no transaction open, so both cores work;
# (3) one short transaction records the documents, marks the decisions issued and writes the audit
# events, signals and e-mails. A worker killed between (1) and (3) leaves certificates without a
# PDF and their decisions still open: the resume (or any later issue of the decision) finds each
# certificate by its unique source reference, renders its PDF and completes it — never a second one.


@dataclass
class ReservedCertificate:
    """A certificate row committed in step (1), detached from the session, waiting for its PDF."""

    decision_id: int
    certificate: Certificate
    holder_email: str
    holder_locale: str
    holder_display_name: str


@dataclass
class BatchPlan:
    reserved: list[ReservedCertificate] = field(default_factory=list)
    #: By id, as plain (transient) objects: the render step reads them without a session.
    templates: dict[int | None, CertificateTemplate] = field(default_factory=dict)
    parties: dict[int | None, Parties] = field(default_factory=dict)
    #: Decisions the pipeline leaves to the one-at-a-time path (renewals, course checks, oddities).
    one_by_one: list[int] = field(default_factory=list)
    #: Decisions already issued (an earlier run finished them).
    already_issued: int = 0


@dataclass
class RenderedDocument:
    reserved: ReservedCertificate
    storage_key: str = ""
    sha256: str = ""
    size: int = 0
    error: BaseException | None = None


def reserve_batch(decision_ids: list[int]) -> BatchPlan:
    """Step (1): create (flush) the certificate rows of the open decisions among ``decision_ids``."""
    plan = BatchPlan()
    ensure_write_lock()
    stmt = sa.select(PassingDecision).where(PassingDecision.id.in_(decision_ids)).order_by(PassingDecision.id)
    if db.session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update()
    decisions = db.session.execute(stmt.execution_options(populate_existing=True)).scalars().all()
    open_decisions = []
    for decision in decisions:
        if decision.certificate_id is not None:
            plan.already_issued += 1
        else:
            open_decisions.append(decision)
    if not open_decisions:
        return plan
    existing = {
        c.source_ref: c
        for c in db.session.execute(
            sa.select(Certificate).where(Certificate.source_ref.in_([d.source_ref for d in open_decisions]))
        ).scalars()
    }
    with_documents = (
        set(
            db.session.execute(
                sa.select(CertificateDocument.certificate_id).where(
                    CertificateDocument.certificate_id.in_([c.id for c in existing.values()])
                )
            ).scalars()
        )
        if existing
        else set()
    )
    users = {
        u.id: u
        for u in db.session.execute(
            sa.select(User).where(User.id.in_({d.user_id for d in open_decisions})).options(lazyload(User.memberships))
        ).scalars()
    }
    tracks = {
        t.id: t
        for t in db.session.execute(
            sa.select(CertificationTrack).where(CertificationTrack.id.in_({d.track_id for d in open_decisions}))
        ).scalars()
    }
    renewable = sa.select(Certificate.user_id, Certificate.track_id).where(
        Certificate.user_id.in_(list(users)), Certificate.status.in_(issuing.RENEWABLE)
    )
    holders = {(user_id, track_id) for user_id, track_id in db.session.execute(renewable)}
    fresh: list[tuple[PassingDecision, Certificate, User]] = []
    for decision in open_decisions:
        certificate = existing.get(decision.source_ref)
        user = users.get(decision.user_id)
        track = tracks.get(decision.track_id)
        if certificate is not None:
            if certificate.id in with_documents:  # complete: only the decision was left open
                issuing.mark_issued(decision, certificate)
                plan.already_issued += 1
            elif user is not None:  # an interrupted run's row: it still needs its PDF
                set_committed_value(certificate, "documents", [])
                plan.reserved.append(_reserved(decision, certificate, user))
            else:
                plan.one_by_one.append(decision.id)
            continue
        if user is None or track is None or track.requires_course_completion or (user.id, track.id) in holders:
            plan.one_by_one.append(decision.id)  # course check, renewal or an error message
            continue
        holders.add((user.id, track.id))  # a second pass in the same batch renews this one
        partner_id = decision.partner_id
        if partner_id not in plan.parties:
            plan.parties[partner_id] = parties_for(partner_id)
        partner = db.session.get(Organisation, partner_id) if partner_id else None
        certificate = issuing.new_certificate(
            user=user,
            track=track,
            partner=partner,
            parties=plan.parties[partner_id],
            source_ref=decision.source_ref,
            language=issuing.holder_language(user),
            awarded_at=decision.decided_at,
        )
        fresh.append((decision, certificate, user))
    if fresh:
        db.session.add_all([certificate for _, certificate, _ in fresh])
        db.session.flush()  # ids, hence numbers
        key = active_key()
        templates: dict[int, CertificateTemplate] = {}
        for decision, certificate, user in fresh:
            template = templates.get(certificate.track_id)
            if template is None:
                template = templates[certificate.track_id] = template_for_track(
                    certificate.track_id, certificate.certification_code
                )
            body_name = plan.parties[certificate.partner_id].body_name
            issuing.seal(certificate, template, body_name=body_name, holder_email=user.email, key=key)
            set_committed_value(certificate, "documents", [])
            plan.reserved.append(_reserved(decision, certificate, user))
        db.session.flush()
    for item in plan.reserved:
        certificate = item.certificate
        if certificate.partner_id not in plan.parties:
            plan.parties[certificate.partner_id] = parties_for(certificate.partner_id)
        if certificate.template_id not in plan.templates:
            plan.templates[certificate.template_id] = _plain_template(certificate)
        # Detached with everything loaded: the commit that follows does not expire them, and the
        # render step reads them without a transaction.
        db.session.expunge(item.certificate)
    return plan


def _reserved(decision: PassingDecision, certificate: Certificate, user: User) -> ReservedCertificate:
    return ReservedCertificate(decision.id, certificate, user.email, user.locale, user.display_name)


def render_batch(plan: BatchPlan) -> list[RenderedDocument]:
    """Step (2): render and store each reserved certificate's PDF; no database access."""
    results = []
    for item in plan.reserved:
        certificate = item.certificate
        result = RenderedDocument(item)
        try:
            rendered = issuing.render_certificate(
                certificate,
                certificate.language,
                certificate.bilingual,
                plan.templates[certificate.template_id],
                plan.parties[certificate.partner_id],
            )
            result.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
            result.size = len(rendered.pdf)
            result.storage_key = issuing.document_key(
                certificate, certificate.language, certificate.bilingual, result.sha256
            )
            get_storage().save(result.storage_key, rendered.pdf, "application/pdf")
            if rendered.missing_glyphs:
                log.error("certificate %s printed missing glyphs: %s", certificate.number, rendered.missing_glyphs)
        except Exception as error:
            log.exception("certificate %s could not be rendered", certificate.number)
            result.error = error
        results.append(result)
    return results


def _plain_template(certificate: Certificate) -> CertificateTemplate:
    row = db.session.get(CertificateTemplate, certificate.template_id)
    if row is None:
        row = template_for_track(certificate.track_id, certificate.certification_code)
    return CertificateTemplate(id=row.id, scope=row.scope, version=row.version, html=row.html, css=row.css)


def record_batch(documents: list[RenderedDocument]) -> int:
    """Step (3): documents, decisions, audit, signals and e-mails of the rendered certificates."""
    if not documents:
        return 0
    ensure_write_lock()
    ids = [d.reserved.decision_id for d in documents]
    stmt = sa.select(PassingDecision.id, PassingDecision.certificate_id).where(PassingDecision.id.in_(ids))
    if db.session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update()
    still_open = {decision_id for decision_id, certificate_id in db.session.execute(stmt) if certificate_id is None}
    certificate_ids = [d.reserved.certificate.id for d in documents]
    have_document = set(
        db.session.execute(
            sa.select(CertificateDocument.certificate_id).where(CertificateDocument.certificate_id.in_(certificate_ids))
        ).scalars()
    )
    now = utcnow()
    new_documents, issued, failed = [], [], []
    for document in documents:
        if document.reserved.decision_id not in still_open:
            continue  # another run finished this decision meanwhile
        if document.error is not None:
            failed.append(document)
            continue
        certificate = document.reserved.certificate
        if certificate.id not in have_document:
            new_documents.append(
                {
                    "certificate_id": certificate.id,
                    "language": certificate.language,
                    "bilingual": certificate.bilingual,
                    "storage_key": document.storage_key,
                    "sha256": document.sha256,
                    "size": document.size,
                    "created_at": now,
                }
            )
        issued.append(document.reserved)
    if new_documents:
        db.session.execute(sa.insert(CertificateDocument), new_documents)
    if issued:
        db.session.execute(
            sa.update(PassingDecision),
            [
                {
                    "id": item.decision_id,
                    "certificate_id": item.certificate.id,
                    "state": DecisionState.ISSUED,
                    "last_error": None,
                    "updated_at": now,
                }
                for item in issued
            ],
        )
        issuing.announce_issued(
            [
                issuing.IssuedNotice(
                    certificate=item.certificate,
                    email=item.holder_email,
                    locale=item.holder_locale,
                    display_name=item.holder_display_name,
                )
                for item in issued
            ]
        )
    for document in failed:
        mark_failed(document.reserved.decision_id, document.error)
    return len(issued)

"""Bulk issue for a class: all who qualify, in batches; a rerun or a resume issues nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from lms.accounts.models import User
from lms.certificates import tasks
from lms.certificates.models import BulkIssueJob, Certificate, DecisionState, JobStatus, PassingDecision
from lms.certificates.services import bulk
from lms.core.errors import DomainError
from lms.core.mail import outbox_messages
from lms.extensions import db


def _count(model) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def test_bulk_issue_covers_everyone_who_passed_and_nobody_else(app, make_class, partner, track, create_user, body):
    for path in Path(app.config["MAIL_OUTBOX"]).glob("*.eml"):
        path.unlink()
    passed = [create_user(legal_name=f"Passed {i}") for i in range(30)]
    not_passed = [create_user(legal_name=f"Not yet {i}") for i in range(3)]
    training_class = make_class(partner, track, passed + not_passed, passed=passed)
    summary = bulk.class_summary(training_class)
    assert (summary.learners, summary.passed, summary.qualifying, summary.issued) == (33, 30, 30, 0)

    job = bulk.start_bulk_issue(training_class, partner_id=partner.id, actor_id=None)
    db.session.commit()  # the batches (of 25) run after the commit

    holders = set(db.session.execute(sa.select(Certificate.user_id)).scalars())
    assert holders == {u.id for u in passed}
    notices = [m for m in outbox_messages(app.config["MAIL_OUTBOX"]) if "Your certificate" in str(m["Subject"])]
    assert sorted(str(m["To"]) for m in notices) == sorted(u.email for u in passed)
    for message in notices:
        number = db.session.execute(
            sa.select(Certificate.number)
            .join(User, User.id == Certificate.user_id)
            .where(User.email == str(message["To"]))
        ).scalar_one()
        assert number in message.get_body(("plain",)).get_content()
    progress = bulk.job_progress(job)
    assert (progress.issued, progress.pending, progress.done) == (30, 0, True)
    assert db.session.get(BulkIssueJob, job.id).status == JobStatus.DONE
    with pytest.raises(DomainError):
        bulk.start_bulk_issue(training_class, partner_id=partner.id, actor_id=None)
    assert _count(Certificate) == 30


def test_resume_after_a_worker_died_issues_only_what_is_missing(make_class, partner, track, create_user, body):
    learners = [create_user() for _ in range(6)]
    training_class = make_class(partner, track, learners)
    decisions = bulk.qualifying_decisions(training_class)
    job = BulkIssueJob(partner_id=partner.id, class_id=training_class.id, total=len(decisions))
    db.session.add(job)
    db.session.flush()
    db.session.execute(sa.insert(bulk.BulkIssueItem), [{"job_id": job.id, "decision_id": d} for d in decisions])
    db.session.commit()
    # The worker got through the first half of its batch, then was killed (its message is lost).
    tasks.issue_batch.run(job.id, decisions[:3])
    assert bulk.job_progress(job).pending == 3

    # Resuming — twice, as an impatient admin would — and a stray redelivery of the whole batch.
    assert bulk.resume_job(job, actor_id=None) == 3
    db.session.commit()
    assert bulk.resume_job(job, actor_id=None) == 0
    db.session.commit()
    tasks.issue_batch.run(job.id, decisions)

    assert _count(Certificate) == 6
    sources = db.session.execute(sa.select(Certificate.source_ref)).scalars().all()
    assert len(sources) == len(set(sources))
    assert bulk.job_progress(job).done


def test_a_failing_certificate_does_not_stop_the_batch(make_class, partner, track, create_user, body, monkeypatch):
    learners = [create_user() for _ in range(3)]
    training_class = make_class(partner, track, learners)
    decisions = bulk.qualifying_decisions(training_class)
    db.session.commit()
    from lms.certificates.services import issuing

    real = issuing.render_certificate
    failing_holder = db.session.get(PassingDecision, decisions[1]).user_id

    def flaky(certificate, *args, **kwargs):
        if certificate.user_id == failing_holder:
            raise RuntimeError("storage unavailable")
        return real(certificate, *args, **kwargs)

    monkeypatch.setattr(issuing, "render_certificate", flaky)
    job = BulkIssueJob(partner_id=partner.id, class_id=training_class.id, total=3)
    db.session.add(job)
    db.session.flush()
    db.session.execute(sa.insert(bulk.BulkIssueItem), [{"job_id": job.id, "decision_id": d} for d in decisions])
    db.session.commit()
    assert tasks.issue_batch.run(job.id, decisions) == 2
    failed = db.session.get(PassingDecision, decisions[1])
    assert failed.state == DecisionState.FAILED and "storage unavailable" in failed.last_error
    progress = bulk.job_progress(job)
    assert (progress.issued, progress.failed, progress.done) == (2, 1, True)

    monkeypatch.setattr(issuing, "render_certificate", real)
    assert bulk.resume_job(job, actor_id=None) == 1
    db.session.commit()
    assert bulk.job_progress(job).issued == 3


def test_a_batch_killed_between_its_rows_and_its_pdfs_completes_on_resume(
    make_class, partner, track, create_user, body
):
    from lms.certificates.models import CertificateDocument
    from lms.certificates.services import issuing
    from lms.core.audit import AuditEvent, verify_chain

    learners = [create_user() for _ in range(4)]
    training_class = make_class(partner, track, learners)
    decisions = bulk.qualifying_decisions(training_class)
    job = BulkIssueJob(partner_id=partner.id, class_id=training_class.id, total=len(decisions))
    db.session.add(job)
    db.session.flush()
    db.session.execute(sa.insert(bulk.BulkIssueItem), [{"job_id": job.id, "decision_id": d} for d in decisions])
    db.session.commit()
    # The worker created the batch's rows, then died before rendering any PDF.
    bulk.reserve_batch(decisions)
    db.session.commit()
    assert _count(Certificate) == 4 and _count(CertificateDocument) == 0
    assert bulk.job_progress(job).pending == 4

    # One decision is picked up on its own (the hourly upkeep), the rest by the resumed job.
    issuing.issue_for_decision(decisions[0])
    db.session.commit()
    assert bulk.resume_job(job, actor_id=None) == 3
    db.session.commit()

    assert _count(Certificate) == 4
    assert _count(CertificateDocument) == 4
    assert bulk.job_progress(job).done
    for certificate in db.session.execute(sa.select(Certificate)).scalars():
        document = certificate.primary_document
        assert document is not None
        assert issuing.document_bytes(document).startswith(b"%PDF")
    issued_events = db.session.execute(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "certificate.issued")
    ).scalar_one()
    assert issued_events == 4
    assert verify_chain().ok


def test_two_passes_of_one_holder_in_one_batch_make_a_certificate_and_its_renewal(
    make_class, partner, track, create_user, body
):
    from lms.certificates.models import CertificateStatus, IssueKind
    from lms.certificates.services import issuing

    learner = create_user()
    training_class = make_class(partner, track, [learner])
    first = bulk.qualifying_decisions(training_class)[0]
    second = issuing.record_pass(
        source_ref="exam-attempt:retake-1",
        user_id=learner.id,
        track_id=track.id,
        partner_id=partner.id,
        decided_at=None,
    ).id
    db.session.commit()

    assert tasks.issue_batch.run(0, [first, second]) == 2

    certificates = db.session.execute(sa.select(Certificate).order_by(Certificate.id)).scalars().all()
    assert [c.kind for c in certificates] == [IssueKind.ORIGINAL, IssueKind.RENEWAL]
    assert certificates[0].status == CertificateStatus.SUPERSEDED
    assert certificates[1].replaces_id == certificates[0].id

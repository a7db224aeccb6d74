"""Certificate tasks: issue for a pass, bulk batches, and the hourly upkeep (expiry, reminders,
decisions left behind). All take plain values and are safe to run twice."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa

from lms.certificates.models import DecisionState, PassingDecision
from lms.core.tasks import enqueue, periodic, task
from lms.core.time import utcnow
from lms.extensions import db

log = logging.getLogger(__name__)

#: A decision still pending this long after its last change was probably dropped (broker outage).
STALE_AFTER = timedelta(minutes=15)
MAX_AUTOMATIC_ATTEMPTS = 5


@task(name="certificates.issue_for_pass")
def issue_for_pass(
    attempt_id: int, user_id: int, track_id: int, partner_id: int | None = None, decided_at: str | None = None
) -> int | None:
    """The exam_passed signal's task: record the decision (if the receiver could not) and issue."""
    from lms.certificates.services import issuing

    decision = issuing.record_pass(
        source_ref=issuing.decision_ref(attempt_id),
        user_id=user_id,
        track_id=track_id,
        partner_id=partner_id,
        decided_at=datetime.fromisoformat(decided_at) if decided_at else None,
    )
    db.session.flush()
    certificate = issuing.issue_for_decision(decision.id)
    return certificate.id if certificate else None


@task(name="certificates.issue_decision")
def issue_decision(decision_id: int) -> int | None:
    from lms.certificates.services import issuing

    certificate = issuing.issue_for_decision(decision_id)
    return certificate.id if certificate else None


@task(name="certificates.issue_batch")
def issue_batch(job_id: int, decision_ids: list[int]) -> int:
    """One batch of a bulk job: its rows in one short transaction, its PDFs rendered with none open,
    then one short transaction to record them (see :mod:`lms.certificates.services.bulk`). What the
    pipeline leaves aside (renewals, course checks, failures) goes one certificate per commit. A
    worker that dies mid-batch loses at most the PDFs it was rendering; a rerun skips what was
    issued and completes what was started."""
    from lms.certificates.services import bulk

    try:
        plan = bulk.reserve_batch(decision_ids)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("bulk job %s: the batch pipeline failed; issuing one by one", job_id)
        plan = bulk.BatchPlan(one_by_one=list(decision_ids))
    issued = plan.already_issued
    if plan.reserved:
        documents = bulk.render_batch(plan)
        issued += bulk.record_batch(documents)
        db.session.commit()
    issued += _issue_one_by_one(job_id, plan.one_by_one)
    bulk.finish_if_done(job_id)
    return issued


def _issue_one_by_one(job_id: int, decision_ids: list[int]) -> int:
    from lms.certificates.services import bulk, issuing

    issued = 0
    for decision_id in decision_ids:
        try:
            if issuing.issue_for_decision(decision_id) is not None:
                issued += 1
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            log.exception("bulk job %s: decision %s failed", job_id, decision_id)
            bulk.mark_failed(decision_id, error)
            db.session.commit()
    return issued


@periodic(3600)
@task(name="certificates.upkeep")
def upkeep() -> dict[str, int]:
    """Hourly: write down expiries, send due reminders, re-queue decisions left behind."""
    from lms.certificates.services import reminders, status

    expired = status.expire_due()
    db.session.commit()
    reminded = reminders.send_expiry_reminders()
    db.session.commit()
    stale = list(
        db.session.execute(
            sa.select(PassingDecision.id).where(
                PassingDecision.state.in_((DecisionState.PENDING, DecisionState.FAILED)),
                PassingDecision.certificate_id.is_(None),
                PassingDecision.updated_at < utcnow() - STALE_AFTER,
                PassingDecision.attempts < MAX_AUTOMATIC_ATTEMPTS,
            )
        ).scalars()
    )
    for decision_id in stale:
        enqueue(issue_decision, decision_id)
    return {"expired": expired, "reminded": reminded, "requeued": len(stale)}

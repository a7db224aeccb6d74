"""How certificates react to other domains: a final pass issues a certificate; a course completed
later releases certificates that were waiting for it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from lms.certificates import tasks
from lms.certificates.models import DecisionState, PassingDecision
from lms.core import signals
from lms.core.tasks import enqueue
from lms.extensions import db

log = logging.getLogger(__name__)


@signals.exam_passed.connect
def on_exam_passed(
    sender: Any = None,
    *,
    attempt_id: int,
    user_id: int,
    track_id: int,
    partner_id: int | None = None,
    decided_at: datetime | None = None,
    **_: Any,
) -> None:
    from lms.certificates.services import issuing

    # Record the decision in the exam's own transaction: if the process dies between that commit
    # and the task being queued, the hourly upkeep still finds the decision and issues.
    try:
        issuing.record_pass(
            source_ref=issuing.decision_ref(attempt_id),
            user_id=user_id,
            track_id=track_id,
            partner_id=partner_id,
            decided_at=decided_at,
        )
    except Exception:  # never break the exam's commit; the task records it instead
        log.exception("could not record the pass of attempt %s", attempt_id)
    enqueue(
        tasks.issue_for_pass,
        attempt_id,
        user_id,
        track_id,
        partner_id,
        decided_at.isoformat() if isinstance(decided_at, datetime) else decided_at,
    )


@signals.course_completed.connect
def on_course_completed(sender: Any = None, *, user_id: int, **_: Any) -> None:
    waiting = db.session.execute(
        sa.select(PassingDecision.id).where(
            PassingDecision.user_id == user_id, PassingDecision.state == DecisionState.WAITING_FOR_COURSE
        )
    ).scalars()
    for decision_id in waiting:
        enqueue(tasks.issue_decision, decision_id)

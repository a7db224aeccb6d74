"""Finishing, scoring and deciding attempts; staff review; re-scoring after a key correction.

:func:`finish_attempt` is the only way an attempt ends (candidate submit, deadline, proctor). It
holds the attempt's row lock and acts only on a live attempt, so concurrent finishes produce one
result. A result is *released* at once or *held* for staff review; only a released pass emits
``exam_passed``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.core import audit, signals
from lms.core.db import lock_row
from lms.core.errors import DomainError
from lms.core.mail import send_mail
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack
from lms.exams.models import (
    LIVE_ATTEMPT_STATES,
    AttemptEvent,
    AttemptItem,
    AttemptRescore,
    AttemptStatus,
    EndReason,
    EventKind,
    ExamAttempt,
    ItemVersion,
    Rescore,
    ResultStatus,
    ReviewPolicy,
)
from lms.exams.question_types import question_type
from lms.exams.services.bank import key_version_for
from lms.extensions import db

#: Performance bands per domain, relative to the pass mark (shown to the candidate).
BAND_LABELS = {
    "meets": _l("Meets the standard"),
    "near": _l("Close to the standard"),
    "below": _l("Needs development"),
}
NEAR_MARGIN = 15  # percentage points under the pass mark that still count as "close"


@dataclass(frozen=True)
class Outcome:
    raw_points: Fraction
    max_points: int
    scaled_score: int
    passed: bool
    domain_results: dict[str, dict[str, Any]]

    @property
    def raw_percent(self) -> float:
        return float(self.raw_points / self.max_points * 100) if self.max_points else 0.0


def scale(fraction: Fraction, policy: dict[str, Any]) -> int:
    """Raw fraction → scaled score: piecewise linear, the pass mark lands exactly on the cut score."""
    cut = Fraction(policy["pass_percent"], 100)
    low, cut_score, high = policy["scale_min"], policy["scale_cut"], policy["scale_max"]
    if fraction >= cut:
        if cut >= 1:
            return high
        value = cut_score + (fraction - cut) / (1 - cut) * (high - cut_score)
        return max(cut_score, min(high, math.floor(value + Fraction(1, 2))))
    value = low + fraction / cut * (cut_score - low)
    # A fail never rounds up onto the cut.
    return max(low, min(cut_score - 1, math.floor(value)))


def band(percent: float, pass_percent: int) -> str:
    if percent >= pass_percent:
        return "meets"
    if percent >= pass_percent - NEAR_MARGIN:
        return "near"
    return "below"


def _versions(items: list[AttemptItem], corrected: bool) -> dict[int, ItemVersion]:
    """For each attempt item: the version whose key scores it (served, or its last key correction)."""
    return {item.id: key_version_for(item.version) if corrected else item.version for item in items}


def evaluate(attempt: ExamAttempt, *, corrected: bool = False) -> Outcome:
    """Score every item (writes item scores) and compute the outcome; pilot items do not count."""
    keys = _versions(attempt.items, corrected)
    points = Fraction(0)
    scored = 0
    domains: dict[str, list[Fraction]] = {}
    for item in attempt.items:
        key_version = keys[item.id]
        result = question_type(key_version.type).score(key_version.key, item.response, key_version.partial_credit)
        item.score = float(result.fraction)
        item.correct = result.correct
        item.scored_version_id = key_version.id
        if not item.scored:
            continue
        points += result.fraction
        scored += 1
        domains.setdefault(item.domain_code, []).append(result.fraction)
    policy = attempt.policy
    fraction = points / scored if scored else Fraction(0)
    domain_results = {}
    for code, fractions in sorted(domains.items()):
        got = sum(fractions, Fraction(0))
        percent = float(got / len(fractions) * 100)
        domain_results[code] = {
            "points": float(got),
            "max": len(fractions),
            "percent": round(percent, 1),
            "band": band(percent, policy["pass_percent"]),
        }
    return Outcome(
        raw_points=points,
        max_points=scored,
        scaled_score=scale(fraction, policy),
        passed=fraction >= Fraction(policy["pass_percent"], 100),
        domain_results=domain_results,
    )


def _store(attempt: ExamAttempt, outcome: Outcome) -> None:
    attempt.raw_points = float(outcome.raw_points)
    attempt.max_points = outcome.max_points
    attempt.raw_percent = round(outcome.raw_percent, 2)
    attempt.scaled_score = outcome.scaled_score
    attempt.passed = outcome.passed
    attempt.domain_results = outcome.domain_results


def _event(attempt: ExamAttempt, kind: EventKind, source: str, actor_id: int | None, now: datetime, **details: Any):
    db.session.add(
        AttemptEvent(
            attempt_id=attempt.id, occurred_at=now, kind=kind, source=source, actor_id=actor_id, details=details
        )
    )


def finish_attempt(
    attempt_id: int,
    reason: EndReason,
    *,
    now: datetime | None = None,
    actor_id: int | None = None,
    source: str = "candidate",
    note: str = "",
) -> ExamAttempt | None:
    """End a live attempt once: score it and release or hold the result. A finished one is returned as is."""
    now = now or utcnow()
    attempt = lock_row(ExamAttempt, attempt_id)
    if attempt is None or attempt.status not in LIVE_ATTEMPT_STATES:
        return attempt
    if attempt.status == AttemptStatus.PAUSED and attempt.paused_at is not None:
        attempt.deadline_at += now - attempt.paused_at
        attempt.paused_at = None
    attempt.status = AttemptStatus.COMPLETED
    attempt.finished_at = now
    attempt.end_reason = reason
    _store(attempt, evaluate(attempt))
    kind = {
        EndReason.SUBMITTED: EventKind.SUBMITTED,
        EndReason.DEADLINE: EventKind.DEADLINE_REACHED,
        EndReason.PROCTOR: EventKind.ENDED,
    }[reason]
    _event(attempt, kind, source, actor_id, now, **({"reason": note} if note else {}))
    if reason == EndReason.PROCTOR:
        attempt.flagged = True
    hold = attempt.flagged or attempt.policy.get("review_policy") == ReviewPolicy.ALL.value
    db.session.flush()
    audit.record(
        "exams.attempt_finished",
        actor_id=actor_id,
        subject=attempt,
        partner_id=attempt.partner_id,
        details={"reason": reason.value, "held": hold},
    )
    if hold:
        attempt.result_status = ResultStatus.HELD
        _event(attempt, EventKind.RESULT_HELD, "system", None, now)
    else:
        _release(attempt, now, actor_id=None, note="")
    db.session.flush()
    return attempt


def _release(attempt: ExamAttempt, now: datetime, *, actor_id: int | None, note: str) -> None:
    attempt.result_status = ResultStatus.RELEASED
    attempt.result_decided_at = now
    attempt.result_decided_by_id = actor_id
    if note:
        attempt.result_note = note
    _event(attempt, EventKind.RESULT_RELEASED, "staff" if actor_id else "system", actor_id, now, note=note)
    announce(attempt)


def announce(attempt: ExamAttempt) -> None:
    """Tell the other domains (certificates listens) and the candidate that a result is final."""
    signals.exam_result_released.send(attempt_id=attempt.id, user_id=attempt.user_id, passed=bool(attempt.passed))
    if attempt.passed:
        signals.exam_passed.send(
            attempt_id=attempt.id,
            user_id=attempt.user_id,
            track_id=attempt.track_id,
            partner_id=attempt.partner_id,
            decided_at=attempt.result_decided_at,
        )
    user = db.session.get(User, attempt.user_id)
    track = db.session.get(CertificationTrack, attempt.track_id)
    if user is not None and track is not None:
        send_mail(
            user.email,
            "exam_result",
            user.locale,
            name=user.display_name,
            exam=track.name(user.locale),
            url=f"{current_app.config['BASE_URL']}/exams/attempts/{attempt.id}/result",
        )


def release_result(attempt_id: int, note: str, *, actor_id: int, now: datetime | None = None) -> ExamAttempt:
    now = now or utcnow()
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Give a reason for releasing this result."), field="note")
    attempt = lock_row(ExamAttempt, attempt_id)
    if attempt is None or attempt.result_status != ResultStatus.HELD:
        raise DomainError(_("Only a result held for review can be released."))
    _release(attempt, now, actor_id=actor_id, note=note)
    audit.record(
        "exams.result_released",
        actor_id=actor_id,
        subject=attempt,
        partner_id=attempt.partner_id,
        details={"note": note},
    )
    return attempt


def invalidate_result(attempt_id: int, reason: str, *, actor_id: int, now: datetime | None = None) -> ExamAttempt:
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason for invalidating this result."), field="note")
    attempt = lock_row(ExamAttempt, attempt_id)
    if attempt is None or attempt.result_status != ResultStatus.HELD:
        raise DomainError(_("Only a result held for review can be invalidated."))
    attempt.result_status = ResultStatus.INVALIDATED
    attempt.result_decided_at = now
    attempt.result_decided_by_id = actor_id
    attempt.result_note = reason
    _event(attempt, EventKind.RESULT_INVALIDATED, "staff", actor_id, now, reason=reason)
    audit.record(
        "exams.result_invalidated",
        actor_id=actor_id,
        subject=attempt,
        partner_id=attempt.partner_id,
        details={"reason": reason},
    )
    return attempt


# --- re-scoring ----------------------------------------------------------------------------------


def _snapshot(attempt: ExamAttempt) -> dict[str, Any]:
    return {
        "raw_points": attempt.raw_points,
        "scaled_score": attempt.scaled_score,
        "passed": attempt.passed,
    }


def rescore(
    track_id: int, served_version_ids: list[int], reason: str, *, actor_id: int, now: datetime | None = None
) -> Rescore:
    """Re-score finished attempts that served these versions with the corrected keys; log every change."""
    now = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the attempts are re-scored."), field="reason")
    served = [db.session.get(ItemVersion, vid) for vid in served_version_ids]
    pairs = [[v.id, corrected.id] for v in served if v is not None and (corrected := key_version_for(v)).id != v.id]
    if not pairs:
        raise DomainError(_("There is no key correction to apply."))
    run = Rescore(track_id=track_id, actor_id=actor_id, reason=reason, versions=pairs, created_at=now)
    db.session.add(run)
    db.session.flush()
    attempt_ids = list(
        db.session.execute(
            sa.select(AttemptItem.attempt_id)
            .join(ExamAttempt, AttemptItem.attempt_id == ExamAttempt.id)
            .where(
                AttemptItem.item_version_id.in_([a for a, _b in pairs]),
                ExamAttempt.status == AttemptStatus.COMPLETED,
                ExamAttempt.result_status != ResultStatus.INVALIDATED,
            )
            .distinct()
        ).scalars()
    )
    for attempt_id in sorted(attempt_ids):
        attempt = lock_row(ExamAttempt, attempt_id)
        if attempt is None:
            continue
        run.attempts_checked += 1
        before = _snapshot(attempt)
        was_passed = bool(attempt.passed)
        _store(attempt, evaluate(attempt, corrected=True))
        after = _snapshot(attempt)
        if before == after:
            continue
        run.attempts_changed += 1
        db.session.add(AttemptRescore(rescore_id=run.id, attempt_id=attempt.id, before=before, after=after))
        _event(attempt, EventKind.RESCORED, "staff", actor_id, now, rescore_id=run.id, before=before, after=after)
        if attempt.result_status == ResultStatus.RELEASED and was_passed != bool(attempt.passed):
            attempt.result_decided_at = now
            announce(attempt)
    db.session.flush()
    audit.record(
        "exams.rescored",
        actor_id=actor_id,
        subject=run,
        details={"versions": pairs, "checked": run.attempts_checked, "changed": run.attempts_changed, "reason": reason},
    )
    return run

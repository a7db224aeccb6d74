"""The one rule layer between a candidate and an attempt. Every channel — the HTML pages, the JSON
autosave, any future API — opens the attempt here and gets only what this module hands out.

* The server owns the clock: a request after the deadline plus a short grace finishes the attempt
  (the periodic task does the same for browsers that went quiet); answers received within the grace
  still count.
* The server owns the key: :meth:`CandidateAttempt.questions`, :meth:`state` and the save results
  are built from an allow-list of fields; the key, scores and correctness never leave this module
  while the attempt runs.
* One browser at a time: the attempt is bound to a device token (a cookie); another device is
  blocked and recorded until a proctor approves the move.
* Answers carry a sequence number: a save is applied only if it is newer than the stored one
  (a conditional UPDATE, so concurrent saves cannot go backwards); a repeat is acknowledged again;
  an older one gets 409 with the stored state.
"""

from __future__ import annotations

import io
import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import gettext as _

from lms.core.db import ensure_write_lock, lock_row, request_changes_state
from lms.core.errors import Conflict, DomainError
from lms.core.storage import get_storage
from lms.core.time import utcnow
from lms.exams.models import (
    CLIENT_EVENT_KINDS,
    INTEGRITY_KINDS,
    AttemptEvent,
    AttemptItem,
    AttemptStatus,
    EndReason,
    EventKind,
    ExamAttempt,
    ItemVersion,
    ResultStatus,
)
from lms.exams.question_types import InvalidResponse, question_type
from lms.exams.services import grading
from lms.exams.services.attempts import device_hash
from lms.extensions import db

DEFAULT_GRACE_SECONDS = 30
MAX_EVENTS_PER_REQUEST = 50
MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024
SEEN_EVERY = timedelta(seconds=60)


class AttemptClosed(DomainError):
    status_code = 410


class AttemptPaused(DomainError):
    status_code = 423


class DeviceBlocked(DomainError):
    status_code = 423


class StaleAnswer(Conflict):
    def __init__(self, message: str, current: dict[str, Any]) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True)
class Channel:
    """Who is asking, from which browser and address."""

    user_id: int
    device_token: str | None
    ip: str | None


def grace() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("EXAM_GRACE_SECONDS", DEFAULT_GRACE_SECONDS)))


def remaining_seconds(attempt: ExamAttempt, now: datetime) -> int:
    if attempt.status == AttemptStatus.COMPLETED:
        return 0
    reference = attempt.paused_at if attempt.status == AttemptStatus.PAUSED and attempt.paused_at else now
    return max(0, math.ceil((attempt.deadline_at - reference).total_seconds()))


def allowed_minutes(attempt: ExamAttempt) -> tuple[int, int]:
    """(minutes this candidate has, minutes the exam gives everyone) — "90 (extended from 60)"."""
    base = attempt.base_seconds // 60
    total = (attempt.base_seconds + attempt.accommodation_seconds + attempt.added_seconds) // 60
    return total, base


def is_overdue(attempt: ExamAttempt, now: datetime) -> bool:
    return attempt.status == AttemptStatus.IN_PROGRESS and now > attempt.deadline_at + grace()


def finish_overdue(now: datetime | None = None, limit: int = 500) -> int:
    """Finish attempts whose deadline and grace have passed (the periodic task); returns how many."""
    now = now or utcnow()
    ids = list(
        db.session.execute(
            sa.select(ExamAttempt.id)
            .where(ExamAttempt.status == AttemptStatus.IN_PROGRESS, ExamAttempt.deadline_at < now - grace())
            .order_by(ExamAttempt.deadline_at)
            .limit(limit)
        ).scalars()
    )
    finished = 0
    for attempt_id in ids:
        attempt = lock_row(ExamAttempt, attempt_id)
        if attempt is not None and is_overdue(attempt, now):
            grading.finish_attempt(attempt_id, EndReason.DEADLINE, now=now, source="system")
            finished += 1
    return finished


def learner_result(attempt: ExamAttempt) -> dict[str, Any] | None:
    """The result as its candidate sees it (and the partner API shows it): scores and a band per
    domain, never an item or a key. None until the attempt is completed."""
    if attempt.status != AttemptStatus.COMPLETED:
        return None
    if attempt.result_status == ResultStatus.HELD:
        return {"status": "held"}
    if attempt.result_status == ResultStatus.INVALIDATED:
        return {"status": "invalidated", "note": attempt.result_note}
    policy = attempt.policy
    return {
        "status": "released",
        "passed": bool(attempt.passed),
        "scaled_score": attempt.scaled_score,
        "scale_min": policy["scale_min"],
        "scale_max": policy["scale_max"],
        "scale_cut": policy["scale_cut"],
        "raw_percent": attempt.raw_percent,
        "domains": [
            {"code": code, "percent": values["percent"], "band": values["band"]}
            for code, values in attempt.domain_results.items()
        ],
    }


def open_attempt(attempt_id: int, channel: Channel, now: datetime | None = None) -> CandidateAttempt:
    """The candidate's own attempt (another's is a 404), with the clock settled and the request observed."""
    attempt = db.session.get(ExamAttempt, attempt_id)
    if attempt is None or attempt.user_id != channel.user_id:
        abort(404)
    view = CandidateAttempt(attempt, channel, now or utcnow())
    view.settle()
    return view


class CandidateAttempt:
    """An attempt as its candidate may see and change it."""

    def __init__(self, attempt: ExamAttempt, channel: Channel, now: datetime) -> None:
        self.attempt = attempt
        self.channel = channel
        self.now = now
        self._device = device_hash(channel.device_token)

    # --- the rules applied on every request -------------------------------------------------
    def _writable(self) -> ExamAttempt:
        """Hold the attempt's lock (and the SQLite write lock) before changing it."""
        attempt = lock_row(ExamAttempt, self.attempt.id)
        assert attempt is not None
        self.attempt = attempt
        return attempt

    def settle(self) -> None:
        attempt = self.attempt
        if is_overdue(attempt, self.now):
            ensure_write_lock()
            self.attempt = grading.finish_attempt(attempt.id, EndReason.DEADLINE, now=self.now, source="system")
            return
        if not attempt.is_live:
            return
        if attempt.device_hash is None and self._device:
            self._writable().device_hash = self._device
        elif not self.device_ok:
            self._note_other_device()
            return
        if self.channel.ip and attempt.last_ip != self.channel.ip:
            attempt = self._writable()
            self._event(EventKind.IP_CHANGE, "system", details={"from": attempt.last_ip, "to": self.channel.ip})
            attempt.last_ip = self.channel.ip
            self._count_integrity(1)
        # "Last seen" rides on requests that write anyway (saves, events): a state poll must stay a read,
        # or every poll of every candidate would queue for the database's write lock.
        if request_changes_state() and (attempt.last_seen_at is None or self.now - attempt.last_seen_at > SEEN_EVERY):
            self._writable().last_seen_at = self.now

    @property
    def device_ok(self) -> bool:
        return self._device is not None and self._device == self.attempt.device_hash

    def _note_other_device(self) -> None:
        if self._device is None or self.attempt.pending_device_hash == self._device:
            return
        attempt = self._writable()
        if attempt.pending_device_hash == self._device:
            return
        attempt.pending_device_hash = self._device
        attempt.move_requested_at = self.now
        self._event(EventKind.SECOND_SESSION, "system", details={"ip": self.channel.ip})
        self._count_integrity(1)

    def _event(self, kind: EventKind, source: str, *, details: dict[str, Any] | None = None, client_at=None) -> None:
        db.session.add(
            AttemptEvent(
                attempt_id=self.attempt.id,
                occurred_at=self.now,
                client_at=client_at,
                kind=kind,
                source=source,
                actor_id=self.channel.user_id if source == "candidate" else None,
                details=details or {},
            )
        )

    def _count_integrity(self, count: int) -> None:
        attempt = self.attempt
        attempt.integrity_count += count
        threshold = int(attempt.policy.get("integrity_threshold", 0) or 0)
        if threshold and not attempt.flagged and attempt.integrity_count >= threshold:
            attempt.flagged = True
            self._event(EventKind.FLAGGED, "system", details={"integrity_events": attempt.integrity_count})

    def _require_open(self) -> None:
        attempt = self.attempt
        if attempt.status == AttemptStatus.COMPLETED:
            raise AttemptClosed(_("This exam has ended. Your answers were submitted."))
        if not self.device_ok:
            raise DeviceBlocked(_("This exam is open on another device. A proctor must approve moving it here."))
        if attempt.status == AttemptStatus.PAUSED:
            raise AttemptPaused(_("Your exam is paused by the proctor. Your answers are kept."))

    # --- what the candidate sees -------------------------------------------------------------
    @property
    def status(self) -> str:
        if self.attempt.is_live and not self.device_ok:
            return "blocked"
        return self.attempt.status.value

    def state(self) -> dict[str, Any]:
        attempt = self.attempt
        total, base = allowed_minutes(attempt)
        counts = db.session.execute(
            sa.select(
                sa.func.count(AttemptItem.id),
                sa.func.count(AttemptItem.response),
                sa.func.coalesce(sa.func.sum(sa.case((AttemptItem.flagged, 1), else_=0)), 0),
                sa.func.coalesce(sa.func.max(AttemptItem.response_seq), 0),
            ).where(AttemptItem.attempt_id == attempt.id)
        ).one()
        return {
            "status": self.status,
            "remaining_seconds": remaining_seconds(attempt, self.now),
            "minutes_allowed": total,
            "minutes_standard": base,
            "questions": counts[0],
            "answered": counts[1],
            "flagged": int(counts[2]),
            "seq": int(counts[3]),
        }

    def questions(self) -> list[dict[str, Any]]:
        """The public view of every question, in this attempt's order, with the candidate's answers."""
        language = self.attempt.language
        out = []
        for item in self.attempt.items:
            version = item.version
            view = question_type(version.type).render(version.content[language], item.option_order)
            out.append(
                {
                    "position": item.position,
                    "type": view["type"],
                    "stem": view["stem"],
                    "options": view.get("options", []),
                    "prompts": view.get("prompts", []),
                    "select_count": view.get("select_count"),
                    "response": item.response,
                    "flagged": item.flagged,
                    "seq": item.response_seq,
                }
            )
        return out

    def result(self) -> dict[str, Any] | None:
        """The decided result: scores and a band per domain, never an item or a key."""
        return learner_result(self.attempt)

    # --- what the candidate does ---------------------------------------------------------------
    def _lock_for_answer(self) -> None:
        """A shared lock on the attempt: saves run side by side, a finish waits for them (and they for it).

        On SQLite it is the database's write lock, taken here (a save reads first, without it) and held to
        commit; the attempt is read again under it, so a finish or pause that just committed is seen.
        """
        if db.session.get_bind().dialect.name != "postgresql":
            ensure_write_lock()
            return
        stmt = sa.select(ExamAttempt).where(ExamAttempt.id == self.attempt.id).with_for_update(read=True)
        self.attempt = db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one()

    def save(self, position: Any, response: Any, flagged: Any, seq: Any) -> dict[str, Any]:
        """Store one answer (and its review flag) if ``seq`` is newer than the stored one."""
        self._require_open()
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < 2**62:
            raise DomainError(_("This answer has no valid sequence number. Reload the page."))
        if not isinstance(position, int) or isinstance(position, bool):
            raise DomainError(_("There is no such question in this exam."))
        # The answer is checked before any lock is taken: which version a position serves never changes.
        question = db.session.execute(
            sa.select(AttemptItem.id, ItemVersion.type, ItemVersion.content)
            .join(ItemVersion, ItemVersion.id == AttemptItem.item_version_id)
            .where(AttemptItem.attempt_id == self.attempt.id, AttemptItem.position == position)
        ).one_or_none()
        if question is None:
            raise DomainError(_("There is no such question in this exam."))
        item_id, kind, content = question
        language = self.attempt.language
        try:
            normalised = question_type(kind).check_response(content[language], response)
        except InvalidResponse as exc:
            raise DomainError(str(exc)) from exc
        flagged = bool(flagged)
        # Under the lock: one conditional UPDATE, so the write is as short as it can be.
        self._lock_for_answer()
        self._require_open()
        written = db.session.execute(
            sa.update(AttemptItem)
            .where(AttemptItem.id == item_id, AttemptItem.response_seq < seq)
            .values(response=normalised, flagged=flagged, response_seq=seq, answered_at=self.now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not written:
            stored = db.session.execute(
                sa.select(AttemptItem.response, AttemptItem.flagged, AttemptItem.response_seq).where(
                    AttemptItem.id == item_id
                )
            ).one()
            if stored.response_seq == seq and stored.response == normalised and stored.flagged == flagged:
                return self._ack(position, seq)  # the same save again (a retry): acknowledged again
            current = {"position": position, "response": stored.response, "flagged": stored.flagged}
            raise StaleAnswer(
                _("A newer answer to this question is already saved."), {**current, "seq": stored.response_seq}
            )
        return self._ack(position, seq)

    def _ack(self, position: int, seq: int) -> dict[str, Any]:
        return {
            "saved": True,
            "position": position,
            "seq": seq,
            "remaining_seconds": remaining_seconds(self.attempt, self.now),
        }

    def save_form(self, getlist: Any) -> list[str]:
        """The no-script form: every question whose fields changed is saved; returns problems per question."""
        self._require_open()
        problems = []
        next_seq = self.state()["seq"] + 1
        for item in self.attempt.items:
            version = item.version
            kind = question_type(version.type)
            content = version.content[self.attempt.language]
            field = f"q{item.position}"
            try:
                response = kind.check_response(content, kind.form_response(content, field, getlist))
            except InvalidResponse as exc:
                problems.append(_("Question %(number)d: %(problem)s", number=item.position, problem=str(exc)))
                continue
            flagged = bool(getlist(f"flag{item.position}"))
            if response == item.response and flagged == item.flagged:
                continue
            self.save(item.position, response, flagged, next_seq)
            next_seq += 1
        return problems

    def record_events(self, events: Any) -> int:
        """Integrity signals sent by the page (focus, visibility, copy/paste, full screen)."""
        if not self.attempt.is_live:
            raise AttemptClosed(_("This exam has ended. Your answers were submitted."))
        if not isinstance(events, list) or len(events) > MAX_EVENTS_PER_REQUEST:
            raise DomainError(_("Send at most %(count)d events at a time.", count=MAX_EVENTS_PER_REQUEST))
        accepted = []
        for raw in events:
            kind = raw.get("kind") if isinstance(raw, dict) else None
            if kind not in CLIENT_EVENT_KINDS:
                continue
            client_at = None
            at = raw.get("at")
            if isinstance(at, int | float) and 0 < at < 10**14:
                client_at = datetime.fromtimestamp(at / 1000, tz=UTC)
            accepted.append((EventKind(kind), client_at))
        if not accepted:
            return 0
        self._writable()
        source = "candidate" if self.device_ok else "other_device"
        for kind, client_at in accepted:
            self._event(
                kind, "candidate", client_at=client_at, details={} if source == "candidate" else {"device": source}
            )
        self._count_integrity(sum(1 for kind, _at in accepted if kind in INTEGRITY_KINDS))
        return len(accepted)

    def store_snapshot(self, data: bytes) -> None:
        """A webcam snapshot the page took (only for exams that ask for them, with consent)."""
        from PIL import Image, UnidentifiedImageError

        self._require_open()
        interval = int(self.attempt.policy.get("webcam_snapshot_seconds") or 0)
        if not interval or not self.attempt.checkin.get("webcam_consent"):
            raise DomainError(_("This exam takes no webcam snapshots."))
        if len(data) > MAX_SNAPSHOT_BYTES:
            raise DomainError(_("The snapshot is too large."))
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.thumbnail((640, 640))
                buffer = io.BytesIO()
                image.convert("RGB").save(buffer, "JPEG", quality=70)
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise DomainError(_("The snapshot is not an image.")) from exc
        key = f"exams/snapshots/{self.attempt.id}/{uuid.uuid4().hex}.jpg"
        get_storage().save(key, buffer.getvalue(), "image/jpeg")
        self._writable()
        self._event(EventKind.SNAPSHOT, "candidate", details={"key": key})

    def submit(self) -> ExamAttempt:
        """The candidate's own "submit" (after the confirmation); submitting twice gives the same result."""
        if self.attempt.status == AttemptStatus.COMPLETED:
            return self.attempt
        self._require_open()
        attempt = grading.finish_attempt(
            self.attempt.id, EndReason.SUBMITTED, now=self.now, actor_id=self.channel.user_id, source="candidate"
        )
        assert attempt is not None
        self.attempt = attempt
        return attempt

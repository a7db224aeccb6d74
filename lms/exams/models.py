"""Exam tables: item bank (domains, items, versions), blueprints, vouchers, accommodations, attempts.

An item's *versions* are immutable once an attempt has served them: an attempt item points at the
exact version it showed, and a key correction is a new version that names the one it corrects.
An attempt copies the blueprint rules it needs when it starts (``policy``), so editing a blueprint
never changes an exam already under way.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.time import utcnow
from lms.extensions import db


def text_in(texts: dict[str, Any] | None, locale: str, fallback: str = "en") -> str:
    if not texts:
        return ""
    return texts.get(locale) or texts.get(fallback) or next(iter(texts.values()), "")


# --- item bank -----------------------------------------------------------------------------------


class ExamDomain(TimestampMixin, db.Model):
    """A content domain of one certification's exam ("Responsible AI", "Model evaluation"…)."""

    __tablename__ = "exam_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (sa.UniqueConstraint("track_id", "code"),)

    def name(self, locale: str = "en") -> str:
        return text_in(self.names, locale) or self.code


class ItemStatus(enum.StrEnum):
    DRAFT = "draft"
    PILOT = "pilot"  # served unscored, to collect statistics before it counts
    LIVE = "live"
    RETIRED = "retired"


class Item(TimestampMixin, db.Model):
    """One exam question; its wording, options and key live in :class:`ItemVersion`."""

    __tablename__ = "exam_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    domain_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_domains.id"), index=True)
    objective: Mapped[str] = mapped_column(sa.String(200), default="")
    #: 1 (easiest) to 5 (hardest), as the author judged it; statistics show how it behaves.
    difficulty: Mapped[int] = mapped_column(default=3)
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus, 16), default=ItemStatus.DRAFT)
    #: The number of the version delivered to new attempts.
    current_version: Mapped[int] = mapped_column(default=1)

    domain: Mapped[ExamDomain] = relationship(lazy="joined")
    versions: Mapped[list[ItemVersion]] = relationship(
        back_populates="item", order_by="ItemVersion.number", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("track_id", "code"),
        sa.CheckConstraint("difficulty BETWEEN 1 AND 5", name="difficulty_range"),
    )

    @property
    def latest(self) -> ItemVersion:
        return next(v for v in self.versions if v.number == self.current_version)


class ItemVersion(db.Model):
    """The exact wording (per language), options and key of an item at one point in time."""

    __tablename__ = "exam_item_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_items.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    type: Mapped[str] = mapped_column(sa.String(32))
    #: ``{"en": {"stem": …, "options": […]}, "ar": {…}}`` — variants of one item, same option ids.
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Never sent to a browser during an attempt.
    key: Mapped[dict[str, Any]] = mapped_column(default=dict)
    partial_credit: Mapped[bool] = mapped_column(default=False)
    #: A key correction: this version replaces the key of that (served) version when re-scoring.
    corrects_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exam_item_versions.id"))
    change_note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    item: Mapped[Item] = relationship(back_populates="versions")

    __table_args__ = (sa.UniqueConstraint("item_id", "number"),)

    @property
    def languages(self) -> list[str]:
        return sorted(self.content)


# --- blueprints ----------------------------------------------------------------------------------


class ReviewPolicy(enum.StrEnum):
    FLAGGED = "flagged"  # results of flagged attempts wait for staff; the others are released at once
    ALL = "all"  # every result waits for staff


class ExamBlueprint(TimestampMixin, db.Model):
    """How the exam of one certification is built and decided (one per track, edited in place)."""

    __tablename__ = "exam_blueprints"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), unique=True)
    #: Raised on every edit; an attempt records the version it was built from.
    version: Mapped[int] = mapped_column(default=1)
    is_active: Mapped[bool] = mapped_column(default=False)
    #: ``{domain_code: number of scored items}``
    domain_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Unscored pilot items added to each attempt (spread over the form).
    pilot_item_count: Mapped[int] = mapped_column(default=0)
    time_limit_minutes: Mapped[int] = mapped_column(default=60)
    #: The raw percentage that passes; it maps onto ``scale_cut``.
    pass_percent: Mapped[int] = mapped_column(default=70)
    scale_min: Mapped[int] = mapped_column(default=0)
    scale_max: Mapped[int] = mapped_column(default=1000)
    scale_cut: Mapped[int] = mapped_column(default=700)
    #: Attempts allowed in all (0: no overall limit).
    attempts_allowed: Mapped[int] = mapped_column(default=0)
    #: Days to wait before each retake: ``[1, 14]`` = the first after a day, later ones after 14.
    retake_wait_days: Mapped[list[Any]] = mapped_column(default=list)
    max_attempts_per_year: Mapped[int] = mapped_column(default=4)
    voucher_required: Mapped[bool] = mapped_column(default=True)
    #: Exam vouchers that come with a course seat.
    attempts_per_seat: Mapped[int] = mapped_column(default=1)
    voucher_validity_days: Mapped[int] = mapped_column(default=365)
    review_policy: Mapped[ReviewPolicy] = mapped_column(enum_column(ReviewPolicy, 16), default=ReviewPolicy.FLAGGED)
    #: Integrity events (focus lost, copy, second session…) after which an attempt is flagged for review.
    integrity_threshold: Mapped[int] = mapped_column(default=8)
    #: Seconds between webcam snapshots; 0: no webcam.
    webcam_snapshot_seconds: Mapped[int] = mapped_column(default=0)
    languages: Mapped[list[Any]] = mapped_column(default=list)

    __table_args__ = (
        sa.CheckConstraint("time_limit_minutes > 0", name="time_limit_positive"),
        sa.CheckConstraint("pass_percent BETWEEN 1 AND 100", name="pass_percent_range"),
        sa.CheckConstraint("scale_min <= scale_cut AND scale_cut <= scale_max", name="scale_order"),
    )

    @property
    def item_count(self) -> int:
        return sum(int(n) for n in self.domain_counts.values()) + self.pilot_item_count


# --- vouchers and accommodations ---------------------------------------------------------------


class VoucherStatus(enum.StrEnum):
    AVAILABLE = "available"
    USED = "used"
    EXPIRED = "expired"
    VOID = "void"


class ExamVoucher(TimestampMixin, db.Model):
    """One exam attempt a candidate may take (granted by a seat, a partner voucher or staff)."""

    __tablename__ = "exam_vouchers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(24), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    status: Mapped[VoucherStatus] = mapped_column(enum_column(VoucherStatus, 16), default=VoucherStatus.AVAILABLE)
    expires_at: Mapped[datetime | None]
    #: What granted it ("enrolment:42", "voucher:7", "staff:3"); with ``origin_index`` it is unique.
    origin_ref: Mapped[str] = mapped_column(sa.String(80))
    origin_index: Mapped[int] = mapped_column(default=1)
    #: The partner that delivered the training or sold the voucher, if any.
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    used_at: Mapped[datetime | None]

    __table_args__ = (sa.UniqueConstraint("origin_ref", "origin_index"),)

    def usable(self, now: datetime) -> bool:
        return self.status == VoucherStatus.AVAILABLE and (self.expires_at is None or self.expires_at > now)


class AccommodationScope(enum.StrEnum):
    ONE_EXAM = "one_exam"
    UNTIL_DATE = "until_date"


class AccommodationStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    USED = "used"  # a one-exam accommodation, consumed by an attempt


class Accommodation(TimestampMixin, db.Model):
    """Extra time or other adjustments for a candidate, requested with a reason and decided by staff."""

    __tablename__ = "exam_accommodations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The exam it is for; empty: every exam.
    track_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    #: Time multiplier in percent (150 = one and a half times); 100 = none.
    time_percent: Mapped[int] = mapped_column(default=100)
    other_adjustments: Mapped[str] = mapped_column(sa.Text, default="")
    reason: Mapped[str] = mapped_column(sa.Text)
    scope: Mapped[AccommodationScope] = mapped_column(enum_column(AccommodationScope, 16))
    valid_until: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[AccommodationStatus] = mapped_column(
        enum_column(AccommodationStatus, 16), default=AccommodationStatus.REQUESTED
    )
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str] = mapped_column(sa.Text, default="")

    __table_args__ = (
        sa.CheckConstraint("extra_minutes >= 0", name="extra_minutes_not_negative"),
        sa.CheckConstraint("time_percent BETWEEN 100 AND 400", name="time_percent_range"),
    )

    def extended_seconds(self, base_seconds: int) -> int:
        """Seconds added to an exam of ``base_seconds``."""
        return base_seconds * (self.time_percent - 100) // 100 + self.extra_minutes * 60


# --- attempts ------------------------------------------------------------------------------------


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    PAUSED = "paused"
    COMPLETED = "completed"


#: States in which the clock may run and answers are taken.
LIVE_ATTEMPT_STATES = (AttemptStatus.IN_PROGRESS, AttemptStatus.PAUSED)


class EndReason(enum.StrEnum):
    SUBMITTED = "submitted"
    DEADLINE = "deadline"
    PROCTOR = "proctor"


class ResultStatus(enum.StrEnum):
    PENDING = "pending"  # not finished yet
    HELD = "held"  # waiting for staff review
    RELEASED = "released"
    INVALIDATED = "invalidated"


_live_attempt_sql = "status IN ('in_progress', 'paused')"


class ExamAttempt(TimestampMixin, db.Model):
    __tablename__ = "exam_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    blueprint_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_blueprints.id"), index=True)
    blueprint_version: Mapped[int]
    #: The candidate's n-th attempt at this certification.
    number: Mapped[int]
    voucher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exam_vouchers.id"), unique=True)
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrolments.id"), index=True)
    #: The partner that delivered the training (certificates name it); proctors of it may watch.
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    accommodation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exam_accommodations.id"), index=True)
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    status: Mapped[AttemptStatus] = mapped_column(
        enum_column(AttemptStatus, 16), default=AttemptStatus.IN_PROGRESS, index=True
    )
    #: Identity attestation and agreements given at check-in.
    checkin: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: The blueprint rules this attempt is decided by (copied at start).
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    seed: Mapped[int] = mapped_column(sa.BigInteger)

    # The clock: the server owns it. deadline = start + base + accommodation + added + paused time.
    started_at: Mapped[datetime]
    deadline_at: Mapped[datetime] = mapped_column(index=True)
    base_seconds: Mapped[int]
    accommodation_seconds: Mapped[int] = mapped_column(default=0)
    added_seconds: Mapped[int] = mapped_column(default=0)
    paused_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    end_reason: Mapped[EndReason | None] = mapped_column(enum_column(EndReason, 16))

    # One browser at a time: hashes of the device tokens (a cookie of the candidate's browser).
    device_hash: Mapped[str | None] = mapped_column(sa.String(64))
    pending_device_hash: Mapped[str | None] = mapped_column(sa.String(64))
    move_requested_at: Mapped[datetime | None]
    last_ip: Mapped[str | None] = mapped_column(sa.String(64))
    last_seen_at: Mapped[datetime | None]

    #: Held for review when the result is decided (a proctor flag, integrity events, an ended attempt).
    flagged: Mapped[bool] = mapped_column(default=False)
    integrity_count: Mapped[int] = mapped_column(default=0)

    raw_points: Mapped[float | None]
    max_points: Mapped[int | None]
    raw_percent: Mapped[float | None]
    scaled_score: Mapped[int | None]
    passed: Mapped[bool | None]
    #: ``{domain_code: {"points": …, "max": …, "percent": …, "band": …}}`` — no item-level data.
    domain_results: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result_status: Mapped[ResultStatus] = mapped_column(enum_column(ResultStatus, 16), default=ResultStatus.PENDING)
    result_decided_at: Mapped[datetime | None]
    result_decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    result_note: Mapped[str] = mapped_column(sa.Text, default="")

    items: Mapped[list[AttemptItem]] = relationship(
        back_populates="attempt", order_by="AttemptItem.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("user_id", "track_id", "number"),
        # One attempt under way per candidate and certification, whatever the race.
        sa.Index(
            "uq_exam_attempts_one_live",
            "user_id",
            "track_id",
            unique=True,
            sqlite_where=sa.text(_live_attempt_sql),
            postgresql_where=sa.text(_live_attempt_sql),
        ),
    )

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_ATTEMPT_STATES


class AttemptItem(db.Model):
    """One question of one attempt: the exact version served, its option order and the answer."""

    __tablename__ = "exam_attempt_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    item_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_items.id"), index=True)
    item_version_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_item_versions.id"), index=True)
    domain_code: Mapped[str] = mapped_column(sa.String(40))
    #: Pilot items are served but do not count.
    scored: Mapped[bool] = mapped_column(default=True)
    option_order: Mapped[list[Any]] = mapped_column(default=list)
    response: Mapped[Any | None] = mapped_column(sa.JSON(none_as_null=True))
    #: The sequence number of the save that wrote ``response``; an older one is refused (409).
    response_seq: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    answered_at: Mapped[datetime | None]
    flagged: Mapped[bool] = mapped_column(default=False)
    score: Mapped[float | None]
    correct: Mapped[bool | None]
    #: The version whose key decided ``score`` (the served one, or a key correction of it).
    scored_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exam_item_versions.id"))

    attempt: Mapped[ExamAttempt] = relationship(back_populates="items")
    version: Mapped[ItemVersion] = relationship(foreign_keys=[item_version_id], lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "position"),
        sa.UniqueConstraint("attempt_id", "item_id"),
    )


class EventKind(enum.StrEnum):
    CHECKED_IN = "checked_in"
    # integrity signals sent by the candidate's page or seen by the server
    FOCUS_LOST = "focus_lost"
    FOCUS_REGAINED = "focus_regained"
    PAGE_HIDDEN = "page_hidden"
    PAGE_VISIBLE = "page_visible"
    COPY = "copy"
    PASTE = "paste"
    FULLSCREEN_EXIT = "fullscreen_exit"
    SECOND_SESSION = "second_session"
    IP_CHANGE = "ip_change"
    SNAPSHOT = "snapshot"
    # proctor and staff actions
    PAUSED = "paused"
    RESUMED = "resumed"
    TIME_ADDED = "time_added"
    ENDED = "ended"
    NOTE = "note"
    FLAGGED = "flagged"
    DEVICE_MOVED = "device_moved"
    # the result
    SUBMITTED = "submitted"
    DEADLINE_REACHED = "deadline_reached"
    RESULT_HELD = "result_held"
    RESULT_RELEASED = "result_released"
    RESULT_INVALIDATED = "result_invalidated"
    RESCORED = "rescored"


#: Events the candidate's page may report.
CLIENT_EVENT_KINDS = frozenset(
    {
        EventKind.FOCUS_LOST,
        EventKind.FOCUS_REGAINED,
        EventKind.PAGE_HIDDEN,
        EventKind.PAGE_VISIBLE,
        EventKind.COPY,
        EventKind.PASTE,
        EventKind.FULLSCREEN_EXIT,
    }
)
#: Events that count towards the integrity threshold (signals for a human, never a verdict).
INTEGRITY_KINDS = frozenset(
    {
        EventKind.FOCUS_LOST,
        EventKind.PAGE_HIDDEN,
        EventKind.COPY,
        EventKind.PASTE,
        EventKind.FULLSCREEN_EXIT,
        EventKind.SECOND_SESSION,
        EventKind.IP_CHANGE,
    }
)


class AttemptEvent(db.Model):
    """One entry of an attempt's evidence timeline."""

    __tablename__ = "exam_attempt_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_attempts.id", ondelete="CASCADE"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the candidate's page saw it (its own clock; for context only).
    client_at: Mapped[datetime | None]
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, 32))
    #: candidate, proctor, staff or system
    source: Mapped[str] = mapped_column(sa.String(16))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


# --- re-scoring ----------------------------------------------------------------------------------


class Rescore(db.Model):
    """A re-scoring run after key corrections: who, why, which item versions, what changed."""

    __tablename__ = "exam_rescores"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    #: ``[[served_version_id, key_version_id], …]``
    versions: Mapped[list[Any]] = mapped_column(default=list)
    attempts_checked: Mapped[int] = mapped_column(default=0)
    attempts_changed: Mapped[int] = mapped_column(default=0)


class AttemptRescore(db.Model):
    __tablename__ = "exam_attempt_rescores"

    id: Mapped[int] = mapped_column(primary_key=True)
    rescore_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_rescores.id", ondelete="CASCADE"), index=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("exam_attempts.id", ondelete="CASCADE"), index=True)
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)

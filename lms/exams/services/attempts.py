"""Starting an attempt: check-in, a stratified random draw per the blueprint, the clock, the voucher."""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.core import audit
from lms.core.db import advisory_lock
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack, Enrolment
from lms.exams.models import (
    Accommodation,
    AttemptEvent,
    AttemptItem,
    EventKind,
    ExamAttempt,
    ExamBlueprint,
    ExamDomain,
    ExamVoucher,
    Item,
    ItemStatus,
    ItemVersion,
)
from lms.exams.question_types import question_type
from lms.exams.services import accommodations, vouchers
from lms.exams.services.blueprints import policy_snapshot
from lms.exams.services.policy import start_decision
from lms.extensions import db


@dataclass(frozen=True)
class CheckIn:
    """What the candidate attests before the clock starts."""

    identity_confirmed: bool
    rules_accepted: bool
    confidentiality_accepted: bool
    webcam_consent: bool
    language: str


@dataclass(frozen=True)
class Drawn:
    """One drawn question: plain values, so that assembling a form loads no ORM objects."""

    item_id: int
    version_id: int
    type: str
    content: dict[str, Any]  # the variant in the attempt's language
    domain_code: str
    scored: bool


def device_hash(token: str | None) -> str | None:
    return hashlib.sha256(token.encode()).hexdigest() if token else None


def seen_item_ids(user_id: int, track_id: int) -> set[int]:
    return set(
        db.session.execute(
            sa.select(AttemptItem.item_id)
            .join(ExamAttempt, AttemptItem.attempt_id == ExamAttempt.id)
            .where(ExamAttempt.user_id == user_id, ExamAttempt.track_id == track_id)
        ).scalars()
    )


@dataclass(frozen=True)
class ItemPool:
    """The items a form in one language may be drawn from: live ones per domain, and pilot ones."""

    live: dict[str, list[Drawn]]
    pilot: list[Drawn]


def item_pool(track_id: int, language: str) -> ItemPool:
    """Live and pilot items of the certification that have a variant in ``language`` (one query)."""
    rows = db.session.execute(
        sa.select(Item.id, Item.status, ItemVersion.id, ItemVersion.type, ItemVersion.content, ExamDomain.code)
        .join(ItemVersion, sa.and_(ItemVersion.item_id == Item.id, ItemVersion.number == Item.current_version))
        .join(ExamDomain, Item.domain_id == ExamDomain.id)
        .where(Item.track_id == track_id, Item.status.in_((ItemStatus.LIVE, ItemStatus.PILOT)))
        .order_by(Item.id)
    ).all()
    live: dict[str, list[Drawn]] = {}
    pilot: list[Drawn] = []
    for item_id, status, version_id, kind, content, code in rows:
        if language not in content:
            continue
        entry = Drawn(item_id, version_id, kind, content[language], code, status == ItemStatus.LIVE)
        (live.setdefault(code, []) if entry.scored else pilot).append(entry)
    return ItemPool(live, pilot)


def draw_items(
    blueprint: ExamBlueprint, user_id: int, language: str, rng: random.Random, pool: ItemPool | None = None
) -> list[Drawn]:
    """Items per domain as the blueprint says, unseen ones first; pilot items on top; order shuffled."""
    pool = pool or item_pool(blueprint.track_id, language)
    seen = seen_item_ids(user_id, blueprint.track_id)

    def prefer_unseen(entries: list[Drawn]) -> list[Drawn]:
        fresh = [entry for entry in entries if entry.item_id not in seen]
        again = [entry for entry in entries if entry.item_id in seen]
        rng.shuffle(fresh)
        rng.shuffle(again)
        return fresh + again

    drawn: list[Drawn] = []
    for code in sorted(blueprint.domain_counts):
        needed = int(blueprint.domain_counts[code])
        chosen = prefer_unseen(pool.live.get(code, []))[:needed]
        if len(chosen) < needed:
            raise DomainError(_("This exam cannot be assembled right now. Please contact the certification body."))
        drawn.extend(chosen)
    drawn.extend(prefer_unseen(pool.pilot)[: blueprint.pilot_item_count])
    rng.shuffle(drawn)
    return drawn


def start_attempt(
    user: User,
    track: CertificationTrack,
    checkin: CheckIn,
    *,
    device_token: str | None,
    ip: str | None,
    now: datetime | None = None,
) -> ExamAttempt:
    """Check in and start the clock. Starting again while an attempt is under way returns that attempt.

    The item bank is read before the lock is taken (on SQLite a start reads first and holds the database's
    write lock only for the decision and the inserts); a bank edited in that moment serves the form it
    would have served a moment earlier. Everything the decision rests on is read under the lock.
    """
    now = now or utcnow()
    user_id, track_id = user.id, track.id
    identity = {"legal_name": user.legal_name, "legal_name_latin": user.legal_name_latin}
    pool = item_pool(track_id, checkin.language)
    advisory_lock(f"exams.start.{user_id}.{track_id}")
    decision = start_decision(user_id, track_id, now)
    if decision.live_attempt is not None:
        return decision.live_attempt
    if not decision.allowed or decision.blueprint is None:
        raise DomainError(decision.reason)
    blueprint = decision.blueprint
    if not checkin.identity_confirmed:
        raise DomainError(_("Confirm that you are the person named here."), field="identity_confirmed")
    if not checkin.rules_accepted:
        raise DomainError(_("Agree to the exam rules to start."), field="rules_accepted")
    if not checkin.confidentiality_accepted:
        raise DomainError(_("Agree to keep the exam content confidential to start."), field="confidentiality_accepted")
    if blueprint.webcam_snapshot_seconds and not checkin.webcam_consent:
        raise DomainError(_("This exam needs your consent to webcam snapshots."), field="webcam_consent")
    if checkin.language not in blueprint.languages or checkin.language not in LANGUAGES:
        raise DomainError(_("Choose one of the languages this exam is offered in."), field="language")

    enrolment = (
        db.session.get(Enrolment, decision.eligibility.enrolment_id)
        if decision.eligibility is not None and decision.eligibility.enrolment_id
        else None
    )
    attempt = build_attempt(
        user_id,
        blueprint,
        language=checkin.language,
        number=len(decision.attempts) + 1,
        checkin={
            **identity,
            "identity_confirmed": True,
            "rules_accepted": True,
            "confidentiality_accepted": True,
            "webcam_consent": checkin.webcam_consent,
            "at": now.isoformat(),
        },
        now=now,
        voucher=decision.voucher,
        enrolment=enrolment,
        accommodation=accommodations.applicable(user_id, track_id, now),
        device_token=device_token,
        ip=ip,
        pool=pool,
    )
    audit.record(
        "exams.attempt_started",
        actor_id=user_id,
        subject=attempt,
        partner_id=attempt.partner_id,
        details={"track_id": track_id, "number": attempt.number, "voucher_id": attempt.voucher_id},
    )
    return attempt


def build_attempt(
    user_id: int,
    blueprint: ExamBlueprint,
    *,
    language: str,
    number: int,
    checkin: dict,
    now: datetime,
    voucher: ExamVoucher | None = None,
    enrolment: Enrolment | None = None,
    accommodation: Accommodation | None = None,
    device_token: str | None = None,
    ip: str | None = None,
    pool: ItemPool | None = None,
) -> ExamAttempt:
    """Assemble the form, set the clock, use the voucher (the rules were checked by the caller)."""
    seed = secrets.randbits(62)
    rng = random.Random(seed)
    drawn = draw_items(blueprint, user_id, language, rng, pool)
    base_seconds = blueprint.time_limit_minutes * 60
    extra_seconds = accommodation.extended_seconds(base_seconds) if accommodation is not None else 0
    partner_id = (enrolment.partner_id if enrolment is not None else None) or (
        voucher.partner_id if voucher is not None else None
    )
    attempt = ExamAttempt(
        user_id=user_id,
        track_id=blueprint.track_id,
        blueprint_id=blueprint.id,
        blueprint_version=blueprint.version,
        number=number,
        voucher_id=voucher.id if voucher is not None else None,
        enrolment_id=enrolment.id if enrolment is not None else None,
        partner_id=partner_id,
        class_id=enrolment.class_id if enrolment is not None else None,
        accommodation_id=accommodation.id if accommodation is not None else None,
        language=language,
        checkin=checkin,
        policy=policy_snapshot(blueprint),
        seed=seed,
        started_at=now,
        base_seconds=base_seconds,
        accommodation_seconds=extra_seconds,
        deadline_at=now + timedelta(seconds=base_seconds + extra_seconds),
        device_hash=device_hash(device_token),
        last_ip=ip,
        last_seen_at=now,
    )
    db.session.add(attempt)
    if voucher is not None:
        vouchers.use(voucher, now)
    if accommodation is not None:
        accommodations.consume(accommodation)
    db.session.flush()
    # One multi-row INSERT for the questions (a start is the busiest moment of an exam day).
    db.session.execute(
        sa.insert(AttemptItem),
        [
            {
                "attempt_id": attempt.id,
                "position": position,
                "item_id": entry.item_id,
                "item_version_id": entry.version_id,
                "domain_code": entry.domain_code,
                "scored": entry.scored,
                "option_order": question_type(entry.type).option_order(entry.content, rng),
                "response": None,
                "response_seq": 0,
                "flagged": False,
            }
            for position, entry in enumerate(drawn, start=1)
        ],
    )
    db.session.add(
        AttemptEvent(
            attempt_id=attempt.id,
            occurred_at=now,
            kind=EventKind.CHECKED_IN,
            source="candidate",
            actor_id=user_id,
            details={"language": language, "webcam_consent": bool(checkin.get("webcam_consent")), "ip": ip},
        )
    )
    return attempt

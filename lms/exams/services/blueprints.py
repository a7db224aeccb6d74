"""Blueprints: items per domain, time limit, pass mark and scale, retake policy, vouchers, review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.core import audit
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.courses.models import CertificationTrack
from lms.exams.models import ExamBlueprint, Item, ItemStatus, ItemVersion, ReviewPolicy
from lms.exams.services.bank import domains_of
from lms.extensions import db

#: Attempts a seat includes when its certification has no blueprint yet.
DEFAULT_ATTEMPTS_PER_SEAT = 1


def blueprint_for(track_id: int) -> ExamBlueprint | None:
    return db.session.execute(sa.select(ExamBlueprint).where(ExamBlueprint.track_id == track_id)).scalar_one_or_none()


def active_blueprint(track_id: int) -> ExamBlueprint | None:
    blueprint = blueprint_for(track_id)
    return blueprint if blueprint is not None and blueprint.is_active else None


def attempts_per_seat(track_id: int) -> int:
    blueprint = blueprint_for(track_id)
    return blueprint.attempts_per_seat if blueprint is not None else DEFAULT_ATTEMPTS_PER_SEAT


def parse_waits(text: str) -> list[int]:
    """``"1, 14"`` → ``[1, 14]`` (days before the first retake, then before each later one)."""
    waits = []
    for part in str(text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > 3650:
            raise DomainError(_("Write the waiting days as whole numbers, such as 1, 14."), field="retake_wait_days")
        waits.append(int(part))
    return waits


@dataclass
class BlueprintFields:
    domain_counts: dict[str, int]
    time_limit_minutes: int
    pass_percent: int
    scale_min: int
    scale_max: int
    scale_cut: int
    attempts_allowed: int
    retake_wait_days: list[int]
    max_attempts_per_year: int
    voucher_required: bool
    attempts_per_seat: int
    voucher_validity_days: int
    review_policy: ReviewPolicy
    integrity_threshold: int
    webcam_snapshot_seconds: int
    languages: list[str]
    pilot_item_count: int = 0


def _validate(track: CertificationTrack, fields: BlueprintFields) -> None:
    codes = {d.code for d in domains_of(track.id)}
    unknown = set(fields.domain_counts) - codes
    if unknown:
        raise DomainError(_("Unknown domain: %(domain)s.", domain=", ".join(sorted(unknown))))
    if any(n < 0 for n in fields.domain_counts.values()) or sum(fields.domain_counts.values()) < 1:
        raise DomainError(_("The exam needs at least one item."))
    if not 1 <= fields.time_limit_minutes <= 600:
        raise DomainError(_("The time limit must be between 1 and 600 minutes."), field="time_limit_minutes")
    if not 1 <= fields.pass_percent <= 100:
        raise DomainError(_("The pass mark must be between 1 and 100 percent."), field="pass_percent")
    if not fields.scale_min <= fields.scale_cut <= fields.scale_max or fields.scale_min == fields.scale_max:
        raise DomainError(
            _("The scale must run from its lowest score through the cut to its highest."), field="scale_cut"
        )
    if fields.attempts_allowed < 0 or fields.max_attempts_per_year < 1 or fields.attempts_per_seat < 0:
        raise DomainError(_("Attempt numbers cannot be negative."), field="attempts_allowed")
    if fields.voucher_validity_days < 1:
        raise DomainError(_("Vouchers must be valid for at least a day."), field="voucher_validity_days")
    if fields.webcam_snapshot_seconds and not 10 <= fields.webcam_snapshot_seconds <= 3600:
        raise DomainError(
            _("Take webcam snapshots every 10 to 3600 seconds, or 0 for none."), field="webcam_snapshot_seconds"
        )
    if fields.integrity_threshold < 1:
        raise DomainError(_("The integrity threshold must be at least 1."), field="integrity_threshold")
    if not fields.languages or any(lang not in LANGUAGES for lang in fields.languages):
        raise DomainError(_("Offer the exam in at least one language."), field="languages")
    if fields.pilot_item_count < 0 or fields.pilot_item_count > 20:
        raise DomainError(_("Add between 0 and 20 pilot items."), field="pilot_item_count")


def save_blueprint(
    track: CertificationTrack, fields: BlueprintFields, *, activate: bool | None = None, actor_id: int | None
) -> ExamBlueprint:
    _validate(track, fields)
    blueprint = blueprint_for(track.id)
    if blueprint is None:
        blueprint = ExamBlueprint(track_id=track.id, version=0)
        db.session.add(blueprint)
    for name, value in vars(fields).items():
        setattr(blueprint, name, value)
    blueprint.domain_counts = {code: n for code, n in fields.domain_counts.items() if n > 0}
    blueprint.version = (blueprint.version or 0) + 1
    if activate is not None:
        blueprint.is_active = activate
    if blueprint.is_active:
        problems = readiness_problems(blueprint)
        if problems:
            raise DomainError(problems[0])
    db.session.flush()
    audit.record(
        "exams.blueprint_saved",
        actor_id=actor_id,
        subject=blueprint,
        details={"version": blueprint.version, "active": blueprint.is_active},
    )
    return blueprint


def live_counts(track_id: int) -> dict[tuple[str, str], int]:
    """``{(domain_code, language): live items}`` for the track's bank."""
    from lms.exams.models import ExamDomain

    rows = db.session.execute(
        sa.select(ExamDomain.code, ItemVersion.content)
        .join(Item, Item.domain_id == ExamDomain.id)
        .join(ItemVersion, sa.and_(ItemVersion.item_id == Item.id, ItemVersion.number == Item.current_version))
        .where(Item.track_id == track_id, Item.status == ItemStatus.LIVE)
    ).all()
    counts: dict[tuple[str, str], int] = {}
    for code, content in rows:
        for language in content:
            counts[(code, language)] = counts.get((code, language), 0) + 1
    return counts


def readiness_problems(blueprint: ExamBlueprint) -> list[str]:
    """What stops candidates from sitting this exam: domains without enough live items per language."""
    counts = live_counts(blueprint.track_id)
    names = {d.code: d.name("en") for d in domains_of(blueprint.track_id)}
    problems = []
    for language in blueprint.languages:
        for code, needed in blueprint.domain_counts.items():
            have = counts.get((code, language), 0)
            if have < needed:
                problems.append(
                    _(
                        "%(domain)s needs %(needed)d live items in %(language)s; the bank has %(have)d.",
                        domain=names.get(code, code),
                        needed=needed,
                        language=LANGUAGES[language].native_name,
                        have=have,
                    )
                )
    return problems


def policy_snapshot(blueprint: ExamBlueprint) -> dict[str, Any]:
    """The rules an attempt is decided by, copied when it starts."""
    return {
        "pass_percent": blueprint.pass_percent,
        "scale_min": blueprint.scale_min,
        "scale_max": blueprint.scale_max,
        "scale_cut": blueprint.scale_cut,
        "review_policy": blueprint.review_policy.value,
        "integrity_threshold": blueprint.integrity_threshold,
        "webcam_snapshot_seconds": blueprint.webcam_snapshot_seconds,
        "time_limit_minutes": blueprint.time_limit_minutes,
    }

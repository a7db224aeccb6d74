"""Exam factories: a certification with a small live bank and an open blueprint, eligible candidates,
started attempts. Everything goes through the exam services, as a user's actions would."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import pytest

from lms.core.time import utcnow
from lms.courses.models import (
    CertificationTrack,
    Course,
    CourseVersion,
    CourseVersionStatus,
    EnrolmentSource,
    EnrolmentStatus,
)
from lms.exams.models import ExamAttempt, ExamBlueprint, Item, ReviewPolicy
from lms.exams.services import attempts, bank, blueprints
from lms.extensions import db

_numbers = itertools.count(1)

DOMAINS = ("basics", "risk", "practice")


def item_entries(prefix: str, per_domain: int = 4, languages: tuple[str, ...] = ("en",)) -> list[bank.ItemInput]:
    """Per domain: single choice, multiple response, true/false, then ordering or matching, repeated."""
    entries = []
    for domain in DOMAINS:
        for n in range(per_domain):
            code = f"{prefix}-{domain}-{n + 1}"
            kind = ("single_choice", "multiple_response", "true_false", "ordering" if domain != "risk" else "matching")[
                n % 4
            ]
            content = {}
            for language in languages:
                stem = f"[{language}] {domain} question {n + 1}: which is right?"
                options = [{"id": oid, "text": f"[{language}] option {oid} of {code}"} for oid in "abcd"]
                variant: dict[str, Any] = {"stem": stem}
                if kind != "true_false":
                    variant["options"] = options
                if kind == "single_choice":
                    variant["options"][3] = {"id": "d", "text": f"[{language}] All of the above", "fixed": True}
                if kind == "matching":
                    variant["options"] = options[:3]
                    variant["prompts"] = [{"id": f"p{i}", "text": f"[{language}] prompt {i}"} for i in (1, 2, 3)]
                content[language] = variant
            key = {
                "single_choice": {"correct": "b"},
                "multiple_response": {"correct": ["a", "c"]},
                "true_false": {"correct": True},
                "ordering": {"order": ["c", "a", "d", "b"]},
                "matching": {"pairs": {"p1": "b", "p2": "c", "p3": "a"}},
            }[kind]
            entries.append(
                bank.ItemInput(
                    code=code,
                    type=kind,
                    domain=domain,
                    key=key,
                    content=content,
                    objective=f"objective {n + 1}",
                    difficulty=1 + n % 5,
                    status=bank.ItemStatus.LIVE,
                    rows=[len(entries) + 2],
                )
            )
    return entries


def correct_response(version: Any) -> Any:
    key = version.key
    return {
        "single_choice": lambda: key["correct"],
        "multiple_response": lambda: sorted(key["correct"]),
        "true_false": lambda: key["correct"],
        "ordering": lambda: list(key["order"]),
        "matching": lambda: dict(key["pairs"]),
    }[version.type]()


def wrong_response(version: Any) -> Any:
    key = version.key
    return {
        "single_choice": lambda: "a",
        "multiple_response": lambda: ["b"],
        "true_false": lambda: not key["correct"],
        "ordering": lambda: list(reversed(key["order"])),
        "matching": lambda: {p: "a" if o != "a" else "b" for p, o in key["pairs"].items()},
    }[version.type]()


@dataclass
class ExamSetup:
    track: CertificationTrack
    version: CourseVersion
    blueprint: ExamBlueprint
    items: list[Item] = field(default_factory=list)


def blueprint_fields(**overrides: Any) -> blueprints.BlueprintFields:
    values: dict[str, Any] = {
        "domain_counts": dict.fromkeys(DOMAINS, 2),
        "time_limit_minutes": 60,
        "pass_percent": 70,
        "scale_min": 0,
        "scale_max": 1000,
        "scale_cut": 700,
        "attempts_allowed": 0,
        "retake_wait_days": [1, 14],
        "max_attempts_per_year": 4,
        "voucher_required": True,
        "attempts_per_seat": 2,
        "voucher_validity_days": 365,
        "review_policy": ReviewPolicy.FLAGGED,
        "integrity_threshold": 8,
        "webcam_snapshot_seconds": 0,
        "languages": ["en"],
        "pilot_item_count": 0,
    }
    values.update(overrides)
    return blueprints.BlueprintFields(**values)


@pytest.fixture
def make_exam():
    """``make_exam(per_domain=4, languages=("en",), **blueprint_overrides)`` → an open exam."""

    def factory(per_domain: int = 4, languages: tuple[str, ...] = ("en",), **overrides: Any) -> ExamSetup:
        n = next(_numbers)
        code = f"T{n:03d}"
        track = CertificationTrack(code=code, slug=f"track-{n}", names={"en": f"Track {n}", "ar": f"المسار {n}"})
        db.session.add(track)
        course = Course(track=track, code=f"C{n:03d}", slug=f"course-{n}")
        version = CourseVersion(
            course=course,
            number=1,
            status=CourseVersionStatus.PUBLISHED,
            titles={"en": f"Course {n}"},
            delivery_modes=["elearning"],
        )
        db.session.add_all([course, version])
        db.session.flush()
        for position, domain in enumerate(DOMAINS):
            bank.save_domain(track, domain, {"en": domain.title(), "ar": f"مجال {position}"}, actor_id=None)
        report = bank.apply_inputs(track, item_entries(code, per_domain, languages), actor_id=None)
        assert report.ok, report.errors
        overrides.setdefault("languages", list(languages))
        blueprint = blueprints.save_blueprint(track, blueprint_fields(**overrides), activate=True, actor_id=None)
        return ExamSetup(track, version, blueprint, bank.items_of(track.id))

    return factory


@pytest.fixture
def exam(make_exam) -> ExamSetup:
    return make_exam()


@pytest.fixture
def make_candidate(create_user):
    """``make_candidate(setup, partner=None, class_id=None, **user_fields)`` → a user who completed the course."""
    from lms.courses import services as courses

    def factory(setup: ExamSetup, partner: Any = None, class_id: int | None = None, **fields: Any):
        user = create_user(**fields)
        enrolment = courses.enrol(
            user_id=user.id,
            course_version_id=setup.version.id,
            source=EnrolmentSource.PARTNER if partner else EnrolmentSource.STAFF,
            partner_id=partner.id if partner is not None else None,
            class_id=class_id,
        )
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_at = utcnow()
        db.session.flush()
        return user

    return factory


@pytest.fixture
def candidate(make_candidate, exam):
    return make_candidate(exam)


CHECKIN = attempts.CheckIn(
    identity_confirmed=True, rules_accepted=True, confidentiality_accepted=True, webcam_consent=False, language="en"
)
DEVICE = "device-token-of-the-candidates-laptop"


@pytest.fixture
def start_attempt():
    """``start_attempt(user, setup, device=DEVICE, language="en", now=None)`` → a started attempt."""

    def factory(user: Any, setup: ExamSetup, device: str = DEVICE, language: str = "en", now: Any = None, **kw: Any):
        checkin = attempts.CheckIn(
            identity_confirmed=True,
            rules_accepted=True,
            confidentiality_accepted=True,
            webcam_consent=kw.pop("webcam_consent", False),
            language=language,
        )
        attempt = attempts.start_attempt(user, setup.track, checkin, device_token=device, ip="10.0.0.1", now=now)
        db.session.flush()
        return attempt

    return factory


def reload(attempt: ExamAttempt) -> ExamAttempt:
    db.session.expire_all()
    return db.session.get(ExamAttempt, attempt.id)

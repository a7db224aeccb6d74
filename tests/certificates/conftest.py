"""Factories for certificate tests: a certification body, a branded partner, a track, passes."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from PIL import Image, ImageDraw

from lms.extensions import db

_attempts = iter(range(1, 10**9))


def png_logo(colour: str = "#0E7C86", text: str = "GA") -> bytes:
    image = Image.new("RGB", (240, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 236, 116), radius=18, fill=colour)
    draw.text((100, 50), text, fill="white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def body(create_organisation):
    from lms.accounts.models import OrganisationKind
    from lms.accounts.services import certification_body

    return certification_body() or create_organisation(
        OrganisationKind.CERTIFICATION_BODY, name="AI Certification Council"
    )


@pytest.fixture
def make_track():
    from lms.courses.models import CertificationTrack

    counter = iter(range(1, 10**6))

    def factory(code: str | None = None, **fields: Any) -> CertificationTrack:
        n = next(counter)
        code = code or f"T{n}"
        track = CertificationTrack(
            code=code,
            slug=fields.pop("slug", f"track-{code.lower()}-{n}"),
            names=fields.pop(
                "names",
                {
                    "en": "AI+ Developer",
                    "ar": "الذكاء الاصطناعي+ للمطورين",
                    "es": "AI+ Desarrollador",
                    "fr": "AI+ Développeur",
                    "de": "AI+ Entwickler",
                    "ja": "AI+ デベロッパー",
                },
            ),
            validity_months=fields.pop("validity_months", 24),
            scheme_version=fields.pop("scheme_version", "2026.1"),
            requires_course_completion=fields.pop("requires_course_completion", False),
            **fields,
        )
        db.session.add(track)
        db.session.flush()
        return track

    return factory


@pytest.fixture
def track(make_track):
    return make_track("DEV")


@pytest.fixture
def make_partner(create_organisation, app):
    from lms.core.storage import get_storage
    from lms.partners.models import PartnerBranding

    def factory(name: str = "Gulf AI Academy", colour: str = "#0E7C86", **fields: Any):
        partner = create_organisation(name=name)
        key = f"branding/{partner.id}/logo.png"
        get_storage().save(key, png_logo(colour), "image/png")
        db.session.add(
            PartnerBranding(
                partner_id=partner.id,
                display_name=name,
                primary_colour=fields.pop("primary_colour", colour),
                secondary_colour=fields.pop("secondary_colour", "#3538CD"),
                logo_key=key,
                signatory_name=fields.pop("signatory_name", "Omar Al-Farsi"),
                signatory_title=fields.pop("signatory_title", "Director of Training"),
            )
        )
        db.session.flush()
        return partner

    return factory


@pytest.fixture
def partner(make_partner):
    return make_partner()


@pytest.fixture
def learner(create_user):
    return create_user(legal_name="ليلى حسن", legal_name_latin="Layla Hassan", display_name="Layla")


@pytest.fixture
def pass_exam(body):
    """``pass_exam(user, track, partner)`` sends the exams domain's pass signal, commits, and returns
    the certificate the task issued (or None)."""
    from lms.certificates.models import Certificate
    from lms.certificates.services.issuing import certificate_by_source, decision_ref
    from lms.core import signals
    from lms.core.time import utcnow

    def do_pass(user, track, partner=None, attempt_id: int | None = None, decided_at: datetime | None = None):
        attempt_id = attempt_id or 900_000 + next(_attempts)
        signals.exam_passed.send(
            None,
            attempt_id=attempt_id,
            user_id=user.id,
            track_id=track.id,
            partner_id=partner.id if partner else None,
            decided_at=decided_at or utcnow(),
        )
        db.session.commit()
        certificate: Certificate | None = certificate_by_source(decision_ref(attempt_id))
        return certificate

    return do_pass


@pytest.fixture
def certificate(pass_exam, learner, track, partner):
    return pass_exam(learner, track, partner)


@pytest.fixture
def make_class():
    """``make_class(partner, track, learners)``: a class of the partner with these learners enrolled
    and a recorded (not yet issued) pass for each learner in ``passed``."""
    from lms.certificates.services import issuing
    from lms.courses.models import Course, CourseVersion, CourseVersionStatus, Enrolment, EnrolmentSource
    from lms.partners.models import ClassStatus, TrainingClass

    counter = iter(range(1, 10**6))

    def factory(partner, track, learners, passed=None):
        n = next(counter)
        course = Course(track_id=track.id, code=f"C-{track.code}-{n}", slug=f"c-{track.code.lower()}-{n}")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(
            course_id=course.id, status=CourseVersionStatus.PUBLISHED, titles={"en": f"Course {n}"}, languages=["en"]
        )
        db.session.add(version)
        db.session.flush()
        training_class = TrainingClass(
            partner_id=partner.id, course_version_id=version.id, status=ClassStatus.PUBLISHED, capacity=500
        )
        db.session.add(training_class)
        db.session.flush()
        db.session.add_all(
            Enrolment(
                user_id=learner.id,
                course_version_id=version.id,
                source=EnrolmentSource.PARTNER,
                partner_id=partner.id,
                class_id=training_class.id,
            )
            for learner in learners
        )
        for learner in learners if passed is None else passed:
            issuing.record_pass(
                source_ref=f"exam-attempt:{800_000 + next(_attempts)}",
                user_id=learner.id,
                track_id=track.id,
                partner_id=partner.id,
                decided_at=None,
            )
        db.session.flush()
        return training_class

    return factory


@pytest.fixture
def partner_admin(create_user, partner):
    from lms.core.security import Role

    return create_user(roles=[(partner, Role.PARTNER_ADMIN)], display_name="Omar")

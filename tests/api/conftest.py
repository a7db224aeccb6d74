"""Factories for the API tests: partners with keys, a published catalog, bearer headers."""

from __future__ import annotations

from typing import Any

import pytest

from lms.accounts.models import OrganisationKind
from lms.api.scopes import Scope
from lms.api.services import keys
from lms.core.security import Role
from lms.core.time import utcnow
from lms.courses.models import (
    CertificationTrack,
    Course,
    CoursePrice,
    CourseVersion,
    CourseVersionStatus,
    DeliveryMode,
)
from lms.extensions import db
from tests.certificates.conftest import make_track, pass_exam  # noqa: F401 (fixtures)
from tests.exams.conftest import make_candidate, make_exam, start_attempt  # noqa: F401 (fixtures)
from tests.partners.conftest import body, make_class, make_partner, make_version  # noqa: F401 (fixtures)

ALL_SCOPES = [scope.value for scope in Scope]
_counter = iter(range(1, 10**9))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def partner(create_organisation):
    return create_organisation(OrganisationKind.TRAINING_PARTNER, name="Gulf Test Academy")


@pytest.fixture
def other_partner(create_organisation):
    return create_organisation(OrganisationKind.TRAINING_PARTNER, name="Other Test Institute")


@pytest.fixture
def partner_admin(create_user, partner):
    return create_user(roles=[(partner, Role.PARTNER_ADMIN)], display_name="Partner Admin")


@pytest.fixture
def make_key():
    """``make_key(partner, scopes=[...], **fields)`` → (ApiKey, token)."""

    def factory(organisation: Any, scopes: list[str] | None = None, **fields: Any):
        created = keys.create_api_key(
            partner_id=organisation.id,
            name=fields.pop("name", "Test key"),
            scopes=ALL_SCOPES if scopes is None else scopes,
            actor_id=None,
            **fields,
        )
        db.session.flush()
        return created.api_key, created.token

    return factory


@pytest.fixture
def key(make_key, partner):
    return make_key(partner)


@pytest.fixture
def token(key):
    return key[1]


@pytest.fixture
def make_course():
    """``make_course(languages=[...], modes=[...], published=True)`` → a course with one version and prices."""

    def factory(
        *,
        track: CertificationTrack | None = None,
        languages: list[str] | None = None,
        modes: list[str] | None = None,
        published: bool = True,
        eur: int = 49900,
    ) -> Course:
        n = next(_counter)
        if track is None:
            track = CertificationTrack(code=f"T{n}", slug=f"track-{n}", names={"en": f"Track {n}"}, position=n)
            db.session.add(track)
            db.session.flush()
        course = Course(track_id=track.id, code=f"C-{n}", slug=f"course-{n}")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(
            course_id=course.id,
            number=1,
            status=CourseVersionStatus.PUBLISHED if published else CourseVersionStatus.DRAFT,
            titles={"en": f"Course {n}", "fr": f"Cours {n}", "ar": f"دورة {n}"},
            descriptions={"en": "About it"},
            languages=languages or ["en"],
            delivery_modes=modes or [DeliveryMode.ELEARNING.value],
            published_at=utcnow() if published else None,
        )
        version.prices = [CoursePrice(currency="EUR", list_amount=eur, academic_amount=eur // 2)]
        db.session.add(version)
        db.session.flush()
        db.session.refresh(course)
        return course

    return factory


@pytest.fixture
def course(make_course):
    return make_course()


@pytest.fixture
def generous_rate_limits(app, monkeypatch):
    """For tests that send hundreds of requests from one address on purpose."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "API_PUBLIC_RATE_LIMIT", "100000 per minute")


# --- the partner network: classes, seats (the partner tests' factories) --------------------------


@pytest.fixture
def network(make_partner, make_key, body):  # noqa: F811 (the imported fixtures)
    """Two partners with agreements and all-scope keys: ``(partner, admin, token)`` each."""
    mine, my_admin = make_partner(name="Gulf Network Academy")
    theirs, their_admin = make_partner(name="Atlas Training")

    def key_of(organisation, admin):
        api_key, token = make_key(organisation)
        api_key.created_by_id = admin.id  # as when a partner admin creates it on the page
        db.session.flush()
        return token

    return {
        "partner": mine,
        "admin": my_admin,
        "token": key_of(mine, my_admin),
        "other": theirs,
        "other_admin": their_admin,
        "other_token": key_of(theirs, their_admin),
    }

"""Factories for partner-network tests: partners, published course versions, classes with seats."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest

from lms.accounts.models import OrganisationKind
from lms.core.security import Role
from lms.core.time import utcnow
from lms.extensions import db

_n = iter(range(1, 10**9))


@pytest.fixture
def make_partner(create_organisation, create_user):
    """``make_partner(kind=…, name=…)`` → (organisation, its admin user), branded, with standard terms."""
    from lms.partners.services import branding, network

    def factory(kind: OrganisationKind = OrganisationKind.TRAINING_PARTNER, name: str | None = None, **fields: Any):
        organisation = create_organisation(
            kind, name=name, country=fields.pop("country", "AE"), city=fields.pop("city", "Dubai")
        )
        admin = create_user(roles=[(organisation, Role.PARTNER_ADMIN)], display_name=f"Admin of {organisation.name}")
        branding.ensure_branding(organisation.id, organisation.name)
        network.set_agreement(organisation.id, actor_id=None, **network.DEFAULT_SHARES)
        return organisation, admin

    return factory


@pytest.fixture
def make_version():
    """``make_version(price=50000, currency="USD")`` → a published course version (eLearning and classes)."""
    from lms.courses.models import (
        CertificationTrack,
        Course,
        CoursePrice,
        CourseVersion,
        CourseVersionStatus,
    )

    def factory(
        price: int = 50000,
        currency: str = "USD",
        academic: int | None = 30000,
        association: int | None = 40000,
        track: Any = None,
        modes: tuple[str, ...] = ("elearning", "instructor_led"),
    ) -> CourseVersion:
        n = next(_n)
        if track is None:
            track = CertificationTrack(code=f"T{n}", slug=f"track-{n}", names={"en": f"Track {n}"})
            db.session.add(track)
            db.session.flush()
        course = Course(track_id=track.id, code=f"AIP-T{n}-101", slug=f"course-{n}")
        db.session.add(course)
        db.session.flush()
        version = CourseVersion(
            course_id=course.id,
            number=1,
            status=CourseVersionStatus.PUBLISHED,
            titles={"en": f"Course {n}", "ar": f"الدورة {n}"},
            languages=["en"],
            delivery_modes=list(modes),
            published_at=utcnow(),
        )
        db.session.add(version)
        db.session.flush()
        db.session.add(
            CoursePrice(
                course_version_id=version.id,
                currency=currency,
                list_amount=price,
                academic_amount=academic,
                association_amount=association,
            )
        )
        db.session.flush()
        return version

    return factory


@pytest.fixture
def make_class(make_version, create_user):
    """``make_class(partner, capacity=10, …)`` → a published class starting in ``days`` days, priced in USD."""
    from lms.partners.models import ClassStaffRole
    from lms.partners.services import classes

    def factory(
        partner: Any,
        *,
        capacity: int = 10,
        days: int = 10,
        meetings: int = 2,
        price: int = 100000,
        academic: int | None = 70000,
        association: int | None = 80000,
        resale_allowed: bool = False,
        version: Any = None,
        publish: bool = True,
        timezone: str = "Asia/Dubai",
        language: str = "en",
        **fields: Any,
    ):
        version = version or make_version()
        training_class = classes.create_class(
            partner,
            actor_id=None,
            course_version_id=version.id,
            language=language,
            timezone=timezone,
            capacity=capacity,
            meeting_url="https://meet.example.com/abc",
            resale_allowed=resale_allowed,
            **fields,
        )
        start_day = (utcnow() + timedelta(days=days)).date()
        for index in range(meetings):
            classes.add_meeting(
                training_class, day=start_day + timedelta(days=index), start=time(9, 0), end=time(13, 0), actor_id=None
            )
        classes.set_price(
            training_class,
            currency="USD",
            list_amount=price,
            academic_amount=academic,
            association_amount=association,
            actor_id=None,
        )
        instructor = create_user(roles=[(partner, Role.INSTRUCTOR)], display_name="Instructor")
        classes.add_staff(training_class, user_id=instructor.id, role=ClassStaffRole.INSTRUCTOR, actor_id=None)
        if publish:
            classes.publish(training_class, actor_id=None)
        db.session.flush()
        return training_class

    return factory


@pytest.fixture
def body(create_organisation):
    """The certification body (its ledger account is keyed by its id)."""
    return create_organisation(OrganisationKind.CERTIFICATION_BODY, name="Certification Body")


@pytest.fixture
def buy_seat():
    """``buy_seat(user, training_class)`` → the paid order (test provider) of one seat for the user."""
    from lms.partners.services import orders

    def factory(user: Any, training_class: Any, **kwargs: Any):
        order = orders.start_class_order(user, training_class.id, **kwargs)
        orders.pay(order, provider_code="test", actor=user)
        return order

    return factory


@pytest.fixture
def world(make_partner, make_class, create_user, buy_seat, body):
    """Partner A with one of everything, partner B (the intruder), and C whose class A resells."""
    from lms.accounts.models import Membership
    from lms.partners.models import Seat, VoucherKind
    from lms.partners.services import cohorts, network, orders, resale, vouchers

    a, a_admin = make_partner(name="Alpha")
    _b, b_admin = make_partner(name="Beta")
    c, _c_admin = make_partner(name="Gamma")
    a_class = make_class(a, resale_allowed=False)
    learner = create_user()
    buy_seat(learner, a_class)
    seat = db.session.execute(db.select(Seat).where(Seat.class_id == a_class.id)).scalar_one()
    c_class = make_class(c, resale_allowed=True)
    allotment = resale.reserve_allotment(a, c_class, quantity=1, release_at=utcnow() + timedelta(days=2), actor_id=None)
    listing = resale.list_class(a, c_class, actor_id=None)
    a_order = resale.buy_seats(a, c_class, quantity=1, buyer=a_admin)
    orders.pay(a_order, provider_code="test", actor=a_admin)
    resold_seat = db.session.execute(db.select(Seat).where(Seat.reseller_id == a.id)).scalar_one()
    batch = vouchers.generate_batch(a, actor_id=a_admin.id, name="A codes", kind=VoucherKind.SEAT, count=1)
    cohort = cohorts.create_cohort(a, name="A cohort", client_id=None, actor_id=a_admin.id)
    record = cohorts.preview(cohort, filename="a.csv", data=b"email,class\nx@example.com,1\n", actor_id=a_admin.id)
    invitation, _token = network.invite(a, email="new@example.com", role=network.Role.PROCTOR, actor=a_admin)
    membership = db.session.execute(db.select(Membership).where(Membership.user_id == a_admin.id)).scalar_one()
    ids = {
        "class_id": a_class.id,
        "meeting_id": a_class.meetings[0].id,
        "staff_id": a_class.staff[0].id,
        "seat_id": seat.id,
        "currency": "USD",
        "invitation_id": invitation.id,
        "membership_id": membership.id,
        "listing_id": listing.id,
        "allotment_id": allotment.id,
        "batch_id": batch.id,
        "voucher_id": batch.vouchers[0].id,
        "cohort_id": cohort.id,
        "import_id": record.id,
    }
    db.session.commit()
    return {
        "a": a,
        "a_admin": a_admin,
        "c_class": c_class,
        "b_admin": b_admin,
        "ids": ids,
        "learner": learner,
        "a_order": a_order,
        "resold_seat": resold_seat,
    }

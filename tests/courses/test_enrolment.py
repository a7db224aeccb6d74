from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from lms.core import signals
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.courses import services
from lms.courses.models import Enrolment, EnrolmentSource, EnrolmentStatus
from lms.extensions import db


def test_enrol_is_idempotent_and_sets_access_period(make_course, learner):
    course = make_course(access_days=30)
    version = course.current_version
    first = services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.PURCHASE)
    again = services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.VOUCHER)
    assert first.id == again.id
    assert first.status == EnrolmentStatus.ACTIVE
    assert (first.access_expires_at - first.started_at).days == 30


def test_class_seat_has_no_access_expiry_and_can_wait(make_course, learner):
    version = make_course().current_version
    enrolment = services.enrol(
        user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.PARTNER, class_id=None, start=False
    )
    assert enrolment.status == EnrolmentStatus.PENDING
    assert not services.content_access(enrolment).allowed
    services.start_enrolment(enrolment.id)
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert enrolment.access_expires_at is not None


def test_draft_course_refuses_enrolment(make_course, learner):
    version = make_course(published=False).versions[0]
    with pytest.raises(DomainError):
        services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.STAFF)


def test_one_live_enrolment_per_version_but_a_new_one_after_cancellation(make_course, learner):
    version = make_course().current_version
    first = services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.PURCHASE)
    services.cancel_enrolment(first.id, actor_id=None, reason="refund")
    second = services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.PURCHASE)
    assert second.id != first.id
    live = db.session.execute(
        sa.select(sa.func.count())
        .select_from(Enrolment)
        .where(Enrolment.user_id == learner.id, Enrolment.status == EnrolmentStatus.ACTIVE)
    ).scalar()
    assert live == 1


def test_access_expires_and_extension_reopens(make_course, learner):
    version = make_course(access_days=10).current_version
    enrolment = services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.PURCHASE)
    changes = []
    with (
        signals.enrolment_changed.connected_to(lambda sender=None, **kw: changes.append(kw)),
        time_machine.travel(utcnow() + timedelta(days=11)),
    ):
        assert not services.content_access(enrolment).allowed
        expired = services.expire_enrolments()
        assert enrolment.id in expired
        assert enrolment.status == EnrolmentStatus.EXPIRED
        services.extend_access(enrolment.id, 30, actor_id=None)
        assert enrolment.status == EnrolmentStatus.ACTIVE
        assert services.content_access(enrolment).allowed
    assert [c["status"] for c in changes] == ["expired", "active"]


def test_extend_refuses_bad_days(make_course, learner):
    version = make_course().current_version
    enrolment = services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.PURCHASE)
    with pytest.raises(DomainError):
        services.extend_access(enrolment.id, 0, actor_id=None)


def test_transfer_moves_seat_to_new_version(make_course, learner):
    course = make_course()
    old_version = course.current_version
    enrolment = services.enrol(user_id=learner.id, course_version_id=old_version.id, source=EnrolmentSource.STAFF)
    other = make_course().current_version
    new = services.transfer_enrolment(enrolment.id, actor_id=None, course_version_id=other.id)
    assert enrolment.status == EnrolmentStatus.TRANSFERRED
    assert new.course_version_id == other.id and new.status == EnrolmentStatus.ACTIVE
    assert new.origin_ref == f"transfer:{enrolment.id}"


def test_cancel_completed_is_refused(make_course, learner):
    version = make_course(kinds=("ebook",)).current_version
    enrolment = services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.STAFF)
    services.record(enrolment, version.lessons[0], services.Verb.COMPLETED)
    assert enrolment.status == EnrolmentStatus.COMPLETED
    with pytest.raises(DomainError):
        services.cancel_enrolment(enrolment.id, actor_id=None)


def test_prerequisites_gate_content_until_completed_or_overridden(make_course, learner, staff_user):
    essentials = make_course(kinds=("ebook",))
    developer = make_course(kinds=("ebook",))
    from lms.courses.services.enrolment import set_prerequisites

    set_prerequisites(developer, [essentials.id], actor_id=staff_user.id)
    dev_enrolment = services.enrol(
        user_id=learner.id, course_version_id=developer.current_version.id, source=EnrolmentSource.PURCHASE
    )
    access = services.content_access(dev_enrolment)
    assert not access.allowed and [c.id for c in access.missing] == [essentials.id]
    # Progress is not recorded while the course is locked.
    assert services.record(dev_enrolment, developer.current_version.lessons[0], services.Verb.COMPLETED) is None

    with pytest.raises(DomainError):
        services.grant_override(learner.id, developer.id, actor_id=staff_user.id, reason="")
    override = services.grant_override(learner.id, developer.id, actor_id=staff_user.id, reason="Holds a prior degree")
    assert services.content_access(dev_enrolment).allowed
    from lms.core.audit import AuditEvent

    logged = db.session.execute(
        sa.select(AuditEvent).where(AuditEvent.action == "course.prerequisite_override")
    ).scalar_one()
    assert logged.details["reason"] == "Holds a prior degree" and logged.actor_id == staff_user.id

    from lms.courses.services.enrolment import revoke_override

    revoke_override(override.id, actor_id=staff_user.id)
    assert not services.content_access(dev_enrolment).allowed
    ess = services.enrol(
        user_id=learner.id, course_version_id=essentials.current_version.id, source=EnrolmentSource.STAFF
    )
    services.record(ess, essentials.current_version.lessons[0], services.Verb.COMPLETED)
    assert services.content_access(dev_enrolment).allowed


def test_prerequisite_cycles_are_refused(make_course, staff_user):
    from lms.courses.services.enrolment import set_prerequisites

    a, b = make_course(kinds=("ebook",)), make_course(kinds=("ebook",))
    set_prerequisites(b, [a.id], actor_id=staff_user.id)
    with pytest.raises(DomainError):
        set_prerequisites(a, [b.id], actor_id=staff_user.id)
    with pytest.raises(DomainError):
        set_prerequisites(a, [a.id], actor_id=staff_user.id)


def test_exam_eligibility_follows_completion(make_course, learner):
    course = make_course(kinds=("ebook",))
    version = course.current_version
    assert not services.exam_eligibility(learner.id, course.track_id).eligible
    enrolment = services.enrol(user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.STAFF)
    services.record(enrolment, version.lessons[0], services.Verb.COMPLETED)
    result = services.exam_eligibility(learner.id, course.track_id)
    assert result.eligible and result.enrolment_id == enrolment.id

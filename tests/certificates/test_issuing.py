"""Issuing: a pass becomes exactly one certificate, whatever runs twice or at once."""

from __future__ import annotations

import hashlib
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from lms.certificates import tasks
from lms.certificates.models import (
    Certificate,
    CertificateStatus,
    DecisionState,
    IssueKind,
    PassingDecision,
)
from lms.certificates.numbering import is_well_formed, make_number, status_position
from lms.certificates.services import issuing
from lms.core import signals
from lms.core.audit import AuditEvent
from lms.core.errors import Conflict, DomainError
from lms.core.storage import get_storage
from lms.core.time import utcnow
from lms.extensions import db


def _certificates_for(user) -> list[Certificate]:
    return list(db.session.execute(sa.select(Certificate).where(Certificate.user_id == user.id)).scalars())


def test_a_pass_issues_a_certificate_with_number_token_and_stored_pdf(pass_exam, learner, track, partner):
    decided = (utcnow() - timedelta(days=2)).replace(microsecond=0)
    certificate = pass_exam(learner, track, partner, decided_at=decided)

    assert certificate is not None
    assert certificate.status == CertificateStatus.ACTIVE
    assert certificate.number.startswith(f"AIC-DEV-{certificate.issued_at.year}-")
    assert is_well_formed(certificate.number)
    assert len(certificate.token) >= 22 and certificate.token not in certificate.number
    assert certificate.holder_name == "ليلى حسن"
    assert certificate.holder_name_latin == "Layla Hassan"
    assert certificate.partner_name == "Gulf AI Academy"
    assert certificate.scheme_version == "2026.1"
    assert certificate.awarded_at == decided  # awarded when the pass was decided
    months = (certificate.expires_at.year - certificate.issued_at.year) * 12
    assert months + certificate.expires_at.month - certificate.issued_at.month == 24
    document = certificate.primary_document
    data = get_storage().load(document.storage_key)
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == document.sha256
    decision = db.session.execute(sa.select(PassingDecision)).scalars().one()
    assert decision.state == DecisionState.ISSUED and decision.certificate_id == certificate.id


def test_the_same_pass_announced_twice_gives_one_certificate(pass_exam, learner, track, partner):
    first = pass_exam(learner, track, partner, attempt_id=4242)
    second = pass_exam(learner, track, partner, attempt_id=4242)

    assert first.id == second.id
    assert len(_certificates_for(learner)) == 1


def test_the_issuing_task_run_twice_issues_once(body, learner, track, partner):
    decision = issuing.record_pass(
        source_ref="exam-attempt:77", user_id=learner.id, track_id=track.id, partner_id=partner.id, decided_at=None
    )
    db.session.flush()

    first = tasks.issue_decision.run(decision.id)
    second = tasks.issue_decision.run(decision.id)
    again = tasks.issue_for_pass.run(77, learner.id, track.id, partner.id, None)

    assert first == second == again
    assert len(_certificates_for(learner)) == 1


def test_the_database_refuses_a_second_certificate_for_a_decision(certificate):
    duplicate = Certificate(
        token="another-token-value-123",
        credential_id="urn:uuid:another",
        source_ref=certificate.source_ref,
        user_id=certificate.user_id,
        track_id=certificate.track_id,
        holder_name="X",
        certification_code="DEV",
        scheme_version="1",
        issued_at=utcnow(),
        awarded_at=utcnow(),
        expires_at=utcnow(),
    )
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(duplicate)


def test_a_worker_dying_mid_issue_leaves_nothing_and_a_rerun_issues_once(body, learner, track, partner, monkeypatch):
    decision = issuing.record_pass(
        source_ref="exam-attempt:88", user_id=learner.id, track_id=track.id, partner_id=partner.id, decided_at=None
    )
    db.session.commit()
    real_store = issuing.store_document

    def dies(*args, **kwargs):
        raise SystemExit("worker killed while rendering")

    monkeypatch.setattr(issuing, "store_document", dies)
    with pytest.raises(SystemExit), db.session.begin_nested():
        issuing.issue_for_decision(decision.id)
    assert _certificates_for(learner) == []

    monkeypatch.setattr(issuing, "store_document", real_store)
    certificate = issuing.issue_for_decision(decision.id)
    db.session.commit()
    assert [c.id for c in _certificates_for(learner)] == [certificate.id]


def test_concurrent_tasks_for_one_decision_issue_exactly_once(committing_app):
    """Two workers pick up the same decision at the same moment (real commits, real threads)."""
    from lms.accounts import services as accounts
    from lms.accounts.models import OrganisationKind
    from lms.core.db import write_transactions
    from lms.courses.models import CertificationTrack
    from tests.conftest import DEFAULT_PASSWORD

    with committing_app.app_context(), write_transactions():
        accounts.create_organisation(kind=OrganisationKind.CERTIFICATION_BODY, name="Body", slug="body")
        user = accounts.register_user(
            email="race@example.com",
            password=DEFAULT_PASSWORD,
            display_name="Race",
            legal_name="Zoë Race",
            send_verification=False,
        )
        track = CertificationTrack(code="RCE", slug="race", names={"en": "Race"}, requires_course_completion=False)
        db.session.add(track)
        db.session.flush()
        decision = issuing.record_pass(
            source_ref="exam-attempt:1", user_id=user.id, track_id=track.id, partner_id=None, decided_at=None
        )
        db.session.commit()
        decision_id = decision.id

    barrier = threading.Barrier(3)
    results: list[object] = []
    errors: list[BaseException] = []

    def worker() -> None:
        with committing_app.app_context(), write_transactions():
            try:
                barrier.wait()
                certificate = issuing.issue_for_decision(decision_id)
                db.session.commit()
                results.append(certificate.id)
            except BaseException as error:  # report it in the main thread
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with committing_app.app_context():
        count = db.session.execute(sa.select(sa.func.count()).select_from(Certificate)).scalar_one()
    assert count == 1
    assert len(set(results)) == 1 and len(results) == 3


def test_a_certification_that_requires_the_course_waits_for_it(pass_exam, learner, make_track, partner):
    from lms.courses.models import (
        Course,
        CourseVersion,
        CourseVersionStatus,
        Enrolment,
        EnrolmentSource,
        EnrolmentStatus,
    )
    from lms.courses.services import enrol

    track = make_track("EXE", requires_course_completion=True)
    course = Course(track_id=track.id, code="EXE-101", slug="exe-101")
    db.session.add(course)
    db.session.flush()
    version = CourseVersion(course_id=course.id, status=CourseVersionStatus.PUBLISHED, titles={"en": "Exec"})
    db.session.add(version)
    db.session.flush()
    enrolment = enrol(
        user_id=learner.id, course_version_id=version.id, source=EnrolmentSource.PARTNER, partner_id=partner.id
    )

    assert pass_exam(learner, track, None, attempt_id=5150) is None
    decision = issuing.find_decision("exam-attempt:5150")
    assert decision.state == DecisionState.WAITING_FOR_COURSE

    enrolment = db.session.get(Enrolment, enrolment.id)
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = utcnow()
    signals.course_completed.send(None, user_id=learner.id, enrolment_id=enrolment.id, course_id=course.id)
    db.session.commit()

    certificate = issuing.certificate_by_source("exam-attempt:5150")
    assert certificate is not None
    # No partner in the pass itself: the partner that delivered the completed course is named.
    assert certificate.partner_id == partner.id


def test_passing_the_recertification_exam_renews_with_the_original_award_date(pass_exam, learner, track, partner):
    original = pass_exam(learner, track, partner, decided_at=utcnow())
    # Two months before expiry, inside the renewal window.
    original.expires_at = utcnow() + timedelta(days=60)
    db.session.commit()
    old_expiry = original.expires_at

    renewed = pass_exam(learner, track, partner)

    assert renewed.kind == IssueKind.RENEWAL
    assert renewed.awarded_at == original.awarded_at
    assert renewed.number != original.number and renewed.token != original.token
    # Renewed inside the window: the new period continues from the old expiry, nothing is lost.
    assert renewed.expires_at == old_expiry + relativedelta(months=24)
    db.session.refresh(original)
    assert original.status == CertificateStatus.SUPERSEDED
    assert original.superseded_by_id == renewed.id
    assert renewed.replaces_id == original.id


def test_staff_issue_is_idempotent_per_form_and_refuses_a_second_active_certificate(
    body, learner, track, partner, staff_user
):
    first = issuing.staff_issue(
        user=learner,
        track=track,
        partner_id=partner.id,
        language="ar",
        bilingual=True,
        reason="Paper exam held on site",
        actor_id=staff_user.id,
        nonce="form-1",
    )
    again = issuing.staff_issue(
        user=learner,
        track=track,
        partner_id=partner.id,
        language="ar",
        bilingual=True,
        reason="Paper exam held on site",
        actor_id=staff_user.id,
        nonce="form-1",
    )
    assert first.id == again.id
    assert first.bilingual and first.language == "ar"
    with pytest.raises(Conflict):
        issuing.staff_issue(
            user=learner,
            track=track,
            partner_id=None,
            language="en",
            bilingual=False,
            reason="again",
            actor_id=staff_user.id,
            nonce="form-2",
        )
    with pytest.raises(DomainError):
        issuing.staff_issue(
            user=learner,
            track=track,
            partner_id=None,
            language="en",
            bilingual=False,
            reason="  ",
            actor_id=staff_user.id,
            nonce="form-3",
        )


def test_reissue_for_a_name_correction_supersedes_the_old_certificate(certificate, staff_user):
    seen: list[dict] = []

    def listener(sender, **kwargs):
        seen.append(kwargs)

    signals.certificate_status_changed.connect(listener)
    try:
        new = issuing.reissue(
            certificate.id,
            reason="Spelling of the name",
            actor_id=staff_user.id,
            holder_name="ليلى حسّان",
            holder_name_latin="Laila Hassan",
        )
    finally:
        signals.certificate_status_changed.disconnect(listener)
    db.session.flush()

    assert new.holder_name == "ليلى حسّان" and new.holder_name_latin == "Laila Hassan"
    assert new.kind == IssueKind.REISSUE
    assert new.awarded_at == certificate.awarded_at and new.expires_at == certificate.expires_at
    assert new.number != certificate.number and new.token != certificate.token
    assert certificate.status == CertificateStatus.SUPERSEDED and certificate.superseded_by_id == new.id
    assert seen == [{"certificate_id": certificate.id, "status": "superseded", "reason": "Spelling of the name"}]
    actions = set(
        db.session.execute(sa.select(AuditEvent.action).where(AuditEvent.subject_type == "Certificate")).scalars()
    )
    assert {"certificate.issued", "certificate.reissue", "certificate.superseded"} <= actions


def test_a_superseded_certificate_cannot_be_reissued_again(certificate, staff_user):
    issuing.reissue(certificate.id, reason="Name", actor_id=staff_user.id)
    with pytest.raises(Conflict):
        issuing.reissue(certificate.id, reason="Name again", actor_id=staff_user.id)


def test_issue_emits_the_certificate_issued_signal(pass_exam, learner, track, partner):
    seen: list[dict] = []

    def listener(sender, **kwargs):
        seen.append(kwargs)

    signals.certificate_issued.connect(listener)
    try:
        certificate = pass_exam(learner, track, partner)
    finally:
        signals.certificate_issued.disconnect(listener)
    assert seen == [{"certificate_id": certificate.id, "user_id": learner.id, "partner_id": partner.id}]


def test_another_language_keeps_number_and_token_and_is_stored_separately(certificate):
    first = certificate.primary_document
    japanese = issuing.document_for(certificate, "ja")
    bilingual = issuing.document_for(certificate, "ja", bilingual=True)
    again = issuing.document_for(certificate, "ja")
    db.session.flush()

    assert japanese.id == again.id
    assert len({first.storage_key, japanese.storage_key, bilingual.storage_key}) == 3
    assert {(d.language, d.bilingual) for d in certificate.documents} == {("en", False), ("ja", False), ("ja", True)}
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(issuing.document_bytes(japanese))).pages[0].extract_text()
    assert certificate.number in text and certificate.token in text.replace("\n", "")
    with pytest.raises(DomainError):
        issuing.document_for(certificate, "xx")


@given(year=st.integers(2000, 2999), serial=st.integers(1, 10**8), position=st.integers(0, 9), delta=st.integers(1, 9))
def test_the_check_digit_catches_any_single_mistyped_digit(year, serial, position, delta):
    number = make_number("DEV", year, serial)
    assert is_well_formed(number)
    head, digits = number[:13], number[13:]
    position %= len(digits)
    wrong = digits[:position] + str((int(digits[position]) + delta) % 10) + digits[position + 1 :]
    assert not is_well_formed(head + wrong)


def test_status_positions_are_unique_within_a_list():
    positions = {status_position(i) for i in range(1, 200_001)}
    assert len(positions) == 200_000
    assert status_position(1) == (1, 0) and status_position(131_073)[0] == 2

"""Status changes, expiry and the reminders before it (90, 30, 7 days; each once)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from lms.certificates import tasks
from lms.certificates.models import Certificate, CertificateStatus, ExpiryReminder
from lms.certificates.services.reminders import due_threshold
from lms.certificates.services.status import StatusAction, allowed_actions, change_status
from lms.core.errors import Conflict, DomainError
from lms.core.mail import outbox_messages
from lms.extensions import db


def _outbox(app, subject_part: str) -> list:
    return [m for m in outbox_messages(app.config["MAIL_OUTBOX"]) if subject_part in str(m["Subject"])]


@pytest.fixture(autouse=True)
def _empty_outbox(app):
    from pathlib import Path

    for path in Path(app.config["MAIL_OUTBOX"]).glob("*.eml"):
        path.unlink()


def test_status_transitions(certificate, staff_user):
    assert allowed_actions(certificate) == [StatusAction.SUSPEND, StatusAction.REVOKE]
    with pytest.raises(DomainError):
        change_status(certificate.id, StatusAction.SUSPEND, reason=" ", actor_id=staff_user.id)
    with pytest.raises(Conflict):
        change_status(certificate.id, StatusAction.REINSTATE, reason="why", actor_id=staff_user.id)
    change_status(certificate.id, StatusAction.SUSPEND, reason="Investigating", actor_id=staff_user.id)
    assert allowed_actions(certificate) == [StatusAction.REINSTATE, StatusAction.REVOKE]
    change_status(certificate.id, StatusAction.REVOKE, reason="Fraud", actor_id=staff_user.id)
    assert allowed_actions(certificate) == []
    with pytest.raises(Conflict):
        change_status(certificate.id, StatusAction.REINSTATE, reason="Oops", actor_id=staff_user.id)


def test_the_holder_is_told_in_their_language(app, certificate, staff_user, learner):
    learner.locale = "ar"
    change_status(certificate.id, StatusAction.SUSPEND, reason="تحقيق", actor_id=staff_user.id)
    db.session.commit()
    messages = _outbox(app, certificate.number)
    assert len(messages) == 1
    assert "عُلّقت شهادتك" in str(messages[0]["Subject"])


def test_reinstating_after_the_end_of_validity_gives_expired(certificate, staff_user):
    change_status(certificate.id, StatusAction.SUSPEND, reason="Investigating", actor_id=staff_user.id)
    with time_machine.travel(certificate.expires_at + timedelta(days=1)):
        reinstated = change_status(certificate.id, StatusAction.REINSTATE, reason="Cleared", actor_id=staff_user.id)
    assert reinstated.status == CertificateStatus.EXPIRED


@pytest.mark.parametrize(("days", "threshold"), [(120, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (1, 7)])
def test_due_threshold(days, threshold):
    assert due_threshold(days) == threshold


def test_reminders_are_sent_once_per_threshold_then_the_certificate_expires(app, certificate):
    expiry = certificate.expires_at
    db.session.commit()

    def upkeep_on(day_before_expiry: float) -> None:
        with time_machine.travel(expiry - timedelta(days=day_before_expiry), tick=False):
            tasks.upkeep.run()
            tasks.upkeep.run()  # a second beat, or a second worker: nothing more is sent
            db.session.commit()

    upkeep_on(100)
    assert _outbox(app, "expires in") == []
    upkeep_on(89)
    upkeep_on(60)
    assert len(_outbox(app, "expires in 89 days")) == 1
    upkeep_on(29.5)
    upkeep_on(6.5)
    upkeep_on(1.2)
    subjects = sorted(str(m["Subject"]) for m in _outbox(app, "expires in"))
    assert subjects == [
        "Your AI+ Developer certificate expires in 29 days",
        "Your AI+ Developer certificate expires in 6 days",
        "Your AI+ Developer certificate expires in 89 days",
    ]
    body = _outbox(app, "expires in 6 days")[0].get_body(("plain",)).get_content()
    assert certificate.number in body and "/my/certificates" in body

    assert certificate.effective_status() == CertificateStatus.ACTIVE
    with time_machine.travel(expiry + timedelta(hours=1), tick=False):
        assert db.session.get(Certificate, certificate.id).effective_status() == CertificateStatus.EXPIRED
        tasks.upkeep.run()
        db.session.commit()
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).status == CertificateStatus.EXPIRED


def test_a_certificate_first_seen_late_gets_one_reminder_not_three(app, certificate):
    certificate.expires_at = certificate.issued_at + timedelta(days=20)
    db.session.commit()
    tasks.upkeep.run()
    db.session.commit()
    assert len(_outbox(app, "expires in")) == 1
    rows = db.session.execute(
        sa.select(ExpiryReminder.threshold_days, ExpiryReminder.mailed).where(
            ExpiryReminder.certificate_id == certificate.id
        )
    ).all()
    assert sorted(rows) == [(30, True), (90, False)]


def test_no_reminders_for_revoked_or_superseded_certificates(app, certificate, staff_user):
    change_status(certificate.id, StatusAction.REVOKE, reason="Fraud", actor_id=staff_user.id)
    certificate.expires_at = certificate.issued_at + timedelta(days=5)
    db.session.commit()
    tasks.upkeep.run()
    db.session.commit()
    assert _outbox(app, "expires in") == []

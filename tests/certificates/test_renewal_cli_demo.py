"""Renewal by continuing-education credits, the command-line tools, and the demo seed."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from lms.certificates.models import Certificate, CertificateStatus, ClaimStatus, IssueKind
from lms.certificates.services import issuing, renewal
from lms.core.errors import Conflict, DomainError
from lms.core.storage import get_storage
from lms.core.time import utcnow
from lms.extensions import db


def test_renewal_by_continuing_education_credits(certificate, learner, staff_user, track):
    with pytest.raises(DomainError):  # the certification does not allow it yet
        renewal.submit_claim(
            certificate, learner, activity="Course", provider=None, credits=5, completed_on=utcnow().date()
        )
    renewal.set_policy(track_id=track.id, ce_credits_required=20, renewal_window_days=90, actor_id=staff_user.id)
    with pytest.raises(DomainError):
        renewal.submit_claim(
            certificate,
            learner,
            activity="Future",
            provider=None,
            credits=5,
            completed_on=utcnow().date() + timedelta(days=3),
        )
    first = renewal.submit_claim(
        certificate, learner, activity="MOOC on AI safety", provider="Uni", credits=12, completed_on=utcnow().date()
    )
    second = renewal.submit_claim(
        certificate, learner, activity="Conference", provider=None, credits=8, completed_on=utcnow().date()
    )
    renewal.review_claim(first.id, approve=True, note=None, actor_id=staff_user.id)
    with pytest.raises(DomainError):
        renewal.review_claim(second.id, approve=False, note="", actor_id=staff_user.id)
    state = renewal.renewal_state(certificate)
    assert (state.approved, state.pending, state.window_open, state.can_renew) == (12, 8, False, False)
    with pytest.raises(Conflict):
        renewal.renew_with_credits(certificate.id, learner)

    renewal.review_claim(second.id, approve=True, note="ok", actor_id=staff_user.id)
    certificate.expires_at = utcnow() + timedelta(days=40)  # inside the 90-day window
    db.session.flush()
    old_expiry = certificate.expires_at
    renewed = renewal.renew_with_credits(certificate.id, learner)

    assert renewed.kind == IssueKind.RENEWAL
    assert renewed.awarded_at == certificate.awarded_at
    assert renewed.expires_at == old_expiry + relativedelta(months=24)
    assert certificate.status == CertificateStatus.SUPERSEDED
    assert renewal.renewal_state(renewed).approved == 0  # credits count once
    with pytest.raises(Conflict):  # the superseded one cannot be renewed a second time
        renewal.renew_with_credits(certificate.id, learner)


def test_learner_submits_credits_through_the_page(client, login, learner, certificate, track, staff_user):
    renewal.set_policy(track_id=track.id, ce_credits_required=10, renewal_window_days=90, actor_id=staff_user.id)
    db.session.commit()
    login(client, learner)
    page = client.get("/my/certificates").get_data(as_text=True)
    assert "continuing-education credits" in page
    response = client.post(
        f"/my/certificates/{certificate.id}/claims",
        data={"activity": "Ethics workshop", "provider": "", "credits": "10", "completed_on": date.today().isoformat()},
        follow_redirects=True,
    )
    assert "Activity submitted." in response.get_data(as_text=True)
    claims = renewal.claims_of(certificate)
    assert [(c.activity, c.status) for c in claims] == [("Ethics workshop", ClaimStatus.PENDING)]
    bad = client.post(
        f"/my/certificates/{certificate.id}/claims",
        data={"activity": "", "credits": "500", "completed_on": "2020-01-01"},
        follow_redirects=True,
    )
    assert 'class="flash flash-error"' in bad.get_data(as_text=True)
    assert len(renewal.claims_of(certificate)) == 1


def test_cli_export_and_verify_chain(app, certificate, tmp_path):
    db.session.commit()
    runner = app.test_cli_runner()
    output = tmp_path / "certificate.pdf"
    result = runner.invoke(args=["certificates", "export", certificate.number, "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes() == issuing.document_bytes(certificate.primary_document)

    japanese = tmp_path / "ja.pdf"
    result = runner.invoke(args=["certificates", "export", certificate.number, "--lang", "ja", "-o", str(japanese)])
    assert result.exit_code == 0, result.output
    assert japanese.read_bytes().startswith(b"%PDF")
    assert runner.invoke(args=["certificates", "export", "AIC-XXX-2026-0000000", "-o", str(output)]).exit_code != 0

    result = runner.invoke(args=["certificates", "verify-chain"])
    assert result.exit_code == 0, result.output
    assert "all 2 stored PDFs match their hashes" in result.output

    document = db.session.get(Certificate, certificate.id).primary_document
    tampered = bytearray(get_storage().load(document.storage_key))
    tampered[-20] ^= 0x01
    get_storage().save(document.storage_key, bytes(tampered))
    result = runner.invoke(args=["certificates", "verify-chain"])
    assert result.exit_code == 1
    assert f"document {document.id}: content does not match its SHA-256" in result.output
    assert hashlib.sha256(bytes(tampered)).hexdigest() != document.sha256


def test_the_demo_learner_holds_certificates_in_several_states(app):
    from lms.accounts import demo as accounts_demo
    from lms.certificates import demo
    from lms.core.demo import DemoContext
    from lms.courses import demo as courses_demo

    context = DemoContext(password="demo-password-123")
    for seed in (accounts_demo.seed, courses_demo.seed, demo.seed, demo.seed):  # twice: idempotent
        seed(context)
        db.session.commit()

    learner = context.accounts["learner@demo.lms"]
    certificates = db.session.execute(sa.select(Certificate).where(Certificate.user_id == learner.id)).scalars().all()
    assert len(certificates) == 4
    states = {c.certification_code: c.effective_status() for c in certificates}
    assert states["EXE"] == CertificateStatus.REVOKED
    assert states["DEV"] == CertificateStatus.ACTIVE
    expiring = next(c for c in certificates if c.certification_code == "ESS")
    assert expiring.status == CertificateStatus.ACTIVE
    assert timedelta(days=0) < expiring.expires_at - utcnow() < timedelta(days=30)
    assert expiring.bilingual and expiring.language == "ar"
    assert any(c.language == "ar" and not c.bilingual for c in certificates)
    partners = {c.partner_name for c in certificates}
    assert partners == {"Gulf AI Academy", "EuroSkills Institute"}
    assert {c.partner_name for c in certificates if c.language == "ar" and not c.bilingual} == partners
    assert {c.partner_name for c in certificates if c.bilingual} == partners
    for certificate in certificates:
        assert certificate.holder_name == "ليلى حسن" and certificate.holder_name_latin == "Layla Hassan"
        assert get_storage().exists(certificate.primary_document.storage_key)

"""Demo certificates (``flask --app lms seed-demo``; runs after accounts, courses, exams, partners).

The demo learner (learner@demo.lms, ليلى حسن / Layla Hassan) holds certificates from both training
partners, in several states: active (in Arabic), expiring within 30 days (bilingual), revoked
(bilingual) and one more active in Arabic; each partner has one in Arabic and one bilingual.
The passing decisions are this domain's own records (source "demo:…").
Partners without a branding row get one (logo drawn here), and so does the certification body:
its row holds the body's mark and signatory (see ``rendering.document_context``).
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from lms.certificates.models import (
    CertificateStatus,
    CertificationPolicy,
    ClaimStatus,
    ContinuingEducationClaim,
    IssueKind,
)
from lms.certificates.services import issuing
from lms.certificates.services.status import StatusAction, change_status
from lms.core.demo import DemoContext
from lms.core.storage import get_storage
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack
from lms.extensions import db
from lms.partners.models import PartnerBranding

BRANDINGS = {
    # organisation key: display name, primary, secondary, signatory, title, initials (None: no logo)
    "body": ("AI Certification Council", "#3538CD", "#0E7C86", "Dr. Helen Park", "Chair, Certification Board", None),
    "atp_gulf": ("Gulf AI Academy", "#0E7C86", "#B54708", "Omar Al-Farsi", "Director of Training", "GA"),
    "atp_euro": ("EuroSkills Institute", "#1D4ED8", "#047857", "Greta Vogel", "Managing Director", "ES"),
}

# track code, partner key, language, bilingual, months since issue (+ days), final state
LEARNER_CERTIFICATES = [
    ("DEV", "atp_gulf", "ar", False, (3, 0), "active"),
    ("ESS", "atp_euro", "ar", True, (23, 10), "expiring"),
    ("EXE", "atp_gulf", "ar", True, (8, 0), "revoked"),
    ("HLT", "atp_euro", "ar", False, (1, 0), "active"),
]


def _logo(initials: str, colour: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 239, 239), radius=48, fill=colour)
    font_path = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
    font = ImageFont.truetype(str(font_path), 110) if font_path.exists() else ImageFont.load_default(size=110)
    draw.text((120, 122), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def ensure_brandings(context: DemoContext) -> None:
    for key, (name, primary, secondary, signatory, title, initials) in BRANDINGS.items():
        organisation = context.organisations.get(key)
        if organisation is None:
            continue
        exists = db.session.execute(
            sa.select(PartnerBranding.id).where(PartnerBranding.partner_id == organisation.id)
        ).first()
        if exists:
            continue
        logo_key = None
        if initials:
            logo_key = f"branding/demo/{organisation.slug}.png"
            get_storage().save(logo_key, _logo(initials, primary), "image/png")
        db.session.add(
            PartnerBranding(
                partner_id=organisation.id,
                display_name=name,
                primary_colour=primary,
                secondary_colour=secondary,
                logo_key=logo_key,
                signatory_name=signatory,
                signatory_title=title,
            )
        )
    db.session.flush()


def _track(context: DemoContext, code: str) -> CertificationTrack | None:
    track = context.objects.get("tracks", {}).get(code)
    return (
        track
        or db.session.execute(sa.select(CertificationTrack).where(CertificationTrack.code == code)).scalar_one_or_none()
    )


def seed(context: DemoContext) -> None:
    ensure_brandings(context)
    learner = context.accounts.get("learner@demo.lms")
    staff = context.accounts.get("staff@demo.lms")
    if learner is None:
        return
    now = utcnow()
    issued = {}
    for code, partner_key, language, bilingual, (months, days), state in LEARNER_CERTIFICATES:
        track = _track(context, code)
        partner = context.organisations.get(partner_key)
        if track is None or partner is None:
            continue
        source_ref = f"demo:{learner.email}:{code}"
        certificate = issuing.certificate_by_source(source_ref)
        if certificate is None:
            issued_at = now - relativedelta(months=months) - timedelta(days=days)
            decision = issuing.record_pass(
                source_ref=source_ref,
                user_id=learner.id,
                track_id=track.id,
                partner_id=partner.id,
                decided_at=issued_at,
            )
            certificate = issuing.issue_certificate(
                user=learner,
                track=track,
                partner_id=partner.id,
                source_ref=source_ref,
                kind=IssueKind.ORIGINAL,
                language=language,
                bilingual=bilingual,
                issued_at=issued_at,
                awarded_at=issued_at,
                expires_at=issued_at + relativedelta(months=track.validity_months),
            )
            decision.certificate_id = certificate.id
            decision.state = issuing.DecisionState.ISSUED
            db.session.flush()
        if state == "revoked" and certificate.status == CertificateStatus.ACTIVE:
            change_status(
                certificate.id,
                StatusAction.REVOKE,
                reason="Demo: exam result annulled after an integrity review",
                actor_id=staff.id if staff else None,
            )
        issued[code] = certificate
    _renewal_by_credits(issued.get("ESS"), learner.id, staff.id if staff else None)
    context.objects["certificates"] = issued
    db.session.flush()


def _renewal_by_credits(certificate, learner_id: int, staff_id: int | None) -> None:
    """The expiring certificate's certification accepts 20 continuing-education credits; the learner
    has 12 approved and 8 awaiting review, so staff can approve them and the learner can renew."""
    if certificate is None:
        return
    policy = db.session.execute(
        sa.select(CertificationPolicy).where(CertificationPolicy.track_id == certificate.track_id)
    ).scalar_one_or_none()
    if policy is None:
        db.session.add(CertificationPolicy(track_id=certificate.track_id, ce_credits_required=20))
    has_claims = db.session.execute(
        sa.select(ContinuingEducationClaim.id).where(ContinuingEducationClaim.certificate_id == certificate.id)
    ).first()
    if has_claims:
        return
    today = utcnow().date()
    db.session.add_all(
        [
            ContinuingEducationClaim(
                certificate_id=certificate.id,
                user_id=learner_id,
                activity="Responsible AI in practice (webinar series)",
                provider="EuroSkills Institute",
                credits=12,
                completed_on=today - timedelta(days=120),
                status=ClaimStatus.APPROVED,
                reviewed_by_id=staff_id,
                reviewed_at=utcnow(),
            ),
            ContinuingEducationClaim(
                certificate_id=certificate.id,
                user_id=learner_id,
                activity="Prompt engineering workshop",
                provider="Gulf AI Academy",
                credits=8,
                completed_on=today - timedelta(days=30),
            ),
        ]
    )

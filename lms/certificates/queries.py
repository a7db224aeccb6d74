"""Reads: a learner's certificates, public lookups, staff search, partner views, links."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa

from lms.accounts.models import User
from lms.certificates.models import (
    BulkIssueJob,
    Certificate,
    CertificateStatus,
    ClaimStatus,
    ContinuingEducationClaim,
    PassingDecision,
)
from lms.certificates.numbering import is_well_formed, normalise_number
from lms.core.audit import AuditEvent
from lms.core.security import scoped
from lms.extensions import db
from lms.partners.models import TrainingClass

PAGE_SIZE = 25


def certificates_of(user_id: int) -> list[Certificate]:
    return list(
        db.session.execute(
            sa.select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.issued_at.desc())
        ).scalars()
    )


def current_certificates_of(user_id: int) -> list[Certificate]:
    """Certificates worth showing up front (a superseded one is listed under its replacement)."""
    return [c for c in certificates_of(user_id) if c.status != CertificateStatus.SUPERSEDED]


def by_token(token: str) -> Certificate | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(sa.select(Certificate).where(Certificate.token == token)).scalar_one_or_none()


def by_number(number: str) -> Certificate | None:
    return db.session.execute(
        sa.select(Certificate).where(Certificate.number == normalise_number(number))
    ).scalar_one_or_none()


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def _name_parts(name: str | None) -> set[str]:
    if not name:
        return set()
    parts = {_fold(p) for p in re.split(r"[\s\-‐'’]+", name) if len(p) >= 2}
    return parts | {_fold(name)}


def surname_matches(certificate: Certificate, surname: str) -> bool:
    wanted = _fold(surname)
    if len(wanted) < 2:
        return False
    return wanted in _name_parts(certificate.holder_name) | _name_parts(certificate.holder_name_latin)


def lookup(number: str, surname: str) -> Certificate | None:
    """The certificate with this number whose holder has this surname; None either way otherwise."""
    normalised = normalise_number(number)
    if not is_well_formed(normalised):
        return None
    certificate = by_number(normalised)
    if certificate is None or not surname_matches(certificate, surname):
        return None
    return certificate


@dataclass
class Page:
    items: list[Any]
    page: int
    pages: int
    total: int


def staff_search(query: str = "", status: str = "", page: int = 1) -> Page:
    stmt = sa.select(Certificate).join(User, User.id == Certificate.user_id)
    text = query.strip()
    if text:
        like = f"%{text.lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Certificate.number).like(like),
                sa.func.lower(Certificate.holder_name).like(like),
                sa.func.lower(sa.func.coalesce(Certificate.holder_name_latin, "")).like(like),
                User.email.like(like),
            )
        )
    if status in {s.value for s in CertificateStatus}:
        stmt = stmt.where(Certificate.status == CertificateStatus(status))
    total = db.session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = list(
        db.session.execute(
            stmt.order_by(Certificate.issued_at.desc(), Certificate.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).scalars()
    )
    return Page(items, page, pages, total)


def status_counts() -> dict[str, int]:
    rows = db.session.execute(sa.select(Certificate.status, sa.func.count()).group_by(Certificate.status)).all()
    return {CertificateStatus(status).value: count for status, count in rows}


def history(certificate: Certificate) -> list[AuditEvent]:
    return list(
        db.session.execute(
            sa.select(AuditEvent)
            .where(AuditEvent.subject_type == "Certificate", AuditEvent.subject_id == str(certificate.id))
            .order_by(AuditEvent.id)
        ).scalars()
    )


def pending_claims() -> list[ContinuingEducationClaim]:
    return list(
        db.session.execute(
            sa.select(ContinuingEducationClaim)
            .where(ContinuingEducationClaim.status == ClaimStatus.PENDING)
            .order_by(ContinuingEducationClaim.created_at)
        ).scalars()
    )


def partner_classes(partner_id: int) -> list[TrainingClass]:
    return list(db.session.execute(scoped(TrainingClass, partner_id).order_by(TrainingClass.id.desc())).scalars())


def all_classes() -> list[TrainingClass]:
    return list(db.session.execute(sa.select(TrainingClass).order_by(TrainingClass.id.desc())).scalars())


def partner_certificates(partner_id: int, limit: int = 50) -> list[Certificate]:
    return list(
        db.session.execute(
            sa.select(Certificate)
            .where(Certificate.partner_id == partner_id)
            .order_by(Certificate.issued_at.desc())
            .limit(limit)
        ).scalars()
    )


def recent_jobs(partner_id: int | None = None, limit: int = 10) -> list[BulkIssueJob]:
    stmt = sa.select(BulkIssueJob).order_by(BulkIssueJob.id.desc()).limit(limit)
    if partner_id is not None:
        stmt = stmt.where(BulkIssueJob.partner_id == partner_id)
    return list(db.session.execute(stmt).scalars())


def decisions_without_certificate(user_id: int) -> list[PassingDecision]:
    return list(
        db.session.execute(
            sa.select(PassingDecision).where(
                PassingDecision.user_id == user_id, PassingDecision.certificate_id.is_(None)
            )
        ).scalars()
    )


def linkedin_url(certificate: Certificate, organisation_name: str, verify_url: str) -> str:
    """LinkedIn's "add a licence or certification" link, pre-filled."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.certification_name("en"),
        "organizationName": organisation_name,
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "expirationYear": certificate.expires_at.year,
        "expirationMonth": certificate.expires_at.month,
        "certUrl": verify_url,
        "certId": certificate.number,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


def partner_certificates_query(partner_id: int) -> sa.Select:
    """Certificates naming this partner as the training partner (for paging by id)."""
    return sa.select(Certificate).where(Certificate.partner_id == partner_id)

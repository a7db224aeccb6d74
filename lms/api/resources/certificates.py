"""Certificates of the learners your organisation trained, and the public verification by token or number."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort

from lms.api.framework import ID_RANGE, ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.resources.catalog import _locale
from lms.api.resources.enrolments import LearnerRefSchema, _learners
from lms.api.schemas import NO_NUL, UTCDateTime
from lms.api.scopes import Scope
from lms.certificates import credentials, queries
from lms.certificates.models import Certificate, CertificateStatus
from lms.core.security import current_partner_id
from lms.core.time import utcnow
from lms.extensions import db

blp = ResourceBlueprint(
    "certificates",
    __name__,
    tag="Certificates",
    description="Certificates naming your organisation as training partner; verification of any certificate.",
)

STATUSES = [s.value for s in CertificateStatus]


class CertificateSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True, allow_none=True, metadata={"example": "AICN-DEV-2026-000123"})
    learner = ma.fields.Nested(LearnerRefSchema, required=True)
    holder_name = ma.fields.String(required=True, metadata={"description": "As printed on the certificate."})
    holder_name_latin = ma.fields.String(required=True, allow_none=True)
    track_id = ma.fields.Integer(required=True)
    certification_code = ma.fields.String(required=True)
    certification_name = ma.fields.String(required=True, metadata={"description": "In the caller's language."})
    status = ma.fields.String(
        required=True, metadata={"enum": STATUSES, "description": "As a verifier sees it (expired once past expiry)."}
    )
    valid = ma.fields.Boolean(required=True)
    issued_at = UTCDateTime(required=True)
    first_awarded_at = UTCDateTime(required=True)
    expires_at = UTCDateTime(required=True)
    replaces_id = ma.fields.Integer(required=True, allow_none=True)
    superseded_by_id = ma.fields.Integer(required=True, allow_none=True)
    verify_url = ma.fields.String(required=True, metadata={"description": "The public verification page."})


class CertificateListArgs(PageArgs):
    learner_id = ma.fields.Integer(validate=ID_RANGE)
    track_id = ma.fields.Integer(validate=ID_RANGE)
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES), metadata={"description": "The stored status."})


class HolderSchema(ma.Schema):
    name = ma.fields.String(required=True)
    name_latin = ma.fields.String(required=True, allow_none=True)


class CertificationSchema(ma.Schema):
    code = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    names = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    scheme_version = ma.fields.String(required=True)


class VerificationSchema(ma.Schema):
    number = ma.fields.String(required=True, allow_none=True)
    status = ma.fields.String(required=True, metadata={"enum": STATUSES})
    valid = ma.fields.Boolean(required=True, metadata={"description": "Active and not expired."})
    holder = ma.fields.Nested(HolderSchema, required=True)
    certification = ma.fields.Nested(CertificationSchema, required=True)
    partner_name = ma.fields.String(required=True, allow_none=True)
    issued_on = ma.fields.Date(required=True)
    first_awarded_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(required=True)
    superseded_by = ma.fields.String(required=True, allow_none=True, metadata={"description": "Its successor's page."})
    verify_url = ma.fields.String(required=True)


class VerifyTokenArgs(ma.Schema):
    token = ma.fields.String(
        required=True,
        validate=[ma.validate.Length(min=1, max=64), NO_NUL],
        metadata={"description": "The token of the verification link (`/verify/<token>`) or QR code."},
    )


class LookupArgs(ma.Schema):
    number = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=40), NO_NUL])
    surname = ma.fields.String(
        required=True,
        validate=[ma.validate.Length(min=1, max=100), NO_NUL],
        metadata={"description": "The holder's surname, as on the public lookup page."},
    )


def certificates_data(certificates: list[Certificate]) -> list[dict[str, Any]]:
    locale = _locale()
    learners = _learners(certificates)
    now = utcnow()
    out = []
    for c in certificates:
        learner = learners[c.user_id]
        status = c.effective_status(now)
        out.append(
            {
                "id": c.id,
                "number": c.number,
                "learner": {"id": learner.id, "email": learner.email, "display_name": learner.display_name},
                "holder_name": c.holder_name,
                "holder_name_latin": c.holder_name_latin,
                "track_id": c.track_id,
                "certification_code": c.certification_code,
                "certification_name": c.certification_name(locale),
                "status": status.value,
                "valid": status == CertificateStatus.ACTIVE,
                "issued_at": c.issued_at,
                "first_awarded_at": c.awarded_at,
                "expires_at": c.expires_at,
                "replaces_id": c.replaces_id,
                "superseded_by_id": c.superseded_by_id,
                "verify_url": credentials.verification_url(c),
            }
        )
    return out


def verification_data(certificate: Certificate) -> dict[str, Any]:
    """What the public verification page states about a certificate (its JSON twin's fields)."""
    status = certificate.effective_status()
    successor = db.session.get(Certificate, certificate.superseded_by_id) if certificate.superseded_by_id else None
    return {
        "number": certificate.number,
        "status": status.value,
        "valid": status == CertificateStatus.ACTIVE,
        "holder": {"name": certificate.holder_name, "name_latin": certificate.holder_name_latin},
        "certification": {
            "code": certificate.certification_code,
            "name": certificate.certification_name(_locale()),
            "names": dict(certificate.certification_names or {}),
            "scheme_version": certificate.scheme_version,
        },
        "partner_name": certificate.partner_name,
        "issued_on": certificate.issued_at.date(),
        "first_awarded_on": certificate.awarded_at.date(),
        "expires_on": certificate.expires_at.date(),
        "superseded_by": credentials.verification_url(successor) if successor else None,
        "verify_url": credentials.verification_url(certificate),
    }


@blp.route("/certificates")
@api_view(scope=Scope.CERTIFICATES_READ)
@blp.arguments(CertificateListArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(CertificateSchema, "CertificatePage"))
def list_certificates(
    limit: int,
    cursor: str | None,
    learner_id: int | None = None,
    track_id: int | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """List your learners' certificates

    Certificates naming your organisation as training partner, oldest first.
    """
    stmt = queries.partner_certificates_query(current_partner_id())
    if learner_id is not None:
        stmt = stmt.where(Certificate.user_id == learner_id)
    if track_id is not None:
        stmt = stmt.where(Certificate.track_id == track_id)
    if status is not None:
        stmt = stmt.where(Certificate.status == CertificateStatus(status))
    page = paginate(stmt, (Certificate.id,), limit=limit, cursor=cursor, key_of=lambda c: (c.id,))
    return {"data": certificates_data(page.items), "next_cursor": page.next_cursor}


@blp.route("/certificates/<id:certificate_id>")
@api_view(scope=Scope.CERTIFICATES_READ)
@blp.response(200, CertificateSchema)
def get_certificate(certificate_id: int) -> dict[str, Any]:
    """Get one of your learners' certificates"""
    certificate = db.session.execute(
        queries.partner_certificates_query(current_partner_id()).where(Certificate.id == certificate_id)
    ).scalar_one_or_none()
    if certificate is None:
        abort(404)
    return certificates_data([certificate])[0]


@blp.route("/certificates/verify")
@api_view(auth="public", scope=Scope.CERTIFICATES_READ)
@blp.arguments(VerifyTokenArgs, location="query", as_kwargs=True)
@blp.response(200, VerificationSchema)
def verify_certificate(token: str) -> dict[str, Any]:
    """Verify a certificate by its link

    Any certificate of the network, as its public verification page states it. Unknown tokens are 404.
    """
    certificate = queries.by_token(token)
    if certificate is None:
        abort(404)
    return verification_data(certificate)


@blp.route("/certificates/lookup")
@api_view(auth="public", scope=Scope.CERTIFICATES_READ)
@blp.arguments(LookupArgs, location="query", as_kwargs=True)
@blp.response(200, VerificationSchema)
def lookup_certificate(number: str, surname: str) -> dict[str, Any]:
    """Verify a certificate by number and surname

    As the public lookup page: the certificate with this number whose holder has this surname;
    anything else is 404 (whether the number exists is not told).
    """
    certificate = queries.lookup(number, surname)
    if certificate is None:
        abort(404)
    return verification_data(certificate)

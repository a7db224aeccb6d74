"""Public verification (page, JSON, PDF, credential, keys, status lists) and the learner's certificates."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.accounts.services import certification_body
from lms.certificates import credentials, queries
from lms.certificates.forms import ClaimForm, EmptyForm, LookupForm
from lms.certificates.models import Certificate, CertificateStatus
from lms.certificates.rendering import CERTIFICATE_LANGUAGES
from lms.certificates.services import issuing, renewal
from lms.core.db import ensure_write_lock
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import login_required, public
from lms.extensions import db, limiter

bp = Blueprint("certificates", __name__, template_folder="templates")

register_nav("certificates.my_certificates", _l("My certificates"), order=30)
register_nav("certificates.lookup", _l("Verify a certificate"), order=95, anonymous_only=True)

STATUS_LABELS = {
    CertificateStatus.ACTIVE: _l("Valid"),
    CertificateStatus.EXPIRED: _l("Expired"),
    CertificateStatus.SUSPENDED: _l("Suspended"),
    CertificateStatus.REVOKED: _l("Revoked"),
    CertificateStatus.SUPERSEDED: _l("Replaced"),
}
STATUS_BADGES = {
    CertificateStatus.ACTIVE: "badge-ok",
    CertificateStatus.EXPIRED: "badge-warn",
    CertificateStatus.SUSPENDED: "badge-warn",
    CertificateStatus.REVOKED: "badge-danger",
    CertificateStatus.SUPERSEDED: "",
}


@bp.app_context_processor
def _certificate_helpers() -> dict[str, Any]:
    return {"CERTIFICATE_STATUS_LABELS": STATUS_LABELS, "CERTIFICATE_STATUS_BADGES": STATUS_BADGES}


def _no_index(response: Response) -> Response:
    # A public registry for people who have the link or the number, not for search engines.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _public_certificate(token: str) -> Certificate:
    certificate = queries.by_token(token)
    if certificate is None:
        abort(404)
    return certificate


def _issuer_name() -> str:
    body = certification_body()
    return body.name if body else ""


def public_links(certificate: Certificate) -> dict[str, str]:
    page = credentials.verification_url(certificate)
    return {
        "page": page,
        "json": f"{page}.json",
        "pdf": f"{page}/certificate.pdf",
        "credential": f"{page}/credential.jwt",
        "linkedin": queries.linkedin_url(certificate, _issuer_name(), page),
    }


# --- public verification ---------------------------------------------------------------------------


@bp.route("/verify")
@limiter.limit("30 per minute")
@public
def lookup() -> WerkzeugResponse | str:
    form = LookupForm(request.args)
    not_found = False
    if request.args and form.validate():
        certificate = queries.lookup(form.number.data, form.surname.data)
        if certificate is not None:
            return redirect(url_for(".verify", token=certificate.token))
        not_found = True
    return _no_index(Response(render_template("certificates/lookup.html", form=form, not_found=not_found)))


@bp.route("/verify/<token>")
@public
def verify(token: str) -> Response:
    certificate = _public_certificate(token)
    successor = db.session.get(Certificate, certificate.superseded_by_id) if certificate.superseded_by_id else None
    return _no_index(
        Response(
            render_template(
                "certificates/verify.html",
                certificate=certificate,
                status=certificate.effective_status(),
                successor=successor,
                issuer=_issuer_name(),
                links=public_links(certificate),
                languages=sorted({d.language for d in certificate.documents}),
            )
        )
    )


@bp.route("/verify/<token>.json")
@public
def verify_json(token: str) -> Response:
    certificate = _public_certificate(token)
    status = certificate.effective_status()
    successor = db.session.get(Certificate, certificate.superseded_by_id) if certificate.superseded_by_id else None
    links = public_links(certificate)
    body = {
        "number": certificate.number,
        "status": status.value,
        "valid": status == CertificateStatus.ACTIVE,
        "holder": {"name": certificate.holder_name, "name_latin": certificate.holder_name_latin},
        "certification": {
            "code": certificate.certification_code,
            "name": certificate.certification_name("en"),
            "names": certificate.certification_names,
            "scheme_version": certificate.scheme_version,
        },
        "issuer": {"name": _issuer_name(), "id": credentials.issuer_did()},
        "partner": {"name": certificate.partner_name} if certificate.partner_name else None,
        "issued_on": certificate.issued_at.date().isoformat(),
        "first_awarded_on": certificate.awarded_at.date().isoformat(),
        "expires_on": certificate.expires_at.date().isoformat(),
        "superseded_by": credentials.verification_url(successor) if successor else None,
        "links": links,
    }
    return _no_index(jsonify(body))


@bp.route("/verify/<token>/certificate.pdf")
@public
def public_pdf(token: str) -> Response:
    """The stored PDF (public: only languages already issued, nothing is rendered for a visitor)."""
    certificate = _public_certificate(token)
    language = request.args.get("lang", "")
    document = certificate.document(language, request.args.get("bilingual") == "1") if language else None
    document = document or certificate.primary_document
    if document is None:
        abort(404)
    return _pdf_response(certificate, issuing.document_bytes(document), document.language, inline=True)


@bp.route("/verify/<token>/credential.jwt")
@public
def public_credential(token: str) -> Response:
    certificate = _public_certificate(token)
    if not certificate.credential_jwt:
        abort(404)
    response = Response(certificate.credential_jwt, mimetype="application/vc+jwt")
    response.headers["Content-Disposition"] = f'attachment; filename="{certificate.number}.vc.jwt"'
    return _no_index(response)


@bp.route("/.well-known/did.json")
@bp.route("/did.json")  # where did:web resolves a DID whose BASE_URL has a path (did:web:host:path)
@public
def did_document() -> Response:
    response = jsonify(credentials.did_document())
    response.mimetype = "application/did+json"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/.well-known/jwks.json")
@public
def jwks() -> Response:
    response = jsonify(credentials.jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.route("/credentials/status/<purpose>/<int:list_number>")
@public
def status_list(purpose: str, list_number: int) -> Response:
    if purpose not in credentials.STATUS_PURPOSES or list_number < 1:
        abort(404)
    response = Response(credentials.signed_status_list(purpose, list_number), mimetype="application/vc+jwt")
    # Short: a revocation must reach verifiers quickly.
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


def _pdf_response(certificate: Certificate, data: bytes, language: str, *, inline: bool = False) -> Response:
    response = Response(data, mimetype="application/pdf")
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{certificate.number}-{language}.pdf"'
    return _no_index(response)


# --- the learner's certificates ------------------------------------------------------------------------


def _own_certificate(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != current_user.id:
        abort(404)
    return certificate


@bp.route("/my/certificates")
@login_required
def my_certificates() -> str:
    certificates = queries.certificates_of(current_user.id)
    current = [c for c in certificates if c.status != CertificateStatus.SUPERSEDED]
    return render_template(
        "certificates/my_certificates.html",
        certificates=current,
        superseded={c.superseded_by_id: c for c in certificates if c.superseded_by_id},
        links={c.id: public_links(c) for c in current},
        renewals={c.id: renewal.renewal_state(c) for c in current},
        claims={c.id: renewal.claims_of(c) for c in current},
        claim_form=ClaimForm(),
        renew_form=EmptyForm(),
        waiting=queries.decisions_without_certificate(current_user.id),
        languages=CERTIFICATE_LANGUAGES,
    )


@bp.route("/my/certificates/<int:certificate_id>/download")
@login_required
def download(certificate_id: int) -> Response:
    """The PDF in the chosen language: the stored one, or rendered now with the same number and token."""
    certificate = _own_certificate(certificate_id)
    language = request.args.get("lang") or certificate.language
    if language not in CERTIFICATE_LANGUAGES:
        abort(404)
    bilingual = request.args.get("bilingual") == "1" and language != "en"
    document = certificate.document(language, bilingual)
    if document is None:
        ensure_write_lock()
        certificate = _own_certificate(certificate_id)
        document = issuing.document_for(certificate, language, bilingual)
        db.session.commit()
    return _pdf_response(certificate, issuing.document_bytes(document), language)


@bp.route("/my/certificates/<int:certificate_id>/claims", methods=["POST"])
@login_required
def submit_claim(certificate_id: int) -> WerkzeugResponse:
    certificate = _own_certificate(certificate_id)
    form = ClaimForm()
    anchor = f"certificate-{certificate.id}"
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for(".my_certificates", _anchor=anchor))
    try:
        renewal.submit_claim(
            certificate,
            current_user,
            activity=form.activity.data,
            provider=form.provider.data,
            credits=form.credits.data,
            completed_on=form.completed_on.data,
        )
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Activity submitted. The certification body will review it."), "success")
    return redirect(url_for(".my_certificates", _anchor=anchor))


@bp.route("/my/certificates/<int:certificate_id>/renew", methods=["POST"])
@login_required
def renew(certificate_id: int) -> WerkzeugResponse:
    _own_certificate(certificate_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        renewed = renewal.renew_with_credits(certificate_id, current_user)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".my_certificates", _anchor=f"certificate-{certificate_id}"))
    db.session.commit()
    flash(
        _("Renewed. Your new certificate is valid until %(date)s.", date=format_date(renewed.expires_at.date())),
        "success",
    )
    return redirect(url_for(".my_certificates", _anchor=f"certificate-{renewed.id}"))

"""Staff of the certification body: search, issue, re-issue, suspend, reinstate, revoke, bulk issue,
templates and renewal rules, continuing-education claims, signing keys."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.accounts.models import Organisation, OrganisationKind, User
from lms.accounts.services import find_user_by_email
from lms.certificates import credentials, queries
from lms.certificates.forms import (
    EmptyForm,
    PolicyForm,
    ReasonForm,
    ReissueForm,
    ReviewForm,
    StaffBulkForm,
    StaffIssueForm,
    TemplateForm,
)
from lms.certificates.models import BulkIssueJob, Certificate, CertificateStatus, CertificateTemplate
from lms.certificates.rendering import (
    CERTIFICATE_LANGUAGES,
    DEFAULT_SCOPE,
    latest_template,
    preview_pdf,
    save_template,
    template_for_track,
    track_scope,
)
from lms.certificates.services import bulk, issuing, renewal
from lms.certificates.services.status import StatusAction, allowed_actions, change_status
from lms.certificates.views import public_links
from lms.core import audit
from lms.core.db import ensure_write_lock, get_or_404
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, roles_required
from lms.courses.models import CertificationTrack
from lms.extensions import db
from lms.partners.models import TrainingClass

bp = Blueprint("staff_certificates", __name__, url_prefix="/staff/certificates", template_folder="templates")

register_nav("staff_certificates.index", _l("Certificates"), Role.STAFF, order=60)

ACTION_LABELS = {
    StatusAction.SUSPEND: _l("Suspend"),
    StatusAction.REINSTATE: _l("Reinstate"),
    StatusAction.REVOKE: _l("Revoke"),
}


def _form_error(form: object, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


def _tracks() -> list[CertificationTrack]:
    return list(db.session.execute(db.select(CertificationTrack).order_by(CertificationTrack.position)).scalars())


def _partners() -> list[Organisation]:
    return list(
        db.session.execute(
            db.select(Organisation)
            .where(Organisation.kind != OrganisationKind.CERTIFICATION_BODY)
            .where(Organisation.kind != OrganisationKind.ENTERPRISE_CLIENT)
            .order_by(Organisation.name)
        ).scalars()
    )


@bp.route("/")
@roles_required(Role.STAFF)
def index() -> str:
    query = request.args.get("q", "")
    status = request.args.get("status", "")
    page = request.args.get("page", 1, type=int)
    return render_template(
        "certificates/staff/index.html",
        result=queries.staff_search(query, status, page),
        query=query,
        status=status,
        statuses=list(CertificateStatus),
        counts=queries.status_counts(),
    )


@bp.route("/issue", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def issue() -> WerkzeugResponse | str:
    form = StaffIssueForm()
    form.track_id.choices = [(t.id, t.name(str(current_user.locale))) for t in _tracks()]
    form.partner_id.choices = [(0, _("None"))] + [(o.id, o.name) for o in _partners()]
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        track = db.session.get(CertificationTrack, form.track_id.data)
        if user is None:
            form.email.errors = [*form.email.errors, _("No account uses this e-mail address.")]
        elif track is None:
            abort(400)
        else:
            try:
                certificate = issuing.staff_issue(
                    user=user,
                    track=track,
                    partner_id=form.partner_id.data or None,
                    language=form.language.data,
                    bilingual=form.bilingual.data,
                    reason=form.reason.data,
                    actor_id=current_user.id,
                    nonce=form.nonce.data,
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                db.session.commit()
                flash(_("Certificate %(number)s issued.", number=certificate.number), "success")
                return redirect(url_for(".detail", certificate_id=certificate.id))
    return render_template("certificates/staff/issue.html", form=form)


@bp.route("/<int:certificate_id>")
@roles_required(Role.STAFF)
def detail(certificate_id: int) -> str:
    certificate = get_or_404(Certificate, certificate_id)
    holder = db.session.get(User, certificate.user_id)
    reissue_form = ReissueForm(
        holder_name=holder.legal_name if holder else certificate.holder_name,
        holder_name_latin=holder.legal_name_latin if holder else certificate.holder_name_latin,
    )
    related = {
        "replaces": db.session.get(Certificate, certificate.replaces_id) if certificate.replaces_id else None,
        "superseded_by": db.session.get(Certificate, certificate.superseded_by_id)
        if certificate.superseded_by_id
        else None,
    }
    return render_template(
        "certificates/staff/detail.html",
        certificate=certificate,
        holder=holder,
        status=certificate.effective_status(),
        actions=[(action, ACTION_LABELS[action]) for action in allowed_actions(certificate)],
        reason_form=ReasonForm(),
        reissue_form=reissue_form,
        can_reissue=certificate.status in issuing.RENEWABLE,
        history=queries.history(certificate),
        related=related,
        links=public_links(certificate),
        languages=CERTIFICATE_LANGUAGES,
    )


@bp.route("/<int:certificate_id>/status/<action>", methods=["POST"])
@roles_required(Role.STAFF)
def change(certificate_id: int, action: str) -> WerkzeugResponse:
    get_or_404(Certificate, certificate_id)
    try:
        status_action = StatusAction(action)
    except ValueError:
        abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason."), "error")
        return redirect(url_for(".detail", certificate_id=certificate_id))
    try:
        certificate = change_status(certificate_id, status_action, reason=form.reason.data, actor_id=current_user.id)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(
            _("Status of %(number)s: %(status)s.", number=certificate.number, status=_status_label(certificate.status)),
            "success",
        )
    return redirect(url_for(".detail", certificate_id=certificate_id))


def _status_label(status: CertificateStatus) -> str:
    from lms.certificates.views import STATUS_LABELS

    return str(STATUS_LABELS[status])


@bp.route("/<int:certificate_id>/reissue", methods=["POST"])
@roles_required(Role.STAFF)
def reissue(certificate_id: int) -> WerkzeugResponse:
    get_or_404(Certificate, certificate_id)
    form = ReissueForm()
    if not form.validate_on_submit():
        flash(_("Give a reason and the name to print."), "error")
        return redirect(url_for(".detail", certificate_id=certificate_id))
    try:
        new = issuing.reissue(
            certificate_id,
            reason=form.reason.data,
            actor_id=current_user.id,
            holder_name=form.holder_name.data,
            holder_name_latin=form.holder_name_latin.data or "",
        )
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".detail", certificate_id=certificate_id))
    db.session.commit()
    flash(_("Re-issued as %(number)s; the old certificate is marked as replaced.", number=new.number), "success")
    return redirect(url_for(".detail", certificate_id=new.id))


@bp.route("/<int:certificate_id>/pdf")
@roles_required(Role.STAFF)
def pdf(certificate_id: int) -> Response:
    from lms.certificates.views import _pdf_response

    certificate = get_or_404(Certificate, certificate_id)
    language = request.args.get("lang") or certificate.language
    if language not in CERTIFICATE_LANGUAGES:
        abort(404)
    bilingual = request.args.get("bilingual") == "1"
    document = certificate.document(language, bilingual and language != "en")
    if document is None:
        ensure_write_lock()
        certificate = get_or_404(Certificate, certificate_id)
        document = issuing.document_for(certificate, language, bilingual)
        db.session.commit()
    return _pdf_response(certificate, issuing.document_bytes(document), language)


# --- bulk ---------------------------------------------------------------------------------------------


@bp.route("/bulk", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def bulk_issue() -> WerkzeugResponse | str:
    form = StaffBulkForm()
    classes = queries.all_classes()
    form.class_id.choices = [(c.id, _class_label(c)) for c in classes]
    if form.validate_on_submit():
        training_class = get_or_404(TrainingClass, form.class_id.data)
        try:
            job = bulk.start_bulk_issue(training_class, partner_id=None, actor_id=current_user.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            return redirect(url_for(".job", job_id=job.id))
    summaries = {c.id: bulk.class_summary(c) for c in classes[:50]}
    return render_template(
        "certificates/staff/bulk.html",
        form=form,
        classes=classes[:50],
        summaries=summaries,
        labels={c.id: _class_label(c) for c in classes[:50]},
        jobs=queries.recent_jobs(),
    )


def _class_label(training_class: TrainingClass) -> str:
    from lms.courses.models import CourseVersion

    version = db.session.get(CourseVersion, training_class.course_version_id)
    title = version.title(str(current_user.locale)) if version else ""
    partner = db.session.get(Organisation, training_class.partner_id)
    return _(
        "Class %(id)d · %(title)s · %(partner)s",
        id=training_class.id,
        title=title,
        partner=partner.name if partner else "",
    )


@bp.route("/jobs/<int:job_id>")
@roles_required(Role.STAFF)
def job(job_id: int) -> str:
    job = get_or_404(BulkIssueJob, job_id)
    return render_template(
        "certificates/job.html",
        job=job,
        progress=bulk.job_progress(job),
        progress_url=url_for(".job_progress", job_id=job.id),
        resume_url=url_for(".resume_job", job_id=job.id),
        back_url=url_for(".bulk_issue"),
        resume_form=EmptyForm(),
    )


@bp.route("/jobs/<int:job_id>/progress")
@roles_required(Role.STAFF)
def job_progress(job_id: int) -> Response:
    return jsonify(_progress_json(get_or_404(BulkIssueJob, job_id)))


def _progress_json(job: BulkIssueJob) -> dict[str, object]:
    progress = bulk.job_progress(job)
    return {
        "total": progress.total,
        "issued": progress.issued,
        "waiting_for_course": progress.waiting_for_course,
        "failed": progress.failed,
        "pending": progress.pending,
        "percent": progress.percent,
        "done": progress.done,
    }


@bp.route("/jobs/<int:job_id>/resume", methods=["POST"])
@roles_required(Role.STAFF)
def resume_job(job_id: int) -> WerkzeugResponse:
    job = get_or_404(BulkIssueJob, job_id)
    if EmptyForm().validate_on_submit():
        count = bulk.resume_job(job, actor_id=current_user.id)
        db.session.commit()
        flash(_("%(count)d certificates queued again.", count=count), "success")
    return redirect(url_for(".job", job_id=job.id))


# --- templates and rules ----------------------------------------------------------------------------------


@bp.route("/templates")
@roles_required(Role.STAFF)
def templates() -> str:
    tracks = _tracks()
    return render_template(
        "certificates/staff/templates.html",
        tracks=tracks,
        own={t.id: latest_template(track_scope(t.id)) for t in tracks},
        default=latest_template(DEFAULT_SCOPE),
        policies={t.id: renewal.policy_for(t.id) for t in tracks},
    )


@bp.route("/templates/<scope>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def edit_template(scope: str) -> WerkzeugResponse | Response | str:
    track = None
    if scope != DEFAULT_SCOPE:
        if not scope.isdigit():
            abort(404)
        track = get_or_404(CertificationTrack, int(scope))
    current: CertificateTemplate | None = latest_template(track_scope(track.id) if track else DEFAULT_SCOPE)
    if current is None:
        current = template_for_track(track.id, track.code) if track else None
    if current is None:
        from lms.certificates.rendering import design_files

        html, css = design_files(None)
    else:
        html, css = current.html, current.css
    form = TemplateForm(data={"html": html, "css": css}) if request.method == "GET" else TemplateForm()
    policy_form = None
    if track is not None:
        policy = renewal.policy_for(track.id)
        policy_form = PolicyForm(
            data={
                "ce_credits_required": policy.ce_credits_required if policy else None,
                "renewal_window_days": policy.renewal_window_days if policy else 90,
            }
        )
    if form.validate_on_submit():
        try:
            if form.preview.data:
                data = preview_pdf(
                    form.html.data, form.css.data or "", form.preview_language.data, form.preview_bilingual.data
                )
                response = Response(data, mimetype="application/pdf")
                response.headers["Content-Disposition"] = 'inline; filename="preview.pdf"'
                return response
            saved = save_template(
                track_id=track.id if track else None,
                html=form.html.data,
                css=form.css.data or "",
                note=form.note.data,
                actor_id=current_user.id,
            )
            audit.record(
                "certificate.template_saved",
                actor_id=current_user.id,
                subject=saved,
                details={"scope": saved.scope, "version": saved.version},
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            flash(
                _(
                    "Template saved as version %(version)d. Certificates already issued keep their design.",
                    version=saved.version,
                ),
                "success",
            )
            return redirect(url_for(".edit_template", scope=scope))
    return render_template(
        "certificates/staff/edit_template.html",
        form=form,
        track=track,
        current=current,
        policy_form=policy_form,
        scope=scope,
    )


@bp.route("/policies/<int:track_id>", methods=["POST"])
@roles_required(Role.STAFF)
def save_policy(track_id: int) -> WerkzeugResponse:
    track = get_or_404(CertificationTrack, track_id)
    form = PolicyForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for(".edit_template", scope=track.id))
    try:
        renewal.set_policy(
            track_id=track.id,
            ce_credits_required=form.ce_credits_required.data,
            renewal_window_days=form.renewal_window_days.data,
            actor_id=current_user.id,
        )
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Renewal rules saved."), "success")
    return redirect(url_for(".edit_template", scope=track.id))


# --- continuing education, keys -------------------------------------------------------------------------------


@bp.route("/claims")
@roles_required(Role.STAFF)
def claims() -> str:
    pending = queries.pending_claims()
    certificates = {c.certificate_id: db.session.get(Certificate, c.certificate_id) for c in pending}
    return render_template(
        "certificates/staff/claims.html", claims=pending, certificates=certificates, form=ReviewForm()
    )


@bp.route("/claims/<int:claim_id>/review", methods=["POST"])
@roles_required(Role.STAFF)
def review_claim(claim_id: int) -> WerkzeugResponse:
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            renewal.review_claim(
                claim_id, approve=bool(form.approve.data), note=form.note.data, actor_id=current_user.id
            )
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Claim approved.") if form.approve.data else _("Claim rejected."), "success")
    return redirect(url_for(".claims"))


@bp.route("/keys")
@roles_required(Role.STAFF)
def keys() -> str:
    return render_template(
        "certificates/staff/keys.html",
        keys=credentials.published_keys(),
        did=credentials.issuer_did(),
        form=ReasonForm(),
    )


@bp.route("/keys/rotate", methods=["POST"])
@roles_required(Role.STAFF)
def rotate_key() -> WerkzeugResponse:
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason."), "error")
        return redirect(url_for(".keys"))
    old, new = credentials.rotate_key()
    audit.record(
        "certificate.signing_key_rotated",
        actor_id=current_user.id,
        subject=new,
        details={"retired": old.kid if old else None, "active": new.kid, "reason": form.reason.data.strip()},
    )
    db.session.commit()
    flash(_("New signing key in use. Credentials signed earlier still verify."), "success")
    return redirect(url_for(".keys"))

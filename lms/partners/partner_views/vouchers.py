"""Vouchers for enterprise clients and cohorts enrolled from a CSV file (with a progress bar)."""

from __future__ import annotations

from flask import Response, flash, jsonify, make_response, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, get_scoped_or_404, roles_required
from lms.courses.models import CertificationTrack
from lms.extensions import db
from lms.partners import queries
from lms.partners.forms import CohortForm, EmptyForm, RedeemForLearnerForm, UploadForm, VoucherBatchForm
from lms.partners.models import (
    ClassStatus,
    Cohort,
    CohortImport,
    ImportStatus,
    Voucher,
    VoucherBatch,
    VoucherKind,
)
from lms.partners.partner_views import bp
from lms.partners.services import cohorts as cohort_service
from lms.partners.services import network, vouchers
from lms.partners.web import current_partner, end_of_day_utc, form_error, percent_to_bp

MANAGERS = (Role.PARTNER_ADMIN, Role.PARTNER_MANAGER)

register_nav("partner_portal.voucher_list", _l("Vouchers"), *MANAGERS, order=43)


def _csv(data: str, filename: str) -> Response:
    response = make_response(data)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _locale() -> str:
    return str(get_locale() or "en")


def _batch_form(partner_id: int) -> VoucherBatchForm:
    locale = _locale()
    form = VoucherBatchForm()
    form.client_id.choices = [(0, _("— none —"))] + [(c.id, c.name) for c in network.clients_of(partner_id)]
    targets = [("", _("Any of our classes and courses"))]
    for tc, version in queries.partner_classes(partner_id, [ClassStatus.PUBLISHED]):
        when = tc.starts_at.date().isoformat() if tc.starts_at else ""
        targets.append(
            (
                f"class:{tc.id}",
                _("Class #%(id)d — %(title)s (%(date)s)", id=tc.id, title=version.title(locale), date=when),
            )
        )
    for version, course in queries.publishable_versions():
        targets.append((f"course:{version.id}", f"{course.code} — {version.title(locale)} (eLearning)"))
    form.target.choices = targets
    tracks = db.session.execute(db.select(CertificationTrack).order_by(CertificationTrack.position)).scalars()
    form.track_id.choices = [(0, _("— choose —"))] + [(t.id, t.name(locale)) for t in tracks]
    return form


@bp.route("/vouchers", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def voucher_list() -> WerkzeugResponse | str:
    partner = current_partner()
    form = _batch_form(partner.id)
    if form.validate_on_submit():
        target = form.target.data or ""
        kind, _sep, ident = target.partition(":")
        try:
            batch = vouchers.generate_batch(
                partner,
                actor_id=current_user.id,
                name=form.name.data,
                kind=VoucherKind(form.kind.data),
                count=form.count.data or 1,
                max_uses=form.max_uses.data or 1,
                discount_bp=percent_to_bp(form.discount_percent.data) or 10000,
                client_id=form.client_id.data or None,
                class_id=int(ident) if kind == "class" else None,
                course_version_id=int(ident) if kind == "course" else None,
                track_id=form.track_id.data or None,
                expires_at=end_of_day_utc(form.expires_on.data),
                assigned_emails=(form.assigned_emails.data or "").splitlines(),
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("%(count)d codes generated.", count=len(batch.vouchers)), "success")
            return redirect(url_for(".voucher_batch", batch_id=batch.id))
    batches = (
        db.session.execute(
            db.select(VoucherBatch).where(VoucherBatch.partner_id == partner.id).order_by(VoucherBatch.id.desc())
        )
        .scalars()
        .all()
    )
    return render_template(
        "partners/partner/vouchers.html", batches=batches, form=form, redeem_form=RedeemForLearnerForm()
    )


@bp.route("/vouchers/batches/<int:batch_id>")
@roles_required(*MANAGERS)
def voucher_batch(batch_id: int) -> str:
    batch = get_scoped_or_404(VoucherBatch, batch_id)
    return render_template(
        "partners/partner/voucher_batch.html", batch=batch, status_of=vouchers.status_of, form=EmptyForm()
    )


@bp.route("/vouchers.csv")
@roles_required(*MANAGERS)
def vouchers_csv() -> Response:
    partner = current_partner()
    rows = db.session.execute(db.select(Voucher).where(Voucher.partner_id == partner.id).order_by(Voucher.id)).scalars()
    return _csv(vouchers.export_csv(list(rows), _locale()), "vouchers.csv")


@bp.route("/vouchers/batches/<int:batch_id>.csv")
@roles_required(*MANAGERS)
def voucher_batch_csv(batch_id: int) -> Response:
    batch = get_scoped_or_404(VoucherBatch, batch_id)
    return _csv(vouchers.export_csv(list(batch.vouchers), _locale()), f"vouchers-{batch.id}.csv")


@bp.route("/vouchers/<int:voucher_id>/revoke", methods=["POST"])
@roles_required(*MANAGERS)
def voucher_revoke(voucher_id: int) -> WerkzeugResponse:
    voucher = get_scoped_or_404(Voucher, voucher_id)
    if EmptyForm().validate_on_submit():
        vouchers.revoke(voucher, actor_id=current_user.id)
        db.session.commit()
        flash(_("Code %(code)s withdrawn.", code=voucher.code), "success")
    return redirect(url_for(".voucher_batch", batch_id=voucher.batch_id))


@bp.route("/vouchers/redeem", methods=["POST"])
@roles_required(*MANAGERS)
def voucher_redeem() -> WerkzeugResponse:
    partner = current_partner()
    form = RedeemForLearnerForm()
    if form.validate_on_submit():
        try:
            kind, learner = vouchers.redeem_for_learner(
                partner,
                code=form.code.data,
                email=form.email.data,
                display_name=form.display_name.data or "",
                locale=form.language.data,
                actor=current_user._get_current_object(),
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            if kind == "exam":
                flash(_("Exam voucher redeemed for %(name)s.", name=learner.display_name), "success")
            else:
                flash(_("Seat confirmed for %(name)s.", name=learner.display_name), "success")
    else:
        flash(_("Enter the code and the learner's e-mail address."), "error")
    return redirect(url_for(".voucher_list"))


# --- cohorts -----------------------------------------------------------------------------------


@bp.route("/cohorts", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def cohort_list() -> WerkzeugResponse | str:
    partner = current_partner()
    form = CohortForm()
    form.client_id.choices = [(0, _("— none —"))] + [(c.id, c.name) for c in network.clients_of(partner.id)]
    if form.validate_on_submit():
        try:
            cohort = cohort_service.create_cohort(
                partner, name=form.name.data, client_id=form.client_id.data or None, actor_id=current_user.id
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for(".cohort_detail", cohort_id=cohort.id))
    rows = (
        db.session.execute(db.select(Cohort).where(Cohort.partner_id == partner.id).order_by(Cohort.id.desc()))
        .scalars()
        .all()
    )
    return render_template("partners/partner/cohorts.html", cohorts=rows, form=form)


@bp.route("/cohorts/<int:cohort_id>")
@roles_required(*MANAGERS)
def cohort_detail(cohort_id: int) -> str:
    cohort = get_scoped_or_404(Cohort, cohort_id)
    imports = (
        db.session.execute(
            db.select(CohortImport)
            .where(CohortImport.cohort_id == cohort.id)
            .order_by(CohortImport.id.desc())
            .limit(10)
        )
        .scalars()
        .all()
    )
    return render_template(
        "partners/partner/cohort_detail.html",
        cohort=cohort,
        members=cohort_service.members_with_progress(cohort),
        imports=imports,
        upload_form=UploadForm(),
        locale=_locale(),
    )


@bp.route("/cohorts/<int:cohort_id>/upload", methods=["POST"])
@roles_required(*MANAGERS)
def cohort_upload(cohort_id: int) -> WerkzeugResponse:
    cohort = get_scoped_or_404(Cohort, cohort_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            record = cohort_service.preview(
                cohort,
                filename=getattr(upload, "filename", "") or "upload.csv",
                data=upload.read() if upload else b"",
                actor_id=current_user.id,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            return redirect(url_for(".cohort_import", import_id=record.id))
    return redirect(url_for(".cohort_detail", cohort_id=cohort_id))


@bp.route("/cohorts/template.csv")
@roles_required(*MANAGERS)
def cohort_template() -> Response:
    return _csv(cohort_service.TEMPLATE_CSV, "cohort-template.csv")


@bp.route("/cohorts/<int:cohort_id>/members.csv")
@roles_required(*MANAGERS)
def cohort_members_csv(cohort_id: int) -> Response:
    cohort = get_scoped_or_404(Cohort, cohort_id)
    return _csv(cohort_service.members_csv(cohort, _locale()), f"cohort-{cohort.id}.csv")


@bp.route("/imports/<int:import_id>")
@roles_required(*MANAGERS)
def cohort_import(import_id: int) -> str:
    record = get_scoped_or_404(CohortImport, import_id)
    cohort = db.session.get(Cohort, record.cohort_id)
    return render_template(
        "partners/partner/cohort_import.html",
        record=record,
        cohort=cohort,
        counts=cohort_service.counts(record),
        form=EmptyForm(),
        ImportStatus=ImportStatus,
    )


@bp.route("/imports/<int:import_id>/start", methods=["POST"])
@roles_required(*MANAGERS)
def cohort_import_start(import_id: int) -> WerkzeugResponse:
    record = get_scoped_or_404(CohortImport, import_id)
    if EmptyForm().validate_on_submit():
        try:
            cohort_service.start(record, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
    return redirect(url_for(".cohort_import", import_id=import_id))


@bp.route("/imports/<int:import_id>/progress.json")
@roles_required(*MANAGERS)
def cohort_import_progress(import_id: int) -> Response:
    record = get_scoped_or_404(CohortImport, import_id)
    new_rows = sum(1 for item in record.rows if item["status"] == "new")
    done = record.status == ImportStatus.COMPLETED
    return jsonify(
        {
            "status": record.status.value,
            "total": record.total_rows,
            "processed": record.processed_rows,
            "created": record.created_count,
            "skipped": record.skipped_count,
            "errors": record.error_count if done else len(record.run_errors or []),
            "to_import": new_rows,
            "percent": 100
            if done
            else int(100 * record.processed_rows / record.total_rows)
            if record.total_rows
            else 0,
            "done": done,
            "run_errors": record.run_errors or [],
        }
    )

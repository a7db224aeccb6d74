"""Partner administrators: issue certificates for their classes (all who qualify) and follow progress."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.certificates import queries
from lms.certificates.forms import EmptyForm
from lms.certificates.models import BulkIssueJob
from lms.certificates.services import bulk
from lms.certificates.staff_views import _progress_json
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, current_partner_id, get_scoped_or_404, roles_required
from lms.courses.models import CourseVersion
from lms.extensions import db
from lms.partners.models import TrainingClass

bp = Blueprint("partner_certificates", __name__, url_prefix="/partner/certificates", template_folder="templates")

register_nav("partner_certificates.index", _l("Certificates"), Role.PARTNER_ADMIN, order=61)


def _partner_id() -> int:
    partner_id = current_partner_id()
    if partner_id is None:
        abort(404)
    return partner_id


def _own_job(job_id: int) -> BulkIssueJob:
    job = db.session.get(BulkIssueJob, job_id)
    if job is None or job.partner_id != _partner_id():
        abort(404)
    return job


def _class_title(training_class: TrainingClass) -> str:
    version = db.session.get(CourseVersion, training_class.course_version_id)
    return version.title(str(current_user.locale)) if version else ""


@bp.route("/")
@roles_required(Role.PARTNER_ADMIN)
def index() -> str:
    partner_id = _partner_id()
    classes = queries.partner_classes(partner_id)
    return render_template(
        "certificates/partner/index.html",
        classes=classes,
        titles={c.id: _class_title(c) for c in classes},
        summaries={c.id: bulk.class_summary(c) for c in classes},
        certificates=queries.partner_certificates(partner_id),
        jobs=queries.recent_jobs(partner_id),
        form=EmptyForm(),
    )


@bp.route("/classes/<int:class_id>/issue", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def issue_class(class_id: int) -> WerkzeugResponse:
    training_class = get_scoped_or_404(TrainingClass, class_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        job = bulk.start_bulk_issue(training_class, partner_id=training_class.partner_id, actor_id=current_user.id)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for(".index"))
    db.session.commit()
    return redirect(url_for(".job", job_id=job.id))


@bp.route("/jobs/<int:job_id>")
@roles_required(Role.PARTNER_ADMIN)
def job(job_id: int) -> str:
    job = _own_job(job_id)
    return render_template(
        "certificates/job.html",
        job=job,
        progress=bulk.job_progress(job),
        progress_url=url_for(".job_progress", job_id=job.id),
        resume_url=url_for(".resume_job", job_id=job.id),
        back_url=url_for(".index"),
        resume_form=EmptyForm(),
    )


@bp.route("/jobs/<int:job_id>/progress")
@roles_required(Role.PARTNER_ADMIN)
def job_progress(job_id: int) -> Response:
    return jsonify(_progress_json(_own_job(job_id)))


@bp.route("/jobs/<int:job_id>/resume", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def resume_job(job_id: int) -> WerkzeugResponse:
    job = _own_job(job_id)
    if EmptyForm().validate_on_submit():
        bulk.resume_job(job, actor_id=current_user.id)
        db.session.commit()
    return redirect(url_for(".job", job_id=job.id))

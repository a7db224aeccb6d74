"""Staff pages of the item bank: items, import/export, blueprint, statistics, vouchers."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.accounts.services import find_user_by_email
from lms.core.db import get_or_404
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.security import Role, roles_required
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack
from lms.exams import queries
from lms.exams.forms import (
    BlueprintForm,
    DomainForm,
    GrantVoucherForm,
    ImportForm,
    ItemForm,
    ItemStatusForm,
    KeyCorrectionForm,
    RescoreForm,
)
from lms.exams.models import (
    Item,
    ItemStatus,
    ReviewPolicy,
)
from lms.exams.question_types import InvalidItem, question_type
from lms.exams.services import bank, blueprints, grading, statistics, transfer, vouchers
from lms.exams.services.bank import OPTION_IDS, PROMPT_IDS
from lms.exams.staff_views import _domain_choices, _form_error, _track, bp
from lms.extensions import db

# --- the bank ------------------------------------------------------------------------------------


@bp.route("/<code>/items")
@roles_required(Role.STAFF)
def items(code: str) -> str:
    track = _track(code)
    domain_id = request.args.get("domain", type=int)
    status = request.args.get("status", "")
    query = request.args.get("q", "").strip()
    return render_template(
        "exams/staff/items.html",
        track=track,
        items=queries.items_page(track.id, domain_id=domain_id, status=status, query=query),
        domains=bank.domains_of(track.id),
        domain_form=DomainForm(),
        filters={"domain": domain_id, "status": status, "q": query},
        statuses=[s.value for s in ItemStatus],
        vouchers=queries.voucher_counts(track.id),
        voucher_form=GrantVoucherForm(),
    )


@bp.route("/<code>/domains", methods=["POST"])
@roles_required(Role.STAFF)
def save_domain(code: str) -> Response:
    track = _track(code)
    form = DomainForm()
    if form.validate_on_submit():
        names = {lang: getattr(form, f"name_{lang}").data or "" for lang in LANGUAGES}
        try:
            bank.save_domain(track, form.code.data, names, actor_id=current_user.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The domain is saved."), "success")
    else:
        flash(_("Give the domain a code and an English name."), "error")
    return redirect(url_for(".items", code=track.code))


def _fill_item_form(form: ItemForm, item: Item, language: str) -> None:
    version = item.latest
    variant = version.content.get(language) or {}
    form.code.data = item.code
    form.type.data = version.type
    form.domain.data = item.domain.code
    form.objective.data = item.objective
    form.difficulty.data = item.difficulty
    form.status.data = item.status.value
    form.partial_credit.data = version.partial_credit
    form.language.data = language
    form.stem.data = variant.get("stem", "")
    form.key.data = question_type(version.type).format_key(version.key)
    options = {o["id"]: o for o in (variant or next(iter(version.content.values()), {})).get("options", [])}
    for oid in OPTION_IDS:
        getattr(form, f"option_{oid}").data = options.get(oid, {}).get("text", "") if variant else ""
        getattr(form, f"fixed_{oid}").data = bool(options.get(oid, {}).get("fixed"))
    prompts = {p["id"]: p["text"] for p in variant.get("prompts", [])}
    for n, pid in enumerate(PROMPT_IDS, start=1):
        getattr(form, f"prompt_{n}").data = prompts.get(pid, "")


def _input_from_form(form: ItemForm, code: str) -> bank.ItemInput:
    return bank.editor_input(
        code=code,
        language=form.language.data,
        qtype=form.type.data,
        domain=form.domain.data,
        objective=form.objective.data or "",
        difficulty=form.difficulty.data,
        status=form.status.data,
        partial_credit=form.partial_credit.data,
        stem=form.stem.data,
        options={oid: getattr(form, f"option_{oid}").data or "" for oid in OPTION_IDS},
        fixed=[oid for oid in OPTION_IDS if getattr(form, f"fixed_{oid}").data],
        prompts={pid: getattr(form, f"prompt_{n}").data or "" for n, pid in enumerate(PROMPT_IDS, start=1)},
        key_text=form.key.data,
    )


@bp.route("/<code>/items/new", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def new_item(code: str) -> Response | str:
    track = _track(code)
    form = ItemForm()
    form.domain.choices = _domain_choices(track.id)
    if request.method == "GET":
        form.language.data = "en"
        form.status.data = ItemStatus.DRAFT.value
    if form.validate_on_submit():
        try:
            if queries.item_by_code(track.id, form.code.data.strip()) is not None:
                raise DomainError(_("An item with this code exists already."), field="code")
            item = bank.save_from_editor(track, _input_from_form(form, form.code.data), actor_id=current_user.id)
        except InvalidItem as error:
            flash(str(error), "error")
        except DomainError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("The item is saved."), "success")
            return redirect(url_for(".item", item_id=item.id))
    return render_template("exams/staff/item_form.html", track=track, form=form, item=None)


@bp.route("/items/<int:item_id>")
@roles_required(Role.STAFF)
def item(item_id: int) -> str:
    exam_item = get_or_404(Item, item_id)
    track = get_or_404(CertificationTrack, exam_item.track_id)
    stats = next((s for s in statistics.item_statistics(track.id)[0] if s.item_id == item_id), None)
    served = queries.times_served([v.id for v in exam_item.versions])
    pending_corrections = [v for v in exam_item.versions if served.get(v.id) and bank.key_version_for(v).id != v.id]
    status_form = ItemStatusForm(status=exam_item.status.value)
    return render_template(
        "exams/staff/item.html",
        track=track,
        item=exam_item,
        qtype=question_type(exam_item.latest.type),
        served=served,
        stats=stats,
        flag_labels=statistics.FLAG_LABELS,
        status_form=status_form,
        key_form=KeyCorrectionForm(),
        rescore_form=RescoreForm(),
        pending_corrections=pending_corrections,
        languages=LANGUAGES,
    )


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def edit_item(item_id: int) -> Response | str:
    exam_item = get_or_404(Item, item_id)
    track = get_or_404(CertificationTrack, exam_item.track_id)
    form = ItemForm()
    form.domain.choices = _domain_choices(track.id)
    if request.method == "GET":
        language = request.args.get("lang", "en")
        _fill_item_form(form, exam_item, language if language in LANGUAGES else "en")
    if form.validate_on_submit():
        try:
            bank.save_from_editor(track, _input_from_form(form, exam_item.code), actor_id=current_user.id)
        except InvalidItem as error:
            flash(str(error), "error")
        except DomainError as error:
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("The item is saved."), "success")
            return redirect(url_for(".item", item_id=exam_item.id))
    return render_template("exams/staff/item_form.html", track=track, form=form, item=exam_item)


@bp.route("/items/<int:item_id>/status", methods=["POST"])
@roles_required(Role.STAFF)
def item_status(item_id: int) -> Response:
    exam_item = get_or_404(Item, item_id)
    form = ItemStatusForm()
    if form.validate_on_submit():
        bank.set_status(exam_item, ItemStatus(form.status.data), actor_id=current_user.id)
        db.session.commit()
        flash(_("The status is changed."), "success")
    return redirect(url_for(".item", item_id=item_id))


@bp.route("/items/<int:item_id>/key", methods=["POST"])
@roles_required(Role.STAFF)
def correct_key(item_id: int) -> Response:
    exam_item = get_or_404(Item, item_id)
    form = KeyCorrectionForm()
    if form.validate_on_submit():
        try:
            bank.correct_key(exam_item, form.key.data, form.reason.data, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The key is corrected in a new version. Re-score the attempts that saw the old key."), "success")
    else:
        flash(_("Give the corrected key and a reason."), "error")
    return redirect(url_for(".item", item_id=item_id))


@bp.route("/items/<int:item_id>/rescore", methods=["POST"])
@roles_required(Role.STAFF)
def rescore(item_id: int) -> Response:
    exam_item = get_or_404(Item, item_id)
    form = RescoreForm()
    if form.validate_on_submit():
        try:
            run = grading.rescore(
                exam_item.track_id, [v.id for v in exam_item.versions], form.reason.data, actor_id=current_user.id
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Re-scored: %(checked)d attempts checked, %(changed)d results changed.",
                    checked=run.attempts_checked,
                    changed=run.attempts_changed,
                ),
                "success",
            )
    else:
        flash(_("Say why the attempts are re-scored."), "error")
    return redirect(url_for(".item", item_id=item_id))


# --- import and export ---------------------------------------------------------------------------


@bp.route("/<code>/import", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def import_items(code: str) -> Response | str:
    track = _track(code)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = transfer.import_file(
            track, upload.read(10 * 1024 * 1024), upload.filename or "", actor_id=current_user.id
        )
        if report.ok:
            db.session.commit()
            flash(
                _(
                    "Imported: %(created)d new items, %(updated)d updated, %(unchanged)d unchanged.",
                    created=report.created,
                    updated=report.updated,
                    unchanged=report.unchanged,
                ),
                "success",
            )
            return redirect(url_for(".items", code=track.code))
        db.session.rollback()
    return render_template("exams/staff/import.html", track=track, form=form, report=report, header=bank.CSV_HEADER), (
        400 if report is not None and not report.ok else 200
    )


@bp.route("/<code>/export.csv")
@roles_required(Role.STAFF)
def export_csv(code: str) -> Response:
    track = _track(code)
    return Response(
        transfer.export_csv(track.id),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="items-{track.code}.csv"'},
    )


@bp.route("/<code>/export.json")
@roles_required(Role.STAFF)
def export_json(code: str) -> Response:
    track = _track(code)
    return Response(
        json.dumps({"track": track.code, "items": transfer.export_json(track.id)}, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="items-{track.code}.json"'},
    )


# --- blueprint -----------------------------------------------------------------------------------


@bp.route("/<code>/blueprint", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def blueprint(code: str) -> Response | str:
    track = _track(code)
    current = blueprints.blueprint_for(track.id)
    domains = bank.domains_of(track.id)
    form = BlueprintForm(obj=current) if request.method == "GET" and current is not None else BlueprintForm()
    if request.method == "GET":
        if current is None:
            form.time_limit_minutes.data, form.pass_percent.data = 60, 70
            form.scale_min.data, form.scale_cut.data, form.scale_max.data = 0, 700, 1000
            form.attempts_allowed.data, form.max_attempts_per_year.data = 0, 4
            form.attempts_per_seat.data, form.voucher_validity_days.data = 1, 365
            form.integrity_threshold.data, form.webcam_snapshot_seconds.data = 8, 0
            form.pilot_item_count.data, form.voucher_required.data = 0, True
            form.languages.data = ["en"]
            form.retake_wait_days.data = "1, 14"
        else:
            form.retake_wait_days.data = ", ".join(str(d) for d in current.retake_wait_days)
            form.review_policy.data = current.review_policy.value
    counts = {d.code: (current.domain_counts.get(d.code, 0) if current else 0) for d in domains}
    if form.validate_on_submit():
        try:
            counts = {d.code: max(0, request.form.get(f"count_{d.code}", 0, type=int) or 0) for d in domains}
            fields = blueprints.BlueprintFields(
                domain_counts=counts,
                time_limit_minutes=form.time_limit_minutes.data,
                pass_percent=form.pass_percent.data,
                scale_min=form.scale_min.data,
                scale_max=form.scale_max.data,
                scale_cut=form.scale_cut.data,
                attempts_allowed=form.attempts_allowed.data,
                retake_wait_days=blueprints.parse_waits(form.retake_wait_days.data or ""),
                max_attempts_per_year=form.max_attempts_per_year.data,
                voucher_required=form.voucher_required.data,
                attempts_per_seat=form.attempts_per_seat.data,
                voucher_validity_days=form.voucher_validity_days.data,
                review_policy=ReviewPolicy(form.review_policy.data),
                integrity_threshold=form.integrity_threshold.data,
                webcam_snapshot_seconds=form.webcam_snapshot_seconds.data,
                languages=form.languages.data or [],
                pilot_item_count=form.pilot_item_count.data,
            )
            blueprints.save_blueprint(track, fields, activate=form.is_active.data, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            db.session.commit()
            flash(_("The blueprint is saved."), "success")
            return redirect(url_for(".blueprint", code=track.code))
    live = blueprints.live_counts(track.id)
    return render_template(
        "exams/staff/blueprint.html",
        track=track,
        form=form,
        blueprint=current,
        domains=domains,
        counts=counts,
        live=live,
        problems=blueprints.readiness_problems(current) if current else [],
    )


# --- statistics ----------------------------------------------------------------------------------


@bp.route("/<code>/statistics")
@roles_required(Role.STAFF)
def item_statistics(code: str) -> str:
    track = _track(code)
    stats, forms = statistics.item_statistics(track.id)
    return render_template(
        "exams/staff/statistics.html",
        track=track,
        stats=stats,
        forms=forms,
        flag_labels=statistics.FLAG_LABELS,
        min_responses=statistics.MIN_RESPONSES,
    )


@bp.route("/<code>/statistics.csv")
@roles_required(Role.STAFF)
def statistics_csv(code: str) -> Response:
    track = _track(code)
    stats, _forms = statistics.item_statistics(track.id)
    return Response(
        statistics.statistics_csv(stats),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="item-statistics-{track.code}.csv"'},
    )


# --- vouchers ------------------------------------------------------------------------------------


@bp.route("/<code>/vouchers", methods=["POST"])
@roles_required(Role.STAFF)
def grant_vouchers(code: str) -> Response:
    track = _track(code)
    form = GrantVoucherForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            flash(_("No account uses that e-mail address."), "error")
        else:
            stamp = utcnow().strftime("%Y%m%d%H%M%S")
            vouchers.grant(
                user_id=user.id,
                track_id=track.id,
                origin_ref=f"staff:{current_user.id}:{user.id}:{stamp}",
                count=form.count.data,
                actor_id=current_user.id,
            )
            db.session.commit()
            flash(_("Vouchers given to %(email)s.", email=user.email), "success")
    else:
        flash(_("Give an e-mail address, a number of attempts and a reason."), "error")
    return redirect(url_for(".items", code=track.code))

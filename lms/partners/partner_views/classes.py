"""A partner's classes: schedule, meetings, prices, staff, publish, roster, attendance, toolkit."""

from __future__ import annotations

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.core.csvio import write_csv
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, current_partner_id, get_scoped_or_404, roles_required
from lms.extensions import db
from lms.partners import queries
from lms.partners.forms import (
    ClassForm,
    EmptyForm,
    MeetingForm,
    PriceForm,
    ReasonForm,
    StaffForm,
    TransferForm,
)
from lms.partners.models import ClassFormat, ClassMeeting, ClassStaff, ClassStaffRole, ClassStatus, Seat, TrainingClass
from lms.partners.partner_views import bp
from lms.partners.services import classes as class_service
from lms.partners.services import seats, toolkit
from lms.partners.services.learners import find_or_create_learner
from lms.partners.web import current_partner, form_error, to_minor

MANAGERS = (Role.PARTNER_ADMIN, Role.PARTNER_MANAGER)

register_nav("partner_portal.classes", _l("Our classes"), *MANAGERS, order=40)
register_nav("partner_portal.teaching", _l("Teaching"), Role.INSTRUCTOR, order=41)


def _locale() -> str:
    return str(get_locale() or "en")


def _course_choices() -> list[tuple[int, str]]:
    locale = _locale()
    return [(v.id, f"{c.code} — {v.title(locale)} (v{v.number})") for v, c in queries.publishable_versions()]


def _class(class_id: int) -> TrainingClass:
    return get_scoped_or_404(TrainingClass, class_id)


@bp.route("/classes")
@roles_required(*MANAGERS)
def classes() -> str:
    partner = current_partner()
    rows = queries.partner_classes(partner.id)
    availability = seats.availability_map([tc.id for tc, _v in rows])
    return render_template("partners/partner/classes.html", rows=rows, availability=availability, partner=partner)


@bp.route("/classes/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def class_new() -> WerkzeugResponse | str:
    partner = current_partner()
    form = ClassForm()
    form.course_version_id.choices = _course_choices()
    if request.method == "GET":
        form.timezone.data = current_user.timezone
        form.city.data, form.country.data = partner.city, partner.country
    if form.validate_on_submit():
        try:
            training_class = class_service.create_class(
                partner,
                actor_id=current_user.id,
                course_version_id=form.course_version_id.data,
                language=form.language.data,
                timezone=form.timezone.data,
                capacity=form.capacity.data,
                format=ClassFormat(form.format.data),
                meeting_url=form.meeting_url.data,
                venue=form.venue.data,
                city=form.city.data,
                country=form.country.data,
                notes=form.notes.data,
                resale_allowed=form.resale_allowed.data,
                cancellation_cutoff_hours=form.cancellation_cutoff_hours.data,
                transfer_cutoff_hours=form.transfer_cutoff_hours.data,
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(
                _("The class is saved as a draft. Add its meetings, prices and instructor, then publish it."), "success"
            )
            return redirect(url_for(".class_detail", class_id=training_class.id))
    return render_template("partners/partner/class_form.html", form=form, training_class=None)


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def class_edit(class_id: int) -> WerkzeugResponse | str:
    training_class = _class(class_id)
    form = ClassForm(obj=training_class)
    form.course_version_id.choices = _course_choices()
    if request.method == "GET":
        form.format.data = training_class.format.value
    if form.validate_on_submit():
        try:
            class_service.update_class(
                training_class,
                actor_id=current_user.id,
                language=form.language.data,
                timezone=form.timezone.data,
                capacity=form.capacity.data,
                format=ClassFormat(form.format.data),
                meeting_url=form.meeting_url.data,
                venue=form.venue.data,
                city=form.city.data,
                country=form.country.data,
                notes=form.notes.data,
                resale_allowed=form.resale_allowed.data,
                cancellation_cutoff_hours=form.cancellation_cutoff_hours.data,
                transfer_cutoff_hours=form.transfer_cutoff_hours.data,
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Class saved."), "success")
            return redirect(url_for(".class_detail", class_id=class_id))
    return render_template("partners/partner/class_form.html", form=form, training_class=training_class)


@bp.route("/classes/<int:class_id>")
@roles_required(*MANAGERS)
def class_detail(class_id: int) -> str:
    training_class = _class(class_id)
    view = queries.class_view(class_id)
    staff_form = StaffForm()
    staff_form.user_id.choices = [
        (u.id, f"{u.display_name} ({u.email})")
        for u in {
            **{u.id: u for u in class_service.eligible_staff(training_class.partner_id, ClassStaffRole.INSTRUCTOR)},
            **{u.id: u for u in class_service.eligible_staff(training_class.partner_id, ClassStaffRole.PROCTOR)},
        }.values()
    ]
    return render_template(
        "partners/partner/class_detail.html",
        view=view,
        training_class=training_class,
        availability=seats.availability(class_id),
        roster=queries.roster(class_id),
        allotments=(allotments := queries.class_allotments(class_id)),
        allotment_left={a.id: seats.allotment_remaining(a) for a in allotments},
        waitlist=queries.waitlist(class_id),
        problems=class_service.publication_problems(training_class)
        if training_class.status == ClassStatus.DRAFT
        else [],
        meeting_form=MeetingForm(),
        price_form=PriceForm(),
        staff_form=staff_form,
        reason_form=ReasonForm(),
        transfer_form=TransferForm(),
        form=EmptyForm(),
        ClassStatus=ClassStatus,
    )


def _back(class_id: int) -> WerkzeugResponse:
    return redirect(url_for(".class_detail", class_id=class_id))


def _run(action, success: str | None = None, form=None) -> bool:  # type: ignore[no-untyped-def]
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return False
    db.session.commit()
    if success:
        flash(success, "success")
    return True


@bp.route("/classes/<int:class_id>/meetings", methods=["POST"])
@roles_required(*MANAGERS)
def meeting_add(class_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    form = MeetingForm()
    if not form.validate_on_submit():
        flash(_("Enter the date and the start and end times of the meeting."), "error")
        return _back(class_id)
    _run(
        lambda: class_service.add_meeting(
            training_class,
            day=form.day.data,
            start=form.start.data,
            end=form.end.data,
            title=form.title.data,
            actor_id=current_user.id,
        ),
        _("Meeting added."),
    )
    return _back(class_id)


@bp.route("/classes/<int:class_id>/meetings/<int:meeting_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def meeting_delete(class_id: int, meeting_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    meeting = db.session.get(ClassMeeting, meeting_id)
    if meeting is None or meeting.class_id != training_class.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        _run(
            lambda: class_service.remove_meeting(training_class, meeting, actor_id=current_user.id),
            _("Meeting removed."),
        )
    return _back(class_id)


@bp.route("/classes/<int:class_id>/prices", methods=["POST"])
@roles_required(*MANAGERS)
def price_set(class_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    form = PriceForm()
    if not form.validate_on_submit():
        flash(_("Enter a currency and a list price."), "error")
        return _back(class_id)
    currency = (form.currency.data or "").strip().upper()
    _run(
        lambda: class_service.set_price(
            training_class,
            currency=currency,
            list_amount=to_minor(form.list_price.data, currency),
            academic_amount=to_minor(form.academic_price.data, currency),
            association_amount=to_minor(form.association_price.data, currency),
            actor_id=current_user.id,
        ),
        _("Price saved."),
    )
    return _back(class_id)


@bp.route("/classes/<int:class_id>/prices/<currency>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def price_delete(class_id: int, currency: str) -> WerkzeugResponse:
    training_class = _class(class_id)
    if EmptyForm().validate_on_submit():
        _run(
            lambda: class_service.remove_price(training_class, currency.upper(), actor_id=current_user.id),
            _("Price removed."),
        )
    return _back(class_id)


@bp.route("/classes/<int:class_id>/staff", methods=["POST"])
@roles_required(*MANAGERS)
def staff_add(class_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    form = StaffForm()
    form.user_id.choices = [(int(request.form.get("user_id", 0) or 0), "")]
    if form.validate_on_submit():
        _run(
            lambda: class_service.add_staff(
                training_class, user_id=form.user_id.data, role=ClassStaffRole(form.role.data), actor_id=current_user.id
            ),
            _("Added to the class."),
        )
    return _back(class_id)


@bp.route("/classes/<int:class_id>/staff/<int:staff_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def staff_delete(class_id: int, staff_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    staff = db.session.get(ClassStaff, staff_id)
    if staff is None or staff.class_id != training_class.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        _run(
            lambda: class_service.remove_staff(training_class, staff, actor_id=current_user.id),
            _("Removed from the class."),
        )
    return _back(class_id)


@bp.route("/classes/<int:class_id>/publish", methods=["POST"])
@roles_required(*MANAGERS)
def class_publish(class_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    if EmptyForm().validate_on_submit():
        _run(
            lambda: class_service.publish(training_class, actor_id=current_user.id),
            _("Published: the class is now in the network's shared schedule."),
        )
    return _back(class_id)


@bp.route("/classes/<int:class_id>/cancel", methods=["POST"])
@roles_required(*MANAGERS)
def class_cancel(class_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    form = ReasonForm()
    if form.validate_on_submit():
        _run(
            lambda: class_service.cancel(training_class, actor_id=current_user.id, reason=form.reason.data),
            _("The class is cancelled; its learners' seats are cancelled and refunded."),
        )
    else:
        flash(_("Give a reason."), "error")
    return _back(class_id)


@bp.route("/classes/<int:class_id>/complete", methods=["POST"])
@roles_required(*MANAGERS)
def class_complete(class_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    if EmptyForm().validate_on_submit():
        _run(
            lambda: class_service.complete(training_class, actor_id=current_user.id),
            _("The class is marked completed."),
        )
    return _back(class_id)


def _class_seat(training_class: TrainingClass, seat_id: int) -> Seat:
    seat = db.session.get(Seat, seat_id)
    if seat is None or seat.class_id != training_class.id:
        abort(404)
    return seat


@bp.route("/classes/<int:class_id>/seats/<int:seat_id>/cancel", methods=["POST"])
@roles_required(*MANAGERS)
def seat_cancel(class_id: int, seat_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    seat = _class_seat(training_class, seat_id)
    form = ReasonForm()
    if form.validate_on_submit():
        _run(
            lambda: seats.cancel_seat(seat, actor_id=current_user.id, reason=form.reason.data),
            _("The seat is cancelled."),
        )
    return _back(class_id)


@bp.route("/classes/<int:class_id>/seats/<int:seat_id>/transfer", methods=["POST"])
@roles_required(*MANAGERS)
def seat_transfer(class_id: int, seat_id: int) -> WerkzeugResponse:
    training_class = _class(class_id)
    seat = _class_seat(training_class, seat_id)
    form = TransferForm()
    if form.validate_on_submit():

        def transfer() -> None:
            user, _created = find_or_create_learner(form.email.data, display_name=form.display_name.data or "")
            seats.transfer_seat(seat, user, actor_id=current_user.id)

        _run(transfer, _("The seat now belongs to %(email)s.", email=form.email.data))
    return _back(class_id)


@bp.route("/classes/<int:class_id>/roster.csv")
@roles_required(*MANAGERS)
def roster_csv(class_id: int) -> Response:
    training_class = _class(class_id)
    rows = [
        [
            seat.user.display_name if seat.user else "",
            seat.user.legal_name if seat.user else "",
            seat.user.email if seat.user else "",
            seat.reseller.name if seat.reseller else "",
            seat.confirmed_at.date().isoformat(),
        ]
        for seat in queries.roster(training_class.id)
    ]
    response = make_response(write_csv(["name", "legal_name", "email", "sold_by", "confirmed_on"], rows))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="class-{class_id}-roster.csv"'
    return response


# --- attendance --------------------------------------------------------------------------------


@bp.route("/teaching")
@roles_required(Role.INSTRUCTOR, *MANAGERS)
def teaching() -> str:
    return render_template("partners/partner/teaching.html", rows=queries.taught_classes(current_user.id))


@bp.route("/classes/<int:class_id>/attendance/<int:meeting_id>", methods=["GET", "POST"])
@roles_required(Role.INSTRUCTOR, *MANAGERS)
def attendance(class_id: int, meeting_id: int) -> WerkzeugResponse | str:
    training_class = _class(class_id)
    meeting = db.session.get(ClassMeeting, meeting_id)
    if meeting is None or meeting.class_id != training_class.id:
        abort(404)
    if not class_service.may_take_attendance(current_user._get_current_object(), training_class, current_partner_id()):
        abort(404)
    form = EmptyForm()
    if form.validate_on_submit():
        present = {int(v) for v in request.form.getlist("present") if v.isdigit()}
        if _run(
            lambda: class_service.record_attendance(
                training_class, meeting, present_user_ids=present, actor_id=current_user.id
            ),
            _("Attendance saved."),
        ):
            return redirect(url_for(".attendance", class_id=class_id, meeting_id=meeting_id))
    from lms.partners.models import Attendance

    recorded = {
        a.user_id: a.present
        for a in db.session.execute(db.select(Attendance).where(Attendance.meeting_id == meeting.id)).scalars()
    }
    return render_template(
        "partners/partner/attendance.html",
        training_class=training_class,
        view=queries.class_view(class_id),
        meeting=meeting,
        roster=[s for s in queries.roster(class_id) if s.user_id],
        recorded=recorded,
        totals=class_service.attendance_totals(class_id),
        form=form,
    )


# --- marketing toolkit -------------------------------------------------------------------------


def _toolkit_class(class_id: int) -> TrainingClass:
    """The partner's own class, or a class it resells (listing or allotment)."""
    from lms.partners.services.orders import resells

    training_class = db.session.get(TrainingClass, class_id)
    partner_id = current_partner_id()
    if training_class is None or partner_id is None:
        abort(404)
    if training_class.partner_id != partner_id and not resells(partner_id, training_class):
        abort(404)
    return training_class


@bp.route("/classes/<int:class_id>/toolkit")
@roles_required(*MANAGERS)
def class_toolkit(class_id: int) -> str:
    training_class = _toolkit_class(class_id)
    partner = current_partner()
    return render_template(
        "partners/partner/toolkit.html",
        training_class=training_class,
        view=queries.class_view(class_id),
        partner=partner,
        link=toolkit.storefront_class_url(partner, training_class),
        emails=toolkit.launch_emails(training_class, partner),
    )


@bp.route("/classes/<int:class_id>/flyer.pdf")
@roles_required(*MANAGERS)
def class_flyer(class_id: int) -> Response:
    training_class = _toolkit_class(class_id)
    partner = current_partner()
    locale = request.args.get("lang") or _locale()
    from lms.core.i18n import LANGUAGES

    if locale not in LANGUAGES:
        locale = "en"
    response = make_response(toolkit.flyer_pdf(training_class, partner, locale))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="class-{class_id}-flyer-{locale}.pdf"'
    return response

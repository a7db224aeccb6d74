"""A signed-in person's own pages: my classes and seats, waiting lists, calendar feed, vouchers,
memberships, and applying to become a partner or accepting a team invitation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.accounts.models import KIND_LABELS, PARTNER_KINDS, OrganisationKind
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, login_required, public
from lms.extensions import db
from lms.partners import queries
from lms.partners.forms import ApplicationForm, ClaimCodeForm, EmptyForm, ReasonForm, RedeemForm, TransferForm
from lms.partners.models import ApplicationStatus, PartnerApplication, Seat, WaitlistEntry
from lms.partners.services import calendar, network, seats, vouchers
from lms.partners.services.learners import find_or_create_learner
from lms.partners.views import bp
from lms.partners.web import form_error

register_nav("partners.my_classes", _l("My classes"), Role.LEARNER, order=30)


@bp.route("/my/classes")
@login_required
def my_classes() -> str:
    user_id = current_user.id
    return render_template(
        "partners/my_classes.html",
        seats=queries.learner_seats(user_id),
        waitlist=queries.learner_waitlist(user_id),
        orders=queries.buyer_orders(user_id),
        meetings=queries.upcoming_meetings(user_id, limit=20),
        has_calendar=calendar.has_token(user_id),
        form=EmptyForm(),
        reason_form=ReasonForm(),
        transfer_form=TransferForm(),
        cancellation_deadline=seats.cancellation_deadline,
        transfer_deadline=seats.transfer_deadline,
        position=queries.position_in_waitlist,
    )


def _my_seat(seat_id: int) -> Seat:
    seat = db.session.get(Seat, seat_id)
    if seat is None or seat.user_id != current_user.id:
        abort(404)
    return seat


@bp.route("/my/seats/<int:seat_id>/cancel", methods=["POST"])
@login_required
def seat_cancel(seat_id: int) -> Response:
    seat = _my_seat(seat_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Tell us why you cancel."), "error")
        return redirect(url_for("partners.my_classes"))
    try:
        seats.cancel_seat(seat, actor_id=current_user.id, reason=form.reason.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Your seat is cancelled. If you paid for it, the refund is on its way."), "success")
    return redirect(url_for("partners.my_classes"))


@bp.route("/my/seats/<int:seat_id>/transfer", methods=["POST"])
@login_required
def seat_transfer(seat_id: int) -> Response:
    seat = _my_seat(seat_id)
    form = TransferForm()
    if not form.validate_on_submit():
        flash(_("Enter the e-mail address of the person taking your seat."), "error")
        return redirect(url_for("partners.my_classes"))
    try:
        new_user, _created = find_or_create_learner(form.email.data, display_name=form.display_name.data or "")
        seats.transfer_seat(seat, new_user, actor_id=current_user.id)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Your seat now belongs to %(email)s.", email=new_user.email), "success")
    return redirect(url_for("partners.my_classes"))


@bp.route("/classes/<int:class_id>/waitlist", methods=["POST"])
@login_required
def waitlist_join(class_id: int) -> Response:
    if EmptyForm().validate_on_submit():
        try:
            seats.join_waitlist(class_id, current_user._get_current_object())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("You are on the waiting list. We will e-mail you when a seat is yours to take."), "success")
    return redirect(url_for("partners.class_detail", class_id=class_id))


@bp.route("/waitlist/<int:entry_id>/leave", methods=["POST"])
@login_required
def waitlist_leave(entry_id: int) -> Response:
    entry = db.session.get(WaitlistEntry, entry_id)
    if entry is None or entry.user_id != current_user.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        seats.leave_waitlist(entry, actor_id=current_user.id)
        db.session.commit()
        flash(_("You left the waiting list."), "success")
    return redirect(url_for("partners.my_classes"))


@bp.route("/my/calendar", methods=["GET", "POST"])
@login_required
def my_calendar() -> Response | str:
    token = None
    if request.method == "POST" and EmptyForm().validate_on_submit():
        token = calendar.new_token(current_user.id)
        db.session.commit()
        flash(_("Your private calendar link is ready. Any earlier link stopped working."), "success")
    return render_template(
        "partners/my_calendar.html",
        token=token,
        has_token=calendar.has_token(current_user.id),
        form=EmptyForm(),
    )


@bp.route("/vouchers/redeem", methods=["GET", "POST"])
@login_required
def redeem() -> Response | str:
    form = RedeemForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            kind, order = vouchers.redeem(form.code.data, current_user._get_current_object(), actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            if kind == "exam":
                flash(_("Your exam voucher is redeemed: the exam attempt is in your account."), "success")
                return redirect(url_for("accounts.dashboard"))
            if kind == "seat":
                flash(_("Your seat is confirmed."), "success")
            return redirect(url_for("partners.order", order_id=order.id))
    return render_template("partners/redeem.html", form=form)


@bp.route("/membership", methods=["GET", "POST"])
@login_required
def membership() -> Response | str:
    form = ClaimCodeForm()
    if form.validate_on_submit():
        try:
            network.claim_member_code(current_user._get_current_object(), form.code.data)
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you: your membership is confirmed and member prices apply."), "success")
            return redirect(url_for("partners.membership"))
    return render_template(
        "partners/membership.html", form=form, memberships=network.memberships_of(current_user._get_current_object())
    )


# --- joining the network -----------------------------------------------------------------------


@bp.route("/partners/apply", methods=["GET", "POST"])
@login_required
def apply() -> Response | str:
    form = ApplicationForm()
    form.kind.choices = [(k.value, KIND_LABELS[k]) for k in OrganisationKind if k in PARTNER_KINDS]
    mine = (
        db.session.execute(
            db.select(PartnerApplication)
            .where(PartnerApplication.applicant_id == current_user.id)
            .order_by(PartnerApplication.id.desc())
        )
        .scalars()
        .all()
    )
    if form.validate_on_submit():
        try:
            network.apply(
                current_user._get_current_object(),
                kind=OrganisationKind(form.kind.data),
                name=form.name.data,
                country=form.country.data,
                city=form.city.data,
                website=form.website.data,
                motivation=form.motivation.data,
                languages=form.languages.data,
                expected_learners=form.expected_learners.data,
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you! We review applications within a few working days and will e-mail you."), "success")
            return redirect(url_for("partners.apply"))
    return render_template("partners/apply.html", form=form, applications=mine, ApplicationStatus=ApplicationStatus)


@bp.route("/partners/invitations/<token>")
@public
def invitation(token: str) -> str:
    invite = network.invitation_for_token(token)
    problem = None
    try:
        network.check_invitation(invite)
    except DomainError as error:
        problem = error.message
    return render_template(
        "partners/invitation.html", invitation=invite, problem=problem, token=token, form=EmptyForm()
    )


@bp.route("/partners/invitations/<token>/accept", methods=["POST"])
@login_required
def invitation_accept(token: str) -> Response:
    if EmptyForm().validate_on_submit():
        try:
            membership = network.accept_invitation(token, current_user._get_current_object())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("partners.invitation", token=token))
        db.session.commit()
        flash(_("Welcome to %(name)s!", name=membership.organisation.name), "success")
    return redirect(url_for("accounts.dashboard"))

"""Reselling other partners' classes: allotments, buying seats, assigning them, storefront listings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, get_scoped_or_404, roles_required
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners import queries
from lms.partners.forms import AllotmentForm, AssignForm, BuySeatsForm, EmptyForm
from lms.partners.models import Allotment, AllotmentStatus, ClassStatus, ResaleListing, TrainingClass
from lms.partners.partner_views import bp
from lms.partners.services import pricing, resale, seats
from lms.partners.services.learners import find_or_create_learner
from lms.partners.web import current_partner, end_of_day_utc, form_error

MANAGERS = (Role.PARTNER_ADMIN, Role.PARTNER_MANAGER)

register_nav("partner_portal.resale_overview", _l("Resale"), *MANAGERS, order=42)


@bp.route("/resale")
@roles_required(*MANAGERS)
def resale_overview() -> str:
    partner = current_partner()
    allotments = queries.reseller_allotments(partner.id)
    bought = queries.reseller_seats(partner.id)
    listings = queries.reseller_listings(partner.id)
    class_ids = {a.class_id for a in allotments} | {s.class_id for s in bought} | {item.class_id for item in listings}
    views = {cid: queries.class_view(cid) for cid in class_ids}
    return render_template(
        "partners/partner/resale.html",
        partner=partner,
        allotments=allotments,
        remaining={a.id: seats.allotment_remaining(a) for a in allotments},
        bought=bought,
        listings=listings,
        views=views,
        orders=queries.partner_orders(partner.id, limit=20),
        assign_form=AssignForm(),
        currency_for=lambda tc: pricing.pick_currency(tc.currencies) or "USD",
        buy_form=BuySeatsForm(),
        form=EmptyForm(),
        AllotmentStatus=AllotmentStatus,
    )


def _resellable_class(class_id: int) -> TrainingClass:
    """Another partner's published class open to resale; anything else is a 404."""
    partner = current_partner()
    training_class = db.session.get(TrainingClass, class_id)
    if (
        training_class is None
        or training_class.partner_id == partner.id
        or not training_class.resale_allowed
        or training_class.status != ClassStatus.PUBLISHED
    ):
        abort(404)
    return training_class


@bp.route("/resale/classes/<int:class_id>")
@roles_required(*MANAGERS)
def resale_class(class_id: int) -> str:
    training_class = _resellable_class(class_id)
    partner = current_partner()
    allotment_form = AllotmentForm()
    if training_class.starts_at:
        allotment_form.release_on.data = (utcnow() + (training_class.starts_at - utcnow()) / 2).date()
    buy_form = BuySeatsForm()
    buy_form.currency.choices = [(c, c) for c in training_class.currencies]
    buy_form.currency.data = pricing.pick_currency(training_class.currencies)
    listed = db.session.execute(
        db.select(ResaleListing).where(ResaleListing.partner_id == partner.id, ResaleListing.class_id == class_id)
    ).scalar_one_or_none()
    return render_template(
        "partners/partner/resale_class.html",
        view=queries.class_view(class_id),
        training_class=training_class,
        availability=seats.availability(class_id),
        allotment_form=allotment_form,
        buy_form=buy_form,
        form=EmptyForm(),
        listed=listed,
        partner=partner,
        mine=[a for a in queries.reseller_allotments(partner.id) if a.class_id == class_id],
    )


@bp.route("/resale/classes/<int:class_id>/allotment", methods=["POST"])
@roles_required(*MANAGERS)
def resale_allotment(class_id: int) -> Response:
    training_class = _resellable_class(class_id)
    partner = current_partner()
    form = AllotmentForm()
    if form.validate_on_submit():
        try:
            allotment = resale.reserve_allotment(
                partner,
                training_class,
                quantity=form.quantity.data,
                release_at=end_of_day_utc(form.release_on.data),
                actor_id=current_user.id,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "%(count)d seats reserved for you until %(date)s.",
                    count=allotment.quantity,
                    date=form.release_on.data.isoformat(),
                ),
                "success",
            )
            return redirect(url_for(".resale_overview"))
    else:
        flash(_("Enter how many seats and until when."), "error")
    return redirect(url_for(".resale_class", class_id=class_id))


@bp.route("/resale/classes/<int:class_id>/buy", methods=["POST"])
@roles_required(*MANAGERS)
def resale_buy(class_id: int) -> Response:
    training_class = _resellable_class(class_id)
    partner = current_partner()
    form = BuySeatsForm()
    form.currency.choices = [(c, c) for c in training_class.currencies]
    if form.validate_on_submit():
        try:
            order = resale.buy_seats(
                partner,
                training_class,
                quantity=form.quantity.data,
                buyer=current_user._get_current_object(),
                currency=form.currency.data,
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("partners.order", order_id=order.id))
    else:
        flash(_("Choose how many seats."), "error")
    return redirect(url_for(".resale_class", class_id=class_id))


@bp.route("/resale/classes/<int:class_id>/list", methods=["POST"])
@roles_required(*MANAGERS)
def resale_list(class_id: int) -> Response:
    training_class = _resellable_class(class_id)
    if EmptyForm().validate_on_submit():
        try:
            resale.list_class(current_partner(), training_class, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The class is on your storefront now."), "success")
    return redirect(url_for(".resale_class", class_id=class_id))


@bp.route("/resale/listings/<int:listing_id>/delete", methods=["POST"])
@roles_required(*MANAGERS)
def resale_unlist(listing_id: int) -> Response:
    listing = get_scoped_or_404(ResaleListing, listing_id)
    if EmptyForm().validate_on_submit():
        resale.unlist_class(listing, actor_id=current_user.id)
        db.session.commit()
        flash(_("The class is no longer on your storefront."), "success")
    return redirect(url_for(".resale_overview"))


@bp.route("/resale/allotments/<int:allotment_id>/release", methods=["POST"])
@roles_required(*MANAGERS)
def allotment_release(allotment_id: int) -> Response:
    allotment = get_scoped_or_404(Allotment, allotment_id)
    if EmptyForm().validate_on_submit():
        try:
            unused = resale.release_allotment(allotment, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(count)d unused seats returned to public sale.", count=unused), "success")
    return redirect(url_for(".resale_overview"))


@bp.route("/resale/allotments/<int:allotment_id>/buy", methods=["POST"])
@roles_required(*MANAGERS)
def allotment_buy(allotment_id: int) -> Response:
    allotment = get_scoped_or_404(Allotment, allotment_id)
    partner = current_partner()
    form = BuySeatsForm()
    training_class = db.session.get(TrainingClass, allotment.class_id)
    form.currency.choices = [(c, c) for c in training_class.currencies]
    if form.validate_on_submit():
        try:
            order = resale.buy_seats(
                partner,
                training_class,
                quantity=form.quantity.data,
                buyer=current_user._get_current_object(),
                currency=form.currency.data,
                allotment=allotment,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            return redirect(url_for("partners.order", order_id=order.id))
    return redirect(url_for(".resale_overview"))


@bp.route("/resale/seats/<int:seat_id>/assign", methods=["POST"])
@roles_required(*MANAGERS)
def seat_assign(seat_id: int) -> Response:
    partner = current_partner()
    seat = resale.resold_seat_or_404(seat_id, partner.id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            learner, _created = find_or_create_learner(
                form.email.data,
                display_name=form.display_name.data or "",
                locale=form.language.data,
                partner_name=partner.name,
            )
            seats.assign_seat(seat, learner, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Seat assigned to %(name)s.", name=learner.display_name), "success")
    else:
        flash(_("Enter the learner's e-mail address."), "error")
    return redirect(url_for(".resale_overview"))

"""Checkout: book a class seat or an eLearning seat, apply a code, pay, see the order.

``book`` and ``pay`` also answer JSON (``Accept: application/json``) for scripts and the benchmark;
a refusal is a 4xx with a message, never a 500.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.core.db import reads_first
from lms.core.errors import DomainError
from lms.core.security import Role, current_partner_id, login_required
from lms.extensions import db
from lms.partners.forms import CodeForm, EmptyForm, PayForm
from lms.partners.models import LineKind, Order, OrderStatus
from lms.partners.services import network, orders, payments, toolkit
from lms.partners.views import bp
from lms.partners.web import form_error, json_error, want_json


def _payload() -> dict[str, Any]:
    if request.is_json:
        return dict(request.get_json(silent=True) or {})
    return request.form.to_dict()


@bp.route("/classes/<int:class_id>/book", methods=["POST"])
@login_required
@reads_first
def book(class_id: int) -> Any:
    data = _payload()
    storefront = network.active_partner_by_slug(data.get("via", "")) if data.get("via") else None
    try:
        order = orders.start_class_order(
            current_user._get_current_object(),
            class_id,
            currency=data.get("currency") or None,
            storefront_partner_id=storefront.id if storefront else None,
        )
    except DomainError as error:
        db.session.rollback()
        if want_json():
            return json_error(error)
        flash(error.message, "error")
        target = url_for("partners.storefront_class", slug=storefront.slug, class_id=class_id) if storefront else None
        return redirect(target or url_for("partners.class_detail", class_id=class_id))
    # Read what the answer needs before the commit expires the objects (no reload after it).
    summary = {
        "order_id": order.id,
        "number": order.number,
        "total": order.total_amount,
        "currency": order.currency,
        "hold_expires_at": order.hold_expires_at.isoformat(),
    }
    db.session.commit()
    if want_json():
        return jsonify(summary), 201
    return redirect(url_for("partners.order", order_id=summary["order_id"]))


@bp.route("/elearning/<int:version_id>/buy", methods=["POST"])
@login_required
def elearning_buy(version_id: int) -> Response:
    data = _payload()
    storefront = network.active_partner_by_slug(data.get("via", "")) if data.get("via") else None
    # A partner's manager buys prepaid seats for its learners; anyone else buys a seat for themselves.
    for_partner = data.get("for_partner") and current_user.roles & {Role.PARTNER_ADMIN, Role.PARTNER_MANAGER}
    quantity = int(data.get("quantity") or 1) if str(data.get("quantity") or "1").isdigit() else 0
    try:
        order = orders.start_elearning_order(
            current_user._get_current_object(),
            version_id,
            currency=data.get("currency") or None,
            storefront_partner_id=storefront.id if storefront else None,
            buyer_partner_id=current_partner_id() if for_partner else None,
            quantity=quantity,
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("partners.elearning", version_id=version_id))
    db.session.commit()
    return redirect(url_for("partners.order", order_id=order.id))


def _visible_order(order_id: int) -> Order:
    """The buyer's order, or one bought by the partner the viewer manages; anything else is a 404."""
    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    if order.buyer_user_id == current_user.id:
        return order
    managers = {Role.PARTNER_ADMIN, Role.PARTNER_MANAGER}
    if order.buyer_partner_id and order.buyer_partner_id == current_partner_id() and current_user.roles & managers:
        return order
    abort(404)


def _provider_choices(order: Order) -> list[tuple[str, str]]:
    return [(code, str(payments.PROVIDERS[code].label)) for code in payments.CHECKOUT_PROVIDERS]


@bp.route("/orders/<int:order_id>")
@login_required
def order(order_id: int) -> str:
    item = _visible_order(order_id)
    pay_form = PayForm()
    pay_form.provider.choices = _provider_choices(item)
    versions = {line.course_version_id: line.course_version for line in item.lines}
    return render_template(
        "partners/order.html",
        order=item,
        code_form=CodeForm(),
        pay_form=pay_form,
        form=EmptyForm(),
        providers=payments.PROVIDERS,
        seconds_left=orders.seconds_left(item),
        inclusions={vid: toolkit.inclusions(v) for vid, v in versions.items() if v is not None},
        LineKind=LineKind,
        OrderStatus=OrderStatus,
    )


@bp.route("/orders/<int:order_id>/code", methods=["POST"])
@login_required
def order_code(order_id: int) -> Response:
    item = _visible_order(order_id)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            label = orders.apply_code(item, form.code.data, current_user._get_current_object())
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Code applied: %(label)s", label=label), "success")
    else:
        flash(_("Enter a code."), "error")
    return redirect(url_for("partners.order", order_id=order_id))


@bp.route("/orders/<int:order_id>/code/remove", methods=["POST"])
@login_required
def order_code_remove(order_id: int) -> Response:
    item = _visible_order(order_id)
    if EmptyForm().validate_on_submit():
        try:
            orders.remove_code(item)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
    return redirect(url_for("partners.order", order_id=order_id))


@bp.route("/orders/<int:order_id>/pay", methods=["POST"])
@login_required
@reads_first
def order_pay(order_id: int) -> Any:
    item = _visible_order(order_id)
    data = _payload()
    if not request.is_json:
        form = PayForm()
        form.provider.choices = _provider_choices(item)
        if not form.validate_on_submit() and item.total_amount != 0:
            flash(_("Choose how you want to pay."), "error")
            return redirect(url_for("partners.order", order_id=order_id))
    try:
        orders.pay(
            item,
            provider_code=data.get("provider") or "test",
            actor=current_user._get_current_object(),
            po_number=data.get("po_number"),
        )
    except DomainError as error:
        db.session.rollback()
        if want_json():
            return json_error(error)
        form_error(None, error)
        return redirect(url_for("partners.order", order_id=order_id))
    summary = {"order_id": item.id, "status": item.status.value, "seats": item.seat_count, "number": item.number}
    db.session.commit()
    if want_json():
        return jsonify(summary)
    if summary["status"] == OrderStatus.PAID.value:
        flash(_("Thank you! Your order %(number)s is confirmed.", number=summary["number"]), "success")
    else:
        flash(_("Your seats are held until the invoice is due. We sent you the details."), "success")
    return redirect(url_for("partners.order", order_id=order_id))


@bp.route("/orders/<int:order_id>/cancel", methods=["POST"])
@login_required
def order_cancel(order_id: int) -> Response:
    item = _visible_order(order_id)
    if EmptyForm().validate_on_submit():
        try:
            orders.cancel_order(item, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The order is cancelled and its seats are released."), "success")
    return redirect(url_for("partners.order", order_id=order_id))

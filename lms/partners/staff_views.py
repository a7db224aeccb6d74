"""Staff pages of the network: applications, partners (status, agreements), orders, refunds, ledger."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from lms.accounts.models import PARTNER_KINDS, Organisation, OrganisationStatus
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, roles_required
from lms.extensions import db
from lms.partners import queries
from lms.partners.forms import AgreementForm, DecisionForm, MarkPaidForm, PartnerStatusForm, RefundForm
from lms.partners.models import AccountKind, OrderLine, OrderStatus, PartnerAgreement, PartnerApplication
from lms.partners.services import ledger, network, orders, statements
from lms.partners.web import form_error, percent_to_bp, to_minor

bp = Blueprint(
    "staff_partners",
    __name__,
    url_prefix="/staff/network",
    template_folder=str(Path(__file__).resolve().parent / "templates"),
)

register_nav("staff_partners.overview", _l("Partner network"), Role.STAFF, order=70)


@bp.route("/")
@roles_required(Role.STAFF)
def overview() -> str:
    return render_template(
        "partners/staff/overview.html",
        pending=queries.pending_applications(),
        recent=queries.recent_applications(),
        partners=queries.partners(),
        totals=ledger.network_totals(),
        seats=queries.network_seat_totals(),
        check=ledger.check_balance(),
        balances=queries.partner_balances(),
    )


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def application(application_id: int) -> WerkzeugResponse | str:
    item = db.session.get(PartnerApplication, application_id)
    if item is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "approve":
                network.approve(item, actor_id=current_user.id, reason=form.reason.data)
                message = _(
                    "Approved: %(name)s is now a partner and the applicant its administrator.",
                    name=item.organisation.name,
                )
            else:
                network.reject(item, actor_id=current_user.id, reason=form.reason.data)
                message = _("Application rejected; the applicant was told why.")
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".overview"))
    return render_template("partners/staff/application.html", application=item, form=form)


def _partner(partner_id: int) -> Organisation:
    partner = db.session.get(Organisation, partner_id)
    if partner is None or partner.kind not in PARTNER_KINDS:
        abort(404)
    return partner


STATUS_CHOICES = {
    OrganisationStatus.ACTIVE: [
        (OrganisationStatus.SUSPENDED, _l("Suspend")),
        (OrganisationStatus.OFFBOARDED, _l("Offboard")),
    ],
    OrganisationStatus.SUSPENDED: [
        (OrganisationStatus.ACTIVE, _l("Reinstate")),
        (OrganisationStatus.OFFBOARDED, _l("Offboard")),
    ],
}


@bp.route("/partners/<int:partner_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def partner_detail(partner_id: int) -> WerkzeugResponse | str:
    partner = _partner(partner_id)
    status_form = PartnerStatusForm()
    status_form.status.choices = [(s.value, label) for s, label in STATUS_CHOICES.get(partner.status, [])]
    shares = network.shares_for(partner.id)
    agreement_form = AgreementForm(
        own_partner_percent=shares.own_partner_bp / 100,
        own_body_percent=shares.own_body_bp / 100,
        resale_delivering_percent=shares.resale_delivering_bp / 100,
        resale_reseller_percent=shares.resale_reseller_bp / 100,
        resale_body_percent=shares.resale_body_bp / 100,
        refund_window_days=shares.refund_window_days,
    )
    if request.method == "POST" and "reason" in request.form and status_form.validate_on_submit():
        try:
            network.set_partner_status(
                partner,
                OrganisationStatus(status_form.status.data),
                actor_id=current_user.id,
                reason=status_form.reason.data,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Status changed."), "success")
            return redirect(url_for(".partner_detail", partner_id=partner_id))
    agreements = (
        db.session.execute(
            db.select(PartnerAgreement)
            .where(PartnerAgreement.partner_id == partner.id)
            .order_by(PartnerAgreement.id.desc())
        )
        .scalars()
        .all()
    )
    return render_template(
        "partners/staff/partner.html",
        partner=partner,
        status_form=status_form,
        agreement_form=agreement_form,
        agreements=agreements,
        balances=ledger.balances(AccountKind.PARTNER, partner.id),
        months=statements.months_with_activity(partner.id),
        classes=queries.partner_classes(partner.id)[:20],
    )


@bp.route("/partners/<int:partner_id>/agreement", methods=["POST"])
@roles_required(Role.STAFF)
def partner_agreement(partner_id: int) -> WerkzeugResponse:
    partner = _partner(partner_id)
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            network.set_agreement(
                partner.id,
                actor_id=current_user.id,
                own_partner_bp=percent_to_bp(form.own_partner_percent.data),
                own_body_bp=percent_to_bp(form.own_body_percent.data),
                resale_delivering_bp=percent_to_bp(form.resale_delivering_percent.data),
                resale_reseller_bp=percent_to_bp(form.resale_reseller_percent.data),
                resale_body_bp=percent_to_bp(form.resale_body_percent.data),
                refund_window_days=form.refund_window_days.data,
                note=form.note.data,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("New terms recorded; they apply to sales from now on."), "success")
    else:
        flash(_("Fill in every share."), "error")
    return redirect(url_for(".partner_detail", partner_id=partner_id))


@bp.route("/partners/<int:partner_id>/statements/<int:year>-<int:month>.<kind>")
@roles_required(Role.STAFF)
def partner_statement(partner_id: int, year: int, month: int, kind: str) -> Response:
    from lms.partners.partner_views.money import statement_response

    if kind not in ("csv", "pdf"):
        abort(404)
    return statement_response(_partner(partner_id), year, month, kind)


# --- orders and refunds ------------------------------------------------------------------------


@bp.route("/orders")
@roles_required(Role.STAFF)
def order_list() -> str:
    status = request.args.get("status", "")
    return render_template(
        "partners/staff/orders.html", orders=queries.staff_orders(status), status=status, OrderStatus=OrderStatus
    )


@bp.route("/orders/<int:order_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def order_detail(order_id: int) -> WerkzeugResponse | str:
    from lms.partners.models import Order

    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    return render_template(
        "partners/staff/order.html",
        order=order,
        paid_form=MarkPaidForm(),
        refund_form=RefundForm(),
        refundable=orders.refundable,
        OrderStatus=OrderStatus,
        entries=db.session.execute(
            db.select(ledger.JournalEntry)
            .where(ledger.JournalEntry.order_id == order.id)
            .order_by(ledger.JournalEntry.id)
        )
        .scalars()
        .all(),
    )


@bp.route("/orders/<int:order_id>/paid", methods=["POST"])
@roles_required(Role.STAFF)
def order_mark_paid(order_id: int) -> WerkzeugResponse:
    from lms.partners.models import Order

    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    form = MarkPaidForm()
    if form.validate_on_submit():
        try:
            orders.mark_invoice_paid(order, actor_id=current_user.id, reference=form.reference.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Invoice marked paid; the seats are confirmed."), "success")
    return redirect(url_for(".order_detail", order_id=order_id))


@bp.route("/orders/<int:order_id>/refund", methods=["POST"])
@roles_required(Role.STAFF)
def order_refund(order_id: int) -> WerkzeugResponse:
    from lms.partners.models import Order

    order = db.session.get(Order, order_id)
    if order is None:
        abort(404)
    form = RefundForm()
    line = db.session.get(OrderLine, int(form.line_id.data or 0)) if (form.line_id.data or "").isdigit() else None
    if line is None or line.order_id != order.id:
        abort(404)
    if form.validate_on_submit():
        try:
            orders.refund(
                order,
                line=line,
                seats_count=form.seats.data or 0,
                amount=to_minor(form.amount.data, order.currency),
                reason=form.reason.data,
                actor_id=current_user.id,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Refund recorded and posted to the ledger."), "success")
    else:
        flash(_("Give a reason for the refund."), "error")
    return redirect(url_for(".order_detail", order_id=order_id))

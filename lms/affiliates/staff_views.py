"""Staff pages of the affiliate programmes: totals, applications and affiliates, programme terms and
commission rules, the fraud review queue, payout batches, and how orders were attributed."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.affiliates import queries, web
from lms.affiliates.forms import CouponForm, DecisionForm, EmptyForm, FlagDecisionForm, MarkPaidForm
from lms.affiliates.models import (
    Affiliate,
    AffiliateCoupon,
    AffiliateProgramme,
    AffiliateStatus,
    CommissionRule,
    FlagStatus,
    FraudFlag,
    OrderAttribution,
    Payout,
)
from lms.affiliates.services import fraud, payouts, programmes
from lms.core.db import ensure_write_lock
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, roles_required
from lms.extensions import db
from lms.partners.web import form_error, percent_to_bp

bp = Blueprint(
    "staff_affiliates",
    __name__,
    url_prefix="/staff/affiliates",
    template_folder=str(Path(__file__).resolve().parent / "templates"),
)

register_nav("staff_affiliates.overview", _l("Affiliates"), Role.STAFF, order=75)


@bp.route("/")
@roles_required(Role.STAFF)
def overview() -> str:
    if programmes.find_programme(None) is None:
        ensure_write_lock()
        programmes.ensure_programme(None, actor_id=current_user.id)
        db.session.commit()
    everyone = sa.select(Affiliate.id)
    stats = queries.stats(everyone, 6)
    return render_template(
        "affiliates/staff/overview.html",
        totals=queries.programme_totals(),
        stats=stats,
        charts=web.stats_charts(stats),
        pending=[a for a in queries.applications() if a.status == AffiliateStatus.APPLIED],
        flags=fraud.open_flags(),
        candidates=[c for c in payouts.candidates() if c.eligible],
        network=programmes.find_programme(None),
    )


@bp.route("/applications")
@roles_required(Role.STAFF)
def applications() -> str:
    wanted = request.args.get("status", "")
    rows = queries.applications()
    if wanted in AffiliateStatus._value2member_map_:
        rows = [a for a in rows if a.status.value == wanted]
    return render_template("affiliates/staff/applications.html", rows=rows, wanted=wanted, statuses=AffiliateStatus)


def _affiliate(affiliate_id: int) -> Affiliate:
    affiliate = db.session.get(Affiliate, affiliate_id)
    if affiliate is None:
        abort(404)
    return affiliate


@bp.route("/affiliates/<int:affiliate_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def affiliate_detail(affiliate_id: int) -> Response | str:
    affiliate = _affiliate(affiliate_id)
    form = DecisionForm()
    form.decision.choices = web.decision_choices(affiliate)
    if form.validate_on_submit():
        try:
            message = web.decide(affiliate, form.decision.data, form.reason.data or "", current_user.id)
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for(".affiliate_detail", affiliate_id=affiliate.id))
    return _render_affiliate(affiliate, form)


def _render_affiliate(affiliate: Affiliate, form: DecisionForm, coupon_form: CouponForm | None = None) -> str:
    stats = queries.stats([affiliate.id], 6)
    return render_template(
        "affiliates/affiliate_detail.html",
        portal="staff",
        affiliate=affiliate,
        form=form,
        coupon_form=coupon_form or CouponForm(percent=affiliate.programme.coupon_discount_bp / 100),
        rule_form=web.rule_form(affiliate.programme, affiliate_id=affiliate.id),
        rules=[r for r in programmes.rules_of(affiliate.programme) if r.affiliate_id == affiliate.id],
        stats=stats,
        charts=web.stats_charts(stats),
        rows=queries.commissions_of([affiliate.id], 100),
        flags=db.session.execute(
            sa.select(FraudFlag).where(FraudFlag.affiliate_id == affiliate.id).order_by(FraudFlag.id.desc())
        )
        .scalars()
        .all(),
        minimum=programmes.payout_minimum_of(affiliate),
    )


@bp.route("/affiliates/<int:affiliate_id>/coupons", methods=["POST"])
@roles_required(Role.STAFF)
def create_coupon(affiliate_id: int) -> Response | str:
    affiliate = _affiliate(affiliate_id)
    coupon_form = CouponForm()
    if coupon_form.validate_on_submit():
        try:
            programmes.create_coupon(
                affiliate,
                actor_id=current_user.id,
                code=coupon_form.code.data,
                discount_bp=percent_to_bp(coupon_form.percent.data),
            )
        except DomainError as error:
            db.session.rollback()
            form_error(coupon_form, error)
        else:
            db.session.commit()
            flash(_("Coupon created."), "success")
            return redirect(url_for(".affiliate_detail", affiliate_id=affiliate.id))
    form = DecisionForm()
    form.decision.choices = web.decision_choices(affiliate)
    return _render_affiliate(affiliate, form, coupon_form)


@bp.route("/coupons/<int:coupon_id>/toggle", methods=["POST"])
@roles_required(Role.STAFF)
def toggle_coupon(coupon_id: int) -> Response:
    coupon = db.session.get(AffiliateCoupon, coupon_id)
    if coupon is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        programmes.set_coupon_active(coupon, not coupon.active, actor_id=current_user.id)
        db.session.commit()
    return redirect(url_for(".affiliate_detail", affiliate_id=coupon.affiliate_id))


# --- programme terms and rules ------------------------------------------------------------------------


def _programme(programme_id: int) -> AffiliateProgramme:
    programme = db.session.get(AffiliateProgramme, programme_id)
    if programme is None:
        abort(404)
    return programme


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def programme(programme_id: int) -> Response | str:
    item = _programme(programme_id)
    form = web.programme_form(item)
    if request.method == "POST" and form.validate_on_submit():
        if web.save_programme(item, form, current_user.id):
            db.session.commit()
            flash(_("The programme's terms are saved."), "success")
            return redirect(url_for(".programme", programme_id=item.id))
        db.session.rollback()
    return render_template(
        "affiliates/programme.html",
        portal="staff",
        programme=item,
        form=form,
        rule_form=web.rule_form(item),
        rules=programmes.rules_of(item, active_only=False),
        retire_form=EmptyForm(),
    )


@bp.route("/programmes/<int:programme_id>/rules", methods=["POST"])
@roles_required(Role.STAFF)
def add_rule(programme_id: int) -> Response | str:
    item = _programme(programme_id)
    rule_form = web.rule_form(item)
    if rule_form.validate_on_submit() and web.save_rule(item, rule_form, current_user.id):
        db.session.commit()
        flash(_("Rule added: new sales use it from now on."), "success")
    else:
        db.session.rollback()
        for errors in rule_form.errors.values():
            for message in errors:
                flash(message, "error")
    back = request.form.get("back")
    if back and back.isdigit():
        return redirect(url_for(".affiliate_detail", affiliate_id=int(back)))
    return redirect(url_for(".programme", programme_id=item.id))


@bp.route("/rules/<int:rule_id>/retire", methods=["POST"])
@roles_required(Role.STAFF)
def retire_rule(rule_id: int) -> Response:
    rule = db.session.get(CommissionRule, rule_id)
    if rule is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        programmes.deactivate_rule(rule, actor_id=current_user.id)
        db.session.commit()
        flash(_("Rule retired: commissions it produced keep it."), "success")
    return redirect(url_for(".programme", programme_id=rule.programme_id))


# --- fraud review -------------------------------------------------------------------------------------


@bp.route("/review")
@roles_required(Role.STAFF)
def review() -> str:
    decided = (
        db.session.execute(
            sa.select(FraudFlag)
            .where(FraudFlag.status != FlagStatus.OPEN)
            .order_by(FraudFlag.decided_at.desc())
            .limit(30)
        )
        .scalars()
        .all()
    )
    return render_template(
        "affiliates/staff/review.html", flags=fraud.open_flags(), decided=decided, form=FlagDecisionForm()
    )


@bp.route("/flags/<int:flag_id>", methods=["POST"])
@roles_required(Role.STAFF)
def decide_flag(flag_id: int) -> Response:
    flag = db.session.get(FraudFlag, flag_id)
    if flag is None:
        abort(404)
    form = FlagDecisionForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for your decision."), "error")
        return redirect(url_for(".review"))
    try:
        fraud.decide(flag, confirm=form.decision.data == "confirm", actor_id=current_user.id, note=form.note.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Decision recorded."), "success")
    return redirect(url_for(".review"))


# --- payouts ------------------------------------------------------------------------------------------


@bp.route("/payouts", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def payouts_page() -> Response | str:
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            batch = payouts.create_batch(request.form.getlist("selection"), actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Payout batch created: export the CSV for your bank, then mark it paid."), "success")
            return redirect(url_for(".payout", payout_id=batch.id))
    return render_template(
        "affiliates/staff/payouts.html", candidates=payouts.candidates(), batches=payouts.recent(), form=form
    )


def _payout(payout_id: int) -> Payout:
    item = db.session.get(Payout, payout_id)
    if item is None:
        abort(404)
    return item


@bp.route("/payouts/<int:payout_id>")
@roles_required(Role.STAFF)
def payout(payout_id: int) -> str:
    return render_template(
        "affiliates/staff/payout.html", payout=_payout(payout_id), paid_form=MarkPaidForm(), form=EmptyForm()
    )


@bp.route("/payouts/<int:payout_id>.csv")
@roles_required(Role.STAFF)
def payout_csv(payout_id: int) -> Response:
    ensure_write_lock()
    item = _payout(payout_id)
    text = payouts.export_csv(item, actor_id=current_user.id)
    db.session.commit()
    response = make_response(text)
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="affiliate-payout-{item.id}.csv"'
    return response


@bp.route("/payouts/<int:payout_id>/paid", methods=["POST"])
@roles_required(Role.STAFF)
def payout_paid(payout_id: int) -> Response:
    item = _payout(payout_id)
    form = MarkPaidForm()
    if form.validate_on_submit():
        try:
            payouts.mark_paid(item, actor_id=current_user.id, reference=form.reference.data or "")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Payout marked as paid; the affiliates see it on their dashboards."), "success")
    return redirect(url_for(".payout", payout_id=item.id))


@bp.route("/payouts/<int:payout_id>/cancel", methods=["POST"])
@roles_required(Role.STAFF)
def payout_cancel(payout_id: int) -> Response:
    item = _payout(payout_id)
    if EmptyForm().validate_on_submit():
        try:
            payouts.cancel(item, actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Payout cancelled; its commissions can be paid in another batch."), "success")
    return redirect(url_for(".payouts_page"))


# --- attributions -------------------------------------------------------------------------------------


@bp.route("/attributions")
@roles_required(Role.STAFF)
def attributions() -> str:
    rows = (
        db.session.execute(sa.select(OrderAttribution).order_by(OrderAttribution.id.desc()).limit(100)).scalars().all()
    )
    return render_template("affiliates/staff/attributions.html", rows=rows, orders=queries.orders_by_id(rows))

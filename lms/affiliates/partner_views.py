"""A training partner's own affiliate programme (/partner/affiliates): its terms and rates (paid out
of the partner's share), its applicants and affiliates, and the referrals, sales and commissions
that reached the partner's classes from any programme.

Every affiliate row is read through ``get_scoped_or_404``: another partner's affiliate is a 404.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.affiliates import queries, web
from lms.affiliates.forms import DecisionForm, EmptyForm
from lms.affiliates.models import Affiliate, AffiliateProgramme, CommissionRule
from lms.affiliates.services import programmes
from lms.core.db import ensure_write_lock
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, get_scoped_or_404, roles_required, scoped
from lms.extensions import db
from lms.partners.web import current_partner, form_error

bp = Blueprint(
    "partner_affiliates",
    __name__,
    url_prefix="/partner/affiliates",
    template_folder=str(Path(__file__).resolve().parent / "templates"),
)

MANAGERS = (Role.PARTNER_ADMIN, Role.PARTNER_MANAGER)

register_nav("partner_affiliates.overview", _l("Affiliates"), *MANAGERS, order=48)


def _own_programme() -> AffiliateProgramme:
    """The partner's own programme, opened with default terms on the first visit."""
    partner = current_partner()
    programme = db.session.execute(scoped(AffiliateProgramme, partner.id)).scalars().first()
    if programme is None:
        ensure_write_lock()
        programme = programmes.ensure_programme(partner.id, actor_id=current_user.id)
        db.session.commit()
    return programme


@bp.route("/")
@roles_required(*MANAGERS)
def overview() -> str:
    partner = current_partner()
    programme = _own_programme()
    members = db.session.execute(scoped(Affiliate, partner.id).order_by(Affiliate.applied_at.desc())).scalars().all()
    stats = queries.stats(sa.select(Affiliate.id).where(Affiliate.partner_id == partner.id), 6)
    return render_template(
        "affiliates/partner/overview.html",
        partner=partner,
        programme=programme,
        members=members,
        stats=stats,
        charts=web.stats_charts(stats),
        reach=queries.partner_reach(partner.id),
        rows=queries.commissions_reaching(partner.id),
        rules=programmes.rules_of(programme),
    )


@bp.route("/settings", methods=["GET", "POST"])
@roles_required(Role.PARTNER_ADMIN)
def settings() -> Response | str:
    programme = _own_programme()
    form = web.programme_form(programme)
    if request.method == "POST" and form.validate_on_submit():
        if web.save_programme(programme, form, current_user.id):
            db.session.commit()
            flash(_("Your programme's terms are saved."), "success")
            return redirect(url_for(".settings"))
        db.session.rollback()
    return render_template(
        "affiliates/programme.html",
        portal="partner",
        programme=programme,
        form=form,
        rule_form=web.rule_form(programme, with_payer=False),
        rules=programmes.rules_of(programme, active_only=False),
        retire_form=EmptyForm(),
    )


@bp.route("/rules", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def add_rule() -> Response:
    programme = _own_programme()
    rule_form = web.rule_form(programme, with_payer=False)
    if rule_form.validate_on_submit() and web.save_rule(programme, rule_form, current_user.id):
        db.session.commit()
        flash(_("Rate saved: new sales use it from now on."), "success")
    else:
        db.session.rollback()
        for errors in rule_form.errors.values():
            for message in errors:
                flash(message, "error")
    back = request.form.get("back")
    if back and back.isdigit():
        return redirect(url_for(".affiliate_detail", affiliate_id=int(back)))
    return redirect(url_for(".settings"))


@bp.route("/rules/<int:rule_id>/retire", methods=["POST"])
@roles_required(Role.PARTNER_ADMIN)
def retire_rule(rule_id: int) -> Response:
    rule = get_scoped_or_404(CommissionRule, rule_id)
    if EmptyForm().validate_on_submit():
        programmes.deactivate_rule(rule, actor_id=current_user.id)
        db.session.commit()
        flash(_("Rate retired: commissions it produced keep it."), "success")
    return redirect(url_for(".settings"))


@bp.route("/<int:affiliate_id>", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def affiliate_detail(affiliate_id: int) -> Response | str:
    affiliate = get_scoped_or_404(Affiliate, affiliate_id)
    form = DecisionForm()
    form.decision.choices = web.decision_choices(affiliate)
    if request.method == "POST":
        if not current_user.has_role(Role.PARTNER_ADMIN):
            abort(403)
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
    stats = queries.stats([affiliate.id], 6)
    return render_template(
        "affiliates/affiliate_detail.html",
        portal="partner",
        affiliate=affiliate,
        form=form,
        coupon_form=None,
        rule_form=web.rule_form(affiliate.programme, affiliate_id=affiliate.id, with_payer=False),
        rules=[r for r in programmes.rules_of(affiliate.programme) if r.affiliate_id == affiliate.id],
        stats=stats,
        charts=web.stats_charts(stats),
        rows=queries.commissions_of([affiliate.id], 100),
        flags=[],
        minimum=programmes.payout_minimum_of(affiliate),
    )

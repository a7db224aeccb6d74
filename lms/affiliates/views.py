"""Public pages of the affiliate programmes (the referral redirect, the programme pages) and the
affiliate's own pages (application, dashboard, payout details, export)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.affiliates import queries, tracking, web
from lms.affiliates.forms import ApplyForm, LinkForm, PayoutDetailsForm
from lms.affiliates.models import Affiliate, AffiliateProgramme, AffiliateStatus, PayoutMethod
from lms.affiliates.services import commissions, programmes
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, login_required, public
from lms.extensions import db, limiter
from lms.partners.web import form_error

bp = Blueprint("affiliates", __name__, template_folder=str(Path(__file__).resolve().parent / "templates"))

register_nav("affiliates.dashboard", _l("Affiliate"), Role.AFFILIATE, order=60)
register_nav("affiliates.programmes_page", _l("Become an affiliate"), order=90, anonymous_only=True)

MONTH_CHOICES = (3, 6, 12)


# --- the referral redirect (hot path) --------------------------------------------------------------


def _referral_response(code: str, path: str) -> Response:
    # A bare 302 (no HTML body): this is the hot path of every affiliate link.
    response = Response(status=302, headers={"Location": tracking.landing_url(path)})
    value = tracking.record_click(code, "/" + path.lstrip("/"))
    if value:
        tracking.set_cookie(response, value, g.get("affiliate_cookie_days", 60))
    return response


@bp.route("/r/<code>")
@limiter.exempt  # no limit applies to a link click; skipping the check keeps the hot path short
@public
def referral(code: str) -> Response:
    """An affiliate link to the home page: count the click, set the cookie, redirect (302)."""
    return _referral_response(code, "")


@bp.route("/r/<code>/<path:path>")
@limiter.exempt
@public
def referral_to(code: str, path: str) -> Response:
    """An affiliate link to any public page of the site (anything else lands on the home page)."""
    return _referral_response(code, path)


# --- programmes and applications --------------------------------------------------------------------


@bp.route("/affiliates")
@public
def programmes_page() -> str:
    """The open programmes, their terms, and how to join."""
    shown = programmes.open_programmes()
    rates = {p.id: programmes.rules_of(p) for p in shown}
    mine = (
        {a.programme_id: a for a in programmes.affiliates_of(current_user.id)} if current_user.is_authenticated else {}
    )
    return render_template("affiliates/programmes.html", shown=shown, rates=rates, mine=mine)


@bp.route("/affiliates/apply/<int:programme_id>", methods=["GET", "POST"])
@login_required
def apply(programme_id: int) -> Response | str:
    programme = db.session.get(AffiliateProgramme, programme_id)
    if programme is None or programme not in programmes.open_programmes():
        abort(404)
    form = ApplyForm()
    if request.method == "GET":
        form.payout_details.data = current_user.email if form.payout_method.data == PayoutMethod.PAYPAL else ""
    if form.validate_on_submit():
        try:
            programmes.apply(
                current_user._get_current_object(),
                programme,
                website=form.website.data,
                channels=form.channels.data,
                audience=form.audience.data,
                payout_method=PayoutMethod(form.payout_method.data),
                payout_details=form.payout_details.data,
                preferred_code=form.preferred_code.data,
            )
        except DomainError as error:
            db.session.rollback()
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Thank you! We will review your application and write to you."), "success")
            return redirect(url_for("affiliates.dashboard"))
    return render_template("affiliates/apply.html", programme=programme, form=form)


# --- the affiliate's dashboard ---------------------------------------------------------------------


def _my_affiliate(accounts: list[Affiliate]) -> Affiliate:
    wanted = request.args.get("a", type=int)
    if wanted is not None:
        for account in accounts:
            if account.id == wanted:
                return account
        abort(404)
    approved = [a for a in accounts if a.status == AffiliateStatus.APPROVED]
    return (approved or accounts)[0]


@bp.route("/affiliates/dashboard")
@login_required
def dashboard() -> Response | str:
    accounts = programmes.affiliates_of(current_user.id)
    if not accounts:
        flash(_("Apply to a programme first: your dashboard opens once you have."), "info")
        return redirect(url_for("affiliates.programmes_page"))
    affiliate = _my_affiliate(accounts)
    months = request.args.get("months", 6, type=int)
    months = months if months in MONTH_CHOICES else 6
    stats = queries.stats([affiliate.id], months)
    link_form = LinkForm(request.args)
    built_link, link_error = None, None
    if affiliate.code and link_form.page.data:
        try:
            built_link = web.share_link(affiliate.code, link_form.page.data)
        except DomainError as error:
            link_error = error.message
    payout_form = PayoutDetailsForm(
        payout_method=affiliate.payout_method.value, payout_details=affiliate.payout_details
    )
    return render_template(
        "affiliates/dashboard.html",
        affiliate=affiliate,
        accounts=accounts,
        months=months,
        month_choices=MONTH_CHOICES,
        stats=stats,
        rows=queries.commissions_of([affiliate.id], 100),
        unpaid=commissions.unpaid_totals(affiliate.id),
        paid_out=commissions.payout_items_total(affiliate.id),
        links=web.standard_links(affiliate.code) if affiliate.code else [],
        link_form=link_form,
        built_link=built_link,
        link_error=link_error,
        payout_form=payout_form,
        minimum=programmes.payout_minimum_of(affiliate),
        charts=web.stats_charts(stats),
    )


@bp.route("/affiliates/dashboard/commissions.csv")
@login_required
def commissions_csv() -> Response:
    affiliate = _my_affiliate(programmes.affiliates_of(current_user.id) or abort(404))
    response = make_response(web.commissions_csv(queries.commissions_of([affiliate.id], None)))
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="commissions-{affiliate.code or affiliate.id}.csv"'
    return response


@bp.route("/affiliates/<int:affiliate_id>/payout-details", methods=["POST"])
@login_required
def payout_details(affiliate_id: int) -> Response:
    affiliate = db.session.get(Affiliate, affiliate_id)
    if affiliate is None or affiliate.user_id != current_user.id:
        abort(404)
    form = PayoutDetailsForm()
    if form.validate_on_submit():
        try:
            programmes.update_payout(
                affiliate,
                actor=current_user._get_current_object(),
                method=PayoutMethod(form.payout_method.data),
                details=form.payout_details.data,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your payout details are saved."), "success")
    else:
        flash(_("Enter your payout details."), "error")
    return redirect(url_for("affiliates.dashboard", a=affiliate.id))

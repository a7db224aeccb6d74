"""Staff pages: people, organisations, roles and the audit trail."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.accounts import queries, services
from lms.accounts.forms import EmptyForm, GrantRoleForm, OrganisationForm, OrganisationStatusForm
from lms.accounts.models import Membership, Organisation, OrganisationKind, OrganisationStatus, User
from lms.core.audit import verify_chain
from lms.core.db import get_or_404
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, roles_required
from lms.extensions import db

bp = Blueprint("staff_accounts", __name__, url_prefix="/staff", template_folder="templates")

register_nav("staff_accounts.users", _l("People"), Role.STAFF, order=80)
register_nav("staff_accounts.organisations", _l("Organisations"), Role.STAFF, order=81)
register_nav("staff_accounts.audit", _l("Audit trail"), Role.STAFF, order=90)


@bp.route("/users")
@roles_required(Role.STAFF)
def users() -> str:
    query = request.args.get("q", "")
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template("accounts/staff/users.html", result=queries.search_users(query, page), query=query)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def user_detail(user_id: int) -> Response | str:
    user = get_or_404(User, user_id)
    form = GrantRoleForm()
    form.organisation_id.choices = [(o.id, o.name) for o in queries.organisations()]
    if form.validate_on_submit():
        organisation = get_or_404(Organisation, form.organisation_id.data)
        try:
            services.grant_role(user, organisation, Role(form.role.data), actor_id=current_user.id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Role granted."), "success")
            return redirect(url_for(".user_detail", user_id=user.id))
    return render_template("accounts/staff/user_detail.html", user=user, form=form, revoke_form=EmptyForm())


@bp.route("/memberships/<int:membership_id>/revoke", methods=["POST"])
@roles_required(Role.STAFF)
def revoke_membership(membership_id: int) -> Response:
    membership = get_or_404(Membership, membership_id)
    user_id = membership.user_id
    if EmptyForm().validate_on_submit():
        services.revoke_role(membership, actor_id=current_user.id)
        db.session.commit()
        flash(_("Role removed."), "success")
    return redirect(url_for(".user_detail", user_id=user_id))


@bp.route("/organisations", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def organisations() -> Response | str:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(
                kind=OrganisationKind(form.kind.data),
                name=form.name.data,
                slug=form.slug.data,
                country=form.country.data,
                city=form.city.data,
                actor_id=current_user.id,
            )
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Organisation created."), "success")
            return redirect(url_for(".organisation_detail", organisation_id=organisation.id))
    return render_template("accounts/staff/organisations.html", organisations=queries.organisations(), form=form)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@roles_required(Role.STAFF)
def organisation_detail(organisation_id: int) -> Response | str:
    organisation = get_or_404(Organisation, organisation_id)
    form = OrganisationStatusForm(status=organisation.status.value)
    if form.validate_on_submit():
        try:
            services.set_organisation_status(
                organisation,
                OrganisationStatus(form.status.data),
                actor_id=current_user.id,
                reason=form.reason.data,
            )
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Status changed."), "success")
            return redirect(url_for(".organisation_detail", organisation_id=organisation.id))
    return render_template(
        "accounts/staff/organisation_detail.html",
        organisation=organisation,
        members=queries.organisation_members(organisation.id),
        form=form,
    )


@bp.route("/audit")
@roles_required(Role.STAFF)
def audit() -> str:
    action = request.args.get("action", "")
    before = request.args.get("before", type=int)
    events = queries.recent_audit_events(action_prefix=action, before_id=before)
    actors = queries.users_by_id({e.actor_id for e in events if e.actor_id})
    chain = verify_chain() if request.args.get("verify") else None
    return render_template("accounts/staff/audit.html", events=events, actors=actors, action=action, chain=chain)
